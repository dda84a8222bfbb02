/**
 * The code the enable and preload codemods insert, as template functions. The wizard prints the same
 * text as a copy-paste fallback when a file cannot be edited safely, so both always agree.
 *
 * Anything exported here is public API of the toolkit's data layer.
 */

/** The SDK module whose evaluation enables governance from the environment alone. */
export const REGISTER_MODULE = "@governor/sdk/register";

/** The preload statement for the top of an entrypoint: `import "…/register";` or `require("…/register");`. */
export function enableStatement(moduleSystem: "esm" | "cjs", quote: '"' | "'" = '"', semi = ";"): string {
  const specifier = `${quote}${REGISTER_MODULE}${quote}`;
  return moduleSystem === "esm" ? `import ${specifier}${semi}` : `require(${specifier})${semi}`;
}

/**
 * The statement put first in a Next.js `register()` hook: Next calls the hook once per server runtime,
 * and only the Node.js runtime has the modules the SDK patches (the edge runtime is handled by
 * call-site wrapping instead).
 */
export function nextRegisterStatement(quote: '"' | "'" = '"', semi = ";"): string {
  return `if (process.env.NEXT_RUNTIME === ${quote}nodejs${quote}) await import(${quote}${REGISTER_MODULE}${quote})${semi}`;
}

/** A whole Next.js `instrumentation.ts`, created when the project has none. */
export function nextInstrumentationFile(eol: "\n" | "\r\n" = "\n"): string {
  return [
    "// Created by governor-init: enables Governor in the Node.js server runtime before any route runs.",
    "export async function register() {",
    `  ${nextRegisterStatement()}`,
    "}",
    "",
  ].join(eol);
}

/** The `NODE_OPTIONS` value that preloads the SDK: `--import` for ESM packages, `--require` for CommonJS ones. */
export function preloadNodeOption(moduleSystem: "esm" | "cjs"): string {
  return `${moduleSystem === "esm" ? "--import" : "--require"} ${REGISTER_MODULE}`;
}
