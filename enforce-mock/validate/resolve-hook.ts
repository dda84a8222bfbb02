/**
 * ESM resolve hook registered by the validate preload: `@governor/sdk` and its subpaths resolve to
 * the SDK bundled with governor-init (see preload.cts for why).
 */
import path from "node:path";
import { pathToFileURL } from "node:url";

const PACKAGE = "@governor/sdk";
let sdkDir = "";
let exportsMap: Record<string, string | { default?: string; import?: string }> = {};

/** Receives the bundled SDK's location from `module.register`'s `data`. */
export function initialize(data: { sdkDir: string; exports: typeof exportsMap }): void {
  sdkDir = data.sdkDir;
  exportsMap = data.exports;
}

type NextResolve = (specifier: string, context: unknown) => Promise<{ url: string; format?: string | null }>;

/** Maps `@governor/sdk[/subpath]` to the bundled SDK; everything else goes to the next resolver. */
export async function resolve(
  specifier: string,
  context: unknown,
  nextResolve: NextResolve,
): Promise<{ url: string; format?: string | null; shortCircuit?: boolean }> {
  if (sdkDir && (specifier === PACKAGE || specifier.startsWith(`${PACKAGE}/`))) {
    const target = exportsMap["." + specifier.slice(PACKAGE.length)];
    const file = typeof target === "string" ? target : (target?.import ?? target?.default);
    if (file) {
      return { url: pathToFileURL(path.join(sdkDir, file)).href, format: "commonjs", shortCircuit: true };
    }
  }
  return nextResolve(specifier, context);
}
