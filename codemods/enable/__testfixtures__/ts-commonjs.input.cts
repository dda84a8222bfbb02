import express = require("express");
import { router } from "./router";

express().use(router).listen(3000);
