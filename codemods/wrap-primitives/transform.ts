/**
 * The wrap-primitives transform: routes each side-effecting primitive call site through the SDK's
 * `govern()` with the smallest edit, for code that runtime patching (`enable()`) cannot reach —
 * bundled or edge code, and clients `enable()` never patches (axios, undici, pg, mysql2).
 *
 *   fetch(url, init)            → govern(fetch)(url, init)
 *   axios.get(u) / axios(cfg)   → govern(axios).get(u) / govern(axios)(cfg)
 *   const api = axios.create()  → const api = govern(axios.create())   (its calls are then covered)
 *   http.request(o) / request(o)→ govern(http).request(o) / govern(request)(o)
 *   request(u) from undici      → govern(request, "undici")(u)
 *   exec(cmd) / cp.spawn(…)     → govern(exec)(cmd) / govern(cp).spawn(…)
 *   promisify(exec)             → promisify(govern(exec))
 *   fs.writeFileSync(p, d)      → govern(fs).writeFileSync(p, d)
 *   pool.query(sql)             → govern(pool).query(sql)
 *   fetch(u) from node-fetch    → govern(fetch, "fetch")(u)
 *
 * An ESM namespace import (`import * as fs from "fs"`, or TypeScript's `__importStar` copy) is
 * wrapped like the module itself: the SDK recognises a namespace by its `default`. Only undici and
 * fetch polyfills (node-fetch, cross-fetch) get a kind argument: the SDK cannot recognise those
 * functions by identity.
 *
 * Sites inside an intent scope (`withIntent` callbacks, `governTool` handlers) are wrapped too: a
 * scope decides once for the tool's intent, but the primitive calls inside it are only checked
 * individually when `enable()` patched them, which is exactly what this transform cannot assume. The
 * `inScope` flag of a site is for `check`, not a reason to skip. Already-wrapped sites are left alone.
 *
 * Files with a `"use client"` directive are left alone with a warning: `@governor/sdk` is a Node
 * runtime and must not be bundled into browser code.
 *
 * Edge files (`input.runtime === "edge"`) import `govern` from `@governor/sdk/edge`, which loads no
 * Node builtin; their http, child_process and fs sites are left alone with a warning, because those
 * modules do not exist on edge runtimes and the edge `govern()` refuses them.
 */
import { siteId } from "../shared/site-id.js";
import { parseSource, applyTextEdits, type TextEdit } from "../shared/source.js";
import { ensureSdkImport } from "../shared/imports.js";
import type { EditRecord, SourceTransform, TransformInput, TransformOutput } from "../types.js";
import {
  governClose,
  governOpen,
  GOVERN_EXPORT,
  NODE_ONLY_WRAP_KINDS,
  sdkModuleFor,
} from "../../templates/snippets/wrap.js";
import { analyzePrimitives, mightHoldPrimitiveSite, type AnalyzedSite } from "./sites.js";

/** The edit kind this transform reports. */
const EDIT_KIND = "wrap-primitive";

/** The stable id of a site, as plans report it and `excludedSites` lists it. */
export function wrapSiteId(path: string, site: { line: number; column: number }): string {
  return siteId(path, site, EDIT_KIND);
}

/**
 * Text edits for a set of wraps. Two wraps' spans are AST node ranges, so they nest or are disjoint;
 * at a shared offset, closers go before openers and nested wraps open outer-first and close inner-first.
 */
function wrapEdits(wraps: readonly { start: number; end: number; open: string; close: string }[]): TextEdit[] {
  const points: { at: number; order: number; tie: number; text: string }[] = [];
  for (const wrap of wraps) {
    points.push({ at: wrap.start, order: 1, tie: -wrap.end, text: wrap.open });
    points.push({ at: wrap.end, order: 0, tie: -wrap.start, text: wrap.close });
  }
  points.sort((a, b) => a.at - b.at || a.order - b.order || a.tie - b.tie);
  return points.map((point) => ({ start: point.at, end: point.at, text: point.text }));
}

function isClientModule(source: string, directives: readonly { value: { value: string } }[]): boolean {
  return source.includes("use client") && directives.some((directive) => directive.value.value === "use client");
}

function run(input: TransformInput): TransformOutput {
  const unchanged: TransformOutput = { source: input.source, edits: [] };
  if (!mightHoldPrimitiveSite(input.source)) return unchanged;
  const ast = parseSource(input.source, input.path);
  const sdkModule = sdkModuleFor(input.runtime);
  const analysis = analyzePrimitives(ast, input.source, input.path, sdkModule);
  const pending = analysis.sites.filter((site) => !site.wrapped && site.wrap !== undefined);
  if (pending.length === 0) return unchanged;

  const warnings: { line: number; message: string }[] = [];
  if (isClientModule(input.source, ast.program.directives)) {
    return {
      ...unchanged,
      warnings: [
        {
          line: pending[0]!.line,
          message: `${pending.length} primitive call site(s) left unwrapped: a "use client" module runs in the browser, where @governor/sdk cannot be bundled. Govern these calls on the server.`,
        },
      ],
    };
  }

  const style = { governName: analysis.governName, quote: analysis.quote };
  const chosen: AnalyzedSite[] = [];
  const seen = new Set<string>();
  for (const site of pending) {
    const id = wrapSiteId(input.path, site);
    if (input.excludedSites?.has(id)) continue;
    if (input.runtime === "edge" && NODE_ONLY_WRAP_KINDS.has(site.kind)) {
      warnings.push({
        line: site.line,
        message: `${site.callee}(...) left unwrapped: ${site.kind} does not exist on edge runtimes, so ${sdkModule} cannot govern it. Move it to Node code, or use fetch.`,
      });
      continue;
    }
    if (!site.governReachable) {
      warnings.push({
        line: site.line,
        message: `${site.callee}(...) left unwrapped: \`${analysis.governName}\` is bound to something else here; wrap it by hand with the SDK's govern().`,
      });
      continue;
    }
    const span = `${site.wrap!.start}:${site.wrap!.end}`;
    if (seen.has(span)) continue;
    seen.add(span);
    chosen.push(site);
  }
  if (chosen.length === 0) return warnings.length > 0 ? { ...unchanged, warnings } : unchanged;

  // The import goes first: when it is inserted where the first wrapped call starts, it must precede `govern(`.
  const edits = ensureSdkImport(ast, input.source, {
    module: sdkModule,
    names: [GOVERN_EXPORT],
    moduleSystem: input.moduleSystem,
  });
  edits.push(
    ...wrapEdits(
      chosen.map((site) => ({
        start: site.wrap!.start,
        end: site.wrap!.end,
        open: governOpen(style),
        close: governClose(site.wrap!.kindArg, style),
      })),
    ),
  );
  const records: EditRecord[] = chosen.map((site) => ({
    kind: EDIT_KIND,
    line: site.line,
    description: site.description,
    siteId: wrapSiteId(input.path, site),
  }));
  const output: TransformOutput = { source: applyTextEdits(input.source, edits), edits: records, textEdits: edits };
  if (warnings.length > 0) output.warnings = warnings;
  return output;
}

/** The wrap-primitives transform (see the module comment for the rewrites and the decisions). */
export const wrapPrimitives: SourceTransform = {
  name: "wrap-primitives",
  mightApply: mightHoldPrimitiveSite,
  run,
};
