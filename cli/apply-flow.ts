import type { ModeId } from "../templates/modes.js";
import { toExclude, type ApplyResult, type CodemodsEngine } from "./engines.js";

/** What `apply` did. */
export interface ApplyOutcome {
  result: ApplyResult;
  sdk:
    | { status: "skipped" }
    | { status: "already-installed"; packageJson: string }
    | { status: "installed"; packageJson: string; command: string[] }
    | { status: "failed"; packageJson?: string; command?: string[]; output: string }
    | { status: "no-package-json" };
}

/**
 * Runs the engine's apply with SIGINT held off, so Ctrl-C cannot stop it between files: the
 * project ends untouched or fully applied (the engine writes each file atomically and records a
 * manifest). An interrupt during apply is honoured right after it, and the user is told how to undo.
 */
export async function applyUninterruptible(
  engine: CodemodsEngine,
  dir: string,
  options: { mode: ModeId; allowDirty?: boolean; exclude?: string[] },
): Promise<{ result: ApplyResult; interrupted: boolean }> {
  let interrupted = false;
  const onSignal = (): void => {
    interrupted = true;
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const result = await engine.apply(dir, {
      mode: options.mode,
      allowDirty: options.allowDirty,
      exclude: toExclude(options.exclude),
    });
    return { result, interrupted };
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/** Applies the integration, then adds `@governor/sdk` with the project's package manager unless `install` is false. */
export async function applyWithSdk(
  engine: CodemodsEngine,
  options: { dir: string; mode: ModeId; allowDirty: boolean; exclude?: string[]; install: boolean },
): Promise<ApplyOutcome & { interrupted: boolean }> {
  const { result, interrupted } = await applyUninterruptible(engine, options.dir, options);
  if (interrupted) {
    process.stderr.write("Interrupted: the integration was applied fully. Run `governor-init undo` to revert it.\n");
    process.exitCode = 130;
    return { result, sdk: { status: "skipped" }, interrupted };
  }
  if (!options.install) return { result, sdk: { status: "skipped" }, interrupted };
  const plan = engine.planSdkInstall(options.dir);
  if (!plan) return { result, sdk: { status: "no-package-json" }, interrupted };
  if (plan.alreadyInstalled)
    return { result, sdk: { status: "already-installed", packageJson: plan.packageJson }, interrupted };
  const run = engine.runSdkInstall(plan);
  return {
    result,
    sdk: run.ok
      ? { status: "installed", packageJson: plan.packageJson, command: plan.command }
      : { status: "failed", packageJson: plan.packageJson, command: plan.command, output: run.output.slice(-2000) },
    interrupted,
  };
}
