import { stdout } from "node:process";

// Colors only when stdout is a terminal and NO_COLOR is unset, so piped output and JSON stay clean.
const enabled = stdout.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== "dumb";

function wrap(open: number, close: number): (text: string) => string {
  return (text) => (enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text);
}

/** ANSI colors for terminal output; identity functions when colors are off. */
export const color = {
  green: wrap(32, 39),
  red: wrap(31, 39),
  yellow: wrap(33, 39),
  cyan: wrap(36, 39),
  dim: wrap(2, 22),
  bold: wrap(1, 22),
};
