/**
 * Regression: fs writes that went around the patched table (`open` with a writing flag, fd and
 * FileHandle writes, `new fs.WriteStream`, `mkdtemp`, ftruncate, fchmod, lutimes and the like) are decided; a
 * read-only open is not a side effect and is never asked about.
 */
import * as fs from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { governor, GovernorDeniedError } from "../src/index.js";
import { resetGovernor } from "../src/testing.js";
import { API_KEY, startMock, tempDir, type MockProcess } from "./helpers.js";

const DENY_ALL = { name: "deny-all", default: "deny", rules: [] };

let mock: MockProcess;
let dir: string;
let existing: string;

beforeAll(async () => {
  mock = await startMock({ policy: DENY_ALL });
  dir = tempDir();
  existing = join(dir, "existing");
  fs.writeFileSync(existing, "original");
});
afterAll(async () => {
  resetGovernor();
  await mock?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(() => resetGovernor());

function deniedSync(run: () => unknown): void {
  expect(run).toThrow(GovernorDeniedError);
}

describe("fs writes not patched", () => {
  it("open with a writing flag is decided in every form; fd and FileHandle writes cannot start", async () => {
    governor.enable({ enforceUrl: mock.url, apiKey: API_KEY });
    const { O_WRONLY, O_CREAT, O_RDWR } = fs.constants;
    for (const flags of ["w", "a", "r+", "wx", "as+", O_WRONLY | O_CREAT, O_RDWR]) {
      deniedSync(() => fs.openSync(join(dir, `open-${String(flags)}`), flags));
    }
    deniedSync(() => fs.openSync(existing, "r+")); // would let writeSync change an existing file
    await expect(fs.promises.open(join(dir, "fh"), "w")).rejects.toBeInstanceOf(GovernorDeniedError);
    const viaCallback = await new Promise<unknown>((done) => fs.open(join(dir, "cb"), "a", (error) => done(error)));
    expect(viaCallback).toBeInstanceOf(GovernorDeniedError);
    deniedSync(() => fs.mkdtempSync(join(dir, "tmp-")));
    await expect(fs.promises.mkdtemp(join(dir, "tmp-"))).rejects.toBeInstanceOf(GovernorDeniedError);
    for (const name of ["open-w", "open-a", "fh", "cb"]) expect(fs.existsSync(join(dir, name))).toBe(false);
    expect(fs.readdirSync(dir).filter((name) => name.startsWith("tmp-"))).toEqual([]);
    expect(fs.readFileSync(existing, "utf8")).toBe("original");
  });

  it("new fs.WriteStream opens through the governed fs.open and fails with the denial", async () => {
    governor.enable({ enforceUrl: mock.url, apiKey: API_KEY });
    const target = join(dir, "stream");
    // The class itself (not createWriteStream): its constructor opens through fs.open.
    const stream = new (fs.WriteStream as unknown as new (path: string) => fs.WriteStream)(target);
    const error = await new Promise<unknown>((done) => stream.on("error", done));
    expect(error).toBeInstanceOf(GovernorDeniedError);
    expect(fs.existsSync(target)).toBe(false);
  });

  it("ftruncate, fchmod, fchown, futimes, lchown, lutimes on an fd or path are decided", async () => {
    const fd = fs.openSync(existing, "r"); // opened before enable(): a descriptor obtained some other way
    try {
      governor.enable({ enforceUrl: mock.url, apiKey: API_KEY });
      const { uid, gid } = fs.statSync(existing);
      deniedSync(() => fs.ftruncateSync(fd, 0));
      deniedSync(() => fs.fchmodSync(fd, 0o600));
      deniedSync(() => fs.fchownSync(fd, uid, gid));
      deniedSync(() => fs.futimesSync(fd, 0, 0));
      deniedSync(() => fs.lchownSync(existing, uid, gid));
      deniedSync(() => fs.lutimesSync(existing, 0, 0));
      await expect(fs.promises.lutimes(existing, 0, 0)).rejects.toBeInstanceOf(GovernorDeniedError);
      expect(fs.statSync(existing).mtimeMs).toBeGreaterThan(0);
      expect(fs.readFileSync(existing, "utf8")).toBe("original");
    } finally {
      resetGovernor();
      fs.closeSync(fd);
    }
  });

  it("a read-only open runs ungoverned: nothing is asked", async () => {
    governor.enable({ enforceUrl: mock.url, apiKey: API_KEY });
    const before = (await mock.decisions()).length;
    const fd = fs.openSync(existing, "r");
    fs.closeSync(fd);
    const handle = await fs.promises.open(existing);
    expect((await handle.readFile("utf8")).toString()).toBe("original");
    await handle.close();
    expect(fs.readFileSync(existing, "utf8")).toBe("original");
    const text = await new Promise<string>((done, fail) => {
      let out = "";
      fs.createReadStream(existing)
        .on("data", (chunk) => (out += chunk))
        .on("end", () => done(out))
        .on("error", fail);
    });
    expect(text).toBe("original");
    expect((await mock.decisions()).length).toBe(before);
  });
});
