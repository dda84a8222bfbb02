/**
 * Starting the docs MCP server: shared by `governor-init mcp` and the standalone `mcp-server/bin.ts`.
 */
import { readFileSync } from "node:fs";
import { ErrorCodes, GovernorInitError } from "../core/errors.js";

/**
 * Port `--http` listens on when none is given: fixed, so a coding agent's config can name a stable URL
 * (`http://127.0.0.1:3939/mcp`); clear of the usual dev-server ports.
 */
export const DEFAULT_HTTP_PORT = 3939;

/** Options shared by this entry and `governor-init mcp`. */
export interface McpStartOptions {
  http?: boolean;
  /** HTTP port; default {@link DEFAULT_HTTP_PORT}; 0 picks a free one. */
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

/**
 * Starts the server on stdio, or on Streamable HTTP with `http: true`. In HTTP mode stdout is not the
 * protocol, so the URL is printed there (first line), for scripts to read.
 */
export async function startMcp(options: McpStartOptions): Promise<void> {
  const version = packageVersion();
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 0 && options.port <= 65535)) {
    throw new GovernorInitError(ErrorCodes.INVALID_INPUT, `--port must be an integer from 0 to 65535.`, {
      suggestion: `Pass --port 0 for a free port, or a number such as ${DEFAULT_HTTP_PORT}.`,
    });
  }
  if (options.http) {
    const { startHttpServer } = await import("./http.js");
    const running = await startHttpServer({
      host: options.host,
      port: options.port ?? DEFAULT_HTTP_PORT,
      token: options.token,
      version,
    });
    process.stdout.write(`governor MCP server (Streamable HTTP) listening at ${running.url}\n`);
    const stop = () => void running.close().then(() => process.exit(0));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    return;
  }
  const { runStdioServer } = await import("./stdio.js");
  await runStdioServer({ version });
}
