/**
 * Regression (finding 19): rename, link, symlink, copyFile and cp decided only their destination.
 * A rename into an allowed tree removed a file outside it; a symlink made inside the allowed tree let
 * a later write change a file outside. Both ends are decided now (the source a rename removes, the
 * file a link exposes, the source a copy reads), and so is the real path of a write that goes
 * through a symlink. A narrow policy (writes under allowed/ only) and files that must not change.
 */
import * as fs from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GovernorDeniedError } from "../src/index.js";
import { resetGovernor } from "../src/testing.js";
import { auditedGovernor, startMock, tempDir, type MockProcess } from "./helpers.js";

let mock: MockProcess;
let dir: string;
let outsideFile: string;
const governed = auditedGovernor();

beforeAll(async () => {
  dir = tempDir();
  mock = await startMock({
    policy: {
      name: "allowed-tree-only",
      default: "deny",
      rules: [
        {
          id: "allowed-tree",
          effect: "allow",
          reason: "Writes, deletes and reads under allowed/ only.",
          match: { resource_type: "filesystem", resource_name: [`${dir}/allowed`, `${dir}/allowed/**`] },
        },
      ],
    },
  });
});
beforeEach(() => {
  resetGovernor();
  fs.rmSync(join(dir, "allowed"), { recursive: true, force: true });
  fs.rmSync(join(dir, "outside"), { recursive: true, force: true });
  fs.mkdirSync(join(dir, "allowed"));
  fs.mkdirSync(join(dir, "outside"));
  outsideFile = join(dir, "outside/keep");
  fs.writeFileSync(outsideFile, "original");
});
afterAll(async () => {
  resetGovernor();
  await mock?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("two-path operations decided on one end", () => {
  it("19: a rename into the allowed tree cannot remove a file outside it", async () => {
    governed.start(mock.url);
    expect(() => fs.renameSync(outsideFile, join(dir, "allowed/moved"))).toThrow(GovernorDeniedError);
    await expect(fs.promises.rename(outsideFile, join(dir, "allowed/moved"))).rejects.toBeInstanceOf(
      GovernorDeniedError,
    );
    expect(fs.readFileSync(outsideFile, "utf8")).toBe("original");
    expect(fs.existsSync(join(dir, "allowed/moved"))).toBe(false);
    // The allowed end was asked first, then the source (as a delete).
    const denied = governed.audit.find((event) => event.decision === "DENY")!;
    expect(denied.intent).toMatchObject({ action: "delete", resource: { name: outsideFile } });
  });

  it("19: a symlink or hard link in the allowed tree to a file outside is refused", () => {
    governed.start(mock.url);
    expect(() => fs.symlinkSync(outsideFile, join(dir, "allowed/link"))).toThrow(GovernorDeniedError);
    expect(() => fs.symlinkSync("../outside/keep", join(dir, "allowed/rel-link"))).toThrow(GovernorDeniedError);
    expect(() => fs.linkSync(outsideFile, join(dir, "allowed/hard"))).toThrow(GovernorDeniedError);
    expect(fs.existsSync(join(dir, "allowed/link"))).toBe(false);
    expect(fs.existsSync(join(dir, "allowed/hard"))).toBe(false);
  });

  it("19: a write through an existing symlink in the allowed tree is decided on the file it changes", async () => {
    fs.symlinkSync(outsideFile, join(dir, "allowed/old-link")); // made before governance
    governed.start(mock.url);
    expect(() => fs.writeFileSync(join(dir, "allowed/old-link"), "changed")).toThrow(GovernorDeniedError);
    await expect(fs.promises.appendFile(join(dir, "allowed/old-link"), "more")).rejects.toBeInstanceOf(
      GovernorDeniedError,
    );
    expect(fs.readFileSync(outsideFile, "utf8")).toBe("original");
  });

  it("19: a copy into the allowed tree is decided on the source it reads", async () => {
    governed.start(mock.url);
    expect(() => fs.copyFileSync(outsideFile, join(dir, "allowed/copy"))).toThrow(GovernorDeniedError);
    await expect(
      fs.promises.cp(join(dir, "outside"), join(dir, "allowed/tree"), { recursive: true }),
    ).rejects.toBeInstanceOf(GovernorDeniedError);
    expect(fs.existsSync(join(dir, "allowed/copy"))).toBe(false);
    expect(fs.existsSync(join(dir, "allowed/tree"))).toBe(false);
  });

  it("inside the allowed tree everything still runs", () => {
    governed.start(mock.url);
    fs.writeFileSync(join(dir, "allowed/a"), "a");
    fs.renameSync(join(dir, "allowed/a"), join(dir, "allowed/b"));
    fs.symlinkSync("b", join(dir, "allowed/c"));
    fs.copyFileSync(join(dir, "allowed/b"), join(dir, "allowed/d"));
    fs.writeFileSync(join(dir, "allowed/c"), "through the link");
    expect(fs.readFileSync(join(dir, "allowed/b"), "utf8")).toBe("through the link");
    expect(fs.readFileSync(join(dir, "allowed/d"), "utf8")).toBe("a");
  });
});
