/* eslint-env node */
/* global process */
require("@governor/sdk/register");
const { start } = require("./server");

start(process.env.PORT);
