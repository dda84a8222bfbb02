/**
 * The wrap-primitives transform and its site finder (`check` and `detect` use the finder alone).
 */
export { wrapPrimitives, wrapSiteId } from "./transform.js";
export { findPrimitiveSites, mightHoldPrimitiveSite, analyzePrimitives, FS_WRITE_OPERATIONS } from "./sites.js";
export type { AnalyzedSite, PrimitiveAnalysis, WrapPlan } from "./sites.js";
