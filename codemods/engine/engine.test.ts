import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { GovernorInitError } from "../../core/errors.js";
import { apply, check, detect, listSourceFiles, plan, readManifest, undo } from "../index.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes a project from a path → content map into a fresh temp dir. */
function project(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), "gi-engine-"));
  dirs.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

function git(root: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function commitAll(root: string): void {
  git(root, "init", "-q");
  git(root, "add", "-A");
  git(root, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "init");
}

const SERVER =
  'import express from "express";\n\nconst app = express();\napp.get("/", async (_req, res) => res.send(await (await fetch("https://example.com")).text()));\napp.listen(3000);\n';

describe("listSourceFiles", () => {
  it("skips node_modules, build output, ignored, binary, minified, large files and out-of-project symlinks", () => {
    const root = project({
      ".gitignore": "generated/\n*.local.ts\n",
      "src/a.ts": "export const a = 1;\n",
      "src/b.local.ts": "export {};\n",
      "src/nested/.gitignore": "secret.ts\n",
      "src/nested/secret.ts": "export {};\n",
      "src/nested/ok.ts": "export {};\n",
      "src/types.d.ts": "declare const x: number;\n",
      "generated/x.ts": "export {};\n",
      "node_modules/pkg/index.js": "module.exports = 1;\n",
      "dist/index.js": "export {};\n",
      ".next/server.js": "export {};\n",
      "README.md": "# hi\n",
      "src/blob.js": Buffer.from([0x63, 0x6f, 0x00, 0x6e]),
      "src/vendor.js": `var a=${"1+".repeat(4000)}1;\n`,
      "src/huge.ts": `export const s = "${"x".repeat(60)}";\n`.repeat(20_000),
    });
    const outside = mkdtempSync(join(tmpdir(), "gi-outside-"));
    dirs.push(outside);
    writeFileSync(join(outside, "evil.ts"), "export {};\n");
    symlinkSync(join(outside, "evil.ts"), join(root, "src/link.ts"));
    symlinkSync(outside, join(root, "linked-dir"));

    const { files, skipped } = listSourceFiles(root);
    expect(files.map((f) => f.path)).toEqual([
      "src/a.ts",
      "src/blob.js",
      "src/huge.ts",
      "src/nested/ok.ts",
      "src/vendor.js",
    ]);
    expect(skipped.map((s) => s.path).sort()).toEqual(["linked-dir", "src/link.ts"]);
    expect(skipped.every((s) => /outside the project/.test(s.reason))).toBe(true);
  });

  it("reports binary, minified and large files as skipped in a plan, with the reason", async () => {
    const root = project({
      "package.json": '{ "type": "module" }',
      "src/blob.ts": Buffer.from("const a = fetch('x');\u0000"),
      "src/min.js": `fetch("x");var a=${"1+".repeat(4000)}1;\n`,
      "src/huge.ts": `fetch("x");\n${`export const s = "${"x".repeat(60)}";\n`.repeat(20_000)}`,
    });
    const { report } = await plan(root, { mode: "wrap" });
    const reasons = Object.fromEntries(report.skipped.map((s) => [s.path, s.reason]));
    expect(reasons["src/blob.ts"]).toMatch(/binary/);
    expect(reasons["src/min.js"]).toMatch(/minified/);
    expect(reasons["src/huge.ts"]).toMatch(/larger than 1 MiB/);
    expect(report.summary.filesChanged).toBe(0);
  });
});

describe("detect", () => {
  it("reads a pnpm workspace: each package with its own module system, frameworks and entrypoints", async () => {
    const root = project({
      "package.json": '{ "name": "mono", "private": true }',
      "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
      "pnpm-workspace.yaml": "packages:\n  - apps/*\n  - packages/*\n",
      "apps/agent/package.json": JSON.stringify({
        name: "agent",
        type: "module",
        scripts: { start: "node dist/main.js", dev: "tsx watch src/main.ts" },
        dependencies: { "@openai/agents": "^0.3.0", shared: "workspace:*" },
      }),
      "apps/agent/tsconfig.json": '{ "compilerOptions": { "outDir": "dist", "rootDir": "src", "module": "NodeNext" } }',
      "apps/agent/src/main.ts": "export {};\n",
      "apps/agent/langgraph.json": '{ "graphs": { "agent": "./src/graph.ts:graph" } }',
      "apps/agent/src/graph.ts": "export const graph = 1;\n",
      "apps/web/package.json": JSON.stringify({ name: "web", dependencies: { next: "15.0.0", ai: "^5" } }),
      "apps/web/src/app/page.tsx": "export default function Page() { return null; }\n",
      "apps/web/src/middleware.ts": "export function middleware() {}\n",
      "apps/web/src/app/api/chat/route.ts":
        'export const runtime = "edge";\nexport async function POST() { return fetch("https://x"); }\n',
      "packages/shared/package.json": '{ "name": "shared", "main": "index.js" }',
      "packages/shared/index.js": "module.exports = {};\n",
      "packages/worker/package.json": '{ "name": "worker", "type": "module" }',
      "packages/worker/wrangler.toml": 'name = "w"\nmain = "src/index.ts"\n',
      "packages/worker/src/index.ts": "export default { fetch() { return new Response('ok'); } };\n",
    });
    const result = await detect(root);
    expect(result.packageManager).toBe("pnpm");
    expect(result.workspaces).toEqual({ tool: "pnpm", patterns: ["apps/*", "packages/*"] });
    const byDir = Object.fromEntries(result.packages.map((p) => [p.dir, p]));
    expect(Object.keys(byDir).sort()).toEqual([".", "apps/agent", "apps/web", "packages/shared", "packages/worker"]);

    const agent = byDir["apps/agent"]!;
    expect(agent.moduleSystem).toBe("esm");
    expect(agent.frameworks).toEqual(["openai-agents"]);
    expect(agent.typescript?.outDir).toBe("dist");
    expect(agent.entrypoints.map((e) => [e.path, e.source])).toEqual([
      ["apps/agent/src/main.ts", "script"],
      ["apps/agent/src/graph.ts", "langgraph"],
    ]);

    const web = byDir["apps/web"]!;
    expect(web.frameworks).toEqual(["vercel-ai", "nextjs"]);
    expect(web.entrypoints).toEqual([
      expect.objectContaining({
        path: "apps/web/src/instrumentation.ts",
        source: "nextjs-instrumentation",
        exists: false,
      }),
    ]);
    expect(web.edge.files.sort()).toEqual(["apps/web/src/app/api/chat/route.ts", "apps/web/src/middleware.ts"]);

    expect(byDir["packages/shared"]!.moduleSystem).toBe("cjs");
    expect(byDir["packages/shared"]!.entrypoints.map((e) => e.path)).toEqual(["packages/shared/index.js"]);
    expect(byDir["packages/worker"]!.edge).toMatchObject({ whole: true });
  });

  it("detects the package manager by lockfile and npm workspaces", async () => {
    for (const [lock, manager] of [
      ["yarn.lock", "yarn"],
      ["bun.lock", "bun"],
      ["package-lock.json", "npm"],
    ] as const) {
      const root = project({
        "package.json": '{ "workspaces": ["pkgs/*"] }',
        [lock]: "",
        "pkgs/a/package.json": '{ "name": "a" }',
      });
      const result = await detect(root);
      expect(result.packageManager).toBe(manager);
      expect(result.packages.map((p) => p.dir)).toEqual([".", "pkgs/a"]);
    }
  });
});

describe("plan", () => {
  it("hybrid: enables entrypoints, creates Next.js instrumentation, wraps edge files only", async () => {
    const root = project({
      "package.json": JSON.stringify({
        type: "module",
        scripts: { dev: "next dev" },
        dependencies: { next: "15.0.0" },
      }),
      "app/page.tsx": "export default function Page() { return null; }\n",
      "app/api/edge/route.ts":
        'export const runtime = "edge";\nexport async function GET() { return fetch("https://api.example.com"); }\n',
      "app/api/node/route.ts": 'export async function GET() { return fetch("https://api.example.com"); }\n',
    });
    const { report, changes } = await plan(root);
    expect(report.mode).toBe("hybrid");
    expect(changes.map((c) => c.path)).toEqual(["app/api/edge/route.ts", "instrumentation.ts"]);
    const created = changes.find((c) => c.path === "instrumentation.ts")!;
    expect(created.before).toBeNull();
    expect(created.after).toContain('await import("@governor/sdk/register")');
    expect(created.diff).toContain("--- /dev/null");
    expect(report.files.find((f) => f.path === "app/api/edge/route.ts")!.edits[0]).toMatchObject({
      kind: "wrap-primitive",
      line: 2,
    });
    // Edge code gets the SDK's edge entry (no Node builtins); nothing else imports it.
    const edge = changes.find((c) => c.path === "app/api/edge/route.ts")!;
    expect(edge.after).toContain('import { govern } from "@governor/sdk/edge";');
    expect(edge.after).toContain('return govern(fetch)("https://api.example.com")');
  });

  it("preload: edits only package.json scripts and leaves formatting alone", async () => {
    const pkg = '{\n    "type": "commonjs",\n    "scripts": {\n        "start": "node server.js"\n    }\n}\n';
    const root = project({
      "package.json": pkg,
      "server.js": SERVER.replace(/import express from "express";/, 'const express = require("express");'),
    });
    const { report, changes } = await plan(root, { mode: "preload" });
    expect(changes).toHaveLength(1);
    expect(changes[0]!.after).toBe(
      pkg.replace('"node server.js"', '"NODE_OPTIONS=\\"--require @governor/sdk/register\\" node server.js"'),
    );
    expect(report.files[0]!.edits[0]).toMatchObject({ kind: "preload", line: 4 });
    expect(report.warnings.some((w) => /Windows/.test(w))).toBe(true);
  });

  it("skips a file that does not parse, with the reason, and goes on", async () => {
    const root = project({
      "package.json": '{ "type": "module" }',
      "src/broken.ts": 'fetch("x"\nconst = ;\n',
      "src/fine.ts": 'export const get = () => fetch("https://example.com");\n',
    });
    const { report, changes } = await plan(root, { mode: "wrap" });
    expect(changes.map((c) => c.path)).toEqual(["src/fine.ts"]);
    expect(report.skipped).toEqual([
      expect.objectContaining({ path: "src/broken.ts", reason: expect.stringMatching(/does not parse/) }),
    ]);
  });

  it("honours excluded files and sites", async () => {
    const root = project({
      "package.json": '{ "type": "module" }',
      "src/a.ts": 'export const a = () => fetch("https://a");\n',
      "src/b.ts": 'export const b = () => fetch("https://b");\n',
    });
    const all = await plan(root, { mode: "wrap" });
    const siteId = all.report.files.find((f) => f.path === "src/a.ts")!.edits[0]!.siteId!;
    const some = await plan(root, { mode: "wrap", exclude: { files: ["src/b.ts"], sites: [siteId] } });
    expect(some.changes).toEqual([]);
    expect(some.report.skipped).toEqual([{ path: "src/b.ts", reason: "excluded by the user" }]);
  });

  it("rejects an unknown mode", async () => {
    const root = project({ "package.json": "{}" });
    await expect(plan(root, { mode: "everything" as never })).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});

describe("apply and undo", () => {
  it("refuses a dirty git tree unless allowed, then writes atomically and records a manifest", async () => {
    const root = project({
      "package.json": JSON.stringify({ type: "module", scripts: { start: "node src/server.js" } }),
      "src/server.js": SERVER,
    });
    commitAll(root);
    chmodSync(join(root, "src/server.js"), 0o754);
    writeFileSync(join(root, "notes.txt"), "uncommitted\n");
    await expect(apply(root, { mode: "enable" })).rejects.toSatisfy(
      (error: unknown) =>
        error instanceof GovernorInitError &&
        error.code === "DIRTY_WORKTREE" &&
        /--allow-dirty/.test(error.suggestion ?? ""),
    );
    expect(readFileSync(join(root, "src/server.js"), "utf8")).toBe(SERVER);

    const result = await apply(root, { mode: "enable", allowDirty: true });
    expect(result.written).toEqual(["src/server.js"]);
    expect(readFileSync(join(root, "src/server.js"), "utf8")).toBe(`import "@governor/sdk/register";\n${SERVER}`);
    expect(statSync(join(root, "src/server.js")).mode & 0o777).toBe(0o754);
    const manifest = readManifest(root)!;
    expect(manifest.files).toEqual([
      expect.objectContaining({ path: "src/server.js", created: false, original: ".governor/originals/src/server.js" }),
    ]);
    expect(readFileSync(join(root, ".governor/originals/src/server.js"), "utf8")).toBe(SERVER);
    // .governor/ ignores itself: it never makes the tree dirty.
    expect(git(root, "status", "--porcelain")).not.toContain(".governor");

    // Applying twice equals applying once (and a no-op apply does not care about dirtiness).
    const again = await apply(root, { mode: "enable" });
    expect(again.written).toEqual([]);
    expect(readManifest(root)).toEqual(manifest);

    const undone = undo(root);
    expect(undone).toEqual({ reverted: ["src/server.js"], leftAlone: [], manifestRemoved: true });
    expect(readFileSync(join(root, "src/server.js"), "utf8")).toBe(SERVER);
    expect(existsSync(join(root, ".governor"))).toBe(false);
  });

  it("undo takes its edits out of a file changed since apply, keeping the user's change, and removes an unchanged created file", async () => {
    const root = project({
      "package.json": JSON.stringify({
        type: "module",
        scripts: { start: "node src/server.js" },
        dependencies: { next: "15.0.0" },
      }),
      "src/server.js": SERVER,
    });
    await apply(root, { mode: "enable" });
    expect(existsSync(join(root, "instrumentation.ts"))).toBe(true);
    writeFileSync(join(root, "src/server.js"), "// edited by the user\n", { flag: "a" });

    const result = undo(root);
    expect(result.reverted.sort()).toEqual(["instrumentation.ts", "src/server.js"]);
    expect(result.relocated).toEqual(["src/server.js"]);
    expect(readFileSync(join(root, "src/server.js"), "utf8")).toBe(`${SERVER}// edited by the user\n`);
    expect(result.manifestRemoved).toBe(true);
    expect(existsSync(join(root, "instrumentation.ts"))).toBe(false);
  });

  it("undo leaves a file alone (FILE_CHANGED) when its edits cannot be told apart, and keeps it in the manifest", async () => {
    const root = project({
      "package.json": JSON.stringify({ type: "module", scripts: { start: "node src/server.js" } }),
      "src/server.js": SERVER,
    });
    await apply(root, { mode: "enable" });
    // A second import of the SDK by the user: which one is governor-init's is ambiguous.
    writeFileSync(join(root, "src/server.js"), 'import "@governor/sdk/register";\n', { flag: "a" });
    const result = undo(root);
    expect(result.leftAlone).toEqual([
      expect.objectContaining({ path: "src/server.js", code: "FILE_CHANGED", spans: expect.any(Array) }),
    ]);
    expect(result.manifestRemoved).toBe(false);
    expect(readManifest(root)!.files.map((f) => f.path)).toEqual(["src/server.js"]);
  });

  it("undo without a manifest is NO_MANIFEST", () => {
    const root = project({ "package.json": "{}" });
    expect(() => undo(root)).toThrow(expect.objectContaining({ code: "NO_MANIFEST" }));
  });
});

describe("check", () => {
  it("counts runtime-patched primitives as governed only when the package's entrypoints preload the SDK", async () => {
    const root = project({
      "package.json": JSON.stringify({ type: "module", scripts: { start: "node src/server.js" } }),
      "src/server.js": SERVER,
      "src/db.js": 'import axios from "axios";\nexport const ping = () => axios.get("https://example.com");\n',
    });
    const before = await check(root);
    expect(before.ok).toBe(false);
    expect(before.findings.map((f) => f.location)).toEqual(["src/db.js:2", "src/server.js:4"]);

    await apply(root, { mode: "enable" });
    const after = await check(root);
    // fetch is now patched at runtime; axios still needs a wrap or a scope.
    expect(after.findings.map((f) => f.location)).toEqual(["src/db.js:2"]);
    expect(after.findings[0]!.message).toMatch(/axios/);
  });

  it("reports TODO(governor) markers", async () => {
    const root = project({
      "package.json": "{}",
      "src/tools.ts": '// TODO(governor): choose the action for "frobnicate"\nexport const x = 1;\n',
    });
    const result = await check(root);
    expect(result.ok).toBe(false);
    expect(result.findings).toEqual([expect.objectContaining({ kind: "todo", location: "src/tools.ts:1" })]);
  });
});

describe("monorepo layouts", () => {
  it("reads Nx/turbo project folders without package-manager workspaces, and wraps only unreached packages", async () => {
    const root = project({
      "package.json": '{ "name": "root", "scripts": { "dev": "nx run-many -t dev" } }',
      "nx.json": "{}",
      "scripts/release.ts": 'import { writeFileSync } from "node:fs";\nwriteFileSync("VERSION", "1");\n',
      "apps/api/package.json": JSON.stringify({
        name: "api",
        type: "module",
        scripts: { start: "node src/main.js" },
        dependencies: { lib: "*" },
      }),
      "apps/api/src/main.js": 'import { call } from "lib";\nawait call();\n',
      "libs/lib/package.json": '{ "name": "lib", "type": "module" }',
      "libs/lib/src/index.js": 'export const call = () => fetch("https://example.com");\n',
      "libs/orphan/package.json": '{ "name": "orphan", "type": "module" }',
      "libs/orphan/src/index.js": 'export const ping = () => fetch("https://example.com");\n',
    });
    const detected = await detect(root);
    expect(detected.workspaces).toEqual({ tool: "nx", patterns: ["apps/*", "packages/*", "libs/*"] });
    expect(detected.packages.map((p) => p.dir)).toEqual([".", "apps/api", "libs/lib", "libs/orphan"]);

    const { report } = await plan(root);
    const kinds = Object.fromEntries(report.files.map((f) => [f.path, f.edits.map((e) => e.kind)]));
    // api is enabled; lib runs inside api's process (api depends on it); orphan is reached by nothing.
    expect(kinds).toEqual({ "apps/api/src/main.js": ["enable"], "libs/orphan/src/index.js": ["wrap-primitive"] });
  });
});

describe("re-planning an applied tree", () => {
  it("skips files the manifest says were written in this mode, and re-analyses a file edited since", async () => {
    const root = project({
      "package.json": JSON.stringify({ type: "module", scripts: { start: "node src/server.js" } }),
      "src/server.js": SERVER,
    });
    await apply(root, { mode: "enable" });
    expect((await plan(root, { mode: "enable" })).changes).toEqual([]);
    // The user takes the import out again: the hash no longer matches, so the file is planned afresh.
    writeFileSync(join(root, "src/server.js"), SERVER);
    expect((await plan(root, { mode: "enable" })).changes.map((c) => c.path)).toEqual(["src/server.js"]);
  });
});
