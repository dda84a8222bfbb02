/**
 * The codemods engine: detect, plan, apply, undo and check. Anything exported here is public API
 * (the CLI, the wizard and the MCP server call it).
 */
export { detect, readLayout, moduleSystemOf, packageOf, findPackageManager } from "./detect.js";
export type {
  DetectResult,
  EntrypointInfo,
  EntrypointSource,
  LocatedPrimitiveSite,
  LocatedToolSite,
  PackageInfo,
  PackageManager,
  ScanOptions,
  ScriptInfo,
} from "./detect.js";
export { plan, reachablePackages } from "./plan.js";
export type { FileChange, PlanOptions, PlanReport, PlanResult, PlannedFile } from "./plan.js";
export { apply, undo, readManifest, MANIFEST_PATH, STATE_DIR, STATE_DIR_GUIDANCE } from "./apply.js";
export type { ApplyOptions, ApplyResult, Manifest, ManifestFile, UndoResult } from "./apply.js";
export { check, coveredPackages, RUNTIME_PATCHED_KINDS } from "./check.js";
export type { CheckFinding, CheckResult } from "./check.js";
export { listSourceFiles, readSourceFile, NEVER_WALKED, MAX_FILE_BYTES, SOURCE_EXTENSIONS } from "./walk.js";
export type { SkippedFile, SourceFileRef } from "./walk.js";
export { planSdkInstall, runSdkInstall } from "./sdk-install.js";
export type { SdkInstallPlan } from "./sdk-install.js";
export { installSdk, bundledSdk, VENDOR_DIR } from "./sdk-install.js";
export type { SdkInstallOutcome, SdkSource } from "./sdk-install.js";
export { recordWrites, snapshotFiles } from "./apply.js";
export type { FileSnapshot, UndoOptions, WriteOrigin } from "./apply.js";
export { relocateEdits } from "./undo-relocate.js";
export { detectTestRunner, wireTests, isTestFile, TEST_FILE_GLOBS } from "./test-runner.js";
export type { TestRunnerInfo, TestWiringOutcome } from "./test-runner.js";
