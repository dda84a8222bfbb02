/** The canonical vocabulary lives in `core/vocabulary/` (one source for the mock, the codemods and explain-decision). */
export * from "../core/vocabulary/vocabulary.js";
