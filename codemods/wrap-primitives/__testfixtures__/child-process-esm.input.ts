import { exec, execFileSync as runFile, spawn } from "node:child_process";
import cp from "child_process";
import * as childProcess from "node:child_process";
import { promisify } from "node:util";
import util from "node:util";

const execAsync = promisify(exec);
const execFileAsync = util.promisify(cp.execFile);

export async function gitStatus(cwd: string) {
  const { stdout } = await execAsync("git status --short", { cwd });
  return stdout;
}

export function listDir(dir: string) {
  return runFile("ls", ["-la", dir]).toString();
}

export function tail(file: string) {
  return spawn("tail", ["-f", file], { stdio: "inherit" });
}

export function forkWorker() {
  return cp.fork("./worker.js");
}

export function shell(command: string) {
  exec(command, (error) => {
    if (error) console.error(error);
  });
  return childProcess.spawnSync("sh", ["-c", command]);
}

export const version = () => execFileAsync("node", ["--version"]);
