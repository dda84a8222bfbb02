import { Command } from "commander";
import { ExitCode } from "./exit-codes.js";
import { readFileSync } from "node:fs";

// Every command module is cheap to import: it only declares options. Each action imports its
// engine lazily, so `governor-init --help` loads no heavy module (Babel, jscodeshift, ink).
import { registerMockCommand } from "./commands/mock.js";
import { registerPlanCommand } from "./commands/plan.js";
import { registerApplyCommand } from "./commands/apply.js";
import { registerUndoCommand } from "./commands/undo.js";
import { registerCheckCommand } from "./commands/check.js";
import { registerValidateCommand } from "./commands/validate.js";
import { registerDocsCommand } from "./commands/docs.js";
import { registerDemoCommand } from "./commands/demo.js";
import { registerMcpInstallCommand } from "./commands/mcp-install.js";
import { registerInitAction } from "./commands/init.js";
import { registerMcpCommand } from "./commands/mcp.js";
import { registerHooksCommand } from "./commands/hooks.js";
import { registerHookCommand } from "./commands/hook.js";
import { registerProxyCommand } from "./commands/proxy.js";

const commandRegistrations: Array<(program: Command) => void> = [
  registerPlanCommand,
  registerApplyCommand,
  registerUndoCommand,
  registerCheckCommand,
  registerValidateCommand,
  registerMockCommand,
  registerDocsCommand,
  registerDemoCommand,
  registerHooksCommand,
  registerHookCommand,
  registerProxyCommand,
];

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

/** Builds the `governor-init` command tree. */
export function buildProgram(): Command {
  const program = new Command("governor-init")
    .description(
      "Adopt the Governor SDK: plan, apply, undo and check the integration; validate it against a local mock.\n" +
        "Run with no command in a terminal for the interactive wizard.",
    )
    .version(packageVersion())
    .showSuggestionAfterError()
    // Root options (the wizard's flags) only before a command, so `plan --mode` is plan's own flag.
    .enablePositionalOptions()
    .addHelpText(
      "after",
      `
Exit codes:
  ${ExitCode.OK}   success
  ${ExitCode.GATE_FAILED}   the command's gate failed (check found ungoverned or unanalysable code, validate found problems, undo left a changed file alone)
  ${ExitCode.USER_ERROR}   a problem you can fix; the message says what to do
  ${ExitCode.INSTALL_FAILED}   applied, but @governor/sdk could not be added: run the printed fix
  ${ExitCode.INTERNAL_ERROR}  a bug in governor-init
  130 interrupted (Ctrl-C); the project is untouched or fully applied`,
    );
  registerInitAction(program);
  for (const register of commandRegistrations) register(program);
  registerMcpInstallCommand(registerMcpCommand(program));
  return program;
}

/** Runs the CLI with `argv` (as `process.argv`). */
export async function run(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
