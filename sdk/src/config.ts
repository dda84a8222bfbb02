/**
 * Resolves `GovernorOptions` from explicit options, then the `GOVERNOR_*` environment, then defaults.
 * Invalid values throw a `GovernorError` naming the variable: a misconfigured governor must not start.
 */
import { GovernorError } from "./errors";
import { runtimeEnv } from "./platform";
import { ENFORCE_PATH } from "./protocol";
import type { Actor, ExemptRule, FailMode, GovernorOptions, PrimitiveKind } from "./types";

/** Every option resolved. */
export interface ResolvedConfig {
  enabled: boolean;
  enforceUrl: string | undefined;
  apiKey: string | undefined;
  failMode: FailMode;
  timeoutMs: number;
  actor: Actor | undefined;
  tenantId: string | undefined;
  layer: string;
  cacheTtlMs: number;
  decisionSecret: string | undefined;
  exempt: CompiledExempt[];
  primitives: PrimitiveKind[];
  auditLog: string | undefined;
  devBypass: boolean;
}

/** An exemption with its glob compiled. */
export interface CompiledExempt extends ExemptRule {
  pattern: RegExp;
}

/** Every kind `govern()` understands. */
export const PRIMITIVE_KINDS: readonly PrimitiveKind[] = [
  "fetch",
  "http",
  "child_process",
  "fs",
  "undici",
  "axios",
  "sql",
];
/** The kinds `enable()` can patch globally (the others need `govern(client)`). */
export const PATCHABLE_KINDS: readonly PrimitiveKind[] = ["fetch", "http", "child_process", "fs"];

const FALSY = new Set(["0", "false", "off", "no"]);
const TRUTHY = new Set(["1", "true", "on", "yes"]);

function configError(variable: string, message: string): GovernorError {
  return new GovernorError("GOVERNOR_CONFIG", `${variable}: ${message}`, {
    hint: `Fix ${variable} in the environment (or the matching option of governor.enable()).`,
  });
}

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

function parseBoolean(variable: string, value: string): boolean {
  const lower = value.toLowerCase();
  if (FALSY.has(lower)) return false;
  if (TRUTHY.has(lower)) return true;
  throw configError(variable, `expected one of 1, true, on, yes, 0, false, off, no; got "${value}".`);
}

function parseInteger(variable: string, value: string | number, min: number): number {
  const number = typeof value === "number" ? value : /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(number) || number < min) {
    throw configError(variable, `expected a whole number of milliseconds ≥ ${min}; got "${value}".`);
  }
  return number;
}

/** Accepts a full endpoint URL or a bare origin (which gets `/api/v2/enforce`). */
export function normalizeEnforceUrl(value: string, variable = "GOVERNOR_ENFORCE_URL"): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw configError(variable, `"${value}" is not a URL; expected for example http://127.0.0.1:4000.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw configError(variable, `"${value}" must be an http: or https: URL.`);
  }
  if (url.pathname === "/" || url.pathname === "") url.pathname = ENFORCE_PATH;
  return url.toString();
}

/**
 * An exemption glob as a RegExp, with the path semantics of policy globs: `*` matches within one
 * path segment (never `/`), `**` across segments (and `**` then `/` may also match no segment),
 * other than `/`. Everything else is literal.
 */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === "*" && glob[i + 1] === "*") {
      while (glob[i + 1] === "*") i++;
      if (glob[i + 1] === "/") {
        // `**/` may match no segment at all.
        source += "(?:.*/)?";
        i++;
      } else source += ".*";
    } else if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else source += char.replace(/[\\^$.|+()[\]{}]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/** `kind:glob` or `glob`, comma-separated. `http://…` is a glob, not the kind `http`. */
export function parseExempt(value: string): ExemptRule[] {
  const rules: ExemptRule[] = [];
  for (const raw of value.split(",")) {
    const entry = raw.trim();
    if (entry === "") continue;
    const match = /^([a-z_]+):(?!\/\/)(.+)$/.exec(entry);
    if (match && PRIMITIVE_KINDS.includes(match[1] as PrimitiveKind)) {
      rules.push({ kind: match[1] as PrimitiveKind, target: match[2]! });
    } else {
      rules.push({ target: entry });
    }
  }
  return rules;
}

function compileExempt(rules: ExemptRule[], variable: string): CompiledExempt[] {
  return rules.map((rule) => {
    if (rule.kind !== undefined && !PRIMITIVE_KINDS.includes(rule.kind)) {
      throw configError(variable, `unknown kind "${rule.kind}"; kinds are ${PRIMITIVE_KINDS.join(", ")}.`);
    }
    if (typeof rule.target !== "string" || rule.target === "")
      throw configError(variable, "an exemption needs a target glob.");
    return { ...rule, pattern: globToRegExp(rule.target) };
  });
}

/** Exemptions whose glob alone matches every target (`*`, `**`): said once per configuration. */
function broadExemptWarnings(rules: CompiledExempt[], variable: string): string[] {
  return rules
    .filter((rule) => /^\*+$/.test(rule.target))
    .map(
      (rule) =>
        `${variable}: the exemption "${rule.kind === undefined ? "" : `${rule.kind}:`}${rule.target}" exempts everything ${rule.kind === undefined ? "of every kind" : `of kind ${rule.kind}`}${rule.target === "*" ? " whose target has no /" : ""}: those side effects run without any decision. Narrow it to the targets you mean.`,
    );
}

function parsePrimitives(value: string | PrimitiveKind[], variable: string): PrimitiveKind[] {
  const list: string[] =
    typeof value === "string"
      ? value
          .split(",")
          .map((item) => item.trim())
          .filter(Boolean)
      : value;
  for (const kind of list) {
    if (!PRIMITIVE_KINDS.includes(kind as PrimitiveKind)) {
      throw configError(variable, `unknown primitive "${kind}"; choose from ${PATCHABLE_KINDS.join(", ")}.`);
    }
  }
  return [...new Set(list)] as PrimitiveKind[];
}

/**
 * Resolves the configuration. Explicit options win over the environment.
 * Also returns warnings that are not errors (a refused dev bypass, unpatchable primitives).
 */
export function resolveConfig(
  options: GovernorOptions = {},
  env: NodeJS.ProcessEnv = runtimeEnv(),
): { config: ResolvedConfig; warnings: string[] } {
  const warnings: string[] = [];
  const production = (env.NODE_ENV ?? "").trim().toLowerCase().startsWith("prod");
  const enabledEnv = envValue(env, "GOVERNOR_ENABLED");
  let enabled = options.enabled ?? (enabledEnv === undefined ? true : parseBoolean("GOVERNOR_ENABLED", enabledEnv));
  // Like the dev bypass: in production, switching governance off is refused, not honoured silently.
  if (!enabled && production) {
    warnings.push(
      `GOVERNOR_ENABLED=${JSON.stringify(options.enabled === false ? "false (option)" : enabledEnv)} is refused because NODE_ENV=production (${JSON.stringify(env.NODE_ENV)}): governance stays on.`,
    );
    enabled = true;
  }

  const urlRaw = options.enforceUrl ?? envValue(env, "GOVERNOR_ENFORCE_URL");
  const enforceUrl =
    urlRaw === undefined
      ? undefined
      : normalizeEnforceUrl(urlRaw, options.enforceUrl ? "enforceUrl" : "GOVERNOR_ENFORCE_URL");

  const failRaw = options.failMode ?? envValue(env, "GOVERNOR_FAIL_MODE") ?? "closed";
  if (failRaw !== "closed" && failRaw !== "open") {
    throw configError("GOVERNOR_FAIL_MODE", `expected "closed" or "open"; got "${failRaw}".`);
  }

  const timeoutMs = parseInteger(
    "GOVERNOR_TIMEOUT_MS",
    options.timeoutMs ?? envValue(env, "GOVERNOR_TIMEOUT_MS") ?? 2000,
    1,
  );
  const cacheTtlMs = parseInteger(
    "GOVERNOR_CACHE_TTL_MS",
    options.cacheTtlMs ?? envValue(env, "GOVERNOR_CACHE_TTL_MS") ?? 5000,
    0,
  );

  let actor = options.actor;
  if (actor === undefined) {
    const id = envValue(env, "GOVERNOR_ACTOR_ID");
    const type = envValue(env, "GOVERNOR_ACTOR_TYPE");
    if (id !== undefined) actor = type === undefined ? { id } : { id, type };
    else if (type !== undefined)
      throw configError("GOVERNOR_ACTOR_TYPE", "is set but GOVERNOR_ACTOR_ID is not; set both.");
  } else if (typeof actor.id !== "string" || actor.id === "") {
    throw configError("actor", "actor.id must be a non-empty string.");
  }

  const exemptRules =
    options.exempt ??
    (envValue(env, "GOVERNOR_EXEMPT") === undefined ? [] : parseExempt(envValue(env, "GOVERNOR_EXEMPT")!));
  const exemptVariable = options.exempt ? "exempt" : "GOVERNOR_EXEMPT";
  const exempt = compileExempt(exemptRules, exemptVariable);
  warnings.push(...broadExemptWarnings(exempt, exemptVariable));

  const primitivesVariable = options.primitives ? "primitives" : "GOVERNOR_PRIMITIVES";
  const primitives = parsePrimitives(
    options.primitives ?? envValue(env, "GOVERNOR_PRIMITIVES") ?? "fetch,http,child_process,fs",
    primitivesVariable,
  );
  const unpatchable = primitives.filter((kind) => !PATCHABLE_KINDS.includes(kind));
  if (unpatchable.length > 0) {
    warnings.push(
      `${primitivesVariable}: ${unpatchable.join(", ")} cannot be patched globally; wrap those clients at the call site with govern(client).`,
    );
  }

  const bypassEnv = envValue(env, "GOVERNOR_DEV_BYPASS");
  let devBypass =
    options.devBypass ?? (bypassEnv === undefined ? false : parseBoolean("GOVERNOR_DEV_BYPASS", bypassEnv));
  // Any spelling of production (" Production", "PROD", "production-eu") refuses the bypass.
  if (devBypass && production) {
    warnings.push(
      `GOVERNOR_DEV_BYPASS is refused because NODE_ENV=production (${JSON.stringify(env.NODE_ENV)}): every side effect still needs an ALLOW from the policy service.`,
    );
    devBypass = false;
  }

  return {
    config: {
      enabled,
      enforceUrl,
      apiKey: options.apiKey ?? envValue(env, "GOVERNOR_API_KEY"),
      failMode: failRaw,
      timeoutMs,
      actor,
      tenantId: options.tenantId ?? envValue(env, "GOVERNOR_TENANT_ID"),
      layer: options.layer ?? envValue(env, "GOVERNOR_LAYER") ?? "L4",
      cacheTtlMs,
      decisionSecret: options.decisionSecret ?? envValue(env, "GOVERNOR_DECISION_SECRET"),
      exempt,
      primitives: primitives.filter((kind) => PATCHABLE_KINDS.includes(kind)),
      auditLog: options.auditLog ?? envValue(env, "GOVERNOR_AUDIT_LOG"),
      devBypass,
    },
    warnings,
  };
}
