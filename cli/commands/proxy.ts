import type { Command } from "commander";
import { ErrorCodes, GovernorInitError } from "../../core/errors.js";
import { ExitCode } from "../exit-codes.js";
import { handleError } from "../handle-error.js";
import { parseOptions } from "../options.js";

/** The operands after `--` in the raw argv (commander drops the marker). */
function commandAfterMarker(operands: readonly string[], rawArgs: readonly string[]): string[] {
  const marker = rawArgs.indexOf("--");
  if (marker === -1) return [...operands];
  return operands.slice(Math.max(0, operands.length - (rawArgs.length - marker - 1)));
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `governor-init proxy`: put the governing MCP proxy in front of an MCP server. The engine lives in `proxy/`. */
export function registerProxyCommand(program: Command): void {
  program
    .command("proxy")
    .description(
      "Serve an MCP server through a governing proxy: every tools/call is decided by the policy service first; everything else passes through unchanged.",
    )
    .argument("[command...]", "the MCP server's command and arguments, after --")
    .option("--url <url>", "govern a Streamable HTTP MCP server at this URL instead of a command")
    .option("--header <header>", 'send this header to the --url server ("Name: value"; repeatable)', collect)
    .option("--bearer-env <var>", "send Authorization: Bearer with the value of this environment variable (--url)")
    .option("--name <server-name>", "the server's name in intents (default: the name the server reports)")
    .option("--overrides <file>", "a YAML/JSON file of per-tool intent overrides")
    .option("--fail-mode <mode>", "closed (default): undecidable calls do not run; open: they run, with a warning")
    .option("--http", "serve the client Streamable HTTP at /mcp instead of stdio")
    .option("--port <n>", "HTTP port (0 picks a free one)", "0")
    .option("--host <host>", "HTTP bind address; anything but loopback requires --token", "127.0.0.1")
    .option("--token <token>", "bearer token HTTP clients must send (default: $GOVERNOR_MCP_TOKEN)")
    .addHelpText(
      "after",
      `
Examples:
  governor-init proxy -- npx -y @modelcontextprotocol/server-filesystem /srv/data
  governor-init proxy --url https://mcp.example.com/mcp --bearer-env EXAMPLE_TOKEN
  governor-init proxy --http --port 8931 --name filesystem -- npx -y @modelcontextprotocol/server-filesystem .

Decisions use the same GOVERNOR_* variables as the SDK (GOVERNOR_ENFORCE_URL, GOVERNOR_API_KEY, ...).
A denied call answers a tool result with isError: true and the reason; the server never sees it.
Exit codes: 0 the client disconnected; 1 the server exited or could not be started; 2 bad input.`,
    )
    .action(async function (this: Command, commandArgs: string[], raw: Record<string, unknown>) {
      try {
        const rawArgs = (this.parent as unknown as { rawArgs?: string[] } | null)?.rawArgs ?? process.argv;
        const options = parseOptions(
          (await import("../schemas.js")).proxyOptions,
          { ...raw, command: commandAfterMarker(commandArgs, rawArgs) },
          "`governor-init proxy`",
        );
        const headers: Record<string, string> = {};
        for (const header of options.header) {
          const colon = header.indexOf(":");
          headers[header.slice(0, colon).trim()] = header.slice(colon + 1).trim();
        }
        if (options.bearerEnv !== undefined) {
          const token = process.env[options.bearerEnv]?.trim();
          if (!token) {
            throw new GovernorInitError(
              ErrorCodes.INVALID_INPUT,
              `--bearer-env ${options.bearerEnv}: the variable is not set.`,
              {
                suggestion: `Set ${options.bearerEnv} to the server's token in the proxy's environment.`,
              },
            );
          }
          headers.Authorization = `Bearer ${token}`;
        }
        const proxy = await import("../../proxy/index.js");
        const downstream: import("../../proxy/index.js").DownstreamSpec =
          options.url !== undefined
            ? { kind: "http", url: options.url, headers }
            : { kind: "stdio", command: options.command[0]!, args: options.command.slice(1) };
        const common = {
          downstream,
          ...(options.name === undefined ? {} : { serverName: options.name }),
          ...(options.overrides === undefined ? {} : { overrides: proxy.loadOverrides(options.overrides) }),
          ...(options.failMode === undefined ? {} : { failMode: options.failMode }),
        };
        if (options.http) {
          const running = await proxy.startHttpProxy({
            ...common,
            port: options.port,
            host: options.host,
            ...(options.token === undefined ? {} : { token: options.token }),
          });
          process.stdout.write(`governor-init proxy listening on ${running.url}\n`);
          await new Promise<void>((resolve) => {
            const stop = () => void running.close().then(resolve);
            process.once("SIGINT", stop);
            process.once("SIGTERM", stop);
          });
          return;
        }
        const end = await proxy.runStdioProxy(common);
        process.exitCode = end.reason === "client-closed" ? ExitCode.OK : ExitCode.GATE_FAILED;
        // Whatever still holds the event loop (a keep-alive socket to the policy service) must not keep a finished proxy alive.
        setTimeout(() => process.exit(), 2000).unref();
      } catch (error) {
        process.exitCode = handleError(error);
      }
    });
}
