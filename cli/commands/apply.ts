import type { Command } from "commander";
import { DEFAULT_MODE, MODE_IDS } from "../../templates/modes.js";
import { ErrorCodes, GovernorInitError } from "../../core/errors.js";
import { handleError } from "../handle-error.js";
import { parseOptions } from "../options.js";

/** `governor-init apply`: writes the integration (atomic per file, with a manifest for undo) and adds the SDK. */
export function registerApplyCommand(program: Command): void {
  program
    .command("apply")
    .description("Apply the integration: edit files (atomically, recorded for undo) and add @governor/sdk.")
    .argument("[dir]", "project directory", ".")
    .option("--mode <mode>", `integration mode: ${MODE_IDS.join(", ")}`, DEFAULT_MODE)
    .option("--exclude <paths...>", "files (relative paths) or site ids to leave alone")
    .option("--yes", "do not ask for confirmation (required without a terminal)")
    .option("--allow-dirty", "apply even when the git work tree has uncommitted changes")
    .option("--no-install", "do not add @governor/sdk to package.json")
    .option(
      "--sdk-source <source>",
      "where @governor/sdk comes from: auto (the registry when it has it, else the bundled copy), registry, vendor",
      "auto",
    )
    .option("--no-test-setup", "do not wire the project's test runner to the enforce mock")
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      "\nExit codes: 0 applied; 2 bad input, a dirty tree, or no terminal to confirm in; 3 applied, but adding @governor/sdk failed (the imports do not resolve until you run the printed fix).",
    )
    .action(async (dir: string, raw: Record<string, unknown>) => {
      const json = raw.json === true;
      try {
        const options = parseOptions((await import("../schemas.js")).applyOptions, { ...raw, dir });
        const { loadCodemods, toExclude } = await import("../engines.js");
        const engine = await loadCodemods();
        if (!options.yes) {
          if (!process.stdin.isTTY || json) {
            throw new GovernorInitError(
              ErrorCodes.NO_TTY,
              "apply needs confirmation, and there is no terminal to ask in.",
              {
                suggestion: "Review the changes with `governor-init plan`, then run `governor-init apply --yes`.",
              },
            );
          }
          const { inGitWorkTree, NO_GIT_NOTE } = await import("../../codemods/engine/apply.js");
          if (!inGitWorkTree(options.dir)) process.stdout.write(`! ${NO_GIT_NOTE}\n`);
          const { report, changes } = await engine.plan(options.dir, {
            mode: options.mode,
            exclude: toExclude(options.exclude),
          });
          const { renderPlan } = await import("../render.js");
          process.stdout.write(renderPlan(report, changes));
          const { confirm } = await import("../ui/prompts.js");
          if (!(await confirm({ message: `Apply these changes to ${report.summary.filesChanged} file(s)?` }))) {
            process.stdout.write("Nothing was changed.\n");
            return;
          }
        }
        const { applyWithSdk } = await import("../apply-flow.js");
        const { applyExitCode } = await import("../apply-flow.js");
        const result = await applyWithSdk(engine, options);
        if (json) process.stdout.write(JSON.stringify(result, null, 2) + "\n");
        else {
          const { renderApply } = await import("../render.js");
          process.stdout.write(renderApply(result));
        }
        if (!result.interrupted) process.exitCode = applyExitCode(result);
      } catch (error) {
        process.exitCode = handleError(error, { json });
      }
    });
}
