import type {
  AntiPatternRecord,
  BaselineRecord,
  ConfigRecord,
  ConstraintRecord,
  FailureModeRecord,
  FeedbackRecord,
  IncidentRecord,
  PostmortemRecord,
  TicketPatternRecord,
  TicketRecord,
} from '../types/records.js';

/** The record kinds that live in .failures/, each with its own schema. */
export interface RecordTypes {
  config: ConfigRecord;
  feedback: FeedbackRecord;
  'anti-pattern': AntiPatternRecord;
  constraint: ConstraintRecord;
  incident: IncidentRecord;
  postmortem: PostmortemRecord;
  'ticket-pattern': TicketPatternRecord;
  ticket: TicketRecord;
  'failure-mode': FailureModeRecord;
  baseline: BaselineRecord;
}
export type RecordKind = keyof RecordTypes;

/** Schemas shipped in schemas/ that describe files outside .failures/ (inputs and outputs of commands). */
export type DocumentKind = 'manifold' | 'failure-context-report';
export type SchemaName = RecordKind | DocumentKind;

export const FOLDER = '.failures';

/** Folder (relative to .failures/) → the kind of record it holds. Longest prefix wins. */
export const KIND_FOLDERS: ReadonlyArray<readonly [folder: string, kind: RecordKind]> = [
  ['feedback', 'feedback'],
  ['anti-patterns', 'anti-pattern'],
  ['constraints', 'constraint'],
  ['incidents', 'incident'],
  ['postmortems', 'postmortem'],
  ['tickets/imported', 'ticket'],
  ['tickets', 'ticket-pattern'],
  ['failure-modes', 'failure-mode'],
];

/** Files at the top of .failures/ that are not records of a folder. */
export const TOP_FILES = {
  config: 'config.yaml',
  readme: 'README.md',
  baseline: 'baseline.yaml',
  gitignore: '.gitignore',
} as const;

/** The field that holds a kind's id (the seed's incidents say incident_id). */
export function idField(kind: RecordKind): string | undefined {
  if (kind === 'config' || kind === 'baseline') return undefined;
  return kind === 'incident' ? 'incident_id' : 'id';
}

/** The kind for a path relative to .failures/ (with forward slashes), or undefined if no folder holds records there. */
export function kindOfPath(relative: string): RecordKind | undefined {
  if (relative === TOP_FILES.config) return 'config';
  if (relative === TOP_FILES.baseline) return 'baseline';
  let best: RecordKind | undefined;
  let bestLength = -1;
  for (const [folder, kind] of KIND_FOLDERS) {
    if (relative.startsWith(folder + '/') && folder.length > bestLength) {
      best = kind;
      bestLength = folder.length;
    }
  }
  return best;
}

export const KIND_LABEL: Record<RecordKind, string> = {
  config: 'configuration',
  feedback: 'feedback entry',
  'anti-pattern': 'anti-pattern',
  constraint: 'constraint',
  incident: 'incident',
  postmortem: 'postmortem',
  'ticket-pattern': 'ticket pattern',
  ticket: 'ticket',
  'failure-mode': 'failure mode',
  baseline: 'baseline',
};
