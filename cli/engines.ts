/**
 * Lazy loaders for the engines the CLI drives. Each is imported only inside an action, so
 * `governor-init --help` never loads Babel, jscodeshift, ink or the docs index.
 */
import { splitExclude } from "../codemods/shared/site-id.js";
import type * as Codemods from "../codemods/index.js";

/** The codemods engine module. */
export type CodemodsEngine = Pick<
  typeof Codemods,
  "detect" | "plan" | "apply" | "undo" | "check" | "planSdkInstall" | "runSdkInstall" | "installSdk" | "wireTests"
>;
export type {
  PlanReport,
  FileChange as PlannedChange,
  DetectResult,
  CheckResult,
  UndoResult,
  ApplyResult,
  SdkInstallOutcome,
  SdkSource,
  TestWiringOutcome,
} from "../codemods/index.js";

/** Loads the codemods engine. */
export async function loadCodemods(): Promise<CodemodsEngine> {
  return import("../codemods/index.js");
}

/** Splits `--exclude` values into the engine's files (paths, globs) and site ids (`path:line:col:kind`). */
export function toExclude(values: readonly string[] | undefined): { files?: string[]; sites?: string[] } | undefined {
  if (!values || values.length === 0) return undefined;
  const { files, sites } = splitExclude(values);
  return { ...(files.length > 0 ? { files } : {}), ...(sites.length > 0 ? { sites } : {}) };
}
