import type { Command } from "commander";
import { DEFAULT_MODE, MODE_IDS } from "../../templates/modes.js";
import { handleError } from "../handle-error.js";
import { parseOptions } from "../options.js";
import { renderPlan } from "../render.js";

/** `governor-init plan`: what apply would change, with diffs; writes nothing. */
export function registerPlanCommand(program: Command): void {
  program
    .command("plan")
    .description("Show what apply would change (files, edits, diffs) without writing anything.")
    .argument("[dir]", "project directory", ".")
    .option("--mode <mode>", `integration mode: ${MODE_IDS.join(", ")}`, DEFAULT_MODE)
    .option("--exclude <paths...>", "files (relative paths) or site ids to leave alone")
    .option("--json", "print the plan as JSON")
    .action(async (dir: string, raw: Record<string, unknown>) => {
      const json = raw.json === true;
      try {
        const options = parseOptions((await import("../schemas.js")).planOptions, { ...raw, dir });
        const { loadCodemods, toExclude } = await import("../engines.js");
        const result = await (
          await loadCodemods()
        ).plan(options.dir, { mode: options.mode, exclude: toExclude(options.exclude) });
        process.stdout.write(json ? JSON.stringify(result, null, 2) + "\n" : renderPlan(result.report, result.changes));
      } catch (error) {
        process.exitCode = handleError(error, { json });
      }
    });
}
