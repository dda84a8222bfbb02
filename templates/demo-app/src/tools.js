/* global fetch */
// The agent's tools: each one is a side effect the company wants governed.
import { writeFile, mkdir } from "node:fs/promises";
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export function createTools(apiBase) {
  return {
    get_weather: async ({ city }) => {
      const res = await fetch(`${apiBase}/weather?city=${encodeURIComponent(city)}`);
      return res.json();
    },
    save_note: async ({ file, text }) => {
      await mkdir("notes", { recursive: true });
      await writeFile(`notes/${file}`, text);
      return { saved: `notes/${file}` };
    },
    disk_usage: async () => {
      const { stdout } = await run("du", ["-sh", "."]);
      return { usage: stdout.trim() };
    },
    send_payment: async ({ to, amount }) => {
      const res = await fetch(`${apiBase}/payments`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ to, amount }),
      });
      return res.json();
    },
  };
}
