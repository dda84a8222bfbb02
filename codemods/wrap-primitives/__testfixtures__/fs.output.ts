import fs from "node:fs";
import { writeFile, readFile } from "node:fs/promises";
import * as fsp from "fs/promises";
import { promises as fsPromises, mkdirSync, existsSync } from "fs";
import { govern } from "@governor/sdk";

export async function saveReport(path: string, body: string) {
  if (!existsSync("out")) govern(mkdirSync)("out", { recursive: true });
  await govern(writeFile)(path, body, "utf8");
  const copy = await readFile(path, "utf8");
  govern(fs).appendFileSync("out/log.txt", `${path}\n`);
  return copy;
}

export async function cleanup(dir: string) {
  await govern(fsp).rm(dir, { recursive: true, force: true });
  await govern(fsPromises).unlink(`${dir}.lock`);
  await govern(fs.promises).rename("a", "b");
  govern(fs).chmodSync("bin/run", 0o755);
}

export function logStream() {
  return govern(fs).createWriteStream("out/agent.log", { flags: "a" });
}

export function read(path: string) {
  return fs.readFileSync(path, "utf8") + fs.statSync(path).size;
}

export function legacy(path: string, done: (err: NodeJS.ErrnoException | null) => void) {
  govern(fs).writeFile(path, "x", done);
}
