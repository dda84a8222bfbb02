/**
 * Starting the docs MCP server: shared by `governor-init mcp` and the standalone `mcp-server/bin.ts`.
 */
import { readFileSync } from "node:fs";
import { ErrorCodes, GovernorInitError } from "../core/errors.js";

/** Options shared by this entry and `governor-init mcp`. */
export interface McpStartOptions {
  http?: boolean;
  port?: number;
  host?: string;
  token?: string;
}

/** governor-init's version: package.json is one level up from source, two from `dist/`. */
function packageVersion(): string {
  for (const candidate of ["../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(candidate, import.meta.url), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "governor-init" && pkg.version) return pkg.version;
    } catch {
      // Try the next location.
    }
  }
  return "0.0.0";
}

/** Starts the server on stdio, or on Streamable HTTP with `http: true` (printing its URL to stderr). */
export async function startMcp(options: McpStartOptions): Promise<void> {
  const version = packageVersion();
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 0 && options.port <= 65535)) {
    throw new GovernorInitError(ErrorCodes.INVALID_INPUT, `--port must be an integer from 0 to 65535.`, {
      suggestion: "Pass --port 0 for a free port, or a number such as 4319.",
    });
  }
  if (options.http) {
    const { startHttpServer } = await import("./http.js");
    const running = await startHttpServer({ host: options.host, port: options.port, token: options.token, version });
    process.stderr.write(`governor MCP server (Streamable HTTP) listening at ${running.url}\n`);
    const stop = () => void running.close().then(() => process.exit(0));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    return;
  }
  const { runStdioServer } = await import("./stdio.js");
  await runStdioServer({ version });
}
