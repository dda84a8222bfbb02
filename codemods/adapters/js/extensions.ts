/** The files the JavaScript/TypeScript adapter claims (cheap to import: the registry reads it). */
export const JS_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"] as const;
