import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * Writes a file atomically: a temp file in the same directory, then a rename over the target, so a
 * reader (or a crash) never sees half a file. Missing parent directories are created. An existing
 * file's permission bits are kept (set again after the write, so the umask cannot narrow them).
 */
export function writeFileAtomic(path: string, data: Buffer | string): void {
  let mode: number | undefined;
  try {
    mode = statSync(path).mode & 0o7777;
  } catch {
    mode = undefined;
  }
  mkdirSync(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${randomBytes(6).toString("hex")}.governor-tmp`);
  try {
    writeFileSync(temp, data, mode === undefined ? undefined : { mode });
    if (mode !== undefined) chmodSync(temp, mode);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
