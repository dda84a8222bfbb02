/**
 * Public API of the codemods engine. Anything exported here is public API: the CLI, the wizard and the
 * MCP server import from this module only.
 */
export * from "./engine/index.js";
export { enableTransform, isNextInstrumentationFile } from "./enable/index.js";
export { preloadPackageJson, scriptLaunches, scriptsPreload, isStartScriptName } from "./preload/index.js";
export type { PreloadOptions, PreloadResult, ScriptLaunch } from "./preload/index.js";
export { ensureSdkImport, ensureSideEffectImport, sdkBindings, guessModuleSystem } from "./shared/imports.js";
export { inferIntent } from "./intent-scopes/infer-intent.js";
export type { InferredIntent, IntentInference, ToolDescriptionInput } from "./intent-scopes/infer-intent.js";
export type * from "./types.js";
