import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { planSdkInstall } from "./sdk-install.js";

function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), "gi-sdk-install-"));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe("planSdkInstall: which package.json, which package manager", () => {
  it("a single npm package", () => {
    const root = project({ "package.json": `{"name":"app"}`, "package-lock.json": "{}" });
    expect(planSdkInstall(root)).toMatchObject({
      packageManager: "npm",
      command: ["npm", "install", "@governor/sdk"],
      cwd: root,
      alreadyInstalled: false,
    });
  });

  it("an npm workspace member is installed from the root with --workspace", () => {
    const root = project({
      "package.json": `{"name":"mono","workspaces":["packages/*"]}`,
      "package-lock.json": "{}",
      "packages/agent/package.json": `{"name":"@acme/agent"}`,
    });
    const plan = planSdkInstall(path.join(root, "packages/agent"))!;
    expect(plan.packageJson).toBe(path.join(root, "packages/agent/package.json"));
    expect(plan).toMatchObject({
      packageManager: "npm",
      cwd: root,
      command: ["npm", "install", "@governor/sdk", "--workspace", "packages/agent"],
    });
  });

  it("pnpm and yarn workspaces, from the lockfile or the packageManager field", () => {
    const pnpm = project({
      "package.json": `{"name":"m"}`,
      "pnpm-lock.yaml": "",
      "apps/bot/package.json": `{"name":"bot"}`,
    });
    expect(planSdkInstall(path.join(pnpm, "apps/bot"))).toMatchObject({
      packageManager: "pnpm",
      command: ["pnpm", "add", "@governor/sdk"],
      cwd: path.join(pnpm, "apps/bot"),
    });
    const yarn = project({
      "package.json": `{"name":"m","packageManager":"yarn@4.1.0"}`,
      "apps/bot/package.json": `{"name":"bot"}`,
    });
    expect(planSdkInstall(path.join(yarn, "apps/bot"))).toMatchObject({
      packageManager: "yarn",
      command: ["yarn", "workspace", "bot", "add", "@governor/sdk"],
      cwd: yarn,
    });
  });

  it("knows when the SDK is already a dependency, and when there is no package.json", () => {
    const root = project({
      "package.json": `{"name":"app","dependencies":{"@governor/sdk":"^0.1.0"}}`,
      "bun.lock": "",
    });
    expect(planSdkInstall(root)).toMatchObject({ packageManager: "bun", alreadyInstalled: true });
    expect(planSdkInstall(mkdtempSync(path.join(tmpdir(), "gi-empty-")))).toBeUndefined();
  });
});
