import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/** How `@governor/sdk` gets added to a project. */
export interface SdkInstallPlan {
  packageManager: "npm" | "pnpm" | "yarn" | "bun";
  /** The package.json that gets the dependency. */
  packageJson: string;
  /** The command, run from `cwd`. */
  command: string[];
  cwd: string;
  /** Already listed in dependencies: nothing to do. */
  alreadyInstalled: boolean;
}

const LOCKFILES: Array<[string, SdkInstallPlan["packageManager"]]> = [
  ["pnpm-lock.yaml", "pnpm"],
  ["yarn.lock", "yarn"],
  ["bun.lock", "bun"],
  ["bun.lockb", "bun"],
  ["package-lock.json", "npm"],
];

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * Works out which package.json gets `@governor/sdk` and with which package manager: the nearest
 * package.json to `dir`, and the lockfile (or `packageManager` field) of the nearest enclosing
 * project, so a workspace member is installed through its workspace root.
 */
export function planSdkInstall(dir: string, spec = "@governor/sdk"): SdkInstallPlan | undefined {
  let pkgDir = path.resolve(dir);
  while (!existsSync(path.join(pkgDir, "package.json"))) {
    const parent = path.dirname(pkgDir);
    if (parent === pkgDir) return undefined;
    pkgDir = parent;
  }
  const manifest = readJson(path.join(pkgDir, "package.json")) ?? {};
  const deps = { ...(manifest.dependencies as object), ...(manifest.devDependencies as object) } as Record<
    string,
    string
  >;
  let root = pkgDir;
  let packageManager: SdkInstallPlan["packageManager"] = "npm";
  for (let cursor = pkgDir; ;) {
    const lock = LOCKFILES.find(([file]) => existsSync(path.join(cursor, file)));
    const field = (readJson(path.join(cursor, "package.json"))?.packageManager as string | undefined)?.split("@")[0];
    if (lock || field) {
      root = cursor;
      packageManager = lock ? lock[1] : (field as SdkInstallPlan["packageManager"]);
      break;
    }
    const parent = path.dirname(cursor);
    if (parent === cursor) break;
    cursor = parent;
  }
  const inWorkspace = root !== pkgDir;
  const name = typeof manifest.name === "string" ? manifest.name : undefined;
  let command: string[];
  let cwd = pkgDir;
  switch (packageManager) {
    case "pnpm":
      command = ["pnpm", "add", spec];
      break;
    case "yarn":
      command = inWorkspace && name ? ["yarn", "workspace", name, "add", spec] : ["yarn", "add", spec];
      if (inWorkspace && name) cwd = root;
      break;
    case "bun":
      command = ["bun", "add", spec];
      break;
    default:
      // npm installs a workspace member's dependency from the root, so the root lockfile is updated.
      command = inWorkspace
        ? ["npm", "install", spec, "--workspace", path.relative(root, pkgDir) || "."]
        : ["npm", "install", spec];
      if (inWorkspace) cwd = root;
  }
  return {
    packageManager,
    packageJson: path.join(pkgDir, "package.json"),
    command,
    cwd,
    alreadyInstalled: deps["@governor/sdk"] !== undefined,
  };
}

/** Runs a planned install; returns whether it worked and its output for the error message. */
export function runSdkInstall(plan: SdkInstallPlan): { ok: boolean; output: string } {
  const result = spawnSync(plan.command[0]!, plan.command.slice(1), {
    cwd: plan.cwd,
    encoding: "utf8",
    shell: process.platform === "win32",
  });
  return {
    ok: result.status === 0,
    output: `${result.stdout ?? ""}${result.stderr ?? ""}${result.error?.message ?? ""}`,
  };
}
