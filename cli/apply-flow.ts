import type { ModeId } from "../templates/modes.js";
import {
  toExclude,
  type ApplyResult,
  type CodemodsEngine,
  type SdkInstallOutcome,
  type SdkSource,
  type TestWiringOutcome,
} from "./engines.js";
import { ExitCode } from "./exit-codes.js";
import { existsSync } from "node:fs";
import { join } from "node:path";

/** What `apply` did. */
export interface ApplyOutcome {
  result: ApplyResult;
  sdk: { status: "skipped" } | SdkInstallOutcome;
  /** The project's test runner wired to the mock (absent with `--no-test-setup` or when nothing was applied). */
  tests?: TestWiringOutcome;
}

/**
 * The exit code after apply: the code imports `@governor/sdk`, so an install that failed (or a project
 * with no package.json) leaves imports that do not resolve — never a success.
 */
export function applyExitCode(outcome: Pick<ApplyOutcome, "sdk" | "tests">): number {
  if (outcome.sdk.status === "failed" || outcome.sdk.status === "no-package-json") return ExitCode.INSTALL_FAILED;
  if (outcome.tests?.status === "failed") return ExitCode.INSTALL_FAILED;
  return ExitCode.OK;
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

/**
 * Applies the integration, then adds `@governor/sdk` (from the registry, or vendored from the copy
 * bundled in governor-init) unless `install` is false, then wires the project's test runner to the mock
 * unless `testSetup` is false. Everything it writes is recorded in the manifest for undo.
 */
export async function applyWithSdk(
  engine: CodemodsEngine,
  options: {
    dir: string;
    mode: ModeId;
    allowDirty: boolean;
    exclude?: string[];
    install: boolean;
    sdkSource?: SdkSource;
    testSetup?: boolean;
  },
): Promise<ApplyOutcome & { interrupted: boolean }> {
  const { result, interrupted } = await applyUninterruptible(engine, options.dir, options);
  if (interrupted) {
    process.stderr.write("Interrupted: the integration was applied fully. Run `governor-init undo` to revert it.\n");
    process.exitCode = 130;
    return { result, sdk: { status: "skipped" }, interrupted };
  }
  // Nothing written now or by an earlier apply: nothing imports the SDK, nothing to install.
  const touched = result.written.length > 0 || existsSync(join(options.dir, ".governor", "manifest.json"));
  if (!options.install || !touched) return { result, sdk: { status: "skipped" }, interrupted };
  const sdk = engine.installSdk(options.dir, { source: options.sdkSource, mode: options.mode });
  const tests =
    options.testSetup === false || sdk.status === "failed" || sdk.status === "no-package-json"
      ? undefined
      : engine.wireTests(options.dir, { source: options.sdkSource, mode: options.mode });
  return { result, sdk, ...(tests ? { tests } : {}), interrupted };
}
