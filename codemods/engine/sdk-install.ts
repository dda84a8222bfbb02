import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { ModeId } from "../../templates/modes.js";
import { recordWrites, snapshotFiles, type WriteOrigin } from "./apply.js";
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

// --- installing the SDK whatever the registry says ----------------------------------------------------

/**
 * Where a project keeps the SDK tarball when the registry does not have `@governor/sdk`, relative to
 * the package.json that depends on it. It is project source, to be committed (the `file:` dependency
 * points at it, and a clean clone's `npm ci` installs from it offline); `.governor/` is not used because
 * that is governor-init's local undo state and is never committed.
 */
export const VENDOR_DIR = "vendor/governor";

/** Where the SDK comes from: the registry, or the copy bundled in governor-init (vendored). */
export type SdkSource = "auto" | "registry" | "vendor";

/** The lockfiles an install may rewrite, relative to the package manager's root. */
const LOCKFILE_NAMES = [
  "package-lock.json",
  "npm-shrinkwrap.json",
  "pnpm-lock.yaml",
  "yarn.lock",
  "bun.lock",
  "bun.lockb",
];

/** What {@link installSdk} did. */
export type SdkInstallOutcome =
  | { status: "already-installed"; packageJson: string }
  | { status: "no-package-json" }
  | {
      status: "installed";
      packageJson: string;
      command: string[];
      source: "registry" | "vendor";
      /** Project-relative path of the vendored tarball (source `vendor`). */
      vendored?: string;
      /** Files the install wrote, recorded in the manifest for undo (project-relative). */
      recorded: string[];
      /** One line for humans: where the SDK came from, and how to switch to the registry later. */
      note: string;
    }
  | {
      status: "failed";
      packageJson: string;
      command: string[];
      source: "registry" | "vendor";
      output: string;
      /** The exact command(s) that fix it, run from `cwd`. */
      fix: string;
      cwd: string;
    };

/** The version of the SDK bundled with governor-init, and its package directory. */
export function bundledSdk(): { dir: string; version: string } {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve("@governor/sdk/package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { version: string };
  return { dir: path.dirname(manifestPath), version: manifest.version };
}

/** A package governor-init can add to a project: from the registry, or packed from a local directory. */
export interface VendorablePackage {
  name: string;
  version: string;
  /** The package directory `npm pack` packs when the registry does not have it. */
  dir: string;
  /** Add it to devDependencies. */
  dev?: boolean;
}

function tarballNameOf(pkg: VendorablePackage): string {
  return `${pkg.name.replace(/^@/, "").replace("/", "-")}-${pkg.version}.tgz`;
}

/** The install command for a `file:` dependency on a vendored tarball, per package manager. */
export function vendoredInstallCommand(
  plan: SdkInstallPlan,
  tarballFromPackage: string,
  pkg: Pick<VendorablePackage, "name" | "dev"> = { name: "@governor/sdk" },
): string[] {
  const spec = `${pkg.name}@file:${tarballFromPackage}`;
  const pkgDir = path.dirname(plan.packageJson);
  const dev = pkg.dev === true;
  switch (plan.packageManager) {
    case "pnpm":
      return ["pnpm", "add", spec, ...(dev ? ["--save-dev"] : []), "--prefer-offline"];
    case "yarn":
      return plan.command[1] === "workspace"
        ? ["yarn", "workspace", plan.command[2]!, "add", spec, ...(dev ? ["--dev"] : [])]
        : ["yarn", "add", spec, ...(dev ? ["--dev"] : [])];
    case "bun":
      return ["bun", "add", spec, ...(dev ? ["--dev"] : [])];
    default: {
      // From the workspace root, npm resolves a file: spec against the root: name the path from there.
      const fromCwd = path.relative(plan.cwd, path.join(pkgDir, tarballFromPackage)).split(path.sep).join("/");
      const base = [
        "npm",
        "install",
        `${pkg.name}@file:${fromCwd}`,
        ...(dev ? ["--save-dev"] : []),
        "--prefer-offline",
        "--no-audit",
        "--no-fund",
      ];
      const ws = plan.command.indexOf("--workspace");
      return ws >= 0 ? [...base, "--workspace", plan.command[ws + 1]!] : base;
    }
  }
}

function registryCommand(plan: SdkInstallPlan, pkg: VendorablePackage): string[] {
  const command = plan.command.map((part) => (part === "@governor/sdk" ? pkg.name : part));
  if (pkg.dev) {
    const flag = { npm: "--save-dev", pnpm: "--save-dev", yarn: "--dev", bun: "--dev" }[plan.packageManager];
    command.splice(command.indexOf(pkg.name) + 1, 0, flag);
  }
  return [...command, ...(plan.packageManager === "npm" ? ["--no-audit", "--no-fund"] : [])];
}

/** Whether the registry has `name@version` (asked through npm). */
export function registryHas(name: string, version: string, cwd: string): boolean {
  const result = spawnSync("npm", ["view", `${name}@${version}`, "version", "--json"], {
    cwd,
    encoding: "utf8",
    timeout: 15_000,
    shell: process.platform === "win32",
  });
  if (result.status !== 0) return false;
  try {
    const value = JSON.parse(result.stdout) as unknown;
    return value === version || (Array.isArray(value) && value.includes(version));
  } catch {
    return false;
  }
}

/**
 * Adds `@governor/sdk` to the project so the code apply rewrote resolves: from the registry when it
 * has this version (`source` `auto` asks it), otherwise from the copy bundled in governor-init,
 * packed into `vendor/governor/governor-sdk-<version>.tgz` next to the package.json and added as a
 * `file:` dependency with the project's own package manager (npm, pnpm, yarn, bun; workspace members
 * through their workspace root). Every file it writes (the tarball, package.json, the lockfile) is
 * recorded in the manifest so `undo` reverts it. Never throws for a failed install: it returns
 * `failed` with the output and the exact command that fixes it.
 */
export function installSdk(dir: string, options: { source?: SdkSource; mode?: ModeId } = {}): SdkInstallOutcome {
  const bundled = bundledSdk();
  return installPackage(
    dir,
    { name: "@governor/sdk", version: bundled.version, dir: bundled.dir },
    {
      ...options,
      origin: "sdk-install",
    },
  );
}

/** {@link installSdk} for any {@link VendorablePackage} (the test wiring adds governor-init, which runs the mock). */
export function installPackage(
  dir: string,
  pkg: VendorablePackage,
  options: { source?: SdkSource; mode?: ModeId; origin: WriteOrigin },
): SdkInstallOutcome {
  const plan = planSdkInstall(dir);
  if (!plan) return { status: "no-package-json" };
  const declared = readJsonFile<Record<string, Record<string, string> | undefined>>(plan.packageJson) ?? {};
  if (declared.dependencies?.[pkg.name] !== undefined || declared.devDependencies?.[pkg.name] !== undefined) {
    return { status: "already-installed", packageJson: plan.packageJson };
  }
  const projectRoot = path.resolve(dir);
  const pkgDir = path.dirname(plan.packageJson);
  const source =
    options.source === "registry" || options.source === "vendor"
      ? options.source
      : registryHas(pkg.name, pkg.version, plan.cwd)
        ? "registry"
        : "vendor";
  const relative = (file: string) => path.relative(projectRoot, file).split(path.sep).join("/");
  // Files the install may write, relative to the project root: package.json and the lockfiles. An npm
  // workspace member's lockfile lives at the workspace root, possibly above the project directory.
  const owner = findPackageManager(pkgDir)?.root ?? pkgDir;
  const watched = [plan.packageJson, ...LOCKFILE_NAMES.map((name) => path.join(owner, name))].filter(
    (file) => !relative(file).startsWith(".."),
  );
  let command = registryCommand(plan, pkg);
  let vendored: string | undefined;
  const tarballName = tarballNameOf(pkg);
  const vendorDir = path.join(pkgDir, VENDOR_DIR);
  if (source === "vendor") {
    vendored = relative(path.join(vendorDir, tarballName));
    watched.push(path.join(vendorDir, tarballName));
    command = vendoredInstallCommand(plan, `${VENDOR_DIR}/${tarballName}`, pkg);
  }
  const snapshots = snapshotFiles(
    projectRoot,
    watched.map((file) => relative(file)),
  );
  if (source === "vendor" && !existsSync(path.join(vendorDir, tarballName))) {
    mkdirSync(vendorDir, { recursive: true });
    const packed = spawnSync(
      "npm",
      ["pack", pkg.dir, "--pack-destination", vendorDir, "--ignore-scripts", "--silent"],
      {
        cwd: vendorDir,
        encoding: "utf8",
        shell: process.platform === "win32",
      },
    );
    if (packed.status !== 0 || !existsSync(path.join(vendorDir, tarballName))) {
      recordWrites(projectRoot, snapshots, options.origin, options.mode);
      return {
        status: "failed",
        packageJson: plan.packageJson,
        command,
        source,
        output: `${packed.stdout ?? ""}${packed.stderr ?? ""}${packed.error?.message ?? ""}`.slice(-2000),
        fix: `npm pack ${pkg.dir} --pack-destination ${vendorDir} && cd ${plan.cwd} && ${command.join(" ")}`,
        cwd: plan.cwd,
      };
    }
  }
  const run = runSdkInstall({ ...plan, command });
  const recorded = recordWrites(projectRoot, snapshots, options.origin, options.mode);
  if (!run.ok) {
    return {
      status: "failed",
      packageJson: plan.packageJson,
      command,
      source,
      output: run.output.slice(-2000),
      fix: `cd ${plan.cwd} && ${command.join(" ")}`,
      cwd: plan.cwd,
    };
  }
  const note =
    source === "registry"
      ? `${pkg.name}@${pkg.version} came from the registry.`
      : `${pkg.name} is not in the registry yet: installed from ${vendored} (commit it: your install and CI use it offline). ` +
        `Once it is published, switch with \`${registryCommand(plan, pkg)
          .filter((part) => part !== "--no-audit" && part !== "--no-fund")
          .join(" ")}\` and delete ${vendored}.`;
  return { status: "installed", packageJson: plan.packageJson, command, source, vendored, recorded, note };
}
