/* global fetch */
// The agent's tools, in the function-calling shape most agent loops use: a name, a JSON schema
// for the model, and the function that runs. Each one is a side effect the company wants governed.
import { writeFile, mkdir } from "node:fs/promises";
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export function createTools(apiBase) {
  return [
    {
      name: "get_weather",
      description: "Get the weather forecast for a city from the weather API",
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
      execute: async ({ city }) => {
        const res = await fetch(`${apiBase}/weather?city=${encodeURIComponent(city)}`);
        return res.json();
      },
    },
    {
      name: "save_note",
      description: "Write a note to a file in the notes folder",
      parameters: {
        type: "object",
        properties: { file: { type: "string" }, text: { type: "string" } },
        required: ["file", "text"],
      },
      execute: async ({ file, text }) => {
        await mkdir("notes", { recursive: true });
        await writeFile(`notes/${file}`, text);
        return { saved: `notes/${file}` };
      },
    },
    {
      name: "disk_usage",
      description: "Run du to report how much disk space the project uses",
      parameters: { type: "object", properties: {} },
      execute: async () => {
        const { stdout } = await run("du", ["-sh", "."]);
        return { usage: stdout.trim() };
      },
    },
    {
      name: "send_payment",
      description: "Send a payment to an account through the payments API",
      parameters: {
        type: "object",
        properties: { to: { type: "string" }, amount: { type: "number" } },
        required: ["to", "amount"],
      },
      execute: async ({ to, amount }) => {
        const res = await fetch(`${apiBase}/payments`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ to, amount }),
        });
        return res.json();
      },
    },
  ];
}
