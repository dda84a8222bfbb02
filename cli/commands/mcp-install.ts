import type { Command } from "commander";
import { CLIENT_IDS, DEFAULT_SERVER_NAME, type ClientId } from "../../templates/clients.js";
import { ExitCode } from "../exit-codes.js";
import { handleError } from "../handle-error.js";
import { parseOptions } from "../options.js";
import { color } from "../ui/color.js";

/** Parsed options of `mcp install`. */
export type McpInstallOptions = import("zod").output<typeof import("../schemas.js").mcpInstallOptions>;

/** Expands `all` into every client id. */
export function expandClients(list: readonly (ClientId | "all")[]): ClientId[] {
  return list.includes("all") ? [...CLIENT_IDS] : [...new Set(list as ClientId[])];
}

/**
 * `governor-init mcp install`: writes the docs MCP server into coding agents' configs. Call it with
 * the `mcp` command (the MCP helper's `registerMcpCommand` creates that).
 */
export function registerMcpInstallCommand(mcpCommand: Command): void {
  mcpCommand
    .command("install")
    .description(
      "Add the Governor docs MCP server to coding agents' configs (in place, keeping comments and other servers).",
    )
    .option("--client <clients...>", `coding agents: ${CLIENT_IDS.join(", ")}, or all (repeat or comma-separate)`)
    .option("--scope <scope>", "project or user (default: project where the client has one, else user)")
    .option("--name <name>", "server entry name", DEFAULT_SERVER_NAME)
    .option("--dir <dir>", "project root for project scope", ".")
    .option("--dry-run", "print what would change; write nothing")
    .option("--yes", "replace an existing entry of the same name that launches something else")
    .option("--json", "print a JSON report")
    .option(
      "--proxy <server>",
      "put the existing server entry of this name behind the governing proxy (governor-init proxy)",
    )
    .option("--unproxy <server>", "take the server entry of this name out of the governing proxy again")
    .addHelpText(
      "after",
      `
Each client gets its own shape: VS Code "servers" with type stdio, opencode "mcp" with a command array,
Codex [mcp_servers.NAME] in TOML, and "mcpServers" elsewhere. The entry launches: npx -y governor-init mcp
(on Windows: cmd /c npx -y governor-init mcp). Running it twice changes nothing the second time.

Exit codes: 0 written or already up to date; 2 a client has no config at that scope, or a file
could not be edited safely (nothing was written to it).`,
    )
    .action(async (raw: Record<string, unknown>) => {
      const json = raw.json === true;
      if (raw.proxy !== undefined || raw.unproxy !== undefined) {
        process.exitCode = await runProxyEntry(raw, json);
        return;
      }
      try {
        if (raw.client === undefined && process.stdin.isTTY && process.stdout.isTTY && !json) {
          // In a terminal, ask instead of failing; without one, the schema's error names the flag.
          const { renderMultiSelect } = await import("../ui/prompts.js");
          const { CLIENTS } = await import("../../templates/clients.js");
          raw.client = await renderMultiSelect({
            message: "Install the Governor docs MCP server into which coding agents?",
            choices: CLIENTS.map((c) => ({ value: c.id, label: c.name })),
          });
        }
        const options = parseOptions((await import("../schemas.js")).mcpInstallOptions, raw);
        const { installMcpServer } = await import("../../codemods/agent-config/index.js");
        const clients = expandClients(options.client);
        const results = installMcpServer({
          clients,
          scope: options.scope,
          projectDir: options.dir,
          name: options.name,
          overwrite: options.yes,
          dryRun: options.dryRun,
        });
        // With `all`, a client lacking the scope is expected; with a named client it is the user's mistake.
        const failed = results.filter(
          (r) =>
            r.status === "error" ||
            r.status === "conflict" ||
            (r.status === "unavailable" && !options.client.includes("all")),
        );
        if (json) {
          process.stdout.write(JSON.stringify({ dryRun: options.dryRun, results }, null, 2) + "\n");
        } else {
          process.stdout.write(renderInstallResults(results, options.dryRun));
        }
        process.exitCode = failed.length > 0 ? ExitCode.USER_ERROR : ExitCode.OK;
      } catch (error) {
        const { WizardCancelled } = await import("../ui/prompts.js");
        if (error instanceof WizardCancelled) {
          process.stderr.write("Cancelled: nothing was changed.\n");
          process.exitCode = 130;
          return;
        }
        process.exitCode = handleError(error, { json });
      }
    });
}

/** `mcp install --proxy NAME` / `--unproxy NAME`: rewrites an existing entry's launch in each client's config. */
async function runProxyEntry(raw: Record<string, unknown>, json: boolean): Promise<number> {
  try {
    const options = parseOptions(
      (await import("../schemas.js")).mcpProxyEntryOptions,
      raw,
      "`governor-init mcp install`",
    );
    const { proxyServerEntry } = await import("../../codemods/agent-config/proxy-entry.js");
    const results = options.client.map((client) =>
      proxyServerEntry({
        client,
        server: (options.proxy ?? options.unproxy)!,
        undo: options.unproxy !== undefined,
        projectDir: options.dir,
        dryRun: options.dryRun,
        ...(options.scope === undefined ? {} : { scope: options.scope }),
      }),
    );
    if (json) process.stdout.write(JSON.stringify({ dryRun: options.dryRun, results }, null, 2) + "\n");
    else {
      const verb = options.unproxy !== undefined ? "take out of the proxy" : "put behind the proxy";
      const lines = results.map((r) => {
        const tag = `${r.clientName} (${r.scope}) "${r.server}"`;
        if (r.status === "update")
          return `${color.green("✔")} ${tag}: ${options.dryRun ? "would " : ""}${verb} in ${r.path}`;
        if (r.status === "unchanged") return `${color.dim("=")} ${tag}: already so in ${r.path}`;
        return `${color.red("✖")} ${tag}: ${r.reason ?? ""}`;
      });
      const diffs = results.filter((r) => r.diff).map((r) => colorDiff(r.diff!));
      process.stdout.write([...lines, ...(diffs.length > 0 ? ["", ...diffs] : [])].join("\n") + "\n");
    }
    return results.some((r) => r.status === "error" || r.status === "unavailable") ? ExitCode.USER_ERROR : ExitCode.OK;
  } catch (error) {
    return handleError(error, { json });
  }
}

/** Renders install results for the terminal: one line per client, then each diff. */
export function renderInstallResults(
  results: ReadonlyArray<{
    clientName: string;
    scope: string;
    status: string;
    path?: string;
    reason?: string;
    diff?: string;
    unconfirmed?: boolean;
  }>,
  dryRun: boolean,
): string {
  const out: string[] = [];
  for (const r of results) {
    const where = r.path ? ` ${r.path}` : "";
    const tag = `${r.clientName} (${r.scope})`;
    switch (r.status) {
      case "create":
      case "update":
        out.push(
          `${color.green("✔")} ${tag}: ${dryRun ? "would " : ""}${r.status === "create" ? "create" : "update"}${where}`,
        );
        break;
      case "unchanged":
        out.push(`${color.dim("=")} ${tag}: already up to date${where}`);
        break;
      case "unavailable":
        out.push(`${color.yellow("-")} ${tag}: no config at this scope. ${r.reason ?? ""}`);
        break;
      default:
        out.push(`${color.red("✖")} ${tag}:${where} ${r.reason ?? ""}`);
    }
    if (r.unconfirmed && (r.status === "create" || r.status === "update")) {
      out.push(
        color.dim(`    (this location is not confirmed by ${r.clientName}'s docs; check that it picks the server up)`),
      );
    }
  }
  const diffs = results.filter((r) => r.diff).map((r) => r.diff!);
  if (diffs.length > 0) out.push("", ...diffs.map((d) => colorDiff(d)));
  return out.join("\n") + "\n";
}

/** Colors a unified diff's added and removed lines. */
export function colorDiff(diff: string): string {
  return diff
    .split("\n")
    .filter((line) => !line.startsWith("====="))
    .map((line) =>
      line.startsWith("+") && !line.startsWith("+++")
        ? color.green(line)
        : line.startsWith("-") && !line.startsWith("---")
          ? color.red(line)
          : line.startsWith("@@")
            ? color.cyan(line)
            : line,
    )
    .join("\n");
}
