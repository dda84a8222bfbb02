import type { Command } from "commander";

/**
 * `governor-init mcp`: serve the docs MCP server on stdio, or on Streamable HTTP with `--http`.
 *
 * The `mcp install` subcommand lives in `./mcp-install.ts` (another module); the lead wires it as a
 * subcommand of the command returned here, so this module does not import it.
 */
export function registerMcpCommand(program: Command): Command {
  return program
    .command("mcp")
    .description("Serve the Governor docs MCP server to coding agents (stdio by default).")
    .option("--http", "serve Streamable HTTP at /mcp instead of stdio")
    .option("--port <n>", "HTTP port (default 3939; 0 picks a free one)")
    .option("--host <host>", "HTTP bind address; anything but loopback requires a token", "127.0.0.1")
    .option("--token <token>", "bearer token HTTP clients must send (default: $GOVERNOR_MCP_TOKEN)")
    .action(async (options: { http?: boolean; port?: string; host: string; token?: string }) => {
      const { startMcp } = await import("../../mcp-server/start.js");
      await startMcp({
        http: options.http,
        port: options.port === undefined ? undefined : Number(options.port),
        host: options.host,
        token: options.token,
      });
    });
}
