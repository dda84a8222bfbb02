/**
 * The enforce mock's HTTP server: `node:http` directly (no framework) so the hot path stays
 * short. Every handler is guarded: a bad request gets a `{ detail }` answer, never a crash.
 */
import { createHash, randomUUID } from "node:crypto";
import { createWriteStream, openSync, type WriteStream } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import {
  CANONICALIZE_PATH,
  ENFORCE_PATH,
  POLICIES_INSTALL_PATH,
  intentHash,
  signDecisionToken,
} from "@governor/sdk/protocol";
import { ErrorCodes, GovernorInitError } from "../core/errors.js";
import { canonicalize, type CanonicalIntent, type TraceStep } from "../core/vocabulary/canonicalize.js";
import { compilePolicy, decide, loadPolicy, type CompiledPolicy, type PolicyDocument } from "./policy.js";

/**
 * Faults the mock injects into `POST /api/v2/enforce` and `POST /api/v2/canonicalize`, so
 * clients' fail-closed behaviour can be tested. Applied in this order: drop, latency, error,
 * malformed, status. Health, policy install and the `/mock/*` endpoints are never faulted.
 */
export interface FaultOptions {
  /** Added delay before answering, in milliseconds. */
  latencyMs?: number;
  /** 0..1: the share of requests answered `500 {"detail":"Internal server error"}`. */
  errorRate?: number;
  /** Answer every request with this status (400..599) and a `{ detail }` body. */
  status?: number;
  /** 0..1: the share of requests whose connection is destroyed without an answer. */
  dropRate?: number;
  /** 0..1: the share of requests answered `200` with a body that is not a valid decision. */
  malformedRate?: number;
}

/** Options of {@link startMockServer}. */
export interface MockServerOptions {
  /** Port to listen on; `0` (the default) picks a free one. */
  port?: number;
  /** Interface to bind; default `127.0.0.1`. */
  host?: string;
  /** `allow-all` (default), `deny-all`, a YAML/JSON file path, or a policy document. */
  policy?: string | PolicyDocument;
  /** The one accepted API key. Without it, any non-empty key is accepted. */
  apiKey?: string;
  /** When set, every decision carries a `decision_token` signed with this secret. */
  tokenSecret?: string;
  /** Lifetime of decision tokens; default 30 000 ms. */
  tokenTtlMs?: number;
  /** Faults to inject from the start (change them later with `setFaults` or `POST /mock/faults`). */
  faults?: FaultOptions;
  /** A file every decision is appended to, one JSON object a line. */
  decisionLog?: string;
  /** Largest accepted request body; default 64 KiB. Larger bodies get `413`. */
  maxBodyBytes?: number;
  /** How many decisions `decisions()` and `GET /mock/decisions` keep (oldest dropped first); default 10 000. */
  maxRecordedDecisions?: number;
  /** Called after each decision (the CLI prints one line per decision). */
  onDecision?: (record: DecisionRecord) => void;
}

/** One decision the mock made, as kept in memory, served by `GET /mock/decisions` and logged. */
export interface DecisionRecord {
  /** ISO 8601 time of the decision. */
  time: string;
  request_id: string;
  decision: "ALLOW" | "DENY";
  reason: string;
  matched_rule: string | null;
  /** The name of the policy that decided. */
  policy: string;
  /** The tenant derived from the caller's credential. */
  tenant_id: string;
  /** The request body exactly as received (parsed). */
  intent: unknown;
  canonical_intent: CanonicalIntent;
  enforcement_latency_ms: number;
  /** Present when tokens are enabled. */
  decision_token?: string;
}

/** A running mock. */
export interface MockServer {
  /** `http://HOST:PORT`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Stops listening, closes every connection and the decision log. Idempotent. */
  close(): Promise<void>;
  /** The recorded decisions, oldest first (a copy). */
  decisions(): DecisionRecord[];
  /** Replaces the injected faults (`{}` clears them). @throws GovernorInitError `INVALID_INPUT` for bad values. */
  setFaults(faults: FaultOptions): void;
  /** Replaces the policy. @throws GovernorInitError `INVALID_POLICY` for a bad document. */
  installPolicy(document: PolicyDocument | string): CompiledPolicy;
  /** The policy currently deciding. */
  policy(): CompiledPolicy;
}

const DEFAULT_MAX_BODY = 64 * 1024;
const DEFAULT_TOKEN_TTL_MS = 30_000;
const DEFAULT_MAX_RECORDED = 10_000;
// Bounds on a single request: a client trickling headers or a body (slowloris) is cut off.
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 15_000;

const FAULT_KEYS = new Set(["latencyMs", "errorRate", "status", "dropRate", "malformedRate"]);

/**
 * Validates fault options.
 *
 * @throws GovernorInitError `INVALID_INPUT` naming the bad field.
 */
export function validateFaults(faults: unknown): FaultOptions {
  const bad = (message: string) =>
    new GovernorInitError(ErrorCodes.INVALID_INPUT, message, {
      suggestion: "Faults are { latencyMs >= 0, errorRate 0..1, status 400..599, dropRate 0..1, malformedRate 0..1 }.",
    });
  if (faults === null || typeof faults !== "object" || Array.isArray(faults)) throw bad("faults must be an object");
  const input = faults as Record<string, unknown>;
  const out: FaultOptions = {};
  for (const [key, value] of Object.entries(input)) {
    if (!FAULT_KEYS.has(key)) throw bad(`unknown fault "${key}"`);
    if (value === undefined || value === null) continue;
    if (typeof value !== "number" || !Number.isFinite(value)) throw bad(`${key} must be a number`);
    if (key === "latencyMs") {
      if (value < 0 || value > 600_000) throw bad("latencyMs must be between 0 and 600000");
      out.latencyMs = value;
    } else if (key === "status") {
      if (!Number.isInteger(value) || value < 400 || value > 599)
        throw bad("status must be an integer between 400 and 599");
      out.status = value;
    } else {
      if (value < 0 || value > 1) throw bad(`${key} must be between 0 and 1`);
      (out as Record<string, number>)[key] = value;
    }
  }
  return out;
}

/** The `detail` the contract uses for a status, for injected faults. */
function faultDetail(status: number): string {
  switch (status) {
    case 401:
      return "Invalid or missing API key";
    case 422:
      return "Malformed intent event (injected fault)";
    case 500:
      return "Internal server error";
    case 502:
      return "Data Plane error: injected fault";
    default:
      return `Injected fault (status ${status})`;
  }
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, detail: string, headers: Record<string, string> = {}): void {
  send(res, status, { detail }, headers);
}

const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;

/** Reads and parses a JSON body within `limit` bytes. */
function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = req.headers["content-type"];
  if (type === undefined || !JSON_TYPE.test(type)) {
    req.resume();
    // The contract's error statuses are 401, 422, 500 and 502: a body that is not declared as JSON
    // is a malformed event (422, as a FastAPI service answers), not a 415.
    return Promise.reject(new HttpError(422, "Content-Type must be application/json"));
  }
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit) {
    return Promise.reject(new HttpError(413, `Request body exceeds ${limit} bytes`, { connection: "close" }));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        // Stop reading; the connection is closed after the 413 is written.
        req.pause();
        reject(new HttpError(413, `Request body exceeds ${limit} bytes`, { connection: "close" }));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (done) return;
      done = true;
      const text = chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8");
      if (text.trim() === "")
        return reject(new HttpError(422, "body must be a JSON object (an intent event); got an empty body"));
      try {
        resolve(JSON.parse(text));
      } catch (error) {
        reject(new HttpError(422, `body is not valid JSON: ${(error as Error).message}`));
      }
    });
    req.on("error", (error) => {
      if (done) return;
      done = true;
      reject(new HttpError(400, `Could not read the request body: ${error.message}`));
    });
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Which methods each route answers; anything else on a known path is `405`. */
const ROUTES: Record<string, string> = {
  [ENFORCE_PATH]: "POST",
  [CANONICALIZE_PATH]: "POST",
  [POLICIES_INSTALL_PATH]: "POST",
  "/health": "GET",
  "/mock/decisions": "GET",
  "/mock/faults": "POST",
};

/**
 * Starts the enforce mock: `POST /api/v2/enforce`, `POST /api/v2/canonicalize`,
 * `POST /api/v2/policies/install`, `GET /health`, and the mock-only `GET /mock/decisions`
 * (`?request_id=` filters) and `POST /mock/faults`.
 *
 * `/api/v2/*` requires `Authorization: Bearer <key>` (or `X-API-Key`): the configured
 * `apiKey`, or any non-empty key when none is configured. `/health` and `/mock/*` are open
 * (the mock binds to loopback by default). The tenant of a decision is derived from the key.
 *
 * @throws GovernorInitError `SERVICE_UNAVAILABLE` when the port is taken or cannot be bound;
 *   `INVALID_POLICY` / `NOT_FOUND` for a bad policy; `INVALID_INPUT` for bad faults.
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const host = options.host ?? "127.0.0.1";
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const tokenTtl = options.tokenTtlMs ?? DEFAULT_TOKEN_TTL_MS;
  const maxRecorded = Math.max(1, Math.floor(options.maxRecordedDecisions ?? DEFAULT_MAX_RECORDED));
  const { apiKey, tokenSecret, onDecision } = options;
  let policy = loadPolicy(options.policy ?? "allow-all");
  let faults = validateFaults(options.faults ?? {});
  // A ring buffer: recording stays O(1) per decision however many are kept.
  const ring: DecisionRecord[] = [];
  let ringStart = 0;
  const recorded = (): DecisionRecord[] =>
    ringStart === 0 ? ring.slice() : [...ring.slice(ringStart), ...ring.slice(0, ringStart)];
  let log: WriteStream | undefined;
  let logError: Error | undefined;
  if (options.decisionLog) {
    let fd: number;
    try {
      // Opened synchronously so a bad path fails the start, not some later decision.
      fd = openSync(options.decisionLog, "a");
    } catch (error) {
      throw new GovernorInitError(
        ErrorCodes.INVALID_INPUT,
        `Cannot open the decision log ${options.decisionLog}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        { cause: error, suggestion: "Pass a --decision-log path in an existing, writable directory." },
      );
    }
    log = createWriteStream("", { fd });
    log.on("error", (error) => {
      // Keep serving decisions; report the broken log on /health rather than crashing.
      logError = error;
    });
  }
  const tenants = new Map<string, string>();
  const startedAt = Date.now();
  let decisionCount = 0;

  function tenantFor(key: string): string {
    let tenant = tenants.get(key);
    if (!tenant) {
      tenant = `tenant_${createHash("sha256").update(key).digest("hex").slice(0, 12)}`;
      if (tenants.size > 1_000) tenants.clear();
      tenants.set(key, tenant);
    }
    return tenant;
  }

  function credential(req: IncomingMessage): string {
    const authorization = req.headers.authorization;
    let key: string | undefined;
    if (typeof authorization === "string") {
      const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
      key = match?.[1]?.trim();
    }
    const headerKey = req.headers["x-api-key"];
    if (!key && typeof headerKey === "string") key = headerKey.trim();
    if (!key)
      throw new HttpError(401, "Missing API key: send Authorization: Bearer <key>", { "www-authenticate": "Bearer" });
    if (apiKey !== undefined && key !== apiKey)
      throw new HttpError(401, "Invalid API key", { "www-authenticate": "Bearer" });
    return key;
  }

  function record(entry: DecisionRecord): void {
    decisionCount++;
    if (ring.length < maxRecorded) ring.push(entry);
    else {
      ring[ringStart] = entry;
      ringStart = (ringStart + 1) % maxRecorded;
    }
    if (log && !logError) {
      try {
        log.write(JSON.stringify(entry) + "\n");
      } catch (error) {
        logError = error as Error;
      }
    }
    if (onDecision) {
      try {
        onDecision(entry);
      } catch {
        // A failing observer must not fail the decision.
      }
    }
  }

  /** Applies faults; returns true when the response was already taken care of. */
  async function injectFaults(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const current = faults;
    if (current.dropRate && Math.random() < current.dropRate) {
      req.socket.destroy();
      return true;
    }
    if (current.latencyMs) await delay(current.latencyMs);
    if (current.errorRate && Math.random() < current.errorRate) {
      sendError(res, 500, "Internal server error");
      return true;
    }
    if (current.malformedRate && Math.random() < current.malformedRate) {
      const text = '{"decision": "MAYBE", "metadata": ';
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
      res.end(text);
      return true;
    }
    if (current.status) {
      sendError(res, current.status, faultDetail(current.status));
      return true;
    }
    return false;
  }

  function canonicalizeOr422(body: unknown) {
    try {
      return canonicalize(body);
    } catch (error) {
      if (error instanceof GovernorInitError && error.code === ErrorCodes.INVALID_INPUT)
        throw new HttpError(422, error.message);
      throw error;
    }
  }

  async function handleEnforce(req: IncomingMessage, res: ServerResponse, started: bigint): Promise<void> {
    const key = credential(req);
    const body = await readJsonBody(req, maxBody);
    const { canonical_intent, canonicalization_trace } = canonicalizeOr422(body);
    if (await injectFaults(req, res)) return;
    const tenant = tenantFor(key);
    canonical_intent.tenant_id = tenant;
    const active = policy;
    const verdict = decide(active, canonical_intent);
    const requestId = randomUUID();
    const latency = Math.round(Number(process.hrtime.bigint() - started) / 1_000) / 1_000;
    const response: {
      decision: "ALLOW" | "DENY";
      enforcement_latency_ms: number;
      metadata: {
        request_id: string;
        canonicalization_trace: TraceStep[];
        reason: string;
        matched_rule: string | null;
        policy: string;
      };
      decision_token?: string;
    } = {
      decision: verdict.decision,
      enforcement_latency_ms: latency,
      metadata: {
        request_id: requestId,
        canonicalization_trace,
        reason: verdict.reason,
        matched_rule: verdict.matched_rule,
        policy: active.name,
      },
    };
    if (tokenSecret) {
      response.decision_token = signDecisionToken(
        {
          intent_hash: intentHash(body),
          decision: verdict.decision,
          request_id: requestId,
          exp: Date.now() + tokenTtl,
        },
        tokenSecret,
      );
    }
    send(res, 200, response);
    record({
      time: new Date().toISOString(),
      request_id: requestId,
      decision: verdict.decision,
      reason: verdict.reason,
      matched_rule: verdict.matched_rule,
      policy: active.name,
      tenant_id: tenant,
      intent: body,
      canonical_intent,
      enforcement_latency_ms: latency,
      ...(response.decision_token ? { decision_token: response.decision_token } : {}),
    });
  }

  async function handleCanonicalize(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const key = credential(req);
    const body = await readJsonBody(req, maxBody);
    const result = canonicalizeOr422(body);
    if (await injectFaults(req, res)) return;
    result.canonical_intent.tenant_id = tenantFor(key);
    send(res, 200, result);
  }

  async function handleInstall(req: IncomingMessage, res: ServerResponse): Promise<void> {
    credential(req);
    const body = await readJsonBody(req, maxBody);
    let compiled: CompiledPolicy;
    try {
      compiled = compilePolicy(body);
    } catch (error) {
      if (error instanceof GovernorInitError) throw new HttpError(422, error.message);
      throw error;
    }
    policy = compiled;
    send(res, 201, {
      status: "installed",
      boundary_id: `bnd_${randomUUID()}`,
      request_id: randomUUID(),
      canonicalization_trace: compiled.trace,
      installation_stats: { ...compiled.stats, name: compiled.name },
    });
  }

  function handleHealth(res: ServerResponse): void {
    send(res, 200, {
      status: "ok",
      policy: policy.name,
      rules: policy.stats.rules,
      default: policy.default,
      decisions: decisionCount,
      uptime_s: Math.round((Date.now() - startedAt) / 1000),
      faults,
      tokens: tokenSecret !== undefined,
      ...(logError ? { decision_log_error: logError.message } : {}),
    });
  }

  function handleDecisions(url: URL, res: ServerResponse): void {
    const requestId = url.searchParams.get("request_id");
    send(res, 200, requestId === null ? recorded() : ring.filter((d) => d.request_id === requestId));
  }

  async function handleFaults(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJsonBody(req, maxBody);
    try {
      faults = validateFaults(body);
    } catch (error) {
      if (error instanceof GovernorInitError) throw new HttpError(422, error.message);
      throw error;
    }
    send(res, 200, { faults });
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    const rawUrl = req.url ?? "/";
    const queryAt = rawUrl.indexOf("?");
    const path = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
    const method = ROUTES[path];
    if (method === undefined) throw new HttpError(404, `Not found: ${path}`);
    if (req.method !== method)
      throw new HttpError(405, `Method ${req.method} not allowed on ${path}; use ${method}`, { allow: method });
    switch (path) {
      case ENFORCE_PATH:
        return handleEnforce(req, res, started);
      case CANONICALIZE_PATH:
        return handleCanonicalize(req, res);
      case POLICIES_INSTALL_PATH:
        return handleInstall(req, res);
      case "/health":
        return handleHealth(res);
      case "/mock/decisions":
        return handleDecisions(new URL(rawUrl, "http://mock"), res);
      case "/mock/faults":
        return handleFaults(req, res);
    }
  }

  const server: Server = createServer((req, res) => {
    req.on("error", () => {
      // Aborted uploads surface here; the socket is already gone.
    });
    res.on("error", () => {});
    route(req, res).catch((error: unknown) => {
      if (error instanceof HttpError) {
        sendError(res, error.status, error.detail, error.headers);
        if (error.headers.connection === "close") res.on("finish", () => req.socket.destroy());
      } else {
        sendError(res, 500, "Internal server error");
      }
    });
  });
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
    if (socket.writable && error.code !== "ECONNRESET") {
      const text = JSON.stringify({ detail: `Bad request: ${error.code ?? "malformed HTTP"}` });
      socket.end(
        `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
      );
    } else {
      socket.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      log?.end();
      reject(
        new GovernorInitError(
          ErrorCodes.SERVICE_UNAVAILABLE,
          error.code === "EADDRINUSE"
            ? `Port ${options.port} on ${host} is already in use`
            : `Cannot listen on ${host}:${options.port ?? 0}: ${error.message}`,
          {
            cause: error,
            suggestion:
              error.code === "EADDRINUSE"
                ? "Stop whatever holds the port, or pass --port 0 to pick a free port."
                : "Check --host and --port (the mock binds 127.0.0.1 by default).",
          },
        ),
      );
    };
    server.once("error", onError);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", onError);
      resolve();
    });
  });

  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => {
          if (log) log.end(() => resolve());
          else resolve();
        });
        server.closeAllConnections();
      });
      return closing;
    },
    decisions: recorded,
    setFaults(next: FaultOptions) {
      faults = validateFaults(next);
    },
    installPolicy(document: PolicyDocument | string) {
      policy = loadPolicy(document);
      return policy;
    },
    policy: () => policy,
  };
}
