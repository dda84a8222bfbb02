"use strict";

const http = require("node:http");

http.createServer().listen(8080);
