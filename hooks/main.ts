/**
 * The hook process: reads stdin, runs {@link runHook}, writes the answer and exits with its code.
 * Everything unexpected ends as a block, never as a crash: in Claude Code, Cursor and Gemini CLI a
 * hook that exits 1, crashes or times out lets the action run. So an uncaught exception, an
 * unhandled rejection, a failed import and this process's own deadline (shorter than the timeout
 * written into the agent's config) all exit 2 with a message saying how to fix it.
 *
 * Imports only the hook modules (no commander, zod or ink): it runs for every action an agent takes.
 */
import { HOOK_DEADLINE_MS } from "../templates/hook-clients.js";
import { blockAnswer, runHook, type HookAnswer } from "./run.js";

const USAGE = "usage: governor-init hook <client> <event> [--reads]";

/** Parses `[hook] <client> <event> [--reads]`. */
export function parseHookArgs(argv: readonly string[]): { client: string; event: string; reads: boolean } | undefined {
  const args = argv[0] === "hook" ? argv.slice(1) : [...argv];
  const reads = args.includes("--reads");
  const positional = args.filter((a) => !a.startsWith("--"));
  if (positional.length !== 2 || args.some((a) => a.startsWith("--") && a !== "--reads")) return undefined;
  return { client: positional[0]!, event: positional[1]!, reads };
}

function deadlineMs(env: NodeJS.ProcessEnv): number {
  const raw = env.GOVERNOR_HOOK_DEADLINE_MS?.trim();
  const value = raw ? Number(raw) : Number.NaN;
  return Number.isInteger(value) && value > 0 && value <= HOOK_DEADLINE_MS ? value : HOOK_DEADLINE_MS;
}

/** Runs the hook process with `argv` (after the program name) and exits. */
export function main(argv: readonly string[]): void {
  const parsed = parseHookArgs(argv);
  const client = parsed?.client ?? String(argv.find((a) => a !== "hook" && !a.startsWith("--")) ?? "");
  let finished = false;
  const finish = (answer: HookAnswer): void => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    try {
      if (answer.stdout) process.stdout.write(answer.stdout);
    } catch {
      // A closed stdout must not turn a block into a crash; the exit code still blocks.
    }
    process.stderr.write(answer.stderr, () => process.exit(answer.exitCode));
    // Belt and braces: exit even if stderr never drains.
    setTimeout(() => process.exit(answer.exitCode), 1000).unref();
  };
  const failClosed = (what: string) => (error: unknown) =>
    finish(
      blockAnswer(
        client,
        `governor-init hook failed (${what}: ${error instanceof Error ? error.message : String(error)}), so the action is denied. This is a bug in governor-init; please report it.`,
      ),
    );
  process.on("uncaughtException", failClosed("uncaught exception"));
  process.on("unhandledRejection", failClosed("unhandled rejection"));
  const deadline = deadlineMs(process.env);
  const timer = setTimeout(
    () =>
      finish(
        blockAnswer(
          client,
          `no decision within ${deadline} ms, so the action is denied (fail closed). Check that the policy service at GOVERNOR_ENFORCE_URL is up and answering (GOVERNOR_TIMEOUT_MS bounds each request).`,
        ),
      ),
    deadline,
  );
  if (!parsed) {
    finish(
      blockAnswer(
        client,
        `${USAGE}. The hook entry in the agent's config is malformed; reinstall it with npx governor-init hooks install.`,
      ),
    );
    return;
  }
  const chunks: Buffer[] = [];
  process.stdin.on("data", (chunk: Buffer) => chunks.push(chunk));
  process.stdin.on("error", failClosed("reading stdin"));
  process.stdin.on("end", () => {
    runHook({
      client: parsed.client,
      event: parsed.event,
      reads: parsed.reads,
      stdin: Buffer.concat(chunks).toString("utf8"),
    }).then(finish, failClosed("deciding"));
  });
}
