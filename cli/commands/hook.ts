import type { Command } from "commander";
import { HOOK_CLIENT_IDS } from "../../templates/hook-clients.js";

/**
 * `governor-init hook <client> <event>`: the command agents' hooks run. `cli/bin.ts` sends it to
 * `hooks/main.ts` before this command tree loads (cold start); this registration gives it `--help`
 * and the reference.
 */
export function registerHookCommand(program: Command): void {
  program
    .command("hook")
    .description("Run by a coding agent's hook: decide the action in the payload on stdin with the Governor.")
    .argument("<client>", HOOK_CLIENT_IDS.join(", "))
    .argument("<event>", "the agent's own event name, e.g. PreToolUse")
    .option("--reads", "decide reads too (otherwise they are let through without asking)")
    .addHelpText(
      "after",
      `
Configured like the SDK: GOVERNOR_ENFORCE_URL, GOVERNOR_API_KEY, GOVERNOR_TIMEOUT_MS, GOVERNOR_FAIL_MODE,
GOVERNOR_ACTOR_ID, GOVERNOR_DECISION_SECRET, … Decisions are appended to GOVERNOR_AUDIT_LOG (default:
.governor/audit.jsonl in the project). GOVERNOR_HOOK_DEADLINE_MS (at most and by default 10000) bounds the
whole hook.

Exit codes: 0 allowed (or an after-event recorded); 2 blocked, with the reason on stderr. Every error
(no enforce URL, the service unreachable, a payload it cannot read, an unknown event) blocks.`,
    )
    .action(async (client: string, event: string, options: { reads?: boolean }) => {
      const { main } = await import("../../hooks/main.js");
      main(["hook", client, event, ...(options.reads ? ["--reads"] : [])]);
    });
}
