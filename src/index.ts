// The library API: read, validate and write .failures/ records from your own tools.
export { FailuresError, type Problem, type Position } from './errors.js';
export type * from './types/records.js';
export { findRoot } from './store/find.js';
export { loadStore, loadConfig, recordsOf, type Store, type LoadedRecord } from './store/read.js';
export { initStore } from './store/init.js';
export { checkDraft, writeFeedback, newFeedbackId, type FeedbackDraft, type DraftIssue } from './store/feedback.js';
export { resolveConfig, DEFAULT_CATEGORIES, DEFAULT_SEVERITIES, FEEDBACK_TYPES, type Config } from './store/config.js';
export { KIND_FOLDERS, kindOfPath, type RecordKind, type RecordTypes } from './store/layout.js';
export { schemaFile, SCHEMAS_DIR } from './store/schemas.js';
export { defaultSession } from './ingest/session.js';
// The enforcement engine (ast-grep, esquery, imports, RE2 regexes): compile, check text, fix.
export * as enforce from './enforce/api.js';
