import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { findPackageManager, readJsonFile, type PackageManager } from "./detect.js";

/** How `@governor/sdk` gets added to a project. */
export interface SdkInstallPlan {
  packageManager: PackageManager;
  /** The package.json that gets the dependency. */
  packageJson: string;
  /** The command, run from `cwd`. */
  command: string[];
  cwd: string;
  /** Already listed in dependencies: nothing to do. */
  alreadyInstalled: boolean;
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
  const manifest = readJsonFile<Record<string, unknown>>(path.join(pkgDir, "package.json")) ?? {};
  const deps = { ...(manifest.dependencies as object), ...(manifest.devDependencies as object) } as Record<
    string,
    string
  >;
  // No lockfile or packageManager field anywhere up the tree: a fresh project, installed with npm in place.
  const owner = findPackageManager(pkgDir) ?? { manager: "npm" as const, root: pkgDir };
  const root = owner.root;
  const packageManager = owner.manager;
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
