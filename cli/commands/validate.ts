import type { Command } from "commander";
import { ExitCode } from "../exit-codes.js";
import { handleError } from "../handle-error.js";
import { parseOptions } from "../options.js";

/** Splits `[dir] -- command…` using the raw argv, since commander drops the `--` marker. */
export function splitValidateOperands(
  operands: readonly string[],
  rawArgs: readonly string[],
): { dir?: string; command: string[] } {
  const marker = rawArgs.indexOf("--");
  const commandLength = marker === -1 ? 0 : rawArgs.length - marker - 1;
  const command = operands.slice(operands.length - commandLength);
  const before = operands.slice(0, operands.length - commandLength);
  return { dir: before[0], command: commandLength === 0 ? [] : command };
}

/** `governor-init validate`: run a command against the local mock with the SDK preloaded, and report. */
export function registerValidateCommand(program: Command): void {
  program
    .command("validate")
    .description(
      "Run a command against the local enforce mock with the SDK preloaded; report decisions, denials and ungoverned side effects.",
    )
    .argument("[dir]", "project directory (the command's working directory)")
    .argument("[command...]", "the command to run, after --")
    .option("--policy <policy>", "allow-all, deny-all, or a YAML/JSON policy file", "allow-all")
    .option("--timeout <ms>", "kill the command after this many milliseconds")
    .option("--json", "print the report as JSON (the command's own output goes to stderr)")
    .addHelpText(
      "after",
      `
Example:
  governor-init validate --policy deny-all -- node src/agent.js

@governor/sdk resolves to the copy bundled with governor-init while the command runs, so nothing
has to be installed. Exit codes: 0 passed; 1 a side effect ran without a decision, or the command
failed for another reason than a denial; 2 bad input.`,
    )
    .action(async function (
      this: Command,
      dirArg: string | undefined,
      commandArgs: string[],
      raw: Record<string, unknown>,
    ) {
      const json = raw.json === true;
      try {
        const operands = [dirArg, ...commandArgs].filter((x): x is string => x !== undefined);
        const rawArgs = (this.parent as unknown as { rawArgs?: string[] } | null)?.rawArgs ?? process.argv;
        const split = splitValidateOperands(operands, rawArgs);
        const options = parseOptions((await import("../schemas.js")).validateOptions, {
          ...raw,
          dir: split.dir,
          command: split.command,
        });
        const { runValidation } = await import("../../enforce-mock/validate/index.js");
        const report = await runValidation({
          dir: options.dir,
          command: options.command,
          policy: options.policy,
          timeoutMs: options.timeout,
          output: json ? "stderr" : "inherit",
          onMockStarted: json
            ? undefined
            : (url) => process.stderr.write(`governor: enforce mock at ${url} (policy ${options.policy})\n`),
        });
        if (json) process.stdout.write(JSON.stringify(report, null, 2) + "\n");
        else {
          const { renderValidation } = await import("../render.js");
          process.stdout.write("\n" + renderValidation(report));
        }
        process.exitCode = report.passed ? ExitCode.OK : ExitCode.GATE_FAILED;
      } catch (error) {
        process.exitCode = handleError(error, { json });
      }
    });
}
