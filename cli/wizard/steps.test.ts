import { cpSync, mkdtempSync, readFileSync, existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCodemods } from "../engines.js";
import type { ReviewFile } from "../ui/prompts.js";
import { runWizardSteps, splitCommandLine, type WizardFlags, type WizardIO } from "./steps.js";
import { headlessIO } from "./io.js";

const fixture = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../test/e2e/fixtures/agent-app");

function copy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "gi-wizard-steps-"));
  cpSync(fixture, dir, { recursive: true });
  return dir;
}

/** A scripted user: answers from a table, and records what it was shown. */
function scriptedIO(answers: { mode?: WizardFlags["mode"]; review?: (files: ReviewFile[]) => string[] }) {
  const shown: string[] = [];
  const reviewed: ReviewFile[][] = [];
  const io: WizardIO = {
    showFindings: (f) => void shown.push(`findings ${f.entrypoints.join(",")} sites=${f.sideEffectSites}`),
    confirm: async (message, { headless }) => {
      shown.push(`confirm ${message}`);
      return headless;
    },
    chooseMode: async () => answers.mode ?? "hybrid",
    reviewChanges: async (files) => {
      reviewed.push(files);
      return answers.review?.(files) ?? [];
    },
    progress: async (label, work) => {
      shown.push(label);
      await work();
    },
    chooseClients: async () => ["cursor"],
    askValidateCommand: async () => "",
    showValidation: () => {},
    showMcpInstall: (results) => void shown.push(`mcp ${results.map((r) => `${r.client}:${r.status}`).join(",")}`),
    showSummary: () => {},
  };
  return { io, shown, reviewed };
}

const flags = (dir: string): WizardFlags => ({
  dir,
  yes: false,
  allowDirty: true,
  install: false,
  policy: "allow-all",
});

describe("wizard steps, driven by a scripted user over the real engine", () => {
  it("records the agent config it writes in the manifest, so undo removes it too", async () => {
    const dir = copy();
    const { io, shown } = scriptedIO({ mode: "enable" });
    await runWizardSteps(flags(dir), io, await loadCodemods());
    expect(shown[0]).toMatch(/^confirm This directory is not in a git repository: undo relies on \.governor\/ alone/);
    const { readManifest, undo } = await loadCodemods().then(() => import("../../codemods/index.js"));
    const entry = readManifest(dir)!.files.find((f) => f.path === ".cursor/mcp.json");
    expect(entry).toMatchObject({ created: true, origin: "agent-config" });
    const result = undo(dir);
    expect(result.reverted).toContain(".cursor/mcp.json");
    expect(existsSync(path.join(dir, ".cursor/mcp.json"))).toBe(false);
    expect(existsSync(path.join(dir, ".cursor"))).toBe(false);
  });

  it("runs detect → mode → review → apply → MCP install in order", async () => {
    const dir = copy();
    const { io, shown, reviewed } = scriptedIO({ mode: "enable" });
    const summary = await runWizardSteps(flags(dir), io, await loadCodemods());
    expect(shown.filter((line) => !line.startsWith("confirm "))[0]).toMatch(/^findings src\/index\.js sites=\d+/);
    expect(reviewed[0]!.map((f) => f.path)).toEqual(["src/index.js"]);
    expect(shown).toContain("Applying 1 file change(s)");
    expect(shown.at(-1)).toBe("mcp cursor:create");
    expect(summary).toMatchObject({ mode: "enable", applied: true, excluded: [] });
    expect(readFileSync(path.join(dir, "src/index.js"), "utf8")).toMatch(
      /^\/\* global [^\n]*\*\/\nimport "@governor\/sdk\/register";\n/,
    );
    expect(existsSync(path.join(dir, ".cursor/mcp.json"))).toBe(true);
  });

  it("a site turned off in the review stays as it was; the other sites are wrapped", async () => {
    const dir = copy();
    let offSite = "";
    const { io } = scriptedIO({
      mode: "wrap",
      review: (files) => {
        const sites = files.flatMap((f) => f.edits.map((e) => e.siteId).filter((id): id is string => !!id));
        expect(sites.length).toBeGreaterThan(1);
        offSite = sites.find((id) => id.includes("wrap-primitive"))!;
        return [offSite];
      },
    });
    const summary = await runWizardSteps(flags(dir), io, await loadCodemods());
    expect(summary.excluded).toEqual([offSite]);
    const line = Number(offSite.split(":").at(-3));
    const after = readFileSync(path.join(dir, "src/index.js"), "utf8").split("\n");
    const before = readFileSync(path.join(fixture, "src/index.js"), "utf8").split("\n");
    expect(after.some((l) => l.includes("govern("))).toBe(true);
    // the excluded site's line is byte-identical to the original
    expect(after.find((l) => l === before[line - 1])).toBeDefined();
    expect(before[line - 1]).not.toContain("govern(");
  });
});

describe("splitCommandLine", () => {
  it("splits on spaces and keeps quoted arguments whole", () => {
    expect(splitCommandLine(`node -e "console.log('a b')" 'x y'`)).toEqual(["node", "-e", "console.log('a b')", "x y"]);
    expect(splitCommandLine("  npm   start ")).toEqual(["npm", "start"]);
  });
});

describe("wizard summary: the SDK dependency", () => {
  it("says so, with the command to run, when @governor/sdk could not be added", async () => {
    const dir = copy();
    // A package manager that is not installed here makes the install fail without touching the network.
    const pkgFile = path.join(dir, "package.json");
    const pkg = JSON.parse(readFileSync(pkgFile, "utf8")) as Record<string, unknown>;
    writeFileSync(pkgFile, JSON.stringify({ ...pkg, packageManager: "bun@1.1.0" }, null, 2) + "\n");
    let printed = "";
    const io = headlessIO((text) => void (printed += text));
    const summary = await runWizardSteps(
      { ...flags(dir), install: true, yes: true, mode: "enable", clients: [], sdkSource: "vendor" },
      io,
      await loadCodemods(),
    );
    const spec = "@governor/sdk@file:vendor/governor/governor-sdk-0.1.0.tgz";
    expect(summary.sdk).toMatchObject({ status: "failed", command: ["bun", "add", spec] });
    expect(printed).toContain("Could not add @governor/sdk to");
    expect(printed).toContain(`Fix: cd ${dir} && bun add ${spec}`);
    expect(summary.nextSteps.join("\n")).toContain("Add @governor/sdk to your dependencies");
  });
});
