/**
 * The text forms of call-site wrapping with the SDK's `govern()`.
 *
 * The wrap-primitives transform builds every edit from these functions, and the wizard prints the same
 * forms as a copy-paste fallback when a file cannot be edited safely, so what a user pastes by hand is
 * byte for byte what the codemod would have written.
 */

/** The module `govern` is imported from (Node code). */
export const GOVERN_MODULE = "@governor/sdk";

/**
 * The SDK's entry for edge runtimes (Next.js edge routes and middleware, Vercel Edge, Workers): the same
 * `govern`, `governTool` and `governor`, loading no Node builtin, so an edge bundle still builds.
 */
export const GOVERN_EDGE_MODULE = "@governor/sdk/edge";

/** Where a file runs, as the codemods' `TransformInput.runtime` says (absent means Node). */
export type SnippetRuntime = "node" | "edge";

/** The SDK module a file running on `runtime` imports from. */
export function sdkModuleFor(runtime: SnippetRuntime | undefined): string {
  return runtime === "edge" ? GOVERN_EDGE_MODULE : GOVERN_MODULE;
}

/** The SDK's export name for call-site wrapping. */
export const GOVERN_EXPORT = "govern";

/** The primitive kinds `govern(target, kind)` understands (mirrors `PrimitiveKind` in `sdk/src/types.ts`). */
export type WrapKind = "fetch" | "http" | "child_process" | "fs" | "undici" | "axios" | "sql";

/** Kinds that exist only on Node: edge runtimes have no such modules and the edge `govern()` refuses them. */
export const NODE_ONLY_WRAP_KINDS: ReadonlySet<WrapKind> = new Set<WrapKind>(["http", "child_process", "fs"]);

/** How the wrapper is spelled in one file. */
export interface GovernStyle {
  /** The local name `govern` is bound to in the file (`govern`, or an alias such as `g`). */
  governName?: string;
  /** The file's string quote, for the kind argument. */
  quote?: '"' | "'";
}

/** Text inserted before the wrapped expression: `govern(`. */
export function governOpen(style: GovernStyle = {}): string {
  return `${style.governName ?? GOVERN_EXPORT}(`;
}

/**
 * Text inserted after the wrapped expression: `)`, or `, "undici")` when the SDK cannot tell the
 * target's kind from the value itself (undici's functions: the SDK does not load undici to compare).
 */
export function governClose(kind?: WrapKind, style: GovernStyle = {}): string {
  if (kind === undefined) return ")";
  const quote = style.quote ?? '"';
  return `, ${quote}${kind}${quote})`;
}

/** `govern(<target>)` or `govern(<target>, "<kind>")`: the one wrapping form every edit uses. */
export function governCall(target: string, kind?: WrapKind, style: GovernStyle = {}): string {
  return governOpen(style) + target + governClose(kind, style);
}

/** One before/after pair for the wizard's copy-paste fallback and the docs. */
export interface WrapExample {
  kind: WrapKind;
  /** Where the wrapped name comes from, e.g. `import { exec } from "node:child_process";`. */
  from: string;
  before: string;
  after: string;
}

/** The shapes the transform rewrites, written with {@link governCall} so they cannot drift from it. */
export const WRAP_EXAMPLES: readonly WrapExample[] = [
  { kind: "fetch", from: "", before: "await fetch(url, init)", after: `await ${governCall("fetch")}(url, init)` },
  {
    kind: "axios",
    from: 'import axios from "axios";',
    before: "await axios.get(url)",
    after: `await ${governCall("axios")}.get(url)`,
  },
  {
    kind: "axios",
    from: 'import axios from "axios";',
    before: "await axios(config)",
    after: `await ${governCall("axios")}(config)`,
  },
  {
    kind: "axios",
    from: 'import axios from "axios";',
    before: "const api = axios.create({ baseURL })",
    after: `const api = ${governCall("axios.create({ baseURL })")}`,
  },
  {
    kind: "http",
    from: 'import http from "node:http";',
    before: "http.request(options)",
    after: `${governCall("http")}.request(options)`,
  },
  {
    kind: "http",
    from: 'import { request } from "node:https";',
    before: "request(options)",
    after: `${governCall("request")}(options)`,
  },
  {
    kind: "undici",
    from: 'import { request } from "undici";',
    before: "await request(url)",
    after: `await ${governCall("request", "undici")}(url)`,
  },
  {
    kind: "child_process",
    from: 'import { exec } from "node:child_process";',
    before: "exec(command)",
    after: `${governCall("exec")}(command)`,
  },
  {
    kind: "child_process",
    from: 'import cp from "node:child_process";',
    before: "cp.spawn(command, args)",
    after: `${governCall("cp")}.spawn(command, args)`,
  },
  {
    kind: "child_process",
    from: 'import { exec } from "node:child_process";\nimport { promisify } from "node:util";',
    before: "const run = promisify(exec)",
    after: `const run = promisify(${governCall("exec")})`,
  },
  {
    kind: "fs",
    from: 'import fs from "node:fs";',
    before: "fs.writeFileSync(path, data)",
    after: `${governCall("fs")}.writeFileSync(path, data)`,
  },
  {
    kind: "sql",
    from: 'import { Pool } from "pg";\nconst pool = new Pool();',
    before: "await pool.query(sql, params)",
    after: `await ${governCall("pool")}.query(sql, params)`,
  },
];

/**
 * The copy-paste fallback for one file: the import line and the before/after forms of the kinds
 * found there (all kinds when none are given). For an edge file the import is from
 * {@link GOVERN_EDGE_MODULE} and the Node-only kinds are left out: pasting them would break the bundle.
 */
export function wrapFallbackSnippet(
  kinds?: readonly WrapKind[],
  moduleSystem: "esm" | "cjs" = "esm",
  runtime?: SnippetRuntime,
): string {
  const wanted = kinds === undefined ? undefined : new Set(kinds);
  const module = sdkModuleFor(runtime);
  const importLine =
    moduleSystem === "esm"
      ? `import { ${GOVERN_EXPORT} } from "${module}";`
      : `const { ${GOVERN_EXPORT} } = require("${module}");`;
  const examples = WRAP_EXAMPLES.filter(
    (example) =>
      (wanted === undefined || wanted.has(example.kind)) &&
      !(runtime === "edge" && NODE_ONLY_WRAP_KINDS.has(example.kind)),
  );
  const width = Math.max(0, ...examples.map((example) => example.before.length));
  const lines = examples.map((example) => `// ${example.before.padEnd(width)}  →  ${example.after}`);
  return [importLine, "", ...lines].join("\n") + "\n";
}
