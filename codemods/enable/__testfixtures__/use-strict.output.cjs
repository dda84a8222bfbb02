"use strict";
require("@governor/sdk/register");

const http = require("node:http");

http.createServer().listen(8080);
