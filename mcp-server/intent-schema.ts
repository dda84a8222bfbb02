/**
 * The intent event of the enforce API (`POST /api/v2/enforce`) as a zod schema: `build_intent`'s
 * output is checked against it, and `governor://schema/intent-event` serves its JSON Schema.
 * Mirrors `IntentEvent` in `sdk/src/types.ts`; the vocabulary is loose, the server canonicalizes it.
 */
import { z } from "zod";

/** An intent event: who wants to do what to which resource, with which data. */
export const IntentEventSchema = z
  .object({
    action: z.string().min(1).describe("Verb: read, write, delete, execute (or a loose synonym such as query)."),
    actor: z
      .object({ id: z.string().min(1), type: z.string().optional().describe("user, service, agent") })
      .optional()
      .describe("Who acts; defaults from GOVERNOR_ACTOR_ID / GOVERNOR_ACTOR_TYPE or governor.withActor."),
    resource: z
      .object({
        type: z.string().min(1).describe("database, external_api, filesystem, process, …"),
        name: z.string().optional().describe("A table, an API's name (stripe), a path, a program."),
      })
      .describe("What is acted on."),
    data: z
      .object({
        sensitivity: z.array(z.string()).optional().describe("public, internal, confidential"),
        pii: z.boolean().optional(),
        volume: z.string().optional().describe("single or bulk"),
      })
      .optional(),
    risk: z.record(z.string(), z.unknown()).optional(),
    layer: z.string().optional().describe('Defaults to "L4".'),
    context: z.record(z.string(), z.unknown()).optional().describe("Free-form: the tool's name, its arguments."),
  })
  .describe("Governor intent event (enforce API v2). tenantId is set by the server from the credentials.");

/** An intent event, as validated by {@link IntentEventSchema}. */
export type IntentEventInput = z.infer<typeof IntentEventSchema>;

/** URI of the intent event's JSON Schema resource. */
export const INTENT_SCHEMA_URI = "governor://schema/intent-event";

let jsonSchemaText: string | undefined;

/** The JSON Schema (draft 2020-12) of an intent event, as pretty JSON text. */
export function intentEventJsonSchemaText(): string {
  jsonSchemaText ??= JSON.stringify(
    { $id: INTENT_SCHEMA_URI, title: "IntentEvent", ...z.toJSONSchema(IntentEventSchema) },
    null,
    2,
  );
  return jsonSchemaText;
}
