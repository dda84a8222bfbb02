import { exec, execFileSync as runFile, spawn } from "node:child_process";
import cp from "child_process";
import * as childProcess from "node:child_process";
import { promisify } from "node:util";
import util from "node:util";
import { govern } from "@governor/sdk";

const execAsync = promisify(govern(exec));
const execFileAsync = util.promisify(govern(cp.execFile));

export async function gitStatus(cwd: string) {
  const { stdout } = await execAsync("git status --short", { cwd });
  return stdout;
}

export function listDir(dir: string) {
  return govern(runFile)("ls", ["-la", dir]).toString();
}

export function tail(file: string) {
  return govern(spawn)("tail", ["-f", file], { stdio: "inherit" });
}

export function forkWorker() {
  return govern(cp).fork("./worker.js");
}

export function shell(command: string) {
  govern(exec)(command, (error) => {
    if (error) console.error(error);
  });
  return govern(childProcess).spawnSync("sh", ["-c", command]);
}

export const version = () => execFileAsync("node", ["--version"]);
