/**
 * Strict mode (`GOVERNOR_STRICT=1`): the runtime itself enforces what patches cannot, for agents that
 * need no child processes, no workers, no WASI, no native addons and no writes outside known roots.
 *
 * The register preload re-runs the process under Node's permission model (`--experimental-permission`
 * on Node 20, `--permission` from 22) with reads allowed everywhere and writes only under
 * `GOVERNOR_STRICT_WRITE` (plus the audit log), and nothing else granted. The first process becomes
 * a launcher: it never runs the application, it only relays the restricted process's synchronous
 * decisions (a restricted process may not start the SDK's decision worker) and exits with its code.
 *
 * The relay speaks to the policy service only: the restricted process sends an intent's JSON over an
 * inherited pipe (fd 3) and gets the answer back; the URL and credentials are the launcher's own.
 */
import childProcess from "node:child_process";
import fs from "node:fs";
import { resolve } from "node:path";
import { resolveConfig } from "./config";
import { GovernorError } from "./errors";
import { sendSync } from "./transport-sync";
import type { TransportRequest, TransportResult } from "./transport";

/** The fd of the decision channel in the restricted process. */
const CHANNEL_FD = 3;
/** Set (to the fd) on the restricted process so its preload uses the channel. */
export const CHANNEL_VARIABLE = "GOVERNOR_STRICT_CHANNEL";

interface PermissionApi {
  has(scope: string, reference?: string): boolean;
}

/** Node's permission API when the permission model is on in this process. */
export function permissionModel(): PermissionApi | undefined {
  return (process as unknown as { permission?: PermissionApi }).permission;
}

/** The permission flags strict mode starts Node with, for this Node version. */
export function strictFlags(writeRoots: readonly string[]): string[] {
  const major = Number(process.versions.node.split(".")[0]);
  const flags = [major >= 22 ? "--permission" : "--experimental-permission", "--allow-fs-read=*"];
  for (const root of writeRoots) flags.push(`--allow-fs-write=${root}`);
  return flags;
}

/** Where a strict process may write: `GOVERNOR_STRICT_WRITE` (comma-separated paths), plus the audit log. */
export function strictWriteRoots(env: NodeJS.ProcessEnv = process.env): string[] {
  const roots = (env.GOVERNOR_STRICT_WRITE ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => resolve(item));
  const audit = env.GOVERNOR_AUDIT_LOG?.trim();
  if (audit) roots.push(resolve(audit));
  return roots;
}

/** Whether `GOVERNOR_STRICT` asks for strict mode (an invalid value is a configuration error). */
export function strictRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.GOVERNOR_STRICT?.trim().toLowerCase();
  if (value === undefined || value === "" || ["0", "false", "off", "no"].includes(value)) return false;
  if (["1", "true", "on", "yes"].includes(value)) return true;
  throw new GovernorError("GOVERNOR_CONFIG", `GOVERNOR_STRICT: expected 1 or 0; got "${env.GOVERNOR_STRICT}".`, {
    hint: "Set GOVERNOR_STRICT=1 for strict mode, or unset it.",
  });
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Reads one line from a (possibly non-blocking) fd, waiting as needed; undefined at end of file. */
function readLine(fd: number, pending: { text: string }, deadline = Number.POSITIVE_INFINITY): string | undefined {
  const buffer = Buffer.alloc(65536);
  for (;;) {
    const newline = pending.text.indexOf("\n");
    if (newline >= 0) {
      const line = pending.text.slice(0, newline);
      pending.text = pending.text.slice(newline + 1);
      return line;
    }
    if (Date.now() > deadline) return undefined;
    let read: number;
    try {
      read = fs.readSync(fd, buffer, 0, buffer.length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EAGAIN") {
        Atomics.wait(pause, 0, 0, 1);
        continue;
      }
      return undefined;
    }
    if (read === 0) return undefined;
    pending.text += buffer.toString("utf8", 0, read);
  }
}

function writeLine(fd: number, value: unknown): void {
  const text = Buffer.from(`${JSON.stringify(value)}\n`);
  let offset = 0;
  while (offset < text.length) {
    try {
      offset += fs.writeSync(fd, text, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}

/**
 * In the launcher: starts this same command under the permission model, relays its synchronous
 * decisions and exits with its exit code. Never returns.
 */
export function launchStrict(): never {
  const { config } = resolveConfig();
  const child = childProcess.spawn(
    process.execPath,
    [...strictFlags(strictWriteRoots()), ...process.execArgv, ...process.argv.slice(1)],
    {
      stdio: ["inherit", "inherit", "inherit", "pipe"],
      env: { ...process.env, [CHANNEL_VARIABLE]: String(CHANNEL_FD) },
    },
  );
  const fd = (child.stdio[CHANNEL_FD] as unknown as { _handle: { fd: number } })._handle.fd;
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (config.apiKey !== undefined) headers.authorization = `Bearer ${config.apiKey}`;
  const pending = { text: "" };
  for (;;) {
    const line = readLine(fd, pending);
    if (line === undefined) process.exit(1); // the restricted process died without saying how
    const message = JSON.parse(line) as { exit?: number; body?: string; timeoutMs?: number };
    if (typeof message.exit === "number") process.exit(message.exit);
    const result: TransportResult =
      config.enforceUrl === undefined
        ? { ok: false, kind: "network", message: "no GOVERNOR_ENFORCE_URL in the strict launcher" }
        : sendSync({
            url: config.enforceUrl,
            headers,
            body: String(message.body),
            timeoutMs: Number(message.timeoutMs) || config.timeoutMs,
          });
    writeLine(fd, result);
  }
}

/** In the restricted process: the synchronous transport over the launcher's channel. */
export function channelTransport(): ((request: TransportRequest) => TransportResult) | undefined {
  if (permissionModel() === undefined || process.env[CHANNEL_VARIABLE] !== String(CHANNEL_FD)) return undefined;
  const pending = { text: "" };
  process.on("exit", (code) => {
    try {
      writeLine(CHANNEL_FD, { exit: code });
    } catch {
      // The launcher is gone: nothing to tell.
    }
  });
  return (request) => {
    try {
      writeLine(CHANNEL_FD, { body: request.body, timeoutMs: request.timeoutMs });
      const line = readLine(CHANNEL_FD, pending, Date.now() + request.timeoutMs + 1000);
      if (line === undefined) return { ok: false, kind: "timeout", message: "no answer from the strict launcher" };
      return JSON.parse(line) as TransportResult;
    } catch (error) {
      return { ok: false, kind: "network", message: (error as Error).message };
    }
  };
}

/** What strict mode needs the runtime to refuse; each must be denied by the permission model. */
export const STRICT_DENIED_SCOPES = ["child", "worker", "wasi", "addon"] as const;

/** The scopes the permission model in force still allows (empty when strict mode holds). */
export function strictGaps(): string[] {
  const permission = permissionModel();
  if (permission === undefined) return ["permission model off"];
  const gaps: string[] = [];
  for (const scope of STRICT_DENIED_SCOPES) {
    try {
      if (permission.has(scope)) gaps.push(scope);
    } catch {
      // A scope this Node version does not know: nothing it could allow.
    }
  }
  return gaps;
}
