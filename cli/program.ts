import { Command } from "commander";
import { ExitCode } from "./exit-codes.js";
import { readFileSync } from "node:fs";

// Every command module is cheap to import: it only declares options. Each action imports its
// engine lazily, so `governor-init --help` loads no heavy module (ts-morph, jscodeshift, ink).
import { registerMockCommand } from "./commands/mock.js";

const commandRegistrations: Array<(program: Command) => void> = [registerMockCommand];

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

/** Builds the `governor-init` command tree. */
export function buildProgram(): Command {
  const program = new Command("governor-init")
    .description(
      "Adopt the Governor SDK: plan, apply, undo and check the integration; validate it against a local mock.",
    )
    .version(packageVersion())
    .showSuggestionAfterError()
    .addHelpText(
      "after",
      `
Exit codes:
  ${ExitCode.OK}   success
  ${ExitCode.GATE_FAILED}   the command's gate failed (check found ungoverned side effects, validate found problems)
  ${ExitCode.USER_ERROR}   a problem you can fix; the message says what to do
  ${ExitCode.INTERNAL_ERROR}  a bug in governor-init`,
    );
  for (const register of commandRegistrations) register(program);
  return program;
}

/** Runs the CLI with `argv` (as `process.argv`). */
export async function run(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
