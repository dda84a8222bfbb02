/**
 * `detect(dir)`: what a project is made of, as data — package manager, workspace packages (each handled
 * on its own), module system, TypeScript config, frameworks, entrypoints, edge/bundled code, and every
 * primitive call site and tool handler site.
 */
import { siteId } from "../shared/site-id.js";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, posix, relative, resolve } from "node:path";
import { parse as parseJsonc } from "jsonc-parser";
import { parse as parseYaml } from "yaml";
import { globSync } from "tinyglobby";
import { ErrorCodes, GovernorInitError } from "../../core/errors.js";
import { FRAMEWORKS } from "../../templates/frameworks.js";
import { REGISTER_MODULE } from "../../templates/snippets/enable.js";
import type { FrameworkId, ModuleSystem, PrimitiveSite, ToolSite } from "../types.js";
import { isStartScriptName, scriptLaunches } from "../preload/index.js";
import { loadEngineParts, type EngineParts } from "./parts.js";
import {
  listSourceFiles,
  NEVER_WALKED,
  readSourceFile,
  toPosix,
  type SkippedFile,
  type SourceFileRef,
} from "./walk.js";

/** A package manager, read from the lockfile. */
export type PackageManager = "npm" | "pnpm" | "yarn" | "bun";

/** How an entrypoint was found. */
export type EntrypointSource =
  "main" | "bin" | "exports" | "script" | "nextjs-instrumentation" | "serverless" | "langgraph" | "mastra";

/** A file whose evaluation starts a process or a server runtime: where enable puts the preload import. */
export interface EntrypointInfo {
  /** Project-relative POSIX path of the source file. */
  path: string;
  source: EntrypointSource;
  /** Where it came from, for humans: `scripts.start: node dist/server.js`. */
  detail: string;
  /** False when the file does not exist yet and enable creates it (Next.js `instrumentation.ts`). */
  exists: boolean;
  /** The file already evaluates `@governor/sdk/register`. */
  enabled: boolean;
}

/** A start/dev script. */
export interface ScriptInfo {
  name: string;
  command: string;
  /** The Node runners it launches (`node`, `tsx`, …); empty when it launches none directly. */
  runners: string[];
  /** It already preloads the SDK. */
  preloaded: boolean;
}

/** One package of the project (the root package, or a workspace package). */
export interface PackageInfo {
  /** Project-relative POSIX directory, `.` for the root. */
  dir: string;
  name?: string;
  /** `esm` when package.json has `"type": "module"`, else `cjs` (`.mjs`/`.cjs` files override per file). */
  moduleSystem: ModuleSystem;
  /** The package's tsconfig, if any, with the options the codemods care about. */
  typescript: { config: string; module?: string; moduleResolution?: string; rootDir?: string; outDir?: string } | null;
  frameworks: FrameworkId[];
  /** Every dependency name (dependencies, devDependencies, peer, optional). */
  dependencies: string[];
  scripts: ScriptInfo[];
  entrypoints: EntrypointInfo[];
  /**
   * Code runtime patching cannot reach (edge runtimes, bundled workers): `whole` for a Cloudflare
   * worker package, else the individual files (Next.js `runtime = "edge"`, middleware, Vercel edge functions).
   */
  edge: { whole: boolean; reason?: string; files: string[] };
  /** The package depends on `cross-env` (the preload uses it for a cross-platform script). */
  hasCrossEnv: boolean;
}

/** A primitive call site with the file it is in and its stable id. */
export interface LocatedPrimitiveSite extends PrimitiveSite {
  path: string;
  /** `<path>:<line>:<column>:wrap-primitive` */
  siteId: string;
}

/** A tool handler site with the file it is in and its stable id. */
export interface LocatedToolSite extends ToolSite {
  path: string;
  /** `<path>:<line>:<column>:intent-scope` */
  siteId: string;
}

/** What {@link detect} returns. */
export interface DetectResult {
  /** Absolute project root. */
  root: string;
  packageManager: PackageManager | null;
  /** The workspace layout, when the project is a monorepo. */
  workspaces: { tool: "npm" | "yarn" | "pnpm" | "bun" | "nx" | "turbo"; patterns: string[] } | null;
  packages: PackageInfo[];
  primitiveSites: LocatedPrimitiveSite[];
  toolSites: LocatedToolSite[];
  /** Files not analysed, with the reason (parse errors, binary, minified, symlinks, exclusions). */
  skipped: SkippedFile[];
  /** Things the user should know (a part of the engine missing, a script preload cannot reach). */
  warnings: string[];
}

// ---------------------------------------------------------------------------------------------------

interface PackageJson {
  name?: string;
  type?: string;
  main?: string;
  bin?: string | Record<string, string>;
  exports?: unknown;
  scripts?: Record<string, unknown>;
  workspaces?: string[] | { packages?: string[] };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** Reads a JSON (or JSONC) file; undefined when absent or not an object. */
export function readJsonFile<T>(path: string): T | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  const value = parseJsonc(text, [], { allowTrailingComma: true }) as unknown;
  return value && typeof value === "object" ? (value as T) : undefined;
}

const LOCKFILES: ReadonlyArray<readonly [string, PackageManager]> = [
  ["pnpm-lock.yaml", "pnpm"],
  ["bun.lockb", "bun"],
  ["bun.lock", "bun"],
  ["yarn.lock", "yarn"],
  ["package-lock.json", "npm"],
  ["npm-shrinkwrap.json", "npm"],
];

const PACKAGE_MANAGERS: ReadonlySet<string> = new Set<PackageManager>(["npm", "pnpm", "yarn", "bun"]);

/**
 * The package manager that owns `dir`, and the directory that declares it: walks up from `dir` to the
 * first lockfile (or `packageManager` field of a package.json), so a workspace member resolves to its
 * workspace root. Stops at a git repository's top or the file system root; null when nothing says.
 */
export function findPackageManager(dir: string): { manager: PackageManager; root: string } | null {
  for (let cursor = dir; ;) {
    const lock = LOCKFILES.find(([file]) => existsSync(join(cursor, file)));
    if (lock) return { manager: lock[1], root: cursor };
    const field = readJsonFile<PackageJson & { packageManager?: unknown }>(
      join(cursor, "package.json"),
    )?.packageManager;
    const named = typeof field === "string" ? field.split("@")[0] : undefined;
    if (named && PACKAGE_MANAGERS.has(named)) return { manager: named as PackageManager, root: cursor };
    const parent = dirname(cursor);
    if (parent === cursor || existsSync(join(cursor, ".git"))) return null;
    cursor = parent;
  }
}

function workspacePatterns(
  root: string,
  pkg: PackageJson | undefined,
  manager: PackageManager | null,
): DetectResult["workspaces"] {
  const pnpmFile = join(root, "pnpm-workspace.yaml");
  if (existsSync(pnpmFile)) {
    const doc = parseYaml(readFileSync(pnpmFile, "utf8")) as { packages?: string[] } | null;
    return { tool: "pnpm", patterns: doc?.packages ?? [] };
  }
  const declared = Array.isArray(pkg?.workspaces) ? pkg.workspaces : pkg?.workspaces?.packages;
  if (declared && declared.length > 0) {
    const tool = existsSync(join(root, "turbo.json"))
      ? "turbo"
      : manager === "yarn" || manager === "bun"
        ? manager
        : "npm";
    return { tool, patterns: declared };
  }
  if (existsSync(join(root, "nx.json")) || existsSync(join(root, "turbo.json"))) {
    // Nx/turbo without package-manager workspaces: the conventional project folders.
    return { tool: existsSync(join(root, "nx.json")) ? "nx" : "turbo", patterns: ["apps/*", "packages/*", "libs/*"] };
  }
  return null;
}

function packageDirs(root: string, patterns: string[]): string[] {
  const positive = patterns.filter((p) => !p.startsWith("!"));
  const negative = patterns
    .filter((p) => p.startsWith("!"))
    .map((p) => `${p.slice(1).replace(/\/$/, "")}/package.json`);
  const found = globSync(
    positive.map((p) => `${p.replace(/\/$/, "")}/{package.json,project.json}`),
    { cwd: root, ignore: ["**/node_modules/**", ...negative], onlyFiles: true },
  );
  return [...new Set(found.map((file) => posix.dirname(toPosix(file))))].sort();
}

function tsconfigOf(root: string, dir: string): PackageInfo["typescript"] {
  const file = join(root, dir, "tsconfig.json");
  if (!existsSync(file)) return null;
  const config = readJsonFile<{ extends?: string; compilerOptions?: Record<string, unknown> }>(file) ?? {};
  const options = { ...config.compilerOptions };
  // One level of `extends` to a relative file covers the usual base-config layout.
  if (typeof config.extends === "string" && config.extends.startsWith(".")) {
    const basePath = resolve(
      join(root, dir),
      config.extends.endsWith(".json") ? config.extends : `${config.extends}.json`,
    );
    const base = readJsonFile<{ compilerOptions?: Record<string, unknown> }>(basePath);
    Object.assign(options, { ...base?.compilerOptions, ...config.compilerOptions });
  }
  const str = (value: unknown) => (typeof value === "string" ? value : undefined);
  return {
    config: posix.join(dir, "tsconfig.json"),
    module: str(options.module),
    moduleResolution: str(options.moduleResolution),
    rootDir: str(options.rootDir),
    outDir: str(options.outDir),
  };
}

const SOURCE_EXTS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];

/**
 * Maps a path a script or package.json names (often compiled output, `dist/server.js`) to the source
 * file that exists: the path itself, the same path with a TS extension, or the path with the tsconfig
 * outDir (or `dist/`, `build/`, `lib/`) swapped for rootDir (or `src/`).
 */
function resolveSourceFile(
  root: string,
  dir: string,
  target: string,
  ts: PackageInfo["typescript"],
): string | undefined {
  const clean = target.replace(/^\.\//, "").replace(/:[A-Za-z_$][\w$]*$/, "");
  const stem = clean.replace(/\.[cm]?[jt]sx?$/, "");
  const candidates: string[] = [];
  const withExts = (base: string) => {
    candidates.push(...SOURCE_EXTS.map((ext) => base + ext));
    candidates.push(...SOURCE_EXTS.map((ext) => `${base}/index${ext}`));
  };
  if (/\.[cm]?[jt]sx?$/.test(clean)) candidates.push(clean);
  withExts(stem);
  const outDirs = [ts?.outDir, "dist", "build", "lib", "out"]
    .filter((d): d is string => !!d)
    .map((d) => d.replace(/^\.\//, "").replace(/\/$/, ""));
  const rootDir = (ts?.rootDir ?? "src").replace(/^\.\//, "").replace(/\/$/, "");
  for (const out of outDirs) {
    if (stem === out || stem.startsWith(`${out}/`)) {
      const rest = stem.slice(out.length).replace(/^\//, "");
      withExts(rootDir === "." || rootDir === "" ? rest : posix.join(rootDir, rest));
      withExts(posix.join("src", rest));
    }
  }
  for (const candidate of candidates) {
    // Build output is regenerated from sources and never edited: a compiled path with no source is no entrypoint.
    if (
      posix
        .normalize(candidate)
        .split("/")
        .some((segment) => NEVER_WALKED.has(segment))
    )
      continue;
    const full = join(root, dir, candidate);
    try {
      if (statSync(full).isFile()) return posix.normalize(posix.join(dir, candidate));
    } catch {
      // not there
    }
  }
  return undefined;
}

function exportTargets(exports: unknown): string[] {
  if (typeof exports === "string") return [exports];
  if (!exports || typeof exports !== "object") return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(exports as Record<string, unknown>)) {
    if (key === "types" || key.endsWith(".json")) continue;
    // Only the main subpath: other subpaths are library entry points, not process starts.
    if (key.startsWith(".") && key !== ".") continue;
    out.push(...exportTargets(value));
  }
  return out;
}

function fileImportsRegister(root: string, path: string): boolean {
  try {
    return readFileSync(join(root, path), "utf8").includes(REGISTER_MODULE);
  } catch {
    return false;
  }
}

function findEntrypoints(
  root: string,
  info: Omit<PackageInfo, "entrypoints" | "edge">,
  pkg: PackageJson,
): EntrypointInfo[] {
  const { dir } = info;
  const found = new Map<string, EntrypointInfo>();
  const add = (path: string | undefined, source: EntrypointSource, detail: string, exists = true) => {
    if (!path || found.has(path)) return;
    found.set(path, { path, source, detail, exists, enabled: exists && fileImportsRegister(root, path) });
  };
  const resolveIn = (target: string) => resolveSourceFile(root, dir, target, info.typescript);

  for (const script of info.scripts) {
    for (const launch of scriptLaunches(script.command)) {
      if (launch.entry) add(resolveIn(launch.entry), "script", `scripts.${script.name}: ${script.command}`);
    }
  }
  if (typeof pkg.main === "string") add(resolveIn(pkg.main), "main", `main: ${pkg.main}`);
  if (typeof pkg.bin === "string") add(resolveIn(pkg.bin), "bin", `bin: ${pkg.bin}`);
  else if (pkg.bin && typeof pkg.bin === "object") {
    for (const [name, target] of Object.entries(pkg.bin))
      if (typeof target === "string") add(resolveIn(target), "bin", `bin.${name}: ${target}`);
  }
  for (const target of exportTargets(pkg.exports)) add(resolveIn(target), "exports", `exports: ${target}`);

  if (info.frameworks.includes("nextjs")) {
    const useSrc = ["src/app", "src/pages"].some((d) => existsSync(join(root, dir, d)));
    const existing = [
      "instrumentation.ts",
      "instrumentation.js",
      "src/instrumentation.ts",
      "src/instrumentation.js",
    ].find((f) => existsSync(join(root, dir, f)));
    const path = posix.join(dir, existing ?? (useSrc ? "src/instrumentation.ts" : "instrumentation.ts"));
    add(
      path,
      "nextjs-instrumentation",
      existing ? "Next.js instrumentation hook" : "Next.js instrumentation hook (created)",
      existing !== undefined,
    );
  }
  // Vercel-style serverless handlers: each file under api/ is its own entry.
  for (const file of globSync(["api/**/*.{ts,js,mts,mjs,cts,cjs}"], {
    cwd: join(root, dir),
    ignore: ["**/node_modules/**", "**/*.d.ts", "**/*.test.*"],
  })) {
    add(posix.join(dir, toPosix(file)), "serverless", "serverless handler (api/)");
  }
  const langgraph = readJsonFile<{ graphs?: Record<string, unknown> }>(join(root, dir, "langgraph.json"));
  for (const [name, target] of Object.entries(langgraph?.graphs ?? {})) {
    if (typeof target === "string") add(resolveIn(target), "langgraph", `langgraph.json graph "${name}": ${target}`);
  }
  if (info.frameworks.includes("mastra")) {
    add(
      resolveSourceFile(root, dir, "src/mastra/index", info.typescript),
      "mastra",
      "Mastra instance (src/mastra/index)",
    );
  }
  return [...found.values()];
}

const EDGE_RUNTIME = /\bruntime\s*[:=]\s*["'](?:edge|experimental-edge)["']/;

function findEdge(
  root: string,
  info: Omit<PackageInfo, "entrypoints" | "edge">,
  files: SourceFileRef[],
  readText: (f: SourceFileRef) => string | undefined,
): PackageInfo["edge"] {
  const dirAbs = join(root, info.dir);
  for (const name of ["wrangler.toml", "wrangler.json", "wrangler.jsonc"]) {
    if (existsSync(join(dirAbs, name))) return { whole: true, reason: `Cloudflare Workers (${name})`, files: [] };
  }
  const edgeFiles: string[] = [];
  for (const file of files) {
    const local = info.dir === "." ? file.path : file.path.slice(info.dir.length + 1);
    const isMiddleware = info.frameworks.includes("nextjs") && /^(?:src\/)?middleware\.[jt]s$/.test(local);
    if (isMiddleware) {
      edgeFiles.push(file.path);
      continue;
    }
    const text = readText(file);
    if (text && text.includes("edge") && EDGE_RUNTIME.test(text)) edgeFiles.push(file.path);
  }
  return { whole: false, files: edgeFiles };
}

/** Which package (directory) a file belongs to: the deepest package directory containing it. */
export function packageOf(packages: readonly PackageInfo[], path: string): PackageInfo {
  let best = packages[0]!;
  for (const pkg of packages) {
    if (pkg.dir === ".") continue;
    if (
      (path === pkg.dir || path.startsWith(`${pkg.dir}/`)) &&
      pkg.dir.length > (best.dir === "." ? 0 : best.dir.length)
    )
      best = pkg;
  }
  return best;
}

/** The module system a file is evaluated under: its extension, else its package's `type`. */
export function moduleSystemOf(pkg: PackageInfo, path: string): ModuleSystem {
  if (/\.m[jt]s$/.test(path)) return "esm";
  if (/\.c[jt]s$/.test(path)) return "cjs";
  return pkg.moduleSystem;
}

function describePackage(
  root: string,
  dir: string,
): { info: Omit<PackageInfo, "entrypoints" | "edge">; pkg: PackageJson } {
  const pkg = readJsonFile<PackageJson>(join(root, dir, "package.json")) ?? {};
  const deps = new Set<string>([
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.devDependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
    ...Object.keys(pkg.optionalDependencies ?? {}),
  ]);
  const frameworks = FRAMEWORKS.filter((f) => f.packages.some((p) => deps.has(p))).map((f) => f.id as FrameworkId);
  const scripts: ScriptInfo[] = Object.entries(pkg.scripts ?? {})
    .filter((entry): entry is [string, string] => isStartScriptName(entry[0]) && typeof entry[1] === "string")
    .map(([name, command]) => {
      const launches = scriptLaunches(command);
      return { name, command, runners: launches.map((l) => l.runner), preloaded: command.includes(REGISTER_MODULE) };
    });
  return {
    pkg,
    info: {
      dir,
      name: pkg.name,
      moduleSystem: pkg.type === "module" ? "esm" : "cjs",
      typescript: tsconfigOf(root, dir),
      frameworks,
      dependencies: [...deps].sort(),
      scripts,
      hasCrossEnv: deps.has("cross-env"),
    },
  };
}

/** Options shared by detect, plan and check. */
export interface ScanOptions {
  /** Globs or project-relative paths of files to leave alone. */
  excludeFiles?: readonly string[];
}

/** The project's layout without per-file analysis (cheap): packages, entrypoints, edge code, the file list. */
export interface ProjectLayout {
  root: string;
  packageManager: PackageManager | null;
  workspaces: DetectResult["workspaces"];
  packages: PackageInfo[];
  files: SourceFileRef[];
  skipped: SkippedFile[];
  /** Source text cache: each file is read at most once per run. */
  readText(file: SourceFileRef): string | undefined;
  /** Why a file could not be read, for files {@link readText} returned undefined for. */
  unreadable: Map<string, string>;
}

/** Reads the project layout (see {@link ProjectLayout}). Throws NOT_FOUND when `dir` is not a directory. */
export function readLayout(dir: string, options: ScanOptions = {}): ProjectLayout {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new GovernorInitError(ErrorCodes.NOT_FOUND, `${dir} is not a directory`, {
      suggestion: "Pass the root of your project (the folder holding package.json).",
      details: { path: dir },
    });
  }
  const rootPkg = readJsonFile<PackageJson>(join(root, "package.json"));
  const packageManager = findPackageManager(root)?.manager ?? null;
  const workspaces = workspacePatterns(root, rootPkg, packageManager);
  const dirs = ["."];
  if (workspaces) dirs.push(...packageDirs(root, workspaces.patterns).filter((d) => d !== "."));

  const { files, skipped } = listSourceFiles(root, { exclude: options.excludeFiles });
  const texts = new Map<string, string | undefined>();
  const unreadable = new Map<string, string>();
  const readText = (file: SourceFileRef): string | undefined => {
    if (texts.has(file.path)) return texts.get(file.path);
    const result = readSourceFile(file.absolute);
    const text = result.ok ? result.source : undefined;
    if (!result.ok) unreadable.set(file.path, result.reason);
    texts.set(file.path, text);
    return text;
  };

  const described = dirs.map((d) => describePackage(root, d));
  const packages: PackageInfo[] = described.map(({ info, pkg }) => ({
    ...info,
    entrypoints: findEntrypoints(root, info, pkg),
    edge: { whole: false, files: [] },
  }));
  for (const pkg of packages) {
    const own = files.filter((f) => packageOf(packages, f.path) === pkg);
    pkg.edge = findEdge(root, pkg, own, readText);
  }
  return { root, packageManager, workspaces, packages, files, skipped, readText, unreadable };
}

/**
 * Finds the primitive and tool sites of the given files (text pre-filter first; only files that might
 * hold a site are parsed). Files that do not parse go to `skipped`.
 */
export function scanSites(
  layout: ProjectLayout,
  parts: EngineParts,
  files: readonly SourceFileRef[] = layout.files,
): { primitiveSites: LocatedPrimitiveSite[]; toolSites: LocatedToolSite[]; skipped: SkippedFile[] } {
  const primitiveSites: LocatedPrimitiveSite[] = [];
  const toolSites: LocatedToolSite[] = [];
  const skipped: SkippedFile[] = [];
  for (const file of files) {
    const text = layout.readText(file);
    if (text === undefined) {
      skipped.push({ path: file.path, reason: layout.unreadable.get(file.path) ?? "unreadable" });
      continue;
    }
    try {
      if (parts.findPrimitiveSites && (parts.mightHoldPrimitiveSite?.(text) ?? true)) {
        for (const site of parts.findPrimitiveSites(text, file.path)) {
          primitiveSites.push({
            ...site,
            path: file.path,
            siteId: siteId(file.path, site, "wrap-primitive"),
          });
        }
      }
      if (parts.findToolSites && (parts.scopes?.mightApply(text) ?? true)) {
        for (const site of parts.findToolSites(text, file.path)) {
          toolSites.push({ ...site, path: file.path, siteId: siteId(file.path, site, "intent-scope") });
        }
      }
    } catch (error) {
      skipped.push({ path: file.path, reason: (error as Error).message });
    }
  }
  return { primitiveSites, toolSites, skipped };
}

/**
 * Detects what a project is made of (see {@link DetectResult}). Reads only; never writes.
 *
 * - Package manager: by lockfile, looking upward to the workspace root.
 * - Workspaces: npm/yarn/bun `workspaces`, `pnpm-workspace.yaml`, and Nx/turbo `apps/* packages/* libs/*`.
 * - Entrypoints: package.json `main`/`bin`/`exports["."]`, `start`/`dev` scripts launching node/tsx/
 *   ts-node (compiled paths mapped back to sources), Next.js `instrumentation.ts` (marked `exists: false`
 *   when it must be created), `api/**` serverless handlers, `langgraph.json` graphs, Mastra's
 *   `src/mastra/index.ts`.
 * - Edge code: Next.js `runtime = "edge"` files and middleware, Vercel edge functions, Cloudflare
 *   Workers packages (wrangler config).
 */
export async function detect(dir: string, options: ScanOptions = {}): Promise<DetectResult> {
  const layout = readLayout(dir, options);
  const parts = await loadEngineParts();
  const sites = scanSites(layout, parts);
  return {
    root: layout.root,
    packageManager: layout.packageManager,
    workspaces: layout.workspaces,
    packages: layout.packages,
    primitiveSites: sites.primitiveSites,
    toolSites: sites.toolSites,
    skipped: [...layout.skipped, ...sites.skipped],
    warnings: parts.missing.map((m) => `codemods part not available: ${m}`),
  };
}

/** Project-relative POSIX path of an absolute path under the root. */
export function relativePath(root: string, absolute: string): string {
  return toPosix(relative(root, absolute));
}
