/**
 * Reports whether a project is ready to be governed: is `@governor/sdk` installed (and which version),
 * is the environment configured, does the enforce URL answer, is a local enforce mock running.
 *
 * Engine for the MCP server's `governor_status` tool; it imports no front end and never throws for a
 * missing piece: a missing piece is what the status reports.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

/** The SDK's environment variables, in the order the configuration reference lists them. */
export const GOVERNOR_ENV_VARS = [
  "GOVERNOR_ENABLED",
  "GOVERNOR_ENFORCE_URL",
  "GOVERNOR_API_KEY",
  "GOVERNOR_FAIL_MODE",
  "GOVERNOR_TIMEOUT_MS",
  "GOVERNOR_ACTOR_ID",
  "GOVERNOR_ACTOR_TYPE",
  "GOVERNOR_TENANT_ID",
  "GOVERNOR_LAYER",
  "GOVERNOR_CACHE_TTL_MS",
  "GOVERNOR_DECISION_SECRET",
  "GOVERNOR_EXEMPT",
  "GOVERNOR_PRIMITIVES",
  "GOVERNOR_AUDIT_LOG",
  "GOVERNOR_DEV_BYPASS",
] as const;

/** Values never echoed back, only reported as set. */
const SECRET_VARS = new Set(["GOVERNOR_API_KEY", "GOVERNOR_DECISION_SECRET"]);

/** Env files read for `GOVERNOR_*` values, lowest precedence first. */
const ENV_FILES = [".env", ".env.local"];

/** Options of {@link governorStatus}. */
export interface GovernorStatusOptions {
  /** The project directory (already confined by the caller). */
  dir: string;
  /** The environment to report on; defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  /** Timeout of each network probe. */
  timeoutMs?: number;
}

/** One environment variable's state. Secrets report `set` only, never their value. */
export interface EnvVarStatus {
  name: string;
  set: boolean;
  value?: string;
  /** `process` (the server's environment) or the env file it came from. */
  source?: string;
}

/** A network probe's result. */
export interface ProbeStatus {
  url?: string;
  reachable: boolean;
  status?: number;
  latencyMs?: number;
  error?: string;
}

/** What {@link governorStatus} returns. */
export interface GovernorStatus {
  dir: string;
  sdk: { installed: boolean; version?: string; declaredRange?: string; location?: string };
  env: { configured: boolean; variables: EnvVarStatus[]; missing: string[] };
  enforce: ProbeStatus;
  mock: ProbeStatus & { running: boolean };
  /** What to do next, most important first; empty when everything is ready. */
  nextSteps: string[];
}

async function readJson(file: string): Promise<Record<string, unknown> | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(file, "utf8"));
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Finds the installed SDK the way Node resolves it: `node_modules/@governor/sdk` in the directory or any parent. */
async function findSdk(dir: string): Promise<GovernorStatus["sdk"]> {
  const pkg = await readJson(path.join(dir, "package.json"));
  let declaredRange: string | undefined;
  for (const key of ["dependencies", "devDependencies", "optionalDependencies"]) {
    const deps = pkg?.[key];
    if (deps && typeof deps === "object" && typeof (deps as Record<string, unknown>)["@governor/sdk"] === "string") {
      declaredRange = (deps as Record<string, string>)["@governor/sdk"];
      break;
    }
  }
  for (let current = dir; ; current = path.dirname(current)) {
    const manifest = path.join(current, "node_modules", "@governor", "sdk", "package.json");
    const sdk = await readJson(manifest);
    if (sdk && typeof sdk.version === "string") {
      return { installed: true, version: sdk.version, declaredRange, location: path.dirname(manifest) };
    }
    if (path.dirname(current) === current) return { installed: false, declaredRange };
  }
}

/** Parses `KEY=VALUE` lines (optional `export `, quotes) of a dotenv file; only `GOVERNOR_*` keys are kept. */
export function parseEnvFile(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?(GOVERNOR_[A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match) continue;
    let value = match[2] ?? "";
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, "");
    out.set(match[1]!, value);
  }
  return out;
}

async function readEnv(dir: string, env: Record<string, string | undefined>): Promise<EnvVarStatus[]> {
  const fromFiles = new Map<string, { value: string; source: string }>();
  for (const file of ENV_FILES) {
    let text: string;
    try {
      text = await readFile(path.join(dir, file), "utf8");
    } catch {
      continue;
    }
    for (const [name, value] of parseEnvFile(text)) fromFiles.set(name, { value, source: file });
  }
  return GOVERNOR_ENV_VARS.map((name) => {
    // The process environment wins over env files, as dotenv loaders do by default.
    const found =
      env[name] !== undefined && env[name] !== "" ? { value: env[name]!, source: "process" } : fromFiles.get(name);
    if (!found) return { name, set: false };
    return { name, set: true, source: found.source, value: SECRET_VARS.has(name) ? undefined : found.value };
  });
}

function isLoopbackUrl(value: string): boolean {
  try {
    const host = new URL(value).hostname.replace(/^\[|\]$/g, "");
    return host === "localhost" || host === "::1" || /^127\./.test(host);
  } catch {
    return false;
  }
}

async function probe(url: string, pathname: string, timeoutMs: number): Promise<ProbeStatus> {
  let target: URL;
  try {
    target = new URL(pathname, url);
  } catch {
    return { url, reachable: false, error: "not a valid URL" };
  }
  const started = performance.now();
  try {
    const res = await fetch(target, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return { url, reachable: true, status: res.status, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
    return { url, reachable: false, error: cause ?? (error instanceof Error ? error.message : String(error)) };
  }
}

/** Checks the project and its environment; see {@link GovernorStatus}. */
export async function governorStatus(options: GovernorStatusOptions): Promise<GovernorStatus> {
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? 1500;
  const [sdk, variables] = await Promise.all([findSdk(options.dir), readEnv(options.dir, env)]);
  const value = (name: string) => variables.find((v) => v.name === name);
  const enforceUrl = value("GOVERNOR_ENFORCE_URL")?.value;
  const localEnforce = enforceUrl !== undefined && isLoopbackUrl(enforceUrl);
  const missing: string[] = [];
  if (!enforceUrl) missing.push("GOVERNOR_ENFORCE_URL");
  // The mock accepts any key; a real management plane needs one.
  if (!value("GOVERNOR_API_KEY")?.set && !localEnforce) missing.push("GOVERNOR_API_KEY");

  const mockUrl = env.GOVERNOR_MOCK_URL || (localEnforce ? enforceUrl : undefined);
  const [enforce, mockProbe] = await Promise.all([
    enforceUrl ? probe(enforceUrl, "/health", timeoutMs) : Promise.resolve<ProbeStatus>({ reachable: false }),
    mockUrl ? probe(mockUrl, "/mock/decisions", timeoutMs) : Promise.resolve<ProbeStatus>({ reachable: false }),
  ]);
  const mock = { ...mockProbe, running: mockProbe.reachable && mockProbe.status === 200 };

  const nextSteps: string[] = [];
  if (!sdk.installed) {
    nextSteps.push(
      sdk.declaredRange
        ? "@governor/sdk is in package.json but not installed: run your package manager's install."
        : "Install the SDK: npm install @governor/sdk.",
    );
  }
  if (missing.length) nextSteps.push(`Set ${missing.join(" and ")} (in the environment or .env).`);
  if (enforceUrl && !enforce.reachable) {
    nextSteps.push(
      localEnforce
        ? `Nothing answers at ${enforceUrl}: start the mock with npx governor-init mock.`
        : `${enforceUrl} did not answer (${enforce.error ?? "no response"}); check the URL and the network. With GOVERNOR_FAIL_MODE=closed every governed call will be refused until it does.`,
    );
  }
  if (!enforceUrl && !mock.running) {
    nextSteps.push(
      "For local development, run npx governor-init mock and point GOVERNOR_ENFORCE_URL at the URL it prints.",
    );
  }
  const devBypass = value("GOVERNOR_DEV_BYPASS");
  if (devBypass?.set && devBypass.value !== "0" && devBypass.value !== "false") {
    nextSteps.push("GOVERNOR_DEV_BYPASS is set: every call is allowed. Unset it outside local development.");
  }

  return {
    dir: options.dir,
    sdk,
    env: { configured: missing.length === 0, variables, missing },
    enforce: enforceUrl ? enforce : { reachable: false },
    mock: mockUrl ? mock : { reachable: false, running: false },
    nextSteps,
  };
}
