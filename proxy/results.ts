/**
 * The tool results the proxy answers in place of the server when a call is not run: a DENY, or no
 * decision at all. Both are ordinary `tools/call` results with `isError: true`, so the model reads
 * the reason and the next steps and can tell the user, instead of a protocol error it cannot explain.
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { IntentEvent } from "@governor/sdk";

/** The key under `_meta` that carries the proxy's decision on every result it answers itself. */
export const DECISION_META_KEY = "governor/decision";

/** What the proxy reports about a call it did not forward. */
export interface ProxyDecisionReport {
  /** `DENY`: the policy service said no. `UNAVAILABLE`: no decision could be had (fail closed). */
  decision: "DENY" | "UNAVAILABLE";
  /** The policy service's request id (a DENY has one). */
  requestId?: string;
  reason: string;
  nextSteps: string[];
  /** The SDK's error code (`GOVERNOR_DENIED`, `GOVERNOR_UNAVAILABLE`, `GOVERNOR_NOT_CONFIGURED`, …). */
  code: string;
  server: string;
  tool: string;
  intent: IntentEvent;
}

function describe(intent: IntentEvent): string {
  const name = intent.resource.name === undefined ? "" : ` "${intent.resource.name}"`;
  return `${intent.action} on ${intent.resource.type}${name}`;
}

/**
 * The result of a call that did not run. `structuredContent` carries the report unless the tool
 * declares an `outputSchema` (clients validate structured content against it, and a report is not
 * the tool's output); `_meta` always does.
 */
export function notRunResult(report: ProxyDecisionReport, toolHasOutputSchema: boolean): CallToolResult {
  const lines =
    report.decision === "DENY"
      ? [
          `Governor denied this tool call, so it did not run: ${report.reason}`,
          `Tool "${report.tool}" of MCP server "${report.server}" (${describe(report.intent)}).${report.requestId ? ` Request id: ${report.requestId}.` : ""}`,
        ]
      : [
          `This tool call did not run: no policy decision could be had, and without one nothing runs (fail closed). ${report.reason}`,
          `Tool "${report.tool}" of MCP server "${report.server}" (${describe(report.intent)}).`,
        ];
  const text = [...lines, "Next steps:", ...report.nextSteps.map((step) => `- ${step}`)].join("\n");
  const payload = { governor: { ...report } };
  const result: CallToolResult = {
    content: [{ type: "text", text }],
    isError: true,
    _meta: { [DECISION_META_KEY]: payload.governor },
  };
  if (!toolHasOutputSchema) result.structuredContent = payload;
  return result;
}
