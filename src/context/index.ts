/** `failures context` and `failures merge`, the pure part: manifold + history → failure context report; report → manifold. */
export { analyzeContext, ALL_SOURCES, HIGH, RELEVANT } from './analysis.js';
export type { ContextAnalysis, ContextOptions, Occurrence, Source } from './analysis.js';
export { contextReport } from './report.js';
export type { ReportInput } from './report.js';
export type { DerivedConstraint } from './constraints.js';
export { impactOf } from './modes.js';
export type { History } from './documents.js';
export { rankFailures, manifoldText } from './relevance.js';
export type { FailureDocument, Relevance, Reasons } from './relevance.js';
export { bm25 } from './bm25.js';
export { reportSummary, reportYaml } from './format.js';
export { mergeItems, mergeManifold, MERGE_SOURCE } from './merge.js';
export type { Clash, MergeItem, MergeResult } from './merge.js';
export type { Manifold } from './manifold.js';
