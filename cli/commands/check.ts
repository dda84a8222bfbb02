import type { Command } from "commander";
import { ExitCode } from "../exit-codes.js";
import { handleError } from "../handle-error.js";
import { parseOptions } from "../options.js";

/** `governor-init check`: the CI gate; lists side-effect sites and tool handlers that are not governed. */
export function registerCheckCommand(program: Command): void {
  program
    .command("check")
    .description("List side effects and tool handlers that are not governed (exit 1 when there are any): a CI gate.")
    .argument("[dir]", "project directory", ".")
    .option("--exclude <paths...>", "files (relative paths or globs) or site ids to leave out of the check")
    .option("--include-tests", "gate test files too (by default their sites are reported apart, outside the gate)")
    .option("--format <format>", "output format: text, json, sarif (SARIF 2.1.0 for code-scanning UIs)", "text")
    .option("--json", "print the findings as JSON (same as --format json)")
    .addHelpText(
      "after",
      "\nExit codes: 0 everything is governed; 1 ungoverned sites, TODO(governor) markers or files that could not be analysed; 2 bad input.",
    )
    .action(async (dir: string, raw: Record<string, unknown>) => {
      const json = raw.json === true;
      try {
        const { checkOptions } = await import("../schemas.js");
        const { z } = await import("zod");
        const options = parseOptions(checkOptions.extend({ exclude: z.array(z.string()).optional() }), {
          ...raw,
          dir,
        });
        const { loadCodemods } = await import("../engines.js");
        const result = await (
          await loadCodemods()
        ).check(options.dir, {
          exclude: options.exclude,
          includeTests: options.includeTests,
        });
        const { renderCheck } = await import("../render.js");
        if (options.format === "sarif") {
          const { toSarif } = await import("../../codemods/engine/sarif.js");
          process.stdout.write(JSON.stringify(toSarif(result), null, 2) + "\n");
        } else
          process.stdout.write(
            json || options.format === "json" ? JSON.stringify(result, null, 2) + "\n" : renderCheck(result),
          );
        process.exitCode = result.ok ? ExitCode.OK : ExitCode.GATE_FAILED;
      } catch (error) {
        process.exitCode = handleError(error, { json });
      }
    });
}
