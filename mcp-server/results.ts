/**
 * How tool results look: structured content plus a readable text rendering on success, and one
 * error shape for every tool (an `isError` result whose text carries the message and what to do).
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { toGovernorInitError } from "../core/errors.js";

/** A successful result: `structured` must match the tool's output schema. */
export function toolResult(structured: Record<string, unknown>, text: string): CallToolResult {
  return { content: [{ type: "text", text }], structuredContent: structured };
}

/**
 * Turns anything a tool throws into an `isError` result. The model reads the text, so it says what went
 * wrong and what to do next; no `structuredContent`, since an error does not match the output schema.
 */
export function toolError(error: unknown): CallToolResult {
  const err = toGovernorInitError(error);
  const lines = [`Error (${err.code}): ${err.message}`];
  if (err.suggestion) lines.push(`Suggestion: ${err.suggestion}`);
  if (!err.userFixable) {
    // Our bug: keep the detail on stderr for the person running the server, not in the model's context.
    process.stderr.write(
      `[governor-mcp] internal error: ${err.cause instanceof Error ? err.cause.stack : err.message}\n`,
    );
  }
  return { content: [{ type: "text", text: lines.join("\n") }], isError: true };
}

/** Runs a tool body and converts any throw into {@link toolError}, so no tool can crash the server. */
export async function guarded(run: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await run();
  } catch (error) {
    return toolError(error);
  }
}

/** Cuts long text (diffs, docs) to `max` characters, saying how much was left out. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}\n… (${text.length - max} more characters left out)`;
}
