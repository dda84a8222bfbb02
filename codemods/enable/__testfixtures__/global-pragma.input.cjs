/* eslint-env node */
/* global process */
const { start } = require("./server");

start(process.env.PORT);
