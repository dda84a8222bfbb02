/**
 * Intent tools: build an intent event for a tool or a described action, and explain a decision.
 */
import { z } from "zod";
import { ErrorCodes, GovernorInitError } from "../../core/errors.js";
import { loadIntentInference } from "../engines.js";
import { IntentEventSchema, type IntentEventInput } from "../intent-schema.js";
import { guarded, toolResult } from "../results.js";
import type { ToolContext } from "../tool-context.js";

const explanationSchema = z.array(z.object({ field: z.string(), value: z.string(), why: z.string() }));

const buildIntentOutput = z.object({
  // Checked against the full IntentEventSchema in the handler; its documented JSON Schema is the
  // governor://schema/intent-event resource, so tools/list does not repeat it.
  intent: z.looseObject({ action: z.string(), resource: z.looseObject({ type: z.string() }) }),
  explanation: explanationSchema,
  /** False when the action or resource type could not be determined and holds a TODO placeholder. */
  confident: z.boolean(),
  /** The same intent as a governTool spec, ready to paste. */
  snippet: z.string(),
});

const explainOutput = z.object({
  decision: z.enum(["ALLOW", "DENY", "ERROR"]),
  requestId: z.string().optional(),
  reason: z.string().optional(),
  matchedRule: z.string().optional(),
  policy: z.string().optional(),
  status: z.number().optional(),
  trace: z.array(
    z.looseObject({ field: z.string(), rawInput: z.string(), canonical: z.string(), concern: z.string().optional() }),
  ),
  summary: z.string(),
  nextSteps: z.array(z.string()),
  source: z.enum(["response", "mock-log"]),
});

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Field → reason, from whichever form the inference engine explains itself in. */
function engineReasons(raw: Record<string, unknown>): Map<string, string> {
  const out = new Map<string, string>();
  for (const key of ["explanation", "explanations", "reasons", "why"]) {
    const value = raw[key];
    if (Array.isArray(value)) {
      for (const item of value) {
        const r = asRecord(item);
        const why = r.why ?? r.reason ?? r.explanation;
        if (typeof r.field === "string" && typeof why === "string") out.set(r.field, why);
      }
    } else if (value && typeof value === "object") {
      for (const [field, why] of Object.entries(value)) if (typeof why === "string") out.set(field, why);
    }
  }
  return out;
}

function buildIntent(raw: Record<string, unknown>, toolName: string | undefined): IntentEventInput {
  const source = raw.intent === undefined ? raw : asRecord(raw.intent);
  const resource = asRecord(source.resource);
  const candidate: Record<string, unknown> = {
    action: source.action,
    resource: {
      type: resource.type ?? source.resourceType,
      ...(typeof (resource.name ?? source.resourceName) === "string"
        ? { name: resource.name ?? source.resourceName }
        : {}),
    },
  };
  for (const key of ["actor", "data", "risk", "layer"] as const)
    if (source[key] !== undefined) candidate[key] = source[key];
  const context = { ...asRecord(source.context), ...(toolName ? { tool: toolName } : {}) };
  if (Object.keys(context).length) candidate.context = context;
  const parsed = IntentEventSchema.safeParse(candidate);
  if (!parsed.success) {
    throw new GovernorInitError(ErrorCodes.INVALID_INPUT, "Could not infer an action and a resource from this tool.", {
      suggestion:
        "Describe it with a verb and an object (for example 'delete a row from the orders table'), or pass the tool's name and parameters.",
      details: { inferred: candidate },
    });
  }
  return parsed.data;
}

function explain(
  intent: IntentEventInput,
  reasons: Map<string, string>,
  from: string,
): z.infer<typeof explanationSchema> {
  const rows: z.infer<typeof explanationSchema> = [];
  const add = (field: string, value: unknown, why: string) =>
    rows.push({
      field,
      value: typeof value === "string" ? value : JSON.stringify(value),
      why: reasons.get(field) ?? why,
    });
  add(
    "action",
    intent.action,
    `The verb inferred from ${from}; the policy service maps synonyms to read, write, delete or execute.`,
  );
  add("resource.type", intent.resource.type, `What the tool acts on, inferred from ${from}.`);
  if (intent.resource.name !== undefined)
    add("resource.name", intent.resource.name, "Which one; narrows the policy rule that applies.");
  for (const [key, value] of Object.entries(intent.data ?? {})) {
    add(`data.${key}`, value, "The data touched; sensitivity, pii and volume drive most deny rules.");
  }
  add(
    "actor",
    intent.actor ?? "(runtime)",
    "Left to runtime: GOVERNOR_ACTOR_ID / GOVERNOR_ACTOR_TYPE, or governor.withActor(...) in request middleware.",
  );
  add("layer", intent.layer ?? "L4", 'Defaults to "L4" on the server.');
  add("tenantId", "(server)", "Set by the server from your API key; never sent.");
  if (intent.context !== undefined)
    add("context", intent.context, "Free-form; the tool name helps audits and is part of the cache key.");
  return rows;
}

function snippetFor(intent: IntentEventInput, toolName: string | undefined): string {
  const spec: Record<string, unknown> = {
    tool: toolName ?? "my_tool",
    action: intent.action,
    resource: intent.resource,
  };
  if (intent.data) spec.data = intent.data;
  return `import { governTool } from "@governor/sdk";\n\nconst execute = governTool(${JSON.stringify(spec, null, 2)}, async (args) => {\n  // the tool's original body\n});`;
}

/** Registers `build_intent` and `explain_decision`. */
export function registerIntentTools({ server, env }: ToolContext): void {
  server.registerTool(
    "build_intent",
    {
      title: "Build an intent event",
      description:
        "Turn a tool (name + JSON-schema parameters) or a described action into a valid Governor intent event, with why for each field.",
      inputSchema: z.object({
        description: z.string().max(2000, "description is over 2000 characters").optional(),
        name: z.string().max(200, "name is over 200 characters").optional(),
        parameters: z.record(z.string(), z.unknown()).optional().describe("The tool's JSON Schema."),
      }),
      outputSchema: buildIntentOutput,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    ({ description, name, parameters }) =>
      guarded(async () => {
        if (!description?.trim() && !name?.trim()) {
          throw new GovernorInitError(ErrorCodes.INVALID_INPUT, "Nothing to build an intent from.", {
            suggestion: "Pass description (what the action does), or the tool's name and parameters.",
          });
        }
        if (JSON.stringify(parameters ?? {}).length > 20_000) {
          throw new GovernorInitError(ErrorCodes.INVALID_INPUT, "parameters is over 20,000 characters of JSON.", {
            suggestion: "Pass only the tool's top-level parameter schema.",
          });
        }
        const { inferIntent } = await loadIntentInference();
        const raw = asRecord(await inferIntent({ name, description, parameters }));
        const intent = buildIntent(raw, name);
        const from = name ? `the tool name${description ? " and description" : ""}` : "the description";
        const explanation = explain(intent, engineReasons(raw), from);
        const snippet = snippetFor(intent, name);
        const confident = raw.confident !== false;
        const text = [
          ...(confident
            ? []
            : [
                "Not confident: a field holds a TODO placeholder. Replace it, or describe the action with a clear verb and object.",
                "",
              ]),
          "Intent event:",
          JSON.stringify(intent, null, 2),
          "",
          ...explanation.map((e) => `- ${e.field} = ${e.value}: ${e.why}`),
          "",
          snippet,
        ].join("\n");
        return toolResult({ intent, explanation, confident, snippet }, text);
      }),
  );

  server.registerTool(
    "explain_decision",
    {
      title: "Explain a Governor decision",
      description:
        "Why an intent was denied (or the call failed) and what to change, from an enforce response or a request id in the mock's log.",
      inputSchema: z.object({
        response: z
          .union([z.string().max(100_000, "response is over 100,000 characters"), z.record(z.string(), z.unknown())])
          .optional()
          .describe("Enforce response body (object or JSON text)."),
        requestId: z.string().max(200).optional(),
        mockUrl: z.string().max(500).optional().describe("Mock base URL (loopback); default GOVERNOR_MOCK_URL."),
      }),
      outputSchema: explainOutput,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    ({ response, requestId, mockUrl }) =>
      guarded(async () => {
        const { explainDecision } = await import("../../core/explain-decision.js");
        const fallbackUrl = env.GOVERNOR_MOCK_URL || env.GOVERNOR_ENFORCE_URL || undefined;
        const result = await explainDecision({ response, requestId, mockUrl: mockUrl ?? fallbackUrl });
        const lines = [result.summary];
        for (const step of result.trace) {
          lines.push(
            `- ${step.field}: ${JSON.stringify(step.rawInput)} → ${step.canonical} (${step.source}, ${step.confidence})${step.concern ? ` ⚠ ${step.concern}` : ""}`,
          );
        }
        if (result.nextSteps.length) lines.push("What to change:", ...result.nextSteps.map((s) => `- ${s}`));
        return toolResult(result as unknown as Record<string, unknown>, lines.join("\n"));
      }),
  );
}
