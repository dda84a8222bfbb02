import { spawn } from "node:child_process";

function govern<T>(value: T): T {
  return value;
}

export function start() {
  return govern(1) && spawn("node", ["server.js"]);
}
