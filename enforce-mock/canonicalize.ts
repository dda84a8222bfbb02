/** Canonicalization lives in `core/vocabulary/` (one source for the mock and explain-decision). */
export * from "../core/vocabulary/canonicalize.js";
