import type { Command } from "commander";
import { HOOK_CLIENT_IDS, type HookClientId } from "../../templates/hook-clients.js";
import { ExitCode } from "../exit-codes.js";
import { handleError } from "../handle-error.js";
import { parseOptions } from "../options.js";
import { color } from "../ui/color.js";
import { colorDiff } from "./mcp-install.js";

/** Parsed options of `hooks install` / `hooks uninstall`. */
export type HooksCliOptions = import("zod").output<typeof import("../schemas.js").hooksOptions>;

function addOptions(command: Command, verb: "install" | "uninstall"): Command {
  return command
    .option("--client <clients...>", `coding agents: ${HOOK_CLIENT_IDS.join(", ")}, or all (repeat or comma-separate)`)
    .option("--scope <scope>", "project or user", "project")
    .option("--dir <dir>", "project root for project scope", ".")
    .option("--dry-run", `print what would change; write nothing`)
    .option("--json", "print a JSON report")
    .addHelpText(
      "after",
      verb === "install"
        ? `
Each hook entry runs: <launcher> hook <client> <event> (the launcher is "npx -y governor-init" unless
--command says otherwise). Claude Code gets PreToolUse/PostToolUse in .claude/settings.json, Cursor
beforeShellExecution/beforeMCPExecution/after… in .cursor/hooks.json, Gemini CLI BeforeTool/AfterTool in
.gemini/settings.json. Comments and other hooks are kept; running it twice changes nothing.

Exit codes: 0 written or already up to date; 2 a file could not be edited safely (nothing written to it).`
        : `
Restores each hooks file exactly as it was when it still holds what install wrote; otherwise removes
only governor-init's entries, keeping everything else.`,
    );
}

async function runHooksAction(verb: "install" | "uninstall", raw: Record<string, unknown>): Promise<void> {
  const json = raw.json === true;
  try {
    const options = parseOptions((await import("../schemas.js")).hooksOptions, raw, `hooks ${verb}`);
    const { runHooksConfig } = await import("../../codemods/agent-config/hooks-config.js");
    const clients: HookClientId[] = options.client.includes("all")
      ? [...HOOK_CLIENT_IDS]
      : [...new Set(options.client as HookClientId[])];
    const hooksOptions: Parameters<typeof runHooksConfig>[1] = {
      clients,
      scope: options.scope,
      projectDir: options.dir,
      reads: options.reads,
      failClosedSwitch: options.onFailure,
      dryRun: options.dryRun,
    };
    if (options.command !== undefined) hooksOptions.launcher = options.command;
    const results = runHooksConfig(verb, hooksOptions);
    if (json) {
      process.stdout.write(JSON.stringify({ dryRun: options.dryRun, results }, null, 2) + "\n");
    } else {
      const out: string[] = [];
      const doing = options.dryRun ? "would " : "";
      for (const r of results) {
        const tag = `${r.clientName} (${r.scope})`;
        if (r.status === "error") out.push(`${color.red("✖")} ${tag}: ${r.path} ${r.reason ?? ""}`);
        else if (r.status === "unchanged")
          out.push(
            `${color.dim("=")} ${tag}: ${verb === "install" ? "already up to date" : "no governor-init hooks"} ${r.path}`,
          );
        else out.push(`${color.green("✔")} ${tag}: ${doing}${r.status} ${r.path}`);
        for (const note of r.notes) out.push(color.yellow(`    ${note}`));
      }
      const diffs = results.filter((r) => r.diff).map((r) => colorDiff(r.diff!));
      if (diffs.length > 0) out.push("", ...diffs);
      if (
        verb === "install" &&
        !options.dryRun &&
        results.some((r) => r.status === "create" || r.status === "update")
      ) {
        out.push(
          "",
          "The hooks ask the policy service at GOVERNOR_ENFORCE_URL (set it where the agent starts). Until it is set, every governed action is denied.",
        );
      }
      process.stdout.write(out.join("\n") + "\n");
    }
    process.exitCode = results.some((r) => r.status === "error") ? ExitCode.USER_ERROR : ExitCode.OK;
  } catch (error) {
    process.exitCode = handleError(error, { json });
  }
}

/** `governor-init hooks install|uninstall`: the Governor decides what a coding agent does, through its native hooks. */
export function registerHooksCommand(program: Command): void {
  const hooks = program
    .command("hooks")
    .description(
      "Install or remove native hooks so the Governor decides what coding agents do (Claude Code, Cursor, Gemini CLI).",
    );
  addOptions(
    hooks
      .command("install")
      .description("Add governor-init hooks to coding agents' configs (in place, keeping comments and other hooks).")
      .option("--reads", "govern reads too (file reads, globs, greps); by default reads are not asked about")
      .option("--command <launcher>", 'what runs "hook <client> <event>" (default: npx -y governor-init)')
      .option(
        "--on-failure <mode>",
        'Claude Code\'s onFailure: "block": auto (when claude --version is 2.1.295+), block, omit',
        "auto",
      ),
    "install",
  ).action((raw: Record<string, unknown>) => runHooksAction("install", raw));
  addOptions(
    hooks.command("uninstall").description("Remove governor-init hooks from coding agents' configs."),
    "uninstall",
  ).action((raw: Record<string, unknown>) => runHooksAction("uninstall", raw));
}
