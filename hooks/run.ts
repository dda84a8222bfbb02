/**
 * `governor-init hook <client> <event>`: one hook call of a coding agent, decided by the Governor.
 * Reads the agent's payload, maps it to intents (`intent.ts`), asks the policy service through the
 * SDK (`withIntent`: same configuration, decision tokens, fail mode and audit log as the SDK), and
 * answers in the agent's protocol. After-events append to the audit log.
 *
 * Fail closed: a payload it cannot read, an event it does not know, a missing decision, any error
 * all end as a block (exit code 2, the one code every supported agent reads as "block"), with a
 * message saying how to fix it. The process wrapper (`main.ts`) turns crashes and its own deadline
 * into the same block.
 *
 * On the cold-start path: the SDK is imported only when a decision is needed.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { AuditEvent, IntentEvent } from "@governor/sdk";
import { HOOK_CLIENTS, type HookClientInfo, type HookEventInfo } from "../templates/hook-clients.js";
import { PayloadError, readHookCall, type HookCall } from "./intent.js";

/** What the hook process writes and how it exits. */
export interface HookAnswer {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** For tests and logs: what happened. */
  outcome: "allow" | "deny" | "error" | "audited" | "skipped";
}

/** Input of {@link runHook}. */
export interface RunHookInput {
  client: string;
  event: string;
  /** The payload text read from stdin. */
  stdin: string;
  /** Decide reads too (`--reads`); otherwise reads are let through without asking. */
  reads?: boolean;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** The audit log file hooks write to: `GOVERNOR_AUDIT_LOG`, else `.governor/audit.jsonl` in the project. */
export function hookAuditLog(env: NodeJS.ProcessEnv, projectDir: string): string {
  const configured = env.GOVERNOR_AUDIT_LOG?.trim();
  return configured ? path.resolve(configured) : path.join(projectDir, ".governor", "audit.jsonl");
}

const PREFIX = "Governor";

/** The block answer in a client's protocol: exit code 2 and the reason on stderr (Cursor also reads JSON). */
export function blockAnswer(client: string, message: string, outcome: "deny" | "error" = "error"): HookAnswer {
  const text = message.startsWith(PREFIX) ? message : `${PREFIX} blocked this action: ${message}`;
  const stdout =
    client === "cursor" ? JSON.stringify({ permission: "deny", user_message: text, agent_message: text }) + "\n" : "";
  return { exitCode: 2, stdout, stderr: text + "\n", outcome };
}

function allowAnswer(client: string, outcome: HookAnswer["outcome"]): HookAnswer {
  // Claude Code: no output, so its own permission rules still apply (an explicit "allow" would skip them).
  const stdout = client === "cursor" ? '{"permission":"allow"}\n' : client === "gemini" ? "{}\n" : "";
  return { exitCode: 0, stdout, stderr: "", outcome };
}

function postAnswer(client: string, warning?: string): HookAnswer {
  const stdout = client === "claude-code" ? "" : "{}\n";
  return { exitCode: 0, stdout, stderr: warning ? `${warning}\n` : "", outcome: "audited" };
}

function findEvent(client: HookClientInfo, event: string): HookEventInfo | undefined {
  return client.events.find((e) => e.name === event);
}

/** Appends one record per intent: the action ran (reported by an after-event) under an earlier decision. */
function appendPostRecords(call: HookCall, client: string, event: string, file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const time = new Date().toISOString();
  const lines = call.intents.map((intent) => {
    // The SDK's audit shape; `cached: true` as for a primitive that ran under its scope's decision.
    const record: AuditEvent = {
      time,
      source: "tool",
      primitive: `${client} ${event}`,
      target: call.target,
      intent,
      decision: "ALLOW",
      executed: true,
      cached: true,
    };
    return JSON.stringify(record);
  });
  appendFileSync(file, lines.join("\n") + "\n");
}

let sdkLoading: Promise<typeof import("@governor/sdk/edge")> | undefined;

/**
 * Loads the SDK once. Its `edge` entry: the same engine, scopes, tokens and audit log, without the
 * primitive patches and the decision worker a hook never uses (it loads in about half the time).
 * `globalThis.fetch` is set to the node:http one first: the SDK captures the global fetch as its
 * transport when it loads, and Node's own fetch is the slowest part of a cold start.
 */
function loadSdk(): Promise<typeof import("@governor/sdk/edge")> {
  sdkLoading ??= import("./http-fetch.js").then(({ httpFetch }) => {
    globalThis.fetch = httpFetch as unknown as typeof fetch;
    return import("@governor/sdk/edge");
  });
  return sdkLoading;
}

interface Verdict {
  kind: "allow" | "deny" | "error";
  message?: string;
}

/** Decides one intent through the SDK: an intent scope around nothing, so cache, tokens and audit are the SDK's. */
async function decide(intent: IntentEvent): Promise<Verdict> {
  const sdk = await loadSdk();
  try {
    await sdk.governor.withIntent(intent, () => undefined);
    return { kind: "allow" };
  } catch (error) {
    if (error instanceof sdk.GovernorDeniedError) {
      const ref = error.requestId
        ? ` To see why: ask the explain_decision tool of the Governor docs MCP server about request ${error.requestId}.`
        : "";
      return { kind: "deny", message: `${error.message}.${ref} Do not retry the same action unchanged.` };
    }
    if (error instanceof sdk.GovernorError) {
      return { kind: "error", message: `${error.message}${error.hint ? ` ${error.hint}` : ""}` };
    }
    throw error;
  }
}

/**
 * Runs one hook call and returns the answer to give the agent. Never throws for bad input: every
 * problem is a block answer. (It can throw on a bug; the process wrapper blocks then too.)
 */
export async function runHook(input: RunHookInput): Promise<HookAnswer> {
  const env = input.env ?? process.env;
  const client = HOOK_CLIENTS.find((c) => c.id === input.client) as HookClientInfo | undefined;
  if (!client) {
    return blockAnswer(
      input.client,
      `unknown client "${input.client}" (known: ${HOOK_CLIENTS.map((c) => c.id).join(", ")}). Reinstall the hooks: npx governor-init hooks install --client <client>.`,
    );
  }
  const event = findEvent(client, input.event);
  if (!event) {
    return blockAnswer(
      client.id,
      `${client.name} event "${input.event}" is not one governor-init handles (known: ${client.events.map((e) => e.name).join(", ")}). Reinstall the hooks: npx governor-init hooks install --client ${client.id}.`,
    );
  }
  let call: HookCall;
  try {
    const options: { env: NodeJS.ProcessEnv; cwd: string; projectDirEnv?: string } = {
      env,
      cwd: input.cwd ?? process.cwd(),
    };
    if (client.projectDirEnv !== undefined) options.projectDirEnv = client.projectDirEnv;
    call = readHookCall(client.id, event.name, input.stdin, options);
  } catch (error) {
    if (!(error instanceof PayloadError)) throw error;
    const message = `cannot read the ${client.name} ${event.name} payload: ${error.message} Denied, since what it would do is unknown.`;
    if (event.phase === "post") return postAnswer(client.id, `${PREFIX}: ${message}`);
    return blockAnswer(client.id, message);
  }
  const auditLog = hookAuditLog(env, call.projectDir);
  if (event.phase === "post") {
    try {
      appendPostRecords(call, client.id, event.name, auditLog);
      return postAnswer(client.id);
    } catch (error) {
      // The action already ran; nothing is left to block. Say so where the user sees it.
      return postAnswer(
        client.id,
        `${PREFIX}: could not append to the audit log ${auditLog}: ${(error as Error).message}`,
      );
    }
  }
  if (call.kind === "read" && !input.reads) return allowAnswer(client.id, "skipped");
  // The SDK reads its configuration from the environment once: point its audit log at the hooks' default.
  if (!env.GOVERNOR_AUDIT_LOG?.trim()) {
    try {
      mkdirSync(path.dirname(auditLog), { recursive: true });
      process.env.GOVERNOR_AUDIT_LOG = auditLog;
    } catch {
      // A project directory we cannot write to: decide without the default audit log rather than block.
    }
  }
  const verdicts = await Promise.all(call.intents.map((intent) => decide(intent)));
  const denied = verdicts.find((v) => v.kind === "deny");
  if (denied) return blockAnswer(client.id, denied.message!, "deny");
  const failed = verdicts.find((v) => v.kind === "error");
  if (failed) return blockAnswer(client.id, failed.message!, "error");
  return allowAnswer(client.id, "allow");
}
