/**
 * The start-up self-test the register preload runs after `enable()`: every route the SDK claims to
 * govern must be governed in this process, on this Node version, or the process does not start
 * (fail closed). It compares live functions only (no I/O): a few hundred property reads.
 */
import { apiRoots, governedApis, isGoverned, lookupApi } from "./coverage";
import { getState } from "./state";

/** What is open that should be closed; empty when the self-test passes. */
export function selfTest(strict: boolean): string[] {
  const state = getState();
  const problems: string[] = [];
  if (!state.enabled) return problems; // GOVERNOR_ENABLED=0 outside production: nothing is promised
  // The last patch of each property must still be in place (a patch may wrap an earlier one).
  const last = new Map<object, Map<string, unknown>>();
  for (const record of state.patches) {
    if (record.replacement === undefined) continue;
    let keys = last.get(record.target);
    if (keys === undefined) last.set(record.target, (keys = new Map()));
    keys.set(record.key, record.replacement);
  }
  for (const [target, keys] of last)
    for (const [key, replacement] of keys)
      if ((target as Record<string, unknown>)[key] !== replacement)
        problems.push(`${key} was replaced after the SDK patched it`);
  const kinds = state.config?.primitives ?? [];
  const roots = apiRoots();
  for (const { api, kind } of governedApis()) {
    if (!kinds.includes(kind)) continue;
    const value = lookupApi(api, roots);
    if (typeof value === "function" && !isGoverned(value)) problems.push(`${api} is not governed`);
  }
  if (strict) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { strictGaps } = require("./strict") as typeof import("./strict");
    for (const gap of strictGaps()) problems.push(`strict mode: ${gap} is allowed by the runtime`);
  }
  return problems;
}
