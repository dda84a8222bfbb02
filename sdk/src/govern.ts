/**
 * Call-site wrapping (`govern`) on Node, for places runtime patching cannot reach (bundlers, clients
 * enable() does not patch): everything the runtime-neutral core governs, plus Node's builtins
 * (fetch, http/https, child_process, fs and fs/promises, as modules or single functions).
 */
import childProcess from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import { createGovern, govSpec, type GovernPlatform } from "./govern-core";
import type { PrimitiveSpec } from "./governed";
import { fileCommandIntent, fsIntent, httpRequestIntent } from "./intents";
import { fsSnapshot, patchTargets, processSnapshot } from "./primitives";
import { httpSnapshot } from "./http-snapshot";
import { unwrap } from "./state";
import type { PrimitiveKind } from "./types";

const KINDS_HELP =
  'govern() understands fetch, http/https (module, request, get), child_process (module or a function), fs and fs/promises (module or a write function), axios instances, pg/mysql2 pools and clients (objects with query), and undici (pass kind "undici"). Pass the kind as the second argument: govern(target, "fetch" | "http" | "child_process" | "fs" | "undici" | "axios" | "sql").';

/** Known builtin functions (by identity of the original) and their governed specs. */
let builtinSpecs: Map<unknown, PrimitiveSpec> | undefined;

function knownBuiltins(): Map<unknown, PrimitiveSpec> {
  if (builtinSpecs === undefined) {
    builtinSpecs = new Map();
    for (const target of patchTargets(["fetch", "http", "child_process", "fs"])) {
      const original = unwrap(target.owner[target.key]);
      if (!builtinSpecs.has(original)) builtinSpecs.set(original, { ...target.spec, onlyWhileEnabled: false });
    }
  }
  return builtinSpecs;
}

const builtinModules = new Set<unknown>([http, https, childProcess, fs, fs.promises]);

const nodePlatform: GovernPlatform = {
  builtinSpec: (real) => knownBuiltins().get(real),
  isModule: (real) => builtinModules.has(real),
  kindSpec(_fn, name, kind: PrimitiveKind) {
    switch (kind) {
      case "http":
        return {
          ...govSpec("http", name, "sync", (args) => httpRequestIntent(name, "http:", args)),
          snapshot: httpSnapshot(name, "http:"),
        };
      case "child_process":
        return {
          ...govSpec("child_process", name, "sync", (args) => fileCommandIntent(name, args)),
          snapshot: processSnapshot("spawn"),
        };
      case "fs":
        return {
          ...govSpec("fs", name, "auto", (args) => fsIntent(name, "writeFile", args)),
          snapshot: fsSnapshot("writeFile"),
        };
      default:
        return undefined;
    }
  },
  help: KINDS_HELP,
};

const governOnNode = createGovern(nodePlatform);

/**
 * Call-site governance: returns `target` wrapped so each call is decided before it runs. Works
 * whether or not `enable()` was called (configuration is read from the environment lazily), and the
 * wrapper is cached per target, so calling `govern(x)` on every call is cheap.
 *
 * @param target `fetch`, `http` / `https` or their `request` / `get`, `child_process` or one of its
 *   functions, `fs` / `fs/promises` or one of their write functions, an axios instance, a pg / mysql2
 *   pool or client, or undici's `request` (with `kind: "undici"`).
 * @param kind Which kind of primitive `target` is, when it cannot be told from the target itself.
 * @throws TypeError when the kind cannot be told, naming the kinds that exist.
 * @example
 * import { govern } from "@governor/sdk";
 * await govern(fetch)("https://api.stripe.com/v1/charges", { method: "POST", body });
 * govern(cp).execSync("git status");
 * await govern(pool).query("SELECT * FROM users WHERE id = $1", [id]);
 */
export function govern<T>(target: T, kind?: PrimitiveKind): T {
  return governOnNode(target, kind);
}
