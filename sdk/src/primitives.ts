/**
 * The builtins `enable()` patches and how each one is governed, plus `enable` / `disable` themselves.
 */
// Default imports are the real module objects; `import * as` would give copies we cannot patch.
import childProcess from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import { syncBuiltinESMExports } from "node:module";
import { primitiveSpec as spec, type PrimitiveSpec } from "./governed";
import { globalFetchSpec } from "./govern-core";
import {
  fileCommandIntent,
  forkIntent,
  fsIntent,
  httpRequestIntent,
  openOnlyReads,
  shellCommandIntent,
} from "./intents";
import { FS_WRITE_OPERATIONS } from "./protocol";
import { httpSnapshot } from "./http-snapshot";
import { loadedRequest, requestSlots, snapshotArgs, PROCESS_OPTION_KEYS, type ArgShape } from "./snapshot";
import { makeGovernedCall } from "./redirects";
import { getState, unwrap } from "./state";
import { afterEachSend } from "./transport";
import { allowDispatch, governDispatchers, installSurfaces } from "./surfaces";
import { patchWorker, type WorkerHandOver } from "./worker-preload";
import type { PrimitiveKind } from "./types";

/** One function on one module object that `enable()` replaces. */
export interface PatchTarget {
  kind: PrimitiveKind;
  owner: Record<string, unknown>;
  key: string;
  spec: PrimitiveSpec;
}

/** fs operations that change the file system (the table lives in `./protocol`, shared with the codemod). */
export { FS_WRITE_OPERATIONS };

/**
 * What each builtin's original calls synchronously through the module's own (patched) exports, as
 * traced on Node 20/22: those nested calls pass through under the outer decision. Every other
 * governed call made while the original runs is user code it called back, and is decided.
 */
const OWN_REENTRIES: Record<string, readonly string[]> = {
  "child_process.exec": ["child_process.execFile", "child_process.spawn"],
  "child_process.execFile": ["child_process.spawn"],
  "child_process.fork": ["child_process.spawn"],
  "child_process.execSync": ["child_process.spawnSync"],
  "child_process.execFileSync": ["child_process.spawnSync"],
  "http.get": ["http.request"],
  "https.get": ["https.request"],
  "fs.writeFile": ["fs.open"],
  "fs.writeFileSync": ["fs.openSync"],
  "fs.appendFile": ["fs.writeFile", "fs.open"],
  "fs.appendFileSync": ["fs.writeFileSync", "fs.openSync"],
  "fs.truncate": ["fs.open", "fs.ftruncate"],
  "fs.truncateSync": ["fs.openSync", "fs.ftruncateSync"],
  "fs.lchmod": ["fs.open", "fs.fchmod"],
  "fs.lchmodSync": ["fs.openSync", "fs.fchmodSync"],
  "fs.createWriteStream": ["fs.open"],
  // internal/fs/cp/cp-sync and internal/fs/rimraf bind these from `fs` when first loaded.
  "fs.cpSync": ["fs.mkdirSync", "fs.copyFileSync", "fs.chmodSync", "fs.symlinkSync", "fs.unlinkSync", "fs.utimesSync"],
  "fs.rmSync": ["fs.rmdirSync", "fs.unlinkSync", "fs.chmodSync"],
  "fs.rm": ["fs.rmdir", "fs.unlink", "fs.chmod"],
};

/** `exec(command, options)`: the command made a string once, the options copied. */
const SHELL_SHAPE: ArgShape = { strings: [0], options: [1], keys: PROCESS_OPTION_KEYS, arrayKeys: ["execArgv"] };
/** `spawn(file, args, options)`, `execFile`, `fork`: the argument list and the options copied. */
const FILE_SHAPE: ArgShape = {
  strings: [0],
  lists: [1],
  options: [1, 2],
  keys: PROCESS_OPTION_KEYS,
  arrayKeys: ["execArgv"],
};
const FORK_SHAPE: ArgShape = { ...FILE_SHAPE, strings: [], paths: [0] };
/** fs calls: the path (both paths of a two-path operation) copied. */
const FS_ONE_PATH: ArgShape = { paths: [0] };
const FS_TWO_PATHS: ArgShape = { paths: [0, 1] };
const TWO_PATH_OPERATIONS = new Set(["rename", "copyFile", "cp", "symlink", "link"]);

/** The snapshot of an arguments shape. */
export function shapeSnapshot(shape: ArgShape): (args: unknown[]) => unknown[] {
  return (args) => snapshotArgs(args, shape);
}

/** The snapshot for an fs operation's arguments. */
export function fsSnapshot(operation: string): (args: unknown[]) => unknown[] {
  return shapeSnapshot(TWO_PATH_OPERATIONS.has(operation) ? FS_TWO_PATHS : FS_ONE_PATH);
}

/** The snapshot for a child_process function's arguments. */
export function processSnapshot(key: string): (args: unknown[]) => unknown[] {
  return shapeSnapshot(key === "exec" || key === "execSync" ? SHELL_SHAPE : key === "fork" ? FORK_SHAPE : FILE_SHAPE);
}

/** Every patch for the given kinds, read from the live module objects. */
export function patchTargets(kinds: readonly PrimitiveKind[]): PatchTarget[] {
  const targets: PatchTarget[] = [];
  const add = (kind: PrimitiveKind, owner: object, key: string, s: PrimitiveSpec): void => {
    if (typeof (owner as Record<string, unknown>)[key] === "function") {
      const reentries = OWN_REENTRIES[s.name];
      if (reentries !== undefined) s.reentries = reentries;
      targets.push({ kind, owner: owner as Record<string, unknown>, key, spec: s });
    }
  };
  if (kinds.includes("fetch")) {
    const fetchSpec = globalFetchSpec(true);
    // What a fetch decided is what undici may dispatch (see ./surfaces): a ticket for exactly that
    // method and URL; the first fetch creates undici's dispatcher, governed as soon as it exists.
    fetchSpec.beforeRun = (args) => {
      const input = args[0];
      const method = (args[1] as { method?: unknown } | undefined | null)?.method;
      const href = typeof input === "string" ? input : fetchHref(input);
      if (href !== undefined) allowDispatch(typeof method === "string" ? method : fetchMethod(input), href);
    };
    fetchSpec.afterRun = governDispatchers;
    add("fetch", globalThis, "fetch", fetchSpec);
  }
  if (kinds.includes("http")) {
    for (const [moduleName, mod, protocol] of [
      ["http", http, "http:"],
      ["https", https, "https:"],
    ] as const) {
      for (const key of ["request", "get"]) {
        const name = `${moduleName}.${key}`;
        add(
          "http",
          mod,
          key,
          spec("http", name, "sync", (args) => httpRequestIntent(name, protocol, args), httpSnapshot(name, protocol)),
        );
      }
    }
  }
  if (kinds.includes("child_process")) {
    const cp = childProcess as unknown as Record<string, unknown>;
    const shell = (key: string): PrimitiveSpec =>
      spec(
        "child_process",
        `child_process.${key}`,
        "sync",
        (args) => shellCommandIntent(`child_process.${key}`, args),
        processSnapshot(key),
      );
    const file = (key: string): PrimitiveSpec =>
      spec(
        "child_process",
        `child_process.${key}`,
        "sync",
        (args) => fileCommandIntent(`child_process.${key}`, args),
        processSnapshot(key),
      );
    add("child_process", cp, "exec", shell("exec"));
    add("child_process", cp, "execSync", shell("execSync"));
    for (const key of ["execFile", "execFileSync", "spawn", "spawnSync"]) add("child_process", cp, key, file(key));
    add(
      "child_process",
      cp,
      "fork",
      spec(
        "child_process",
        "child_process.fork",
        "sync",
        (args) => forkIntent("child_process.fork", args),
        processSnapshot("fork"),
      ),
    );
  }
  if (kinds.includes("fs")) {
    const fsModule = fs as unknown as Record<string, unknown>;
    const promises = fs.promises as unknown as Record<string, unknown>;
    // A read-only open is not a side effect: it runs ungoverned.
    const fsSpec = (name: string, op: string, mode: PrimitiveSpec["mode"]): PrimitiveSpec => {
      const s = spec("fs", name, mode, (args) => fsIntent(name, op, args), fsSnapshot(op));
      if (op === "open") s.ungoverned = openOnlyReads;
      return s;
    };
    for (const op of FS_WRITE_OPERATIONS) {
      add("fs", fsModule, op, fsSpec(`fs.${op}`, op, "callback"));
      add("fs", fsModule, `${op}Sync`, fsSpec(`fs.${op}Sync`, op, "sync"));
      add("fs", promises, op, fsSpec(`fs.promises.${op}`, op, "promise"));
    }
    add(
      "fs",
      fsModule,
      "createWriteStream",
      spec(
        "fs",
        "fs.createWriteStream",
        "sync",
        (args) => fsIntent("fs.createWriteStream", "writeFile", args),
        fsSnapshot("writeFile"),
      ),
    );
  }
  return targets;
}

function fetchHref(input: unknown): string | undefined {
  if (input instanceof URL) return input.href;
  const RequestClass = loadedRequest();
  return RequestClass !== undefined && input instanceof RequestClass ? requestSlots(input).url : undefined;
}

function fetchMethod(input: unknown): string {
  const RequestClass = loadedRequest();
  return RequestClass !== undefined && input instanceof RequestClass ? requestSlots(input).method : "GET";
}

/** Installs the patches for `kinds`; the caller has checked we are not enabled yet. */
export function installPatches(kinds: readonly PrimitiveKind[], handOver: WorkerHandOver): void {
  const state = getState();
  for (const target of patchTargets(kinds)) {
    const current = target.owner[target.key] as (...args: never[]) => unknown;
    // Someone else's wrapper around ours, or ours from a stale state: govern the real original once.
    const original = unwrap(current);
    const replacement = makeGovernedCall(original, target.spec);
    state.patches.push({ target: target.owner, key: target.key, original: current, replacement });
    target.owner[target.key] = replacement;
  }
  installSurfaces(kinds, state.patches);
  if (kinds.includes("fetch")) afterEachSend(governDispatchers);
  // Workers started from now on load the preload, so they are governed too.
  const worker = patchWorker(handOver);
  if (worker !== undefined) state.patches.push(worker);
  // ESM named imports (`import { writeFile } from "node:fs"`) are live bindings only after this.
  syncBuiltinESMExports();
}

/** Puts back the exact function objects that were there before `installPatches`. */
export function removePatches(): void {
  const state = getState();
  for (const record of state.patches.reverse()) {
    // If someone wrapped our replacement after us, leave their wrapper alone (it calls ours, which steps aside once disabled).
    // Records without a replacement only carry an undo (an accessor put back, a prototype forgotten).
    if (record.replacement !== undefined && record.target[record.key] === record.replacement)
      record.target[record.key] = record.original;
    record.undo?.();
  }
  state.patches = [];
  afterEachSend(undefined);
  syncBuiltinESMExports();
}
