import { governTool, govern } from "@governor/sdk";
import { execSync } from "node:child_process";

export const runShell = governTool(
  { tool: "run_shell", action: "execute", resource: { type: "process" } },
  async ({ command }: { command: string }) => govern(execSync)(command).toString(),
);

export async function notify(text: string) {
  await govern(fetch)("https://hooks.example/notify", { method: "POST", body: text });
}
