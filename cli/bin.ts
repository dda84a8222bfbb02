#!/usr/bin/env node
import { run } from "./program.js";
import { handleError } from "./handle-error.js";

run(process.argv).catch((error: unknown) => {
  process.exitCode = handleError(error, { json: process.argv.includes("--json") });
});
