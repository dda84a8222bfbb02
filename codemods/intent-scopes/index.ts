/**
 * The intent-scopes transform and what it is built from: the site finder (also used by `detect` and
 * `check`) and the deterministic intent inference (also used by the docs MCP server's `build_intent`).
 */
export { intentScopes } from "./transform.js";
export { findToolSites, analyzeToolSites, SDK_MODULE } from "./sites.js";
export type { HandlerPlan, ToolSiteAnalysis, ToolSiteDetail } from "./sites.js";
export { inferIntent, tokenize, TODO_ACTION, TODO_MARKER, TODO_RESOURCE_TYPE } from "./infer-intent.js";
export type { InferredIntent, IntentInference, ToolDescriptionInput } from "./infer-intent.js";
