#!/usr/bin/env node
/**
 * Standalone entry: `node dist/mcp-server/bin.js [--http] [--port N] [--host H] [--token T]`.
 * `governor-init mcp` does the same through the CLI; this entry skips the CLI's modules.
 */
import { parseArgs } from "node:util";
import { toGovernorInitError } from "../core/errors.js";
import { startMcp } from "./start.js";

try {
  const { values } = parseArgs({
    options: {
      http: { type: "boolean" },
      port: { type: "string" },
      host: { type: "string" },
      token: { type: "string" },
    },
  });
  await startMcp({
    http: values.http,
    port: values.port === undefined ? undefined : Number(values.port),
    host: values.host,
    token: values.token,
  });
} catch (error) {
  const err = toGovernorInitError(error);
  process.stderr.write(`error: ${err.message}\n${err.suggestion ? `  ${err.suggestion}\n` : ""}`);
  process.exitCode = err.userFixable ? 2 : 70;
}
