/**
 * Recent Governor decisions, newest first, so an agent can answer "why was that denied?" with
 * evidence: from audit logs in the SDK's audit event shape (one JSON object a line: the SDK's
 * `GOVERNOR_AUDIT_LOG`, the coding-agent hooks' `.governor/audit.jsonl`, or any other component that
 * writes that shape) and from the enforce mock's decision log (`GET /mock/decisions`). Filters: tool,
 * decision, time. Each entry names its request id and how to ask `explain_decision` about it.
 *
 * Engine for the MCP server's `get_decision_history` tool; it imports no front end.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { ErrorCodes, GovernorInitError } from "./errors.js";
import { mockBaseUrl } from "./explain-decision.js";

/** A decision as recorded: the SDK's audit decisions plus the mock's. */
export type HistoryDecision = "ALLOW" | "DENY" | "ERROR" | "BYPASS";

/** Input of {@link getDecisionHistory}. */
export interface DecisionHistoryInput {
  /** Audit log files (JSONL, SDK audit event shape). Missing files are reported, not fatal. */
  auditLogs?: string[];
  /** Enforce mock base URL (loopback only) whose decision log to read. */
  mockUrl?: string;
  /** Keep entries whose tool, resource name, target or action contains this (case-insensitive). */
  tool?: string;
  decision?: HistoryDecision;
  /** ISO time, or a duration back from now: `30s`, `15m`, `2h`, `7d`. */
  since?: string;
  until?: string;
  /** Most entries returned (newest first); default 20, at most 500. */
  limit?: number;
  /** Only executed / not-executed entries (audit logs only; mock entries have no `executed`). */
  executed?: boolean;
  /** Time the durations count back from; default now. */
  now?: Date;
}

/** One decision. */
export interface HistoryEntry {
  time: string;
  decision: HistoryDecision;
  action: string;
  resourceType: string;
  resourceName?: string;
  /** The agent tool (hooks, `governTool`) or primitive (`fetch`, `child_process.exec`) that asked. */
  tool?: string;
  /** The coding agent, for hook decisions. */
  agent?: string;
  /** The command line, URL or path, when recorded. */
  target?: string;
  reason?: string;
  requestId?: string;
  /** Whether the action ran (audit logs). */
  executed?: boolean;
  /** Whether it came from the decision cache or ran under an earlier decision. */
  cached?: boolean;
  /** Where it was read: an audit log path, or `mock`. */
  from: string;
  /** How to ask why: the `explain_decision` tool's arguments, when there is a request id. */
  explain?: { tool: "explain_decision"; arguments: { requestId: string; mockUrl?: string } };
}

/** What {@link getDecisionHistory} returns. */
export interface DecisionHistory {
  entries: HistoryEntry[];
  /** How many matched before `limit` cut them. */
  matched: number;
  /** Each source read, with how many records it held or why it could not be read. */
  sources: Array<{ source: string; records: number; problem?: string }>;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

const DURATION = /^(\d+)\s*(s|m|h|d)$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Parses an ISO time or a duration back from `now`. */
export function parseTimeBound(value: string, now: Date, name: string): number {
  const trimmed = value.trim();
  const duration = DURATION.exec(trimmed);
  if (duration) return now.getTime() - Number(duration[1]) * UNIT_MS[duration[2] as keyof typeof UNIT_MS];
  const time = Date.parse(trimmed);
  if (Number.isNaN(time)) {
    throw new GovernorInitError(ErrorCodes.INVALID_INPUT, `${name} ${JSON.stringify(value)} is not a time.`, {
      suggestion: `Give an ISO time (2026-12-01T10:00:00Z) or a duration back from now (30s, 15m, 2h, 7d).`,
    });
  }
  return time;
}

/** An SDK audit event (or a hooks' record in that shape) → an entry; undefined when it is not one. */
export function entryFromAudit(record: unknown, from: string): HistoryEntry | undefined {
  if (!isObject(record) || !isObject(record.intent) || typeof record.time !== "string") return undefined;
  const decision = record.decision;
  if (decision !== "ALLOW" && decision !== "DENY" && decision !== "ERROR" && decision !== "BYPASS") return undefined;
  const intent = record.intent;
  const resource = isObject(intent.resource) ? intent.resource : {};
  const context = isObject(intent.context) ? intent.context : {};
  const entry: HistoryEntry = {
    time: record.time,
    decision,
    action: str(intent.action) ?? "?",
    resourceType: str(resource.type) ?? "?",
    from,
  };
  const set = <K extends keyof HistoryEntry>(key: K, value: HistoryEntry[K] | undefined): void => {
    if (value !== undefined) entry[key] = value;
  };
  set("resourceName", str(resource.name));
  set("tool", str(context.tool) ?? str(record.primitive));
  set("agent", str(context.agent));
  set("target", str(record.target) ?? str(context.command));
  set("reason", str(record.reason));
  set("requestId", str(record.requestId));
  if (typeof record.executed === "boolean") entry.executed = record.executed;
  if (typeof record.cached === "boolean") entry.cached = record.cached;
  return entry;
}

/** A record of the mock's decision log → an entry. */
export function entryFromMock(record: unknown): HistoryEntry | undefined {
  if (!isObject(record) || typeof record.time !== "string") return undefined;
  if (record.decision !== "ALLOW" && record.decision !== "DENY") return undefined;
  const intent = isObject(record.intent) ? record.intent : {};
  const resource = isObject(intent.resource) ? intent.resource : {};
  const context = isObject(intent.context) ? intent.context : {};
  const entry: HistoryEntry = {
    time: record.time,
    decision: record.decision,
    action: str(intent.action) ?? "?",
    resourceType: str(resource.type) ?? "?",
    from: "mock",
  };
  if (str(resource.name)) entry.resourceName = str(resource.name);
  if (str(context.tool)) entry.tool = str(context.tool);
  if (str(context.agent)) entry.agent = str(context.agent);
  if (str(context.command)) entry.target = str(context.command);
  if (str(record.reason)) entry.reason = str(record.reason);
  if (str(record.request_id)) entry.requestId = str(record.request_id);
  return entry;
}

function readAuditLog(file: string): { entries: HistoryEntry[]; records: number; problem?: string } {
  if (!existsSync(file)) return { entries: [], records: 0, problem: "no such file" };
  if (!statSync(file).isFile()) return { entries: [], records: 0, problem: "not a file" };
  const entries: HistoryEntry[] = [];
  let records = 0;
  let skipped = 0;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    records++;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      skipped++;
      continue;
    }
    const entry = entryFromAudit(parsed, file);
    if (entry) entries.push(entry);
    else skipped++;
  }
  const result: { entries: HistoryEntry[]; records: number; problem?: string } = { entries, records };
  if (skipped > 0) result.problem = `${skipped} line(s) not in the audit event shape were skipped`;
  return result;
}

async function readMock(mockUrl: string): Promise<HistoryEntry[]> {
  const base = mockBaseUrl(mockUrl);
  const res = await fetch(new URL("/mock/decisions", base), { signal: AbortSignal.timeout(2000) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const body: unknown = await res.json();
  const list = Array.isArray(body) ? body : isObject(body) && Array.isArray(body.decisions) ? body.decisions : [];
  return list.map(entryFromMock).filter((e): e is HistoryEntry => e !== undefined);
}

/**
 * Reads the sources, filters and returns the newest entries first. A source that cannot be read is
 * reported in `sources`; when none can be read at all the call fails with what to pass instead.
 */
export async function getDecisionHistory(input: DecisionHistoryInput): Promise<DecisionHistory> {
  const now = input.now ?? new Date();
  const since = input.since !== undefined ? parseTimeBound(input.since, now, "since") : undefined;
  const until = input.until !== undefined ? parseTimeBound(input.until, now, "until") : undefined;
  const limit = Math.min(Math.max(input.limit ?? 20, 1), 500);
  const sources: DecisionHistory["sources"] = [];
  const all: HistoryEntry[] = [];
  for (const file of [...new Set((input.auditLogs ?? []).map((f) => path.resolve(f)))]) {
    const read = readAuditLog(file);
    all.push(...read.entries);
    sources.push(
      read.problem
        ? { source: file, records: read.records, problem: read.problem }
        : { source: file, records: read.records },
    );
  }
  if (input.mockUrl !== undefined) {
    try {
      const entries = await readMock(input.mockUrl);
      all.push(...entries);
      sources.push({ source: `mock ${input.mockUrl}`, records: entries.length });
    } catch (error) {
      if (error instanceof GovernorInitError) throw error;
      sources.push({
        source: `mock ${input.mockUrl}`,
        records: 0,
        problem: `did not answer (${(error as Error).message})`,
      });
    }
  }
  if (sources.length === 0 || sources.every((s) => s.records === 0 && s.problem !== undefined)) {
    throw new GovernorInitError(ErrorCodes.NOT_FOUND, "No decision log could be read.", {
      suggestion:
        "Pass auditLog (a GOVERNOR_AUDIT_LOG file, or .governor/audit.jsonl written by the coding-agent hooks) or mockUrl (a running governor-init mock). Tried: " +
        (sources.map((s) => `${s.source} (${s.problem})`).join(", ") || "nothing"),
    });
  }
  const needle = input.tool?.toLowerCase();
  const matched = all.filter((e) => {
    const time = Date.parse(e.time);
    if (since !== undefined && !(time >= since)) return false;
    if (until !== undefined && !(time <= until)) return false;
    if (input.decision !== undefined && e.decision !== input.decision) return false;
    if (input.executed !== undefined && e.executed !== input.executed) return false;
    if (needle !== undefined) {
      const haystack = [e.tool, e.resourceName, e.target, e.action, e.agent].filter(Boolean).join(" ").toLowerCase();
      if (!haystack.includes(needle)) return false;
    }
    return true;
  });
  matched.sort((a, b) => Date.parse(b.time) - Date.parse(a.time));
  const entries = matched.slice(0, limit).map((e) => {
    if (e.requestId === undefined) return e;
    const args: { requestId: string; mockUrl?: string } = { requestId: e.requestId };
    if (input.mockUrl !== undefined) args.mockUrl = input.mockUrl;
    return { ...e, explain: { tool: "explain_decision" as const, arguments: args } };
  });
  return { entries, matched: matched.length, sources };
}
