import type { Command } from "commander";
import { ExitCode } from "../exit-codes.js";
import { handleError } from "../handle-error.js";
import { parseOptions } from "../options.js";

/** `governor-init undo`: restores the files the last apply changed (from its manifest). */
export function registerUndoCommand(program: Command): void {
  program
    .command("undo")
    .description("Restore the files the last apply changed, from its manifest (files edited since are left alone).")
    .argument("[dir]", "project directory", ".")
    .option("--dry-run", "show the diff undo would apply, write nothing")
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      "\nExit codes: 0 every file reverted (or nothing to undo); 1 some file was left alone (governor-init's edits in it could not be told apart from yours: the spans to remove are listed); 2 bad input.",
    )
    .action(async (dir: string, raw: Record<string, unknown>) => {
      const json = raw.json === true;
      try {
        const options = parseOptions((await import("../schemas.js")).undoOptions, { ...raw, dir });
        const { loadCodemods } = await import("../engines.js");
        const { readManifest } = await import("../../codemods/engine/apply.js");
        if (readManifest(options.dir) === undefined) {
          // Nothing applied here (or already undone): not an error.
          if (json) process.stdout.write(JSON.stringify({ nothingToUndo: true, reverted: [], leftAlone: [] }) + "\n");
          else process.stdout.write(`Nothing to undo: no .governor/manifest.json in ${options.dir}.\n`);
          process.exitCode = ExitCode.OK;
          return;
        }
        const result = await (await loadCodemods()).undo(options.dir, { dryRun: options.dryRun });
        if (json) process.stdout.write(JSON.stringify(result, null, 2) + "\n");
        else {
          const { renderUndo } = await import("../render.js");
          process.stdout.write(renderUndo(result));
        }
        // A partial undo is not done: scripts and CI must not read it as success.
        process.exitCode = result.leftAlone.length > 0 ? ExitCode.GATE_FAILED : ExitCode.OK;
      } catch (error) {
        process.exitCode = handleError(error, { json });
      }
    });
}
