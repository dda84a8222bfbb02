// The project's own loop calls these handlers and uses their results as they are.
import { writeFileSync } from "node:fs";

let written = 0;

export const tools = [
  {
    name: "save_report",
    description: "Write a report file",
    parameters: { type: "object", properties: { file: { type: "string" }, body: { type: "string" } } },
    handler: (args: { file: string; body: string }): number => {
      writeFileSync(args.file, args.body);
      return written + 1;
    },
  },
  {
    name: "count_lines",
    description: "Count the lines of a text",
    parameters: { type: "object", properties: { text: { type: "string" } } },
    run: countLines,
  },
];

function countLines(args: { text: string }) {
  return args.text.split("\n").length;
}
