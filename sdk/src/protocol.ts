/**
 * The wire protocol between the Governor SDK and the policy service: endpoint paths,
 * the stable intent hash, and signed decision tokens.
 *
 * Anything exported here is public API. The SDK and the enforce mock both use this module,
 * so they cannot disagree about how a token is signed or an intent is hashed.
 */
import type * as NodeCrypto from "node:crypto";
import { nodeBuiltin } from "./platform";
import type { Decision } from "./types";

// Loaded on first use, not at import: the SDK's preload is on every process's start-up path, and edge
// runtimes have no node:crypto at all (they use the *Async functions below, on Web Crypto).
let cryptoModule: typeof NodeCrypto | undefined;
function nodeCrypto(): typeof NodeCrypto | undefined {
  return (cryptoModule ??= nodeBuiltin<typeof NodeCrypto>("node:crypto"));
}
function crypto(): typeof NodeCrypto {
  const module = nodeCrypto();
  if (module === undefined) {
    throw new Error(
      "This runtime has no node:crypto: use intentHashAsync and verifyDecisionTokenAsync (Web Crypto) instead.",
    );
  }
  return module;
}

/** Web Crypto, for runtimes without node:crypto (edge). */
function subtle(): NodeCrypto.webcrypto.SubtleCrypto {
  const web = (globalThis as { crypto?: { subtle?: NodeCrypto.webcrypto.SubtleCrypto } }).crypto?.subtle;
  if (web === undefined) throw new Error("This runtime has neither node:crypto nor Web Crypto (crypto.subtle).");
  return web;
}

/**
 * `fs` operations that change the file system, each governed in its callback, `*Sync` and (where it
 * exists) `fs/promises` form. `open` is governed only with a flag that writes (`w`, `a`, `r+`,
 * O_WRONLY, O_CREAT, …): the file descriptor or FileHandle it returns is how fd writes, FileHandle
 * writes and `new fs.WriteStream` reach the disk. One table for the SDK (what it patches) and the
 * codemod (what it reports as a site).
 */
export const FS_WRITE_OPERATIONS = [
  "writeFile",
  "appendFile",
  "rm",
  "rmdir",
  "unlink",
  "rename",
  "mkdir",
  "mkdtemp",
  "copyFile",
  "cp",
  "truncate",
  "ftruncate",
  "symlink",
  "link",
  "chmod",
  "fchmod",
  "lchmod",
  "chown",
  "fchown",
  "lchown",
  "utimes",
  "futimes",
  "lutimes",
  "open",
] as const;

/** `POST`: decide an intent event. */
export const ENFORCE_PATH = "/api/v2/enforce";
/** `POST`: canonicalize an intent event without deciding. */
export const CANONICALIZE_PATH = "/api/v2/canonicalize";
/** `POST`: install a policy (design boundary). */
export const POLICIES_INSTALL_PATH = "/api/v2/policies/install";

/** JSON with object keys sorted at every depth, `undefined` dropped: equal values give equal text. */
export function stableStringify(value: unknown): string {
  // Intents are plain JSON almost always: serialize those directly (this runs on every governed call);
  // anything unusual (toJSON, Dates, functions, non-finite numbers, holes) takes the general path.
  const fast = plainStableStringify(value);
  return fast !== undefined ? fast : JSON.stringify(sortKeys(value));
}

const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

/** Sorted-key JSON of plain data, or `undefined` when `value` holds anything else. */
function plainStableStringify(value: unknown): string | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : undefined;
    case "object": {
      if (value === null) return "null";
      if (Array.isArray(value)) {
        let out = "[";
        for (let i = 0; i < value.length; i++) {
          const item = plainStableStringify(value[i]);
          if (item === undefined) return undefined;
          out += i === 0 ? item : `,${item}`;
        }
        return `${out}]`;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) return undefined;
      const source = value as Record<string, unknown>;
      let out = "{";
      let first = true;
      for (const key of Object.keys(source).sort()) {
        // Integer-like keys are emitted first by JSON.stringify whatever the insertion order: leave
        // those (rare) objects to the general path so both paths give the same text.
        if (ARRAY_INDEX.test(key)) return undefined;
        const raw = source[key];
        if (raw === undefined) continue;
        const item = plainStableStringify(raw);
        if (item === undefined) return undefined;
        out += `${first ? "" : ","}${JSON.stringify(key)}:${item}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      return undefined;
  }
}

function sortKeys(value: unknown, key = ""): unknown {
  // As JSON.stringify does: a Date or URL is what its toJSON returns, so the key equals what is sent.
  if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
    value = (value as { toJSON: (key: string) => unknown }).toJSON(key);
  }
  if (Array.isArray(value))
    return value.map((item, index) => (item === undefined ? null : sortKeys(item, String(index))));
  if (value !== null && typeof value === "object") {
    const source = value as Record<string, unknown>;
    const sorted: Record<string, unknown> = {};
    for (const name of Object.keys(source).sort()) {
      if (source[name] !== undefined) sorted[name] = sortKeys(source[name], name);
    }
    return sorted;
  }
  return value;
}

/** SHA-256 (hex) of a UTF-8 text (node:crypto). */
export function sha256Hex(text: string): string {
  return crypto().createHash("sha256").update(text).digest("hex");
}

/** {@link sha256Hex} on any runtime: node:crypto where there is one, else Web Crypto. */
export async function sha256HexAsync(text: string): Promise<string> {
  if (nodeCrypto() !== undefined) return sha256Hex(text);
  const digest = new Uint8Array(await subtle().digest("SHA-256", new TextEncoder().encode(text)));
  let hex = "";
  for (const byte of digest) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/** SHA-256 (hex) of the intent event's stable JSON. The decision cache key and the token's subject. */
export function intentHash(intent: unknown): string {
  return sha256Hex(stableStringify(intent));
}

/**
 * {@link intentHash} on any runtime: node:crypto where there is one (the same code, settled at
 * once), else Web Crypto's SHA-256.
 */
export async function intentHashAsync(intent: unknown): Promise<string> {
  return sha256HexAsync(stableStringify(intent));
}

/** What a decision token asserts. */
export interface DecisionTokenClaims {
  /** {@link intentHash} of the intent event exactly as the client sent it. */
  intent_hash: string;
  decision: Decision;
  request_id: string;
  /** Expiry, milliseconds since the epoch. */
  exp: number;
}

const TOKEN_VERSION = "v1";

function base64url(input: string | Buffer): string {
  return Buffer.from(input).toString("base64url");
}

function signature(secret: string, signedPart: string): Buffer {
  return crypto().createHmac("sha256", secret).update(signedPart).digest();
}

/** Signs claims as `v1.<base64url(JSON)>.<base64url(HMAC-SHA256)>`. */
export function signDecisionToken(claims: DecisionTokenClaims, secret: string): string {
  const signedPart = `${TOKEN_VERSION}.${base64url(JSON.stringify(claims))}`;
  return `${signedPart}.${base64url(signature(secret, signedPart))}`;
}

/** Why a token was refused. */
export type TokenProblem = "malformed" | "bad-signature" | "expired" | "wrong-intent" | "wrong-decision";

/** What a verification is checked against. */
export interface ExpectedDecision {
  intentHash: string;
  decision: Decision;
  now?: number;
}

/** The outcome of verifying a token: its claims, or why it was refused. */
export type TokenVerdict = { ok: true; claims: DecisionTokenClaims } | { ok: false; problem: TokenProblem };

/** A token's three parts, or undefined when it is not shaped like one. */
function splitToken(token: unknown): { signedPart: string; payload: string; sig: string } | undefined {
  if (typeof token !== "string") return undefined;
  const parts = token.split(".");
  if (parts.length !== 3 || parts[0] !== TOKEN_VERSION) return undefined;
  const [version, payload, sig] = parts as [string, string, string];
  return { signedPart: `${version}.${payload}`, payload, sig };
}

/** Checks the claims of a token whose signature is valid. */
function checkClaims(payloadJson: string | undefined, expected: ExpectedDecision): TokenVerdict {
  let claims: DecisionTokenClaims;
  try {
    claims = JSON.parse(payloadJson ?? "") as DecisionTokenClaims;
  } catch {
    return { ok: false, problem: "malformed" };
  }
  if (typeof claims !== "object" || claims === null || typeof claims.exp !== "number") {
    return { ok: false, problem: "malformed" };
  }
  if (claims.exp <= (expected.now ?? Date.now())) return { ok: false, problem: "expired" };
  if (claims.intent_hash !== expected.intentHash) return { ok: false, problem: "wrong-intent" };
  if (claims.decision !== expected.decision) return { ok: false, problem: "wrong-decision" };
  return { ok: true, claims };
}

/**
 * Verifies a token for this intent and decision at time `now`.
 * Returns the claims, or the problem; never throws on bad input.
 */
export function verifyDecisionToken(token: unknown, secret: string, expected: ExpectedDecision): TokenVerdict {
  const parts = splitToken(token);
  if (parts === undefined) return { ok: false, problem: "malformed" };
  const expectedSig = signature(secret, parts.signedPart);
  const givenSig = Buffer.from(parts.sig, "base64url");
  if (givenSig.length !== expectedSig.length || !crypto().timingSafeEqual(givenSig, expectedSig)) {
    return { ok: false, problem: "bad-signature" };
  }
  return checkClaims(Buffer.from(parts.payload, "base64url").toString("utf8"), expected);
}

/** Bytes of base64url text, or undefined when it is not base64url. */
function fromBase64url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/**
 * {@link verifyDecisionToken} on any runtime: node:crypto where there is one (the same code), else
 * Web Crypto's HMAC-SHA256 (whose verify compares in constant time). Never throws on bad input.
 */
export async function verifyDecisionTokenAsync(
  token: unknown,
  secret: string,
  expected: ExpectedDecision,
): Promise<TokenVerdict> {
  if (nodeCrypto() !== undefined) return verifyDecisionToken(token, secret, expected);
  const parts = splitToken(token);
  if (parts === undefined) return { ok: false, problem: "malformed" };
  const given = fromBase64url(parts.sig);
  const encoder = new TextEncoder();
  let valid: boolean;
  try {
    const key = await subtle().importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "verify",
    ]);
    valid = given !== undefined && (await subtle().verify("HMAC", key, given, encoder.encode(parts.signedPart)));
  } catch {
    valid = false; // a key Web Crypto refuses (an empty secret) verifies nothing
  }
  if (!valid) return { ok: false, problem: "bad-signature" };
  const payload = fromBase64url(parts.payload);
  return checkClaims(payload === undefined ? undefined : new TextDecoder().decode(payload), expected);
}
