#!/usr/bin/env node
import { run } from "./program.js";
import { handleError } from "./handle-error.js";

// `governor-init docs search … | head` closes our stdout early: that is the reader's choice, not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

run(process.argv).catch((error: unknown) => {
  process.exitCode = handleError(error, { json: process.argv.includes("--json") });
});
