import type { Command } from "commander";
import { CLIENT_IDS } from "../../templates/clients.js";
import { MODE_IDS } from "../../templates/modes.js";
import { ErrorCodes, GovernorInitError } from "../../core/errors.js";
import { handleError } from "../handle-error.js";
import { parseOptions } from "../options.js";

const HEADLESS_HINT =
  'Pass --yes with the choices as flags, e.g. governor-init --yes --mode hybrid --client cursor --validate "node src/agent.js" ' +
  "(or use the commands: plan, apply, mcp install, validate).";

/**
 * The root action: `governor-init` with no command opens the wizard in a terminal. Every choice has
 * a flag; with `--yes` the same steps run headless. Without a terminal and without `--yes` it never
 * prompts: it exits 2 and says which flags to pass.
 */
export function registerInitAction(program: Command): void {
  program
    .option("--dir <dir>", "wizard: project directory", ".")
    .option("--mode <mode>", `wizard: integration mode (${MODE_IDS.join(", ")})`)
    .option("--exclude <paths...>", "wizard: files or site ids to leave alone")
    .option("--yes", "wizard: run headless, taking defaults for every choice not given as a flag")
    .option("--allow-dirty", "wizard: apply even with uncommitted git changes")
    .option("--no-install", "wizard: do not add @governor/sdk to package.json")
    .option("--sdk-source <source>", "wizard: where @governor/sdk comes from (auto, registry, vendor)", "auto")
    .option("--no-test-setup", "wizard: do not wire the project's test runner to the enforce mock")
    .option("--client <clients...>", "wizard: coding agents for the docs MCP server (or none)")
    .option("--scope <scope>", "wizard: MCP config scope, project or user")
    .option("--validate <command>", 'wizard: command to validate against the mock ("" to skip)')
    .option("--policy <policy>", "wizard: policy for validation (allow-all, deny-all, FILE)", "allow-all")
    .option("--json", "wizard: print the summary as JSON (needs --yes)")
    .action(async (raw: Record<string, unknown>) => {
      const json = raw.json === true;
      try {
        const options = parseOptions((await import("../schemas.js")).wizardOptions, raw);
        const interactive = !options.yes;
        if (interactive && !(process.stdin.isTTY && process.stdout.isTTY)) {
          throw new GovernorInitError(ErrorCodes.NO_TTY, "The wizard needs a terminal, and this is not one.", {
            suggestion: HEADLESS_HINT,
          });
        }
        const clients =
          options.client === undefined
            ? undefined
            : options.client.includes("all")
              ? [...CLIENT_IDS]
              : options.client.filter((c): c is (typeof CLIENT_IDS)[number] => c !== "none" && c !== "all");
        const [{ runWizardSteps }, io, { loadCodemods }] = await Promise.all([
          import("../wizard/steps.js"),
          import("../wizard/io.js"),
          import("../engines.js"),
        ]);
        const write = json ? (t: string) => process.stderr.write(t) : (t: string) => process.stdout.write(t);
        const summary = await runWizardSteps(
          {
            dir: options.dir,
            mode: options.mode,
            exclude: options.exclude,
            yes: options.yes,
            allowDirty: options.allowDirty,
            install: options.install,
            sdkSource: options.sdkSource,
            testSetup: raw.testSetup === false ? false : undefined,
            clients,
            scope: options.scope,
            validateCommand: options.validate,
            policy: options.policy,
          },
          interactive ? io.interactiveIO() : io.headlessIO(write),
          await loadCodemods(),
        );
        if (json) process.stdout.write(JSON.stringify(summary, null, 2) + "\n");
        if (summary.validation && !summary.validation.passed) process.exitCode = 1;
        const { applyExitCode } = await import("../apply-flow.js");
        // The rewritten code imports @governor/sdk: a failed install is never a success.
        const installCode = summary.sdk ? applyExitCode({ sdk: summary.sdk, tests: summary.tests }) : 0;
        if (installCode !== 0) process.exitCode = installCode;
      } catch (error) {
        const { WizardCancelled } = await import("../ui/prompts.js");
        if (error instanceof WizardCancelled) {
          process.stderr.write(
            error.afterApply
              ? "Cancelled. The integration was already applied (fully); revert it with `governor-init undo`.\n"
              : "Cancelled: nothing was changed.\n",
          );
          process.exitCode = 130;
          return;
        }
        process.exitCode = handleError(error, { json });
      }
    });
}
