import type { Command } from "commander";
import { ExitCode } from "../exit-codes.js";
import { handleError } from "../handle-error.js";
import { parseOptions } from "../options.js";

/** `governor-init demo`: the README's first command, fully offline. */
export function registerDemoCommand(program: Command): void {
  program
    .command("demo")
    .description(
      "Copy a small example agent app to a temp dir, apply the integration, validate it against the mock with a policy that allows some tool calls and denies others.",
    )
    .option("--keep", "keep the temporary copy (its path is printed)")
    .option("--json", "print the plan and the validation report as JSON")
    .action(async (raw: Record<string, unknown>) => {
      const json = raw.json === true;
      try {
        const options = parseOptions((await import("../schemas.js")).demoOptions, raw);
        const { runDemo } = await import("../demo.js");
        const result = await runDemo({ keep: options.keep, write: json ? () => {} : (t) => process.stdout.write(t) });
        if (json) process.stdout.write(JSON.stringify(result, null, 2) + "\n");
        process.exitCode = result.ok ? ExitCode.OK : ExitCode.GATE_FAILED;
      } catch (error) {
        process.exitCode = handleError(error, { json });
      }
    });
}
