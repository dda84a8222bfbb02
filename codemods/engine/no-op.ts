/**
 * A plan that changes nothing says why, and what to do instead (shown by `plan`, `apply` and the
 * wizard, and in `--json` as `report.noOp`).
 */
import type { ModeId } from "../../templates/modes.js";
import type { ProjectLayout } from "./detect.js";

/** Why a plan changes nothing, and what to do instead. */
export interface NoOpReason {
  reason: string;
  suggestion: string;
}

const START_SCRIPTS = "start, dev, serve (and start:*, dev:*, serve:*)";

/**
 * Why a plan in `mode` over `layout` has nothing to change, or undefined when it changes something.
 * `alreadyApplied` counts files skipped because an earlier apply in this mode wrote them.
 */
export function noOpReason(
  layout: ProjectLayout,
  mode: ModeId,
  filesChanged: number,
  alreadyApplied = 0,
): NoOpReason | undefined {
  if (filesChanged > 0) return undefined;
  if (alreadyApplied > 0) {
    return {
      reason: `already applied: ${alreadyApplied} file(s) hold the edits of the last apply in mode ${mode}`,
      suggestion: "Check coverage with `governor-init check`; revert with `governor-init undo`.",
    };
  }
  if (mode === "preload") {
    const scripts = layout.packages.flatMap((p) => p.scripts);
    const launching = scripts.filter((s) => s.runners.length > 0 && !s.preloaded);
    if (scripts.every((s) => s.preloaded) && scripts.length > 0) {
      return {
        reason: "every start script already preloads @governor/sdk/register",
        suggestion: "Nothing to do; check coverage with `governor-init check`.",
      };
    }
    if (launching.length === 0) {
      return {
        reason:
          scripts.length === 0
            ? `no start script in package.json: preload looked for scripts named ${START_SCRIPTS}`
            : `no start script launches Node directly (looked at ${scripts.map((s) => `"${s.name}"`).join(", ")})`,
        suggestion:
          'Use --mode enable (imports the SDK at each entrypoint), or add a start script that runs node (e.g. "start": "node src/index.js") and plan again.',
      };
    }
  }
  const entrypoints = layout.packages.flatMap((p) => p.entrypoints);
  if ((mode === "enable" || mode === "hybrid") && entrypoints.length === 0) {
    return {
      reason: "no entrypoint found (package.json main, bin, exports or a start script naming a file)",
      suggestion:
        'Add "main" or a start script to package.json, or add `import "@governor/sdk/register";` as the first line of your entrypoint by hand.',
    };
  }
  return {
    reason: `nothing in mode ${mode} to change: the sites it handles are already governed, excluded, or absent`,
    suggestion: "Check coverage with `governor-init check`, or try another --mode (see `governor-init plan --help`).",
  };
}

/** `{ noOp }` for a plan report when it changes nothing, else `{}`. */
export function withNoOp(
  layout: ProjectLayout,
  mode: ModeId,
  filesChanged: number,
  applied: ReadonlyMap<string, string>,
): { noOp?: NoOpReason } {
  const noOp = noOpReason(layout, mode, filesChanged, applied.size);
  return noOp ? { noOp } : {};
}
