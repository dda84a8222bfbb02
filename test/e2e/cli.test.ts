import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI as CLI_BIN, copyFixture, requireBuild, runCli, startSink } from "./helpers.js";

beforeAll(requireBuild);

describe("governor-init (built CLI)", () => {
  it("--help lists every command and the exit codes", async () => {
    const { code, stdout } = await runCli(["--help"]);
    expect(code).toBe(0);
    for (const command of ["plan", "apply", "undo", "check", "validate", "mock", "docs", "demo", "mcp"]) {
      expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, "m"));
    }
    expect(stdout).toContain("Exit codes:");
    const mcp = await runCli(["mcp", "--help"]);
    expect(mcp.stdout).toMatch(/install \[options\]/);
  });

  it("without a terminal, the wizard never prompts: exit 2 and the flags to pass", async () => {
    const { code, stderr, stdout } = await runCli([]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/needs a terminal/);
    expect(stderr).toMatch(/--yes/);
  });

  it("a reader that closes the pipe early (| head) ends the CLI quietly", async () => {
    const { spawn } = await import("node:child_process");
    const child = spawn(process.execPath, [CLI_BIN, "docs", "search", "intent scope", "--limit", "20"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    // Close our end before the CLI has written anything, as `head` does once it has read enough:
    // every write the CLI makes then meets a closed pipe.
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(0);
  });

  it("bad flags are user errors (exit 2) naming the flag", async () => {
    const bad = await runCli(["plan", ".", "--mode", "nonsense"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--mode/);
    const json = await runCli(["plan", ".", "--mode", "nonsense", "--json"]);
    expect(JSON.parse(json.stdout).error.code).toBe("INVALID_INPUT");
  });

  it("plan writes nothing; apply --yes edits; check passes; undo restores the original bytes", async () => {
    const dir = copyFixture("agent-app");
    const entry = path.join(dir, "src/index.js");
    const original = readFileSync(entry, "utf8");

    const plan = await runCli(["plan", dir, "--json"]);
    expect(plan.code).toBe(0);
    const planned = JSON.parse(plan.stdout) as {
      report: { files: { path: string }[] };
      changes: { path: string; diff: string }[];
    };
    expect(planned.report.files.map((f) => f.path)).toContain("src/index.js");
    expect(planned.changes.find((c) => c.path === "src/index.js")!.diff).toContain('+import "@governor/sdk/register";');
    expect(readFileSync(entry, "utf8")).toBe(original);

    const noYes = await runCli(["apply", dir, "--allow-dirty", "--no-install"]);
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toMatch(/--yes/);
    expect(readFileSync(entry, "utf8")).toBe(original);

    const apply = await runCli(["apply", dir, "--yes", "--allow-dirty", "--no-install", "--json"]);
    expect(apply.code).toBe(0);
    const applied = JSON.parse(apply.stdout) as { result: { written: string[] }; sdk: { status: string } };
    expect(applied.result.written).toContain("src/index.js");
    expect(applied.sdk.status).toBe("skipped");
    expect(readFileSync(entry, "utf8")).toMatch(/^\/\* global [^\n]*\*\/\nimport "@governor\/sdk\/register";\n/);
    expect(JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")).dependencies).toBeUndefined();

    const check = await runCli(["check", dir, "--json"]);
    expect(JSON.parse(check.stdout).ok).toBe(true);
    expect(check.code).toBe(0);

    const undo = await runCli(["undo", dir]);
    expect(undo.code).toBe(0);
    expect(readFileSync(entry, "utf8")).toBe(original);
    const checkAfterUndo = await runCli(["check", dir]);
    expect(checkAfterUndo.code).toBe(1);
  });

  describe("validate", () => {
    let sink: Awaited<ReturnType<typeof startSink>>;
    beforeAll(async () => {
      sink = await startSink();
    });
    afterAll(() => sink.close());

    it("--policy deny-all: the command's side effects do not happen, and every denial is reported", async () => {
      const dir = copyFixture("agent-app");
      const markers = mkdtempSync(path.join(tmpdir(), "gi-markers-"));
      const before = sink.hits().length;
      const { code, stdout, stderr } = await runCli(
        ["validate", dir, "--policy", "deny-all", "--json", "--", "node", "src/index.js"],
        {
          env: { SINK_URL: sink.url, MARKER_DIR: markers },
        },
      );
      const report = JSON.parse(stdout);
      expect(sink.hits().length).toBe(before);
      expect(existsSync(path.join(markers, "written.txt"))).toBe(false);
      expect(existsSync(path.join(markers, "spawned.txt"))).toBe(false);
      expect(stderr).toContain("lookup: refused");
      expect(report.decisions.length).toBeGreaterThanOrEqual(3);
      expect(report.decisions.every((d: { decision: string }) => d.decision === "DENY")).toBe(true);
      expect(report.denials.map((a: { primitive: string }) => a.primitive)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/fetch/),
          expect.stringMatching(/writeFile/),
          expect.stringMatching(/execFile/),
        ]),
      );
      expect(report.ungoverned).toEqual([]);
      expect(report.passed).toBe(true);
      expect(code).toBe(0);
    });

    it("--policy allow-all: the side effects happen, each after an ALLOW", async () => {
      const dir = copyFixture("agent-app");
      const markers = mkdtempSync(path.join(tmpdir(), "gi-markers-"));
      const before = sink.hits().length;
      const { code, stdout } = await runCli(["validate", dir, "--json", "--", "node", "src/index.js"], {
        env: { SINK_URL: sink.url, MARKER_DIR: markers },
      });
      const report = JSON.parse(stdout);
      expect(sink.hits().slice(before)).toEqual(["GET /lookup"]);
      expect(readFileSync(path.join(markers, "written.txt"), "utf8")).toBe("ran\n");
      expect(existsSync(path.join(markers, "spawned.txt"))).toBe(true);
      expect(
        report.decisions.filter((d: { decision: string }) => d.decision === "ALLOW").length,
      ).toBeGreaterThanOrEqual(3);
      expect(report.passed).toBe(true);
      expect(code).toBe(0);
    });

    it("resolves @governor/sdk for require and import to one bundled instance, with nothing installed", async () => {
      const dir = copyFixture("cjs-app");
      const markers = mkdtempSync(path.join(tmpdir(), "gi-markers-"));
      const allowed = await runCli(["validate", dir, "--", "node", "index.js"], { env: { MARKER_DIR: markers } });
      expect(allowed.stdout).toContain("same instance: true");
      expect(allowed.stdout).toContain("scope ran");
      expect(existsSync(path.join(markers, "scoped.txt"))).toBe(true);
      expect(existsSync(path.join(dir, "node_modules"))).toBe(false);
      expect(readFileSync(path.join(dir, "package.json"), "utf8")).not.toContain("governor");

      const denied = await runCli(["validate", dir, "--policy", "deny-all", "--", "node", "index.js"], {
        env: { MARKER_DIR: mkdtempSync(path.join(tmpdir(), "gi-markers-")) },
      });
      expect(denied.stdout).toMatch(/refused: GovernorDeniedError/);
      expect(denied.code).toBe(0); // a non-zero exit explained by a denial passes
    });

    it("through `npm start`: npm itself runs ungoverned, the app it starts is governed", async () => {
      const dir = copyFixture("agent-app");
      const markers = mkdtempSync(path.join(tmpdir(), "gi-markers-"));
      const { code, stdout } = await runCli(["validate", dir, "--policy", "deny-all", "--json", "--", "npm", "start"], {
        env: { SINK_URL: sink.url, MARKER_DIR: markers },
      });
      const report = JSON.parse(stdout);
      expect(report.denials.length).toBe(3);
      expect(existsSync(path.join(markers, "written.txt"))).toBe(false);
      expect(code).toBe(0);
    });

    it("fails (exit 1) when the command makes no governed attempt at all", async () => {
      const dir = copyFixture("agent-app");
      const { code, stdout } = await runCli(["validate", dir, "--", "node", "-e", "1"]);
      expect(code).toBe(1);
      expect(stdout).toMatch(/No governed attempt/);
    });

    it("a policy file decides per rule; a missing policy file is a user error", async () => {
      const dir = copyFixture("agent-app");
      const markers = mkdtempSync(path.join(tmpdir(), "gi-markers-"));
      writeFileSync(
        path.join(dir, "policy.yaml"),
        "default: allow\nrules:\n  - id: no-exec\n    effect: deny\n    reason: no programs\n    match:\n      action: execute\n",
      );
      const { stdout } = await runCli(
        ["validate", dir, "--policy", "policy.yaml", "--json", "--", "node", "src/index.js"],
        {
          env: { SINK_URL: sink.url, MARKER_DIR: markers },
        },
      );
      const report = JSON.parse(stdout);
      expect(report.decisions.find((d: { matchedRule: string | null }) => d.matchedRule === "no-exec")?.decision).toBe(
        "DENY",
      );
      expect(existsSync(path.join(markers, "written.txt"))).toBe(true);
      expect(existsSync(path.join(markers, "spawned.txt"))).toBe(false);
      const missing = await runCli(["validate", dir, "--policy", "nope.yaml", "--", "node", "src/index.js"]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/No policy file/);
    });

    it("without a command after --, says how to pass one", async () => {
      const { code, stderr } = await runCli(["validate", "."]);
      expect(code).toBe(2);
      expect(stderr).toMatch(/after --/);
    });
  });

  it("mcp install writes, then a second run is a no-op (exit 0, no byte changed)", async () => {
    const home = mkdtempSync(path.join(tmpdir(), "gi-home-"));
    const project = mkdtempSync(path.join(tmpdir(), "gi-proj-"));
    const env = { HOME: home, XDG_CONFIG_HOME: "" };
    const first = await runCli(["mcp", "install", "--client", "cursor,codex", "--dir", project], { env });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('+    "governor": {');
    const cursor = readFileSync(path.join(project, ".cursor/mcp.json"));
    const second = await runCli(["mcp", "install", "--client", "cursor", "codex", "--dir", project], { env });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/Cursor \(project\): already up to date/);
    expect(readFileSync(path.join(project, ".cursor/mcp.json")).equals(cursor)).toBe(true);
    const desktop = await runCli(["mcp", "install", "--client", "claude-desktop", "--dir", project], { env });
    expect(desktop.code).toBe(2);
    expect(desktop.stdout).toMatch(/no Linux build/);
  });

  it("--yes plus flags runs the wizard's steps headless: apply, MCP install, validate, JSON summary", async () => {
    const dir = copyFixture("agent-app");
    const home = mkdtempSync(path.join(tmpdir(), "gi-home-"));
    const { code, stdout, stderr } = await runCli(
      [
        "--dir",
        dir,
        "--yes",
        "--allow-dirty",
        "--no-install",
        "--mode",
        "enable",
        "--client",
        "zed",
        "--validate",
        "node -e 1",
        "--json",
      ],
      { env: { HOME: home } },
    );
    const summary = JSON.parse(stdout);
    expect(summary.mode).toBe("enable");
    expect(summary.applied).toBe(true);
    expect(summary.mcp.map((r: { client: string; status: string }) => [r.client, r.status])).toEqual([
      ["zed", "create"],
    ]);
    expect(
      JSON.parse(readFileSync(path.join(dir, ".zed/settings.json"), "utf8")).context_servers.governor.command,
    ).toBe("npx");
    expect(readFileSync(path.join(dir, "src/index.js"), "utf8")).toContain("@governor/sdk/register");
    // `node -e 1` makes no governed attempt: validation fails, and so does the exit code
    expect(summary.validation.passed).toBe(false);
    expect(code).toBe(1);
    expect(stderr).toContain("What governor-init found");
  });

  it("demo: applies the integration to the bundled app and shows allowed and denied tool calls, offline", async () => {
    const { code, stdout } = await runCli(["demo", "--json"]);
    expect(code).toBe(0);
    const demo = JSON.parse(stdout);
    expect(demo.ok).toBe(true);
    expect(demo.diffs.join("\n")).toContain("governTool(");
    expect(demo.diffs.join("\n")).toContain('+import "@governor/sdk/register";');
    const byRule = Object.fromEntries(
      demo.validation.decisions.map((d: { matchedRule: string; decision: string }) => [d.matchedRule, d.decision]),
    );
    expect(byRule).toMatchObject({
      "read-apis": "ALLOW",
      "write-files": "ALLOW",
      "no-programs": "DENY",
      "no-payments": "DENY",
    });
    expect(demo.validation.stdout).toContain("tool send_payment: refused");
    expect(demo.validation.stdout).toContain("tool get_weather: ok");
    expect(existsSync(demo.dir)).toBe(false); // the temporary copy is removed
  });

  it("docs search prints matching sections", async () => {
    const { code, stdout } = await runCli(["docs", "search", "deny", "--json", "--limit", "2"]);
    expect(code).toBe(0);
    const { results } = JSON.parse(stdout);
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThanOrEqual(2);
  });

  describe("check and undo regressions", () => {
    /** A throwaway project made of the given files. */
    const project = (files: Record<string, string>): string => {
      const dir = mkdtempSync(path.join(tmpdir(), "gi-regress-"));
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), text);
      }
      return dir;
    };

    it("check unanalysable files pass: a file that does not parse fails the gate (exit 1) until --exclude", async () => {
      const dir = project({
        "package.json": JSON.stringify({ name: "p", main: "src/index.js" }),
        "src/index.js": 'import "@governor/sdk/register";\nexport const x = 1;\n',
        "src/broken.js":
          'import { writeFileSync } from "node:fs";\nexport function save( {\n  writeFileSync("x", "y");\n',
      });
      const failed = await runCli(["check", dir]);
      expect(failed.code).toBe(1);
      expect(failed.stdout).toMatch(/src\/broken\.js .*could not be analysed: .*does not parse/);
      expect(failed.stdout).toContain("--exclude src/broken.js");
      const plan = await runCli(["plan", dir]);
      expect(plan.stdout).toMatch(/Skipped:\n(?:.*\n)*\s+src\/broken\.js: /);
      const excluded = await runCli(["check", dir, "--exclude", "src/broken.js"]);
      expect(excluded.stdout).not.toContain("broken");
      expect(excluded.code).toBe(0);
    });

    it("a partial undo reports success: undo exits 1 and says how to finish while a file is left alone", async () => {
      const dir = copyFixture("agent-app");
      const entry = path.join(dir, "src/index.js");
      const original = readFileSync(entry, "utf8");
      expect((await runCli(["apply", dir, "--yes", "--allow-dirty", "--no-install"])).code).toBe(0);
      // An SDK import of the user's own: which import is governor-init's is ambiguous, so the file is left alone.
      const own = '// edited by hand\nimport { govern } from "@governor/sdk";\n';
      writeFileSync(entry, readFileSync(entry, "utf8") + own);

      for (let run = 0; run < 2; run++) {
        const undo = await runCli(["undo", dir]);
        expect(undo.code).toBe(1);
        expect(undo.stdout).toContain("left alone: src/index.js");
        expect(undo.stdout).toContain("git checkout -- src/index.js");
        expect(undo.stdout).toContain("governor-init undo again");
        expect(undo.stdout).toContain("delete .governor/");
        expect(undo.stdout).not.toMatch(/✔/);
      }
      const json = await runCli(["undo", dir, "--json"]);
      expect(json.code).toBe(1);
      expect(Object.keys(JSON.parse(json.stdout)).sort()).toEqual(["leftAlone", "manifestRemoved", "reverted"]);

      writeFileSync(entry, readFileSync(entry, "utf8").replace(own, ""));
      const finished = await runCli(["undo", dir]);
      expect(finished.code).toBe(0);
      expect(readFileSync(entry, "utf8")).toBe(original);
      expect(existsSync(path.join(dir, ".governor"))).toBe(false);
    });

    it("check suggests a fix that can't fix it: each fix line names what really fixes its findings; TODO printed once", async () => {
      const dir = project({
        "package.json": JSON.stringify({ name: "p", type: "module", main: "src/index.js" }),
        "src/index.js": 'import "@governor/sdk/register";\nexport const x = 1;\n',
        "src/helper.js":
          'import axios from "axios";\nexport const load = () => axios.get("https://example.com/data");\n',
        "src/notes.js": "// TODO(governor): choose the action of the export job\nexport const y = 1;\n",
      });
      const { code, stdout } = await runCli(["check", dir]);
      expect(code).toBe(1);
      expect(stdout).not.toContain("Fix: governor-init apply");
      expect(stdout).not.toMatch(/governor-init apply/);
      expect(stdout).toMatch(
        /Fix \(src\/helper\.js:2\): wrap the call with govern\(\.\.\.\) or call it inside a governed tool/,
      );
      expect(stdout).toMatch(/Fix \(src\/notes\.js:1\): replace each TODO\(governor\)/);
      expect(stdout).toContain("src/notes.js:1  TODO(governor): choose the action of the export job");
      expect(stdout).not.toContain("TODO TODO");
    });
  });
});
