/**
 * Default intents derived from a primitive's arguments, for calls made outside any scope:
 * HTTP → `external_api` named by the full host, a process → `execute` on `process` named by the program,
 * an fs write → `write` / `delete` on `filesystem` named by the path, SQL → `database` named by the table.
 */
import { nodeBuiltin } from "./platform";
import { sha256Hex } from "./protocol";
import { loadedRequest, requestSlots } from "./snapshot";
import type { IntentEvent } from "./types";

/** A derived intent and the target exemptions are matched against. */
export interface Derived {
  intent: IntentEvent;
  target: string;
  /** Further effects of the same call, each needing its own ALLOW (rename: the source is removed too). */
  also?: Derived[];
}

const MAX_CONTEXT_CHARS = 1024;

/** Cuts long strings so intents (and the cache keys made from them) stay small. */
export function truncate(text: string, max = MAX_CONTEXT_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/**
 * The host an HTTP intent names, as written (lower case, no IPv6 brackets or trailing dot). The
 * policy service canonicalizes it (`api.stripe.com` → service `stripe`, keeping the host), so rules
 * on the service and rules on the exact host both match, and `uploads.github.com` is never mistaken
 * for `api.github.com`.
 */
export function hostForIntent(hostname: string): string {
  return hostname
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "")
    .toLowerCase();
}

/** GET/HEAD/OPTIONS → read, DELETE → delete, anything else → write. */
export function actionFromMethod(method: string): string {
  const upper = method.toUpperCase();
  if (upper === "GET" || upper === "HEAD" || upper === "OPTIONS") return "read";
  if (upper === "DELETE") return "delete";
  return "write";
}

/** The intent for an HTTP call. The query string is left out so secrets in it never reach the policy service. */
export function httpIntent(primitive: string, method: string, url: URL): Derived {
  const where = `${url.protocol}//${url.host}${url.pathname}`;
  return {
    intent: {
      action: actionFromMethod(method),
      resource: { type: "external_api", name: hostForIntent(url.hostname) },
      context: { primitive, method: method.toUpperCase(), url: where },
    },
    target: where,
  };
}

/** The URL and method of a `fetch(input, init)` call. */
export function fetchIntent(primitive: string, args: unknown[]): Derived {
  const input = args[0] as string | URL | { url: string; method?: string } | undefined;
  const init = args[1] as { method?: string } | undefined;
  let href: string;
  let method = init?.method;
  const RequestClass = loadedRequest();
  if (typeof input === "string") href = input;
  else if (RequestClass !== undefined && input instanceof RequestClass) {
    // The Request's own slots, as undici reads them (a subclass's getters do not change what is sent).
    const slots = requestSlots(input);
    href = slots.url;
    method ??= slots.method;
  } else if (input instanceof URL) href = input.href;
  else if (input !== null && typeof input === "object" && typeof input.url === "string") {
    href = input.url;
    method ??= input.method;
  } else href = String(input);
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    url = new URL("http://invalid.invalid/");
  }
  return httpIntent(primitive, method ?? "GET", url);
}

interface RequestOptionsLike {
  protocol?: string | null;
  host?: string | null;
  hostname?: string | null;
  port?: string | number | null;
  defaultPort?: string | number | null;
  path?: string | null;
  method?: string | null;
  agent?: { defaultPort?: unknown } | false | null;
  socketPath?: unknown;
}

/** Node's `urlToHttpOptions`: the request options a URL stands for. */
function urlToOptions(url: URL): RequestOptionsLike {
  const options: RequestOptionsLike = {
    protocol: url.protocol,
    hostname: url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname,
    path: `${url.pathname}${url.search}`,
  };
  if (url.port !== "") options.port = Number(url.port);
  return options;
}

/**
 * The URL and method of `http.request(url?, options?, cb?)` (and `get`), merged as Node merges them:
 * the URL becomes options, and every property of `options` wins over it (protocol, hostname, host,
 * port, path, method); `hostname` beats `host`; a `host` may carry a `:port`.
 */
export function httpRequestIntent(primitive: string, defaultProtocol: string, args: unknown[]): Derived {
  let merged: RequestOptionsLike = {};
  let index = 0;
  const first = args[0];
  if (typeof first === "string" || first instanceof URL) {
    try {
      merged = urlToOptions(first instanceof URL ? first : new URL(first));
    } catch {
      // Node throws ERR_INVALID_URL here: nothing is sent, so the intent only has to fail safe.
      merged = { hostname: "invalid.invalid" };
    }
    index = 1;
  }
  const options = args[index];
  if (options !== null && typeof options === "object" && !(options instanceof URL))
    merged = Object.assign(merged, options as RequestOptionsLike);
  const protocol = merged.protocol || defaultProtocol;
  // Node's own order: hostname, else host, else localhost (empty strings count as missing there too).
  const hostText = merged.hostname || merged.host || "localhost";
  const hostPort = !merged.hostname && merged.host ? /^(.*[^:]):(\d+)$/.exec(merged.host) : null;
  const hostname = hostPort ? hostPort[1]!.replace(/^\[|\]$/g, "") : hostText;
  const agentPort = merged.agent ? merged.agent.defaultPort : undefined;
  const port = merged.port || hostPort?.[2] || merged.defaultPort || (typeof agentPort === "number" ? agentPort : "");
  const path = merged.path || "/";
  let url: URL;
  try {
    // Concatenated, not resolved against a base: a path like `//other.host/x` must not change the host.
    url = new URL(
      `${protocol}//${hostname.includes(":") ? `[${hostname}]` : hostname}${port === "" ? "" : `:${port}`}${path.startsWith("/") ? path : `/${path}`}`,
    );
  } catch {
    url = new URL("http://invalid.invalid/");
  }
  const derived = httpIntent(primitive, merged.method || "GET", url);
  // Over a Unix socket the host is only a header: the socket is what is reached (a Docker daemon, say).
  if (typeof merged.socketPath === "string" && merged.socketPath !== "") {
    derived.intent.resource.name = `unix:${merged.socketPath}`;
    derived.intent.context!.socket_path = merged.socketPath;
    derived.target = `unix:${merged.socketPath}`;
  }
  return derived;
}

function firstWord(command: string): string {
  const match = /^\s*(?:"([^"]*)"|'([^']*)'|(\S+))/.exec(command);
  return match ? (match[1] ?? match[2] ?? match[3] ?? "") : "";
}

/**
 * The intent for starting a process. A command line too long to send whole is cut, and its full
 * SHA-256 goes along (`command_sha256`), so two commands that differ after the cut are two intents
 * (two cache keys), never one.
 */
export function processIntent(primitive: string, program: string, commandLine: string): Derived {
  const context: Record<string, unknown> = { primitive, command: truncate(commandLine) };
  if (commandLine.length > MAX_CONTEXT_CHARS) context.command_sha256 = sha256Hex(commandLine);
  return {
    intent: { action: "execute", resource: { type: "process", name: program }, context },
    target: program,
  };
}

/** The shell Node runs a command line with: `/bin/sh` (or `cmd.exe` on Windows), or the one named. */
function shellName(shell: unknown): string {
  if (typeof shell === "string" && shell !== "") {
    const base = shell.split(/[\\/]/).at(-1) ?? shell;
    return base === "" ? shell : base;
  }
  return process.platform === "win32" ? "cmd.exe" : "sh";
}

/**
 * A command line run by a shell: the process started is the shell, which may run anything the line
 * says (`echo ok; rm -rf …`), so the resource is the shell (`sh`) and the whole line is context
 * (`command`, plus `program`, its first word, for reading). A `no-shell` rule applies to it.
 */
function shellIntent(primitive: string, shell: unknown, commandLine: string): Derived {
  const derived = processIntent(primitive, shellName(shell), commandLine);
  derived.intent.context!.program = firstWord(commandLine);
  return derived;
}

/** `exec(command, { shell })`, `execSync(command, { shell })`: always a shell command line. */
export function shellCommandIntent(primitive: string, args: unknown[]): Derived {
  const options = args[1] as { shell?: unknown } | undefined | null;
  const shell = options !== null && typeof options === "object" ? options.shell : undefined;
  return shellIntent(primitive, shell, String(args[0]));
}

/** `execFile(file, args)`, `spawn(command, args, { shell })`, and their sync forms. */
export function fileCommandIntent(primitive: string, args: unknown[]): Derived {
  const file = String(args[0]);
  const list = Array.isArray(args[1]) ? (args[1] as unknown[]).map(String) : [];
  const options = (Array.isArray(args[1]) ? args[2] : args[1]) as { shell?: unknown } | undefined | null;
  const shell = options !== null && typeof options === "object" ? options.shell : undefined;
  // With `shell`, Node joins file and args into one line and hands it to the shell.
  if (shell) return shellIntent(primitive, shell, [file, ...list].join(" "));
  return processIntent(primitive, file, [file, ...list].join(" "));
}

/**
 * `fork(modulePath, args, { execPath, execArgv })`: runs Node on a module, or whatever program
 * `execPath` names (with `execArgv` before the module): named by that program then.
 */
export function forkIntent(primitive: string, args: unknown[]): Derived {
  const modulePath = pathText(args[0]);
  const list = Array.isArray(args[1]) ? (args[1] as unknown[]).map(String) : [];
  const options = (Array.isArray(args[1]) ? args[2] : args[1]) as
    { execPath?: unknown; execArgv?: unknown } | undefined | null;
  const bag = options !== null && typeof options === "object" ? options : {};
  const execArgv = Array.isArray(bag.execArgv) ? (bag.execArgv as unknown[]).map(String) : [];
  const execPath = typeof bag.execPath === "string" && bag.execPath !== "" ? bag.execPath : undefined;
  const program = execPath === undefined ? "node" : (execPath.split(/[\\/]/).at(-1) ?? execPath) || execPath;
  return processIntent(primitive, program, [execPath ?? "node", ...execArgv, modulePath, ...list].join(" "));
}

// Paths only matter for fs and process intents, which exist only where Node's builtins do.
let pathModules: { path: typeof import("node:path"); url: typeof import("node:url") } | undefined;
function nodePaths(): { path: typeof import("node:path"); url: typeof import("node:url") } {
  if (pathModules === undefined) {
    const path = nodeBuiltin<typeof import("node:path")>("node:path");
    const url = nodeBuiltin<typeof import("node:url")>("node:url");
    if (path === undefined || url === undefined) throw new Error("fs and process intents need node:path and node:url.");
    pathModules = { path, url };
  }
  return pathModules;
}

function resolvePath(path: string): string {
  return nodePaths().path.resolve(path);
}

function pathText(value: unknown): string {
  if (typeof value === "number") return `fd:${value}`;
  if (value instanceof URL) return value.protocol === "file:" ? nodePaths().url.fileURLToPath(value) : value.href;
  if (Buffer.isBuffer(value)) return resolvePath(value.toString("utf8"));
  if (ArrayBuffer.isView(value))
    return resolvePath(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("utf8"));
  if (typeof value === "string") return resolvePath(value);
  if (value !== null && typeof value === "object" && "fd" in value)
    return `fd:${String((value as { fd: unknown }).fd)}`;
  return String(value);
}

/** The `open` flags that write: O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND (Linux/macOS values as fallback). */
let writingOpenBits: number | undefined;
function openWriteBits(): number {
  if (writingOpenBits === undefined) {
    const c = nodeBuiltin<typeof import("node:fs")>("node:fs")?.constants;
    writingOpenBits =
      c === undefined
        ? 0o1 | 0o2 | 0o100 | 0o1000 | 0o2000
        : c.O_WRONLY | c.O_RDWR | c.O_CREAT | c.O_TRUNC | c.O_APPEND;
  }
  return writingOpenBits;
}

/**
 * Whether `open(path, flags)` only reads: flags absent, `null`, or a string without `w`, `a` or `+`
 * (`r`, `rs`, `sr`), or a number without a writing bit. Anything else (an unknown type) is governed.
 */
export function openOnlyReads(args: unknown[]): boolean {
  const flags = args[1];
  if (flags === undefined || flags === null || typeof flags === "function") return true;
  if (typeof flags === "string") return !/[wa+]/i.test(flags);
  if (typeof flags === "number") return (flags & openWriteBits()) === 0;
  return false;
}

/** fs operations that delete. */
const DELETING = new Set(["rm", "rmdir", "unlink"]);
/** fs operations whose second argument is the path written (the first is the source). */
const DESTINATION_SECOND = new Set(["rename", "copyFile", "cp", "symlink", "link"]);

/** Operations that act on a link itself, never on what it points to (the final path is not followed). */
const NOT_FOLLOWING = new Set(["rm", "rmdir", "unlink", "rename", "link", "symlink", "lchmod", "lchown", "lutimes"]);

/**
 * Where a path really lands once symlinks are followed (the file's, else its directory's real path),
 * when that differs from the path: a write through a link changes the file it points to.
 */
function realTarget(path: string, followLast: boolean): string | undefined {
  if (!path.startsWith("/") && !/^[A-Za-z]:[\\/]/.test(path)) return undefined; // fd:<n>, a URL
  const fs = nodeBuiltin<typeof import("node:fs")>("node:fs");
  const { dirname, basename, join } = nodePaths().path;
  if (fs === undefined) return undefined;
  const real = (p: string): string | undefined => {
    try {
      return fs.realpathSync.native(p);
    } catch {
      return undefined;
    }
  };
  const whole = followLast ? real(path) : undefined;
  const found =
    whole ??
    (() => {
      const parent = real(dirname(path));
      return parent === undefined ? undefined : join(parent, basename(path));
    })();
  return found !== undefined && found !== path ? found : undefined;
}

/**
 * The intent for an fs write: `write` (or `delete`) on `filesystem` named by the path written. The
 * other end of a two-path operation is decided too (`also`): the source a rename removes (`delete`),
 * the file a hard link or symlink makes writable under a new name (`write`), the source a copy reads
 * (`read`); and so is the real path when symlinks send the write elsewhere.
 */
export function fsIntent(primitive: string, operation: string, args: unknown[]): Derived {
  const second = DESTINATION_SECOND.has(operation);
  const path = pathText(second ? args[1] : args[0]);
  const context: Record<string, unknown> = { primitive };
  const action = DELETING.has(operation) ? "delete" : "write";
  let from: string | undefined;
  if (second) {
    from =
      operation === "symlink"
        ? nodePaths().path.resolve(
            nodePaths().path.dirname(path),
            args[0] instanceof URL ? pathText(args[0]) : String(args[0]), // relative to the link's directory
          )
        : pathText(args[0]);
    context.from = operation === "symlink" ? String(args[0]) : from;
  }
  const derived: Derived = {
    intent: { action, resource: { type: "filesystem", name: path }, context },
    target: path,
  };
  const also: Derived[] = [];
  const other = (otherAction: string, name: string, role: string): Derived => ({
    intent: { action: otherAction, resource: { type: "filesystem", name }, context: { primitive, role } },
    target: name,
  });
  if (from !== undefined) {
    if (operation === "rename") also.push(other("delete", from, "source"));
    else if (operation === "link" || operation === "symlink") also.push(other("write", from, "link-target"));
    else also.push(other("read", from, "source"));
  }
  const real = realTarget(path, !NOT_FOLLOWING.has(operation));
  if (real !== undefined) also.push(other(action, real, "real-path"));
  if (also.length > 0) derived.also = also;
  return derived;
}

/** Statement verbs that only read. A statement made of nothing else is a `read`. */
const SQL_READ_VERBS = new Set(["SELECT", "WITH", "SHOW", "EXPLAIN", "DESCRIBE", "DESC", "VALUES", "TABLE", "SET"]);

/**
 * Verbs that change data, anywhere in the text (after `;`, inside a CTE, after EXPLAIN ANALYZE),
 * most destructive first. Not counted: `ON DELETE` / `ON UPDATE` (foreign-key clauses), `FOR UPDATE`
 * (a row lock), and the `REPLACE(…)` string function.
 */
const SQL_CHANGES: ReadonlyArray<[string, RegExp]> = [
  ["delete", /(?<!\bON\s+)\b(?:DELETE|DROP|TRUNCATE)\b/i],
  [
    "write",
    /\b(?:INSERT|UPSERT|MERGE|CREATE|ALTER|RENAME|GRANT|REVOKE|COPY)\b|(?<!\b(?:ON|FOR(?:\s+NO\s+KEY)?)\s+)\bUPDATE\b|\bREPLACE\b(?!\s*\()/i,
  ],
];

const SQL_TABLE =
  /\b(?:from|into|update|table|join)\s+(?:if\s+(?:not\s+)?exists\s+)?(?:only\s+)?([`"[]?[\w$.]+[`"\]]?)/i;

/** The text of a pg / mysql2 query argument: a string, `{ text }` or `{ sql }`. */
export function sqlText(query: unknown): string {
  if (typeof query === "string") return query;
  if (query !== null && typeof query === "object") {
    const q = query as { text?: unknown; sql?: unknown };
    if (typeof q.text === "string") return q.text;
    if (typeof q.sql === "string") return q.sql;
  }
  return String(query);
}

/**
 * The most destructive thing the statement does, anywhere in it (every `;`-separated statement,
 * CTEs, EXPLAIN ANALYZE): DELETE/DROP/TRUNCATE → delete, INSERT/UPDATE/MERGE/UPSERT/CREATE/ALTER →
 * write, only reads → read, anything else (CALL, VACUUM) → execute; on `database` named by the
 * table that verb acts on (else the first table).
 */
export function sqlIntent(primitive: string, query: unknown): Derived {
  const sql = sqlText(query)
    .replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, " ")
    .trim();
  // Verbs are looked for outside string literals: `VALUES ('drop it')` writes, it does not drop.
  const code = sql.replace(/'(?:[^']|'')*'/g, (literal) => " ".repeat(literal.length));
  let action: string | undefined;
  let at = 0;
  for (const [verbAction, pattern] of SQL_CHANGES) {
    const found = pattern.exec(code);
    if (found !== null) {
      action = verbAction;
      at = found.index;
      break;
    }
  }
  if (action === undefined) {
    const statements = code
      .split(";")
      .map((part) => part.trim())
      .filter((part) => part !== "");
    const verbs = statements.map((part) => (/^[A-Za-z]+/.exec(part)?.[0] ?? "").toUpperCase());
    action = verbs.length > 0 && verbs.every((verb) => SQL_READ_VERBS.has(verb)) ? "read" : "execute";
  }
  const tableMatch =
    SQL_TABLE.exec(sql.slice(at)) ?? /^truncate\s+([`"[]?[\w$.]+[`"\]]?)/i.exec(sql.slice(at)) ?? SQL_TABLE.exec(sql);
  const table = tableMatch ? tableMatch[1]!.replace(/[`"[\]]/g, "") : undefined;
  const resource: IntentEvent["resource"] =
    table === undefined ? { type: "database" } : { type: "database", name: table };
  return {
    intent: { action, resource, context: { primitive, statement: truncate(sql) } },
    target: table ?? "",
  };
}
