/**
 * The bundled enforce mock: a local stand-in for the Governor management plane's enforce API.
 *
 * Anything exported here is public API (the CLI, the MCP server and the SDK's tests use it).
 */
export {
  startMockServer,
  validateFaults,
  type MockServer,
  type MockServerOptions,
  type FaultOptions,
  type DecisionRecord,
} from "./server.js";
export {
  canonicalize,
  canonicalizeTerm,
  parseIntentEvent,
  normalizeTerm,
  serviceNameFromHost,
  DEFAULT_LAYER,
  type CanonicalIntent,
  type Canonicalization,
  type LooseIntentEvent,
  type PredictionSource,
  type TraceStep,
} from "../core/vocabulary/canonicalize.js";
export {
  loadPolicy,
  compilePolicy,
  decide,
  explainDecision,
  ALLOW_ALL,
  DENY_ALL,
  POLICY_PRESETS,
  type CompiledPolicy,
  type DecisionExplanation,
  type RuleEvaluation,
  type Effect,
  type OneOrMany,
  type PolicyDecision,
  type PolicyDocument,
  type PolicyRule,
  type RuleMatch,
} from "./policy.js";
export * from "../core/vocabulary/vocabulary.js";
