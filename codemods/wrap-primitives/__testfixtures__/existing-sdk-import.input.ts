import { governTool } from "@governor/sdk";
import { execSync } from "node:child_process";

export const runShell = governTool(
  { tool: "run_shell", action: "execute", resource: { type: "process" } },
  async ({ command }: { command: string }) => execSync(command).toString(),
);

export async function notify(text: string) {
  await fetch("https://hooks.example/notify", { method: "POST", body: text });
}
