import { describe, expect, it } from "vitest";
import { FS_WRITE_OPERATIONS as SDK_FS_WRITE_OPERATIONS } from "../../sdk/src/primitives.js";
import { FS_WRITE_OPERATIONS, findPrimitiveSites, mightHoldPrimitiveSite } from "./sites.js";

/** `callee@line` of every site, for compact assertions. */
function callees(source: string, path = "src/a.ts"): string[] {
  return findPrimitiveSites(source, path).map((site) => `${site.callee}@${site.line}`);
}

function only(source: string, path = "src/a.ts") {
  const sites = findPrimitiveSites(source, path);
  expect(sites).toHaveLength(1);
  return sites[0]!;
}

describe("findPrimitiveSites: what is a site", () => {
  it("finds global fetch with its kind, 1-based line and column", () => {
    expect(only('export const f = () => fetch("https://a");\n')).toEqual({
      kind: "fetch",
      callee: "fetch",
      line: 1,
      column: 24,
      wrapped: false,
      inScope: false,
    });
  });

  it("finds fetch through the global objects, unless one of them is shadowed", () => {
    const source = [
      "window.fetch('a');",
      "globalThis.fetch('b');",
      "self.fetch?.('c');",
      "global['fetch']('d');",
      "function f(window) { return window.fetch('e'); }",
    ].join("\n");
    expect(callees(source, "src/a.js")).toEqual([
      "window.fetch@1",
      "globalThis.fetch@2",
      "self.fetch@3",
      "global['fetch']@4",
    ]);
  });

  it("does not count a parameter, local, function or method named like a primitive", () => {
    const source = [
      "export function a(fetch: (u: string) => void) { fetch('x'); }",
      "export function b() { const exec = (c: string) => c; exec('ls'); }",
      "export function c() { function fetch(u: string) { return u; } return fetch('y'); }",
      "export class D { exec() {} run() { this.exec(); } }",
      "export function e({ exec }: { exec: () => void }) { exec(); }",
      "try { } catch (fetch) { (fetch as () => void)(); }",
      "const shell = { exec() {} }; shell.exec();",
    ].join("\n");
    expect(callees(source)).toEqual([]);
  });

  it("stops at a reassigned alias but follows constant ones", () => {
    const source = [
      'import * as cp from "node:child_process";',
      "let run = cp.exec;",
      "run = () => undefined as never;",
      "run('a');",
      "const { execSync: sh } = cp;",
      "sh('b');",
      "const spawn = cp.spawn;",
      "spawn('c');",
    ].join("\n");
    expect(callees(source)).toEqual(["sh@6", "spawn@8"]);
  });

  it("resolves require, destructured and nested require, createRequire, import() and import = require", () => {
    const source = [
      'import { createRequire } from "node:module";',
      "import os = require('node:child_process');",
      "const require = createRequire(import.meta.url);",
      "const { promises: { writeFile } } = require('fs');",
      "export async function go() {",
      "  await writeFile('a', 'b');",
      "  const fs = await import('node:fs');",
      "  fs.rmSync('x');",
      "  const { spawnSync } = await import('child_process');",
      "  spawnSync('ls');",
      "  os.fork('w.js');",
      "  require('node:https').get('https://x');",
      "}",
    ].join("\n");
    expect(callees(source)).toEqual([
      "writeFile@6",
      "fs.rmSync@8",
      "spawnSync@10",
      "os.fork@11",
      'require("node:https").get@12'.replace(/"/g, "'"),
    ]);
  });

  it("counts only fs operations that change the file system", () => {
    const source = [
      'import fs, { readFileSync, writeFileSync } from "fs";',
      "readFileSync('a');",
      "fs.statSync('a');",
      "fs.existsSync('a');",
      "writeFileSync('a', 'b');",
      "fs?.mkdirSync('d');",
      "fs.promises.readFile('a');",
      "fs['unlinkSync']('a');",
    ].join("\n");
    expect(callees(source)).toEqual(["writeFileSync@5", "fs?.mkdirSync@6", "fs['unlinkSync']@8"]);
  });

  it("tracks sql pools, clients and connections from pg and mysql2, and nothing else called query", () => {
    const source = [
      'import pg from "pg";',
      'import mysql from "mysql2";',
      'import { db } from "./db";',
      "const pool = new pg.Pool();",
      "const conn = mysql.createConnection({}).promise();",
      "export async function go() {",
      "  const client = await pool.connect();",
      "  await client.query('SELECT 1');",
      "  await conn.execute('SELECT 2');",
      "  await db.query('SELECT 3');",
      "  await pool.end();",
      "}",
    ].join("\n");
    expect(callees(source)).toEqual(["client.query@8", "conn.execute@9"]);
  });

  it("follows class fields and constructor assignments through this.<field>", () => {
    const source = [
      'import { Pool } from "pg";',
      'import axios from "axios";',
      "export class Repo {",
      "  pool = new Pool();",
      "  api;",
      "  constructor() { this.api = axios.create(); }",
      "  find() { return this.pool.query('SELECT 1'); }",
      "  get = () => this.api.get('/x');",
      "  query() { return this.query(); }",
      "}",
      "export function f(this: { pool: Pool }) { return this.pool.query('SELECT 2'); }",
    ].join("\n");
    expect(callees(source)).toEqual(["axios.create@6", "this.pool.query@7", "this.api.get@8"]);
  });

  it("ignores type-only imports and files that cannot hold a site without parsing them", () => {
    expect(callees('import type { exec } from "child_process";\ntype E = typeof exec;\n')).toEqual([]);
    // Not valid syntax, but nothing in it can be a site: rejected by text, so no PARSE_ERROR.
    expect(findPrimitiveSites("const = ;", "src/broken.ts")).toEqual([]);
    expect(mightHoldPrimitiveSite("const = ;")).toBe(false);
    expect(() => findPrimitiveSites("fetch(", "src/broken.ts")).toThrow(
      expect.objectContaining({ code: "PARSE_ERROR" }),
    );
  });

  it("keeps the fs operations in step with what the SDK governs", () => {
    expect([...FS_WRITE_OPERATIONS].sort()).toEqual([...SDK_FS_WRITE_OPERATIONS].sort());
  });
});

describe("findPrimitiveSites: wrapped", () => {
  it("recognises every form the transform writes, and aliases created through govern()", () => {
    const source = [
      'import axios from "axios";',
      'import cp, { exec } from "node:child_process";',
      'import { request } from "undici";',
      'import { promisify } from "node:util";',
      'import { govern } from "@governor/sdk";',
      "const run = promisify(govern(exec));",
      "const api = govern(axios.create());",
      "const safeFetch = govern(fetch);",
      "export async function go() {",
      "  await govern(fetch)('https://a');",
      "  govern(cp).execSync('ls');",
      "  await run('ls');",
      "  await api.get('/x');",
      "  await govern(request, 'undici')('https://b');",
      "  await safeFetch('https://c');",
      "  exec('not wrapped');",
      "}",
    ].join("\n");
    const sites = findPrimitiveSites(source, "src/a.ts");
    expect(sites.map((site) => [site.callee, site.wrapped])).toEqual([
      ["promisify(govern(exec))", true],
      ["axios.create", true],
      ["govern(fetch)", true],
      ["govern(cp).execSync", true],
      ["run", true],
      ["api.get", true],
      ["govern(request, 'undici')", true],
      ["safeFetch", true],
      ["exec", false],
    ]);
  });

  it("follows the SDK import's alias, and does not trust a local function called govern", () => {
    const aliased = 'import { govern as g } from "@governor/sdk";\ng(fetch)("a");\n';
    expect(only(aliased).wrapped).toBe(true);
    const local = 'function govern<T>(x: T): T { return x; }\ngovern(fetch)("a");\n';
    expect(findPrimitiveSites(local, "src/a.ts").filter((site) => site.wrapped)).toEqual([]);
    const cjs = 'const sdk = require("@governor/sdk");\nsdk.govern(fetch)("a");\n';
    expect(only(cjs, "src/a.js").wrapped).toBe(true);
  });

  it("reports an unwrapped promisified alias and axios instance at creation and at each call", () => {
    const source = [
      'import axios from "axios";',
      'import { execFile } from "child_process";',
      'import util from "util";',
      "export const api = axios.create();",
      "const run = util.promisify(execFile);",
      "api('/x');",
      "run('ls');",
    ].join("\n");
    expect(findPrimitiveSites(source, "src/a.ts").map((site) => [site.callee, site.kind, site.wrapped])).toEqual([
      ["axios.create", "axios", false],
      ["util.promisify(execFile)", "child_process", false],
      ["api", "axios", false],
      ["run", "child_process", false],
    ]);
  });
});

describe("findPrimitiveSites: one site per position", () => {
  it("reports an inline instance's call once, as its creation", () => {
    const source = [
      'import axios from "axios";',
      'import { exec } from "child_process";',
      'import { promisify } from "util";',
      "axios.create().get('/x');",
      "promisify(exec)('ls');",
    ].join("\n");
    expect(callees(source)).toEqual(["axios.create@4", "promisify(exec)@5"]);
  });
});

describe("findPrimitiveSites: inScope", () => {
  it("is true inside withIntent callbacks and governTool handlers (inline or by name), false elsewhere", () => {
    const source = [
      'import { governor, governTool, withIntent } from "@governor/sdk";',
      'import { execSync } from "node:child_process";',
      "const intent = { action: 'read', resource: { type: 'external_api' } };",
      "export const a = () => governor.withIntent(intent, async () => fetch('https://a'));",
      "export const b = () => withIntent(intent, function () { return execSync('ls'); });",
      "export const c = governTool({ tool: 'c', action: 'read', resource: { type: 'x' } }, async () => fetch('https://c'));",
      "async function handler() { return fetch('https://d'); }",
      "export const d = governTool({ tool: 'd', action: 'read', resource: { type: 'x' } }, handler);",
      "export const e = () => fetch('https://e');",
    ].join("\n");
    expect(findPrimitiveSites(source, "src/a.ts").map((site) => [site.line, site.inScope])).toEqual([
      [4, true],
      [5, true],
      [6, true],
      [7, true],
      [9, false],
    ]);
  });
});

describe("findPrimitiveSites: positions", () => {
  it("counts lines and columns from the original text with a BOM, a shebang and CRLF", () => {
    const source = '\uFEFF#!/usr/bin/env node\r\nconst cp = require("child_process");\r\n  cp.exec("ls");\r\n';
    expect(only(source, "bin/run.js")).toMatchObject({ line: 3, column: 3, callee: "cp.exec" });
  });
});
