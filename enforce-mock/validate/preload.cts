/**
 * The preload `governor-init validate` puts in NODE_OPTIONS (`--require`). It runs first in every
 * Node process the validated command starts, and:
 *
 * 1. makes `@governor/sdk` resolve to the SDK bundled with governor-init, for `require` (a
 *    `Module._resolveFilename` patch) and for `import` (a resolve hook via `module.register`), so the
 *    customer's code can import the SDK before it is installable, with nothing written to their
 *    package.json — and so preload and code share one SDK instance;
 * 2. loads `@governor/sdk/register`, which enables the SDK from the GOVERNOR_* environment.
 *
 * Package-manager processes (`npm run start` runs npm first) are left ungoverned: they only start
 * the customer's processes, which get the preload themselves.
 */
import Module from "node:module";
import path from "node:path";
import url from "node:url";
import fs from "node:fs";

const sdkDir = process.env.GOVERNOR_INIT_SDK_DIR;
const PACKAGE = "@governor/sdk";

function isPackageManager(): boolean {
  const main = (process.argv[1] ?? "").replace(/\\/g, "/");
  return (
    /(^|\/)(npm|npx|pnpm|pnpx|yarn|yarnpkg|corepack)(-cli)?(\.c?js)?$/.test(main) ||
    /\/node_modules\/(npm|pnpm|yarn|corepack)\//.test(main) ||
    /\/(npm|pnpm|yarn)\/bin\//.test(main)
  );
}

if (sdkDir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(sdkDir, "package.json"), "utf8")) as {
    exports?: Record<string, string | { default?: string; require?: string }>;
  };
  const resolveSubpath = (request: string): string | undefined => {
    if (request !== PACKAGE && !request.startsWith(`${PACKAGE}/`)) return undefined;
    const subpath = "." + request.slice(PACKAGE.length);
    const target = manifest.exports?.[subpath];
    const file = typeof target === "string" ? target : (target?.require ?? target?.default);
    return file ? path.join(sdkDir, file) : undefined;
  };

  type ResolveFilename = (request: string, ...rest: unknown[]) => string;
  const moduleInternals = Module as unknown as { _resolveFilename: ResolveFilename };
  const original = moduleInternals._resolveFilename;
  moduleInternals._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
    return resolveSubpath(request) ?? original.call(this, request, ...rest);
  };

  const register = (Module as unknown as { register?: (s: string, p: string, o: unknown) => void }).register;
  if (register) {
    register("./resolve-hook.js", url.pathToFileURL(__filename).href, {
      data: { sdkDir, exports: manifest.exports ?? {} },
    });
  }

  if (!isPackageManager()) {
    // Loaded through Module.createRequire so the SDK is a plain CommonJS load from its own directory.
    Module.createRequire(path.join(sdkDir, "package.json"))(
      resolveSubpath(`${PACKAGE}/register`) ?? path.join(sdkDir, "dist", "register.js"),
    );
  }
}
