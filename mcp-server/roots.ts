/**
 * Confines every path a tool receives to the client's roots.
 *
 * A coding agent passes paths it was told about, or made up; the server must never read or write
 * outside the folders the user opened. The check is done twice: lexically (so `..` cannot climb
 * out) and on the real path (so a symlink inside a root cannot lead out of it).
 */
import { realpath, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ErrorCodes, GovernorInitError } from "../core/errors.js";

/** True when `child` is `parent` or lies below it (both absolute and normalized). */
export function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

/** Turns root URIs from `roots/list` into real directory paths; non-`file:` and missing roots are dropped. */
export async function rootDirectoriesFromUris(uris: readonly string[]): Promise<string[]> {
  const dirs: string[] = [];
  for (const uri of uris) {
    if (!uri.startsWith("file:")) continue;
    try {
      dirs.push(await realpath(fileURLToPath(uri)));
    } catch {
      // A root that does not exist on this machine (a remote workspace) cannot hold any path we accept.
    }
  }
  return dirs;
}

/**
 * Resolves `input` (absolute, or relative to the first root) to a real path inside one of `roots`.
 *
 * @param roots Real (symlink-free) absolute directories.
 * @throws GovernorInitError `PATH_OUTSIDE_ROOT` for `..` escapes, absolute paths elsewhere and symlinks
 *   out; `NOT_FOUND` when the path does not exist; `INVALID_INPUT` for an empty or NUL-bearing path.
 */
export async function resolveInsideRoots(
  input: string,
  roots: readonly string[],
  expect: "directory" | "any" = "directory",
): Promise<string> {
  if (input.trim() === "" || input.includes("\0")) {
    throw new GovernorInitError(ErrorCodes.INVALID_INPUT, "The path is empty or contains a NUL character.", {
      suggestion: 'Pass the project directory, for example "." for the workspace root.',
    });
  }
  const [first] = roots;
  if (first === undefined) {
    throw new GovernorInitError(ErrorCodes.PATH_OUTSIDE_ROOT, "No workspace root is available to confine paths to.", {
      suggestion:
        "Open a folder in your editor (so the client sends roots), or start the server from the project directory.",
    });
  }
  const outside = () =>
    new GovernorInitError(
      ErrorCodes.PATH_OUTSIDE_ROOT,
      `The path ${JSON.stringify(input)} is outside the workspace roots.`,
      {
        suggestion: `Pass a path inside ${roots.join(", ")} (relative paths resolve against ${first}).`,
        details: { path: input, roots: [...roots] },
      },
    );

  const lexical = path.resolve(first, input);
  if (!roots.some((root) => isInside(root, lexical))) throw outside();

  let real: string;
  try {
    real = await realpath(lexical);
  } catch {
    throw new GovernorInitError(ErrorCodes.NOT_FOUND, `The path ${JSON.stringify(input)} does not exist.`, {
      suggestion: "Check the spelling; paths are relative to the workspace root.",
      details: { path: input },
    });
  }
  if (!roots.some((root) => isInside(root, real))) throw outside();

  if (expect === "directory" && !(await stat(real)).isDirectory()) {
    throw new GovernorInitError(ErrorCodes.NOT_FOUND, `The path ${JSON.stringify(input)} is not a directory.`, {
      suggestion: "Pass the project directory (the one holding package.json), not a file.",
      details: { path: input },
    });
  }
  return real;
}
