/**
 * The docs engine's documents as the server serves them: one normalized shape for tools and resources,
 * plus the two documents the server itself owns (the intent event schema) or aliases (the API reference).
 */
import { ErrorCodes, GovernorInitError } from "../core/errors.js";
import { loadDocsEngine } from "./engines.js";
import { INTENT_SCHEMA_URI, intentEventJsonSchemaText } from "./intent-schema.js";

/** URI prefix of docs resources. */
export const DOCS_URI_PREFIX = "governor://docs/";
/** URI of the SDK API reference. */
export const API_REFERENCE_URI = "governor://docs/api";

/** A document ready to serve. */
export interface ServedDoc {
  uri: string;
  title: string;
  text: string;
  mimeType: string;
}

/** A document's listing entry. */
export interface DocListing {
  uri: string;
  title: string;
  description?: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function firstString(record: Record<string, unknown>, ...keys: string[]): string | undefined {
  for (const key of keys) if (typeof record[key] === "string") return record[key];
  return undefined;
}

/** The slug of a docs URI (`governor://docs/quick-start` → `quick-start`). */
export function slugOf(uri: string): string {
  return uri.startsWith(DOCS_URI_PREFIX) ? uri.slice(DOCS_URI_PREFIX.length) : uri;
}

/** Accepts a full URI or a bare slug (agents often drop the scheme). */
export function normalizeDocUri(input: string): string {
  const trimmed = input.trim();
  return trimmed.includes("://") ? trimmed : `${DOCS_URI_PREFIX}${trimmed.replace(/^\/+/, "")}`;
}

/** Every document the corpus holds, in the engine's order. */
export async function listServedDocs(): Promise<DocListing[]> {
  const docs = await (await loadDocsEngine()).listDocs();
  if (!Array.isArray(docs)) return [];
  return docs.flatMap((doc): DocListing[] => {
    if (typeof doc === "string") return [{ uri: normalizeDocUri(doc), title: slugOf(doc) }];
    if (!isObject(doc)) return [];
    const uri = firstString(doc, "uri") ?? (firstString(doc, "slug") && normalizeDocUri(firstString(doc, "slug")!));
    if (!uri) return [];
    const meta = isObject(doc.frontmatter) ? doc.frontmatter : {};
    const title = firstString(doc, "title") ?? firstString(meta, "title") ?? slugOf(uri);
    const description = firstString(doc, "description", "summary") ?? firstString(meta, "description");
    return [description ? { uri, title, description } : { uri, title }];
  });
}

function notFound(uri: string): GovernorInitError {
  return new GovernorInitError(ErrorCodes.NOT_FOUND, `No document at ${uri}.`, {
    suggestion: "Call list_docs for the available URIs, or search_docs to find the right page.",
    details: { uri },
  });
}

/**
 * Reads one document by URI (or slug). Serves the intent schema itself; everything under
 * `governor://docs/` comes from the docs engine.
 */
export async function readServedDoc(input: string): Promise<ServedDoc> {
  const uri = normalizeDocUri(input);
  if (uri === INTENT_SCHEMA_URI) {
    return {
      uri,
      title: "Intent event JSON Schema",
      text: intentEventJsonSchemaText(),
      mimeType: "application/schema+json",
    };
  }
  if (!uri.startsWith(DOCS_URI_PREFIX) || slugOf(uri) === "") throw notFound(uri);
  const engine = await loadDocsEngine();
  let doc: unknown;
  try {
    doc = await engine.getDoc(uri);
  } catch (error) {
    if (error instanceof GovernorInitError) throw error;
    throw notFound(uri);
  }
  if (typeof doc === "string") return { uri, title: slugOf(uri), text: doc, mimeType: "text/markdown" };
  if (!isObject(doc)) throw notFound(uri);
  const meta = isObject(doc.frontmatter) ? doc.frontmatter : {};
  const text = firstString(doc, "text", "markdown", "content", "body");
  if (text === undefined) throw notFound(uri);
  return {
    uri: firstString(doc, "uri") ?? uri,
    title: firstString(doc, "title") ?? firstString(meta, "title") ?? slugOf(uri),
    text,
    mimeType: "text/markdown",
  };
}
