/**
 * The validate engine: runs a customer's command against the bundled enforce mock with the bundled
 * SDK preloaded, then reports every decision, every denial and every side effect that ran without
 * an ALLOW. Used by `governor-init validate`, the wizard and `npm run demo`.
 *
 * Anything exported here is public API of the validate engine.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ErrorCodes, GovernorInitError } from "../../core/errors.js";
import { startMockServer, type DecisionRecord, type PolicyDocument } from "../index.js";

/** One line of the SDK's audit log (`GOVERNOR_AUDIT_LOG`), as in `sdk/src/types.ts` `AuditEvent`. */
export interface AuditRecord {
  time: string;
  source: "scope" | "tool" | "primitive";
  primitive?: string;
  target?: string;
  intent: Record<string, unknown>;
  decision: "ALLOW" | "DENY" | "ERROR" | "BYPASS";
  requestId?: string;
  reason?: string;
  executed: boolean;
  cached: boolean;
}

/** Options of {@link runValidation}. */
export interface ValidateOptions {
  /** The project to run in (the command's working directory). */
  dir: string;
  /** The command and its arguments, for example `["node", "src/agent.js"]`. Run without a shell. */
  command: readonly string[];
  /** `allow-all` (default), `deny-all`, a policy file path (resolved against `dir`), or a document. */
  policy?: string | PolicyDocument;
  /** Where the command's output goes: this process's stdio (default), all to stderr (for JSON reports), or captured. */
  output?: "inherit" | "stderr" | "pipe";
  /** Extra environment for the command. */
  env?: NodeJS.ProcessEnv;
  /** Kill the command after this long; default no limit. */
  timeoutMs?: number;
  /** Called once the mock listens, with its URL (to print it). */
  onMockStarted?: (url: string) => void;
}

/** A decision, trimmed for reports. */
export interface ReportedDecision {
  requestId: string;
  decision: "ALLOW" | "DENY";
  reason: string;
  matchedRule: string | null;
  action: string;
  resource: string;
}

/** What {@link runValidation} found. */
export interface ValidationReport {
  command: string[];
  policy: string;
  exitCode: number | null;
  signal: string | null;
  /** Every decision the mock made, in order. */
  decisions: ReportedDecision[];
  /** Every attempt the SDK logged. */
  attempts: AuditRecord[];
  /** Attempts the policy denied (their side effects did not run). */
  denials: AuditRecord[];
  /** Side effects that ran without an ALLOW from the mock (fail-open errors, bypass, unknown request ids). */
  ungoverned: AuditRecord[];
  /** Why validation failed; empty when it passed. */
  problems: string[];
  passed: boolean;
  /** Captured output when `output: "pipe"`. */
  stdout?: string;
  stderr?: string;
}

/** The root of the governor-init package (the directory with its package.json), from this file. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "governor-init") return dir;
      } catch {
        // not ours; keep walking up
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new GovernorInitError(ErrorCodes.INTERNAL, "Cannot find the governor-init package root.");
    dir = parent;
  }
}

/** The SDK bundled with governor-init: its directory, and the preload that loads it. */
export function bundledSdk(): { sdkDir: string; preload: string } {
  const root = packageRoot();
  let sdkDir: string;
  try {
    sdkDir = path.dirname(createRequire(path.join(root, "package.json")).resolve("@governor/sdk/package.json"));
  } catch (error) {
    throw new GovernorInitError(ErrorCodes.INTERNAL, "The SDK bundled with governor-init is missing.", {
      cause: error,
    });
  }
  if (!existsSync(path.join(sdkDir, "dist", "register.js"))) {
    throw new GovernorInitError(
      ErrorCodes.INTERNAL,
      `The bundled SDK is not built (${sdkDir}/dist/register.js is missing).`,
      {
        suggestion: "In a checkout of governor-init, run `npm run build` first.",
      },
    );
  }
  const preload = path.join(root, "dist", "enforce-mock", "validate", "preload.cjs");
  if (!existsSync(preload)) {
    throw new GovernorInitError(ErrorCodes.INTERNAL, `The validate preload is missing (${preload}).`, {
      suggestion: "In a checkout of governor-init, run `npm run build` first.",
    });
  }
  return { sdkDir, preload };
}

function quoteForNodeOptions(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

function readAuditLog(file: string): AuditRecord[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as AuditRecord];
      } catch {
        // a process killed mid-write leaves a partial last line; the complete ones still count
        return [];
      }
    });
}

function describeResource(intent: unknown): { action: string; resource: string } {
  const record = (intent ?? {}) as { action?: unknown; resource?: { type?: unknown; name?: unknown } };
  const type = typeof record.resource?.type === "string" ? record.resource.type : "?";
  const name = typeof record.resource?.name === "string" ? `/${record.resource.name}` : "";
  return { action: typeof record.action === "string" ? record.action : "?", resource: `${type}${name}` };
}

/**
 * Runs `command` in `dir` against a fresh mock with the bundled SDK preloaded and reports.
 *
 * @throws GovernorInitError `INVALID_INPUT` (no command), `INVALID_POLICY`, `NOT_FOUND` (no such program).
 */
export async function runValidation(options: ValidateOptions): Promise<ValidationReport> {
  if (options.command.length === 0) {
    throw new GovernorInitError(ErrorCodes.INVALID_INPUT, "No command to validate.", {
      suggestion: "Pass the command after --, for example: governor-init validate -- node src/agent.js",
    });
  }
  const dir = path.resolve(options.dir);
  if (!existsSync(dir)) throw new GovernorInitError(ErrorCodes.NOT_FOUND, `No such directory: ${dir}`);
  const policy =
    typeof options.policy === "string" && options.policy !== "allow-all" && options.policy !== "deny-all"
      ? path.resolve(dir, options.policy)
      : (options.policy ?? "allow-all");
  if (typeof policy === "string" && policy !== "allow-all" && policy !== "deny-all" && !existsSync(policy)) {
    throw new GovernorInitError(ErrorCodes.INVALID_POLICY, `No policy file at ${policy}.`, {
      suggestion: "Pass --policy allow-all, --policy deny-all, or the path of a YAML/JSON policy file.",
    });
  }
  const { sdkDir, preload } = bundledSdk();
  const workDir = mkdtempSync(path.join(tmpdir(), "governor-validate-"));
  const auditLog = path.join(workDir, "audit.jsonl");
  const apiKey = "validate-local-key";
  const mock = await startMockServer({ port: 0, policy, apiKey });
  try {
    options.onMockStarted?.(mock.url);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...options.env,
      GOVERNOR_ENABLED: "true",
      GOVERNOR_ENFORCE_URL: mock.url,
      GOVERNOR_API_KEY: apiKey,
      GOVERNOR_AUDIT_LOG: auditLog,
      GOVERNOR_FAIL_MODE: "closed",
      GOVERNOR_INIT_SDK_DIR: sdkDir,
      NODE_OPTIONS: [process.env.NODE_OPTIONS, options.env?.NODE_OPTIONS, `--require ${quoteForNodeOptions(preload)}`]
        .filter(Boolean)
        .join(" "),
    };
    // A dev bypass left on in the shell would make validation meaningless.
    delete env.GOVERNOR_DEV_BYPASS;
    const run = await runCommand(options.command, dir, env, options.output ?? "inherit", options.timeoutMs);
    const decisions = mock.decisions();
    const attempts = readAuditLog(auditLog);
    return buildReport(
      options.command,
      typeof policy === "string" ? policy : (policy.name ?? "inline policy"),
      run,
      decisions,
      attempts,
    );
  } finally {
    await mock.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

interface CommandRun {
  exitCode: number | null;
  signal: string | null;
  stdout?: string;
  stderr?: string;
}

function runCommand(
  command: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  output: "inherit" | "stderr" | "pipe",
  timeoutMs: number | undefined,
): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), {
      cwd,
      env,
      stdio: output === "inherit" ? "inherit" : ["inherit", "pipe", "pipe"],
      shell: process.platform === "win32",
    });
    let stdout = "";
    let stderr = "";
    if (output !== "inherit") {
      child.stdout!.on("data", (chunk: Buffer) => {
        if (output === "stderr") process.stderr.write(chunk);
        else stdout += chunk.toString();
      });
      child.stderr!.on("data", (chunk: Buffer) => {
        if (output === "stderr") process.stderr.write(chunk);
        else stderr += chunk.toString();
      });
    }
    const timer = timeoutMs ? setTimeout(() => child.kill("SIGKILL"), timeoutMs) : undefined;
    child.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        error.code === "ENOENT"
          ? new GovernorInitError(ErrorCodes.NOT_FOUND, `Cannot run "${command[0]}": not found.`, {
              suggestion: "Check the command after --; it runs without a shell, from the project directory.",
            })
          : error,
      );
    });
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ exitCode, signal, ...(output === "pipe" ? { stdout, stderr } : {}) });
    });
  });
}

/** Compares the SDK's audit log with the mock's decisions and decides pass or fail. */
export function buildReport(
  command: readonly string[],
  policy: string,
  run: CommandRun,
  decisionRecords: readonly DecisionRecord[],
  attempts: readonly AuditRecord[],
): ValidationReport {
  const decisions: ReportedDecision[] = decisionRecords.map((d) => ({
    requestId: d.request_id,
    decision: d.decision,
    reason: d.reason,
    matchedRule: d.matched_rule,
    ...describeResource(d.canonical_intent ?? d.intent),
  }));
  const allowedIds = new Set(decisions.filter((d) => d.decision === "ALLOW").map((d) => d.requestId));
  const denials = attempts.filter((a) => a.decision === "DENY");
  // A side effect that executed must trace back to an ALLOW this mock issued: an ERROR (fail-open),
  // a BYPASS, or a request id the mock never saw means it ran without a decision.
  const ungoverned = attempts.filter(
    (a) => a.executed && (a.decision !== "ALLOW" || (a.requestId !== undefined && !allowedIds.has(a.requestId))),
  );
  const deniedButRan = denials.filter((a) => a.executed);
  const problems: string[] = [];
  if (attempts.length === 0 && decisions.length === 0) {
    problems.push(
      "No governed attempt was seen: the command performed no side effect the SDK could see, or the SDK did not load.",
    );
  }
  for (const a of ungoverned) {
    problems.push(
      `${a.primitive ?? a.source} ${a.target ?? ""} ran without an ALLOW (decision: ${a.decision}).`.replace(
        /  +/g,
        " ",
      ),
    );
  }
  for (const a of deniedButRan)
    problems.push(`${a.primitive ?? a.source} ${a.target ?? ""} was denied but ran anyway.`);
  if (run.signal) problems.push(`The command was killed by ${run.signal}.`);
  else if (run.exitCode !== 0 && denials.length === 0) {
    problems.push(`The command exited with code ${run.exitCode} and no denial explains it.`);
  }
  return {
    command: [...command],
    policy,
    exitCode: run.exitCode,
    signal: run.signal,
    decisions,
    attempts: [...attempts],
    denials,
    ungoverned,
    problems,
    passed: problems.length === 0,
    ...(run.stdout !== undefined ? { stdout: run.stdout, stderr: run.stderr } : {}),
  };
}
