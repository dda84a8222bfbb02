/**
 * Lazy loaders for the engines the CLI drives. Each is imported only inside an action, so
 * `governor-init --help` never loads ts-morph, jscodeshift, ink or the docs index.
 */
import type { ModeId } from "../templates/modes.js";

/** One edit in a plan report. */
export interface PlannedEdit {
  kind: string;
  line: number;
  description: string;
  siteId?: string;
}

/** The report of a plan/apply (see codemods/index.ts). */
export interface PlanReport {
  summary: { filesChanged: number; edits: number };
  files: Array<{ path: string; edits: PlannedEdit[] }>;
  skipped: Array<{ path: string; reason: string }>;
  [key: string]: unknown;
}

/** One file change in a plan. */
export interface PlannedChange {
  path: string;
  diff: string;
  [key: string]: unknown;
}

/** The codemods engine's surface as the CLI uses it. */
export interface CodemodsEngine {
  detect(dir: string): Promise<Record<string, unknown>> | Record<string, unknown>;
  plan(
    dir: string,
    options: { mode: ModeId; exclude?: string[] },
  ): Promise<{ report: PlanReport; changes: PlannedChange[] }> | { report: PlanReport; changes: PlannedChange[] };
  apply(
    dir: string,
    options: { mode: ModeId; allowDirty?: boolean; exclude?: string[] },
  ): Promise<Record<string, unknown>> | Record<string, unknown>;
  undo(dir: string): Promise<Record<string, unknown>> | Record<string, unknown>;
  check(dir: string): Promise<Record<string, unknown>> | Record<string, unknown>;
}

// The path is built at run time so the type checker does not require the engine while it is being written.
const CODEMODS_ENTRY = "../codemods/index.js";

/** Loads the codemods engine. */
export async function loadCodemods(): Promise<CodemodsEngine> {
  return (await import(CODEMODS_ENTRY)) as CodemodsEngine;
}
