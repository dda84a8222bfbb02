/**
 * `get_decision_history`: recent Governor decisions with their reasons and request ids, from audit
 * logs (the SDK's `GOVERNOR_AUDIT_LOG`, the coding-agent hooks' `.governor/audit.jsonl`, any log in
 * the SDK's audit event shape) or the enforce mock's decision log. Each entry points at
 * `explain_decision`.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { guarded, toolResult } from "../results.js";
import { resolveInsideRoots } from "../roots.js";
import type { ToolContext } from "../tool-context.js";

const entrySchema = z.looseObject({
  time: z.string(),
  decision: z.enum(["ALLOW", "DENY", "ERROR", "BYPASS"]),
  action: z.string(),
  resourceType: z.string(),
  resourceName: z.string().optional(),
  tool: z.string().optional(),
  reason: z.string().optional(),
  requestId: z.string().optional(),
  from: z.string(),
});

const historyOutput = z.object({
  entries: z.array(entrySchema),
  matched: z.number(),
  sources: z.array(z.object({ source: z.string(), records: z.number(), problem: z.string().optional() })),
});

/** Registers `get_decision_history`. */
export function registerHistoryTools({ server, roots, env }: ToolContext): void {
  server.registerTool(
    "get_decision_history",
    {
      title: "Recent Governor decisions",
      description:
        "Recent decisions (newest first) with reason and request id, from audit logs (GOVERNOR_AUDIT_LOG, the coding-agent hooks' .governor/audit.jsonl, any log in the SDK's audit shape) or the enforce mock. Filter by tool, decision, time. Then explain_decision with an entry's requestId.",
      inputSchema: z.object({
        tool: z.string().max(200).optional().describe("Substring of the tool, resource name, command or action."),
        decision: z.enum(["ALLOW", "DENY", "ERROR", "BYPASS"]).optional(),
        since: z.string().max(100).optional().describe("ISO time, or a duration back from now: 30s, 15m, 2h, 7d."),
        until: z.string().max(100).optional(),
        limit: z.number().int().min(1).max(500).optional().describe("Default 20."),
        auditLog: z
          .array(z.string().max(1000))
          .max(20)
          .optional()
          .describe(
            "Audit log files inside the roots; default GOVERNOR_AUDIT_LOG and .governor/audit.jsonl in each root.",
          ),
        mockUrl: z
          .string()
          .max(500)
          .optional()
          .describe("Enforce mock base URL (loopback); default GOVERNOR_MOCK_URL."),
      }),
      outputSchema: historyOutput,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    ({ tool, decision, since, until, limit, auditLog, mockUrl }) =>
      guarded(async () => {
        const { getDecisionHistory } = await import("../../core/decision-history.js");
        const dirs = await roots();
        let logs: string[];
        if (auditLog !== undefined) {
          logs = await Promise.all(auditLog.map((file) => resolveInsideRoots(file, dirs, "any")));
        } else {
          logs = dirs.map((dir) => path.join(dir, ".governor", "audit.jsonl")).filter((file) => existsSync(file));
          if (env.GOVERNOR_AUDIT_LOG) logs.unshift(path.resolve(env.GOVERNOR_AUDIT_LOG));
        }
        const mock = mockUrl ?? (env.GOVERNOR_MOCK_URL || undefined);
        const result = await getDecisionHistory({
          auditLogs: logs,
          ...(mock !== undefined ? { mockUrl: mock } : {}),
          ...(tool !== undefined ? { tool } : {}),
          ...(decision !== undefined ? { decision } : {}),
          ...(since !== undefined ? { since } : {}),
          ...(until !== undefined ? { until } : {}),
          ...(limit !== undefined ? { limit } : {}),
        });
        const lines = [`${result.entries.length} of ${result.matched} matching decision(s), newest first:`];
        for (const e of result.entries) {
          const what = `${e.action} ${e.resourceType}${e.resourceName ? ` "${e.resourceName}"` : ""}`;
          const by = e.tool ? ` via ${e.tool}${e.agent ? ` (${e.agent})` : ""}` : "";
          const ran = e.executed === undefined ? "" : e.executed ? " [ran]" : " [did not run]";
          lines.push(
            `- ${e.time} ${e.decision} ${what}${by}${ran}${e.reason ? `: ${e.reason}` : ""}${e.requestId ? ` (request ${e.requestId}; explain_decision {"requestId":"${e.requestId}"})` : ""}`,
          );
        }
        for (const s of result.sources.filter((s) => s.problem)) lines.push(`note: ${s.source}: ${s.problem}`);
        return toolResult(result as unknown as Record<string, unknown>, lines.join("\n"));
      }),
  );
}
