/**
 * Regression: browser code was counted as server side effects. A `"use client"` file's `fetch` was
 * reported ungoverned (wrap/scopes) or counted as governed through `instrumentation.ts` (hybrid). check
 * leaves client modules out of the counts and lists them in `clientComponents`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { check } from "../index.js";
import { isClientModule } from "./check.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "gi-check-client-"));
  dirs.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const CLIENT = `// Button.tsx: a client component
"use client";
import { useState } from "react";
export function Like() {
  const [n, setN] = useState(0);
  return <button onClick={() => fetch("/api/like", { method: "POST" }).then(() => setN(n + 1))}>{n}</button>;
}
`;

describe("check client components counted", () => {
  it("recognises the directive only in the prologue", () => {
    expect(isClientModule(CLIENT)).toBe(true);
    expect(isClientModule("'use strict';\n/* x */ 'use client'\nexport {}")).toBe(true);
    expect(isClientModule('\uFEFF#!/usr/bin/env node\n"use client";')).toBe(true);
    expect(isClientModule('import x from "y";\n"use client";')).toBe(false);
    expect(isClientModule('const s = "use client";')).toBe(false);
    expect(isClientModule('"use server";\nexport const a = "use client";')).toBe(false);
  });

  it("leaves a client component's fetch out of the counts and names the file", async () => {
    const root = project({
      "package.json": JSON.stringify({ name: "web", dependencies: { next: "15.0.0" } }),
      "app/like-button.tsx": CLIENT,
      "app/api/like/route.ts":
        'export async function POST() {\n  await fetch("https://api.example.com/like");\n  return new Response("ok");\n}\n',
    });
    // Without the preload every server fetch is a finding: only the route's may be one.
    const before = await check(root);
    expect(before.findings.map((f) => f.path)).toEqual(["app/api/like/route.ts"]);
    expect(before.summary.sites).toBe(1);
    expect(before.clientComponents).toEqual(["app/like-button.tsx"]);

    // With instrumentation.ts importing the preload, the route is governed; the client fetch is not "governed".
    writeFileSync(
      join(root, "instrumentation.ts"),
      'export async function register() {\n  await import("@governor/sdk/register");\n}\n',
    );
    const after = await check(root);
    expect(after.summary).toMatchObject({ sites: 1, governed: 1 });
    expect(after.ok).toBe(true);
    expect(after.clientComponents).toEqual(["app/like-button.tsx"]);
  });
});
