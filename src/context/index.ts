/** `failures context` and `failures merge`, the pure part: manifold + history → failure context report; report → manifold. */
export { analyzeContext, contextReport, impactOf, ALL_SOURCES, HIGH, RELEVANT } from './report.js';
export type { ContextAnalysis, ContextOptions, DerivedConstraint, Occurrence, ReportInput, Source } from './report.js';
export type { History } from './documents.js';
export { rankFailures, manifoldText } from './relevance.js';
export type { FailureDocument, Relevance, Reasons } from './relevance.js';
export { bm25 } from './bm25.js';
export { reportSummary, reportYaml } from './format.js';
export { mergeItems, mergeManifold, MERGE_SOURCE } from './merge.js';
export type { Clash, MergeItem, MergeResult } from './merge.js';
export type { Manifold } from './manifold.js';
