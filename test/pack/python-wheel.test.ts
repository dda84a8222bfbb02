/**
 * The npm tarball carries the Python SDK's wheel, and that wheel installs into a fresh virtualenv
 * with no package index at all (`pip install --no-index`), then works: enable() against the
 * bundled enforce mock denies a write.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, REPO_ROOT, requireBuild } from "../e2e/helpers.js";

const DEV_PYTHON = path.join(REPO_ROOT, "sdk-python/.venv/bin/python");
let work: string;
let tarball: string;
let files: string[];

beforeAll(() => {
  requireBuild();
  work = mkdtempSync(path.join(tmpdir(), "gi-wheel-"));
  const out = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: REPO_ROOT, encoding: "utf8" }),
  ) as Array<{ filename: string }>;
  tarball = path.join(work, out[0]!.filename);
  files = execFileSync("tar", ["tzf", tarball], { encoding: "utf8" }).split("\n");
}, 240_000);

afterAll(() => {
  // Temp files only; the OS cleans tmpdir.
});

describe("the Python wheel in the npm tarball", () => {
  it("is there, alone (no sdist, no Python sources or tests)", () => {
    const python = files.filter((file) => file.startsWith("package/dist/python/"));
    expect(python).toEqual(["package/dist/python/governor-0.1.0-py3-none-any.whl"]);
    expect(files.filter((file) => file.endsWith(".py"))).toEqual([]);
  });

  it("installs offline into a fresh virtualenv and governs", () => {
    execFileSync("tar", ["xzf", tarball, "-C", work, "package/dist/python"]);
    const wheel = path.join(work, "package/dist/python/governor-0.1.0-py3-none-any.whl");
    const venv = path.join(work, "venv");
    // The base interpreter of the dev virtualenv: the same Python the project's scripts use.
    const base = existsSync(DEV_PYTHON) ? DEV_PYTHON : "python3";
    execFileSync(base, ["-m", "venv", venv]);
    const python = path.join(venv, "bin/python");
    execFileSync(python, ["-m", "pip", "install", "--no-index", "--disable-pip-version-check", "--quiet", wheel]);
    const site = execFileSync(python, ["-c", "import governor, sys; print(governor.__file__)"], {
      encoding: "utf8",
    }).trim();
    expect(site.startsWith(venv)).toBe(true);
    const distInfo = readdirSync(path.dirname(path.dirname(site))).filter((name) => name.startsWith("governor-"));
    expect(distInfo).toEqual(["governor-0.1.0.dist-info"]);
    // Against the bundled mock, found through GOVERNOR_INIT_BIN: a denied write leaves no file.
    const target = path.join(work, "must-not-exist.txt");
    const script = [
      "import governor, governor.testing, json, sys",
      "with governor.testing.start_mock('deny-all') as mock:",
      "    governor.enable(enforce_url=mock.url, api_key='k')",
      "    try:",
      "        open(sys.argv[1], 'w')",
      "        print('ran')",
      "    except governor.GovernorDenied as denied:",
      "        print(json.dumps({'denied': denied.request_id is not None}))",
      "    governor.disable()",
    ].join("\n");
    const out = execFileSync(python, ["-c", script, target], {
      encoding: "utf8",
      env: { ...process.env, GOVERNOR_INIT_BIN: CLI },
    });
    expect(out.trim()).toBe('{"denied": true}');
    expect(existsSync(target)).toBe(false);
  }, 120_000);
});
