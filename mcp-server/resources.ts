/**
 * Resources: every doc as `governor://docs/{slug}` (listed and completable), the SDK API reference and
 * the intent event's JSON Schema. The same documents are reachable through `get_doc`.
 */
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { toGovernorInitError } from "../core/errors.js";
import { API_REFERENCE_URI, listServedDocs, readServedDoc, slugOf } from "./docs-access.js";
import { INTENT_SCHEMA_URI } from "./intent-schema.js";

/** JSON-RPC error code for an unknown resource (MCP specification, resources). */
const RESOURCE_NOT_FOUND = -32002;
/** JSON-RPC internal error. */
const INTERNAL_ERROR = -32603;

/** Reads a doc as resource contents; engine errors become JSON-RPC errors carrying the suggestion. */
async function readAsResource(uri: string) {
  try {
    const doc = await readServedDoc(uri);
    return { contents: [{ uri: doc.uri, mimeType: doc.mimeType, text: doc.text }] };
  } catch (error) {
    const err = toGovernorInitError(error);
    const code = err.code === "NOT_FOUND" ? RESOURCE_NOT_FOUND : INTERNAL_ERROR;
    throw new McpError(code, `${err.message}${err.suggestion ? ` ${err.suggestion}` : ""}`, { uri });
  }
}

/** Registers the docs template, the API reference and the intent schema. */
export function registerResources(server: McpServer): void {
  server.registerResource(
    "doc",
    new ResourceTemplate("governor://docs/{slug}", {
      list: async () => {
        const docs = await listServedDocs().catch(() => []);
        return {
          resources: docs
            .filter((d) => d.uri !== API_REFERENCE_URI)
            .map((d) => ({
              uri: d.uri,
              name: slugOf(d.uri),
              title: d.title,
              mimeType: "text/markdown",
              ...(d.description ? { description: d.description } : {}),
            })),
        };
      },
      complete: {
        slug: async (value) => {
          const docs = await listServedDocs().catch(() => []);
          return docs
            .map((d) => slugOf(d.uri))
            .filter((slug) => slug.startsWith(value))
            .slice(0, 100);
        },
      },
    }),
    { title: "Governor docs", description: "A Governor docs page or recipe.", mimeType: "text/markdown" },
    (uri) => readAsResource(uri.href),
  );

  server.registerResource(
    "api-reference",
    API_REFERENCE_URI,
    { title: "@governor/sdk API reference", description: "Every public export of the SDK.", mimeType: "text/markdown" },
    (uri) => readAsResource(uri.href),
  );

  server.registerResource(
    "intent-event-schema",
    INTENT_SCHEMA_URI,
    {
      title: "Intent event JSON Schema",
      description: "The body of POST /api/v2/enforce.",
      mimeType: "application/schema+json",
    },
    (uri) => readAsResource(uri.href),
  );
}
