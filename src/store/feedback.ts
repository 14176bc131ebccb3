import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { FeedbackRecord } from '../types/records.js';
import { closest } from '../errors.js';
import { impossibleDate } from './dates.js';
import type { Config } from './config.js';
import { FOLDER } from './layout.js';
import { describeSchemaErrors, formatPath } from './messages.js';
import { schemaErrors } from './schemas.js';
import { schemaRefFor, serializeRecords } from './serialize.js';
import { createFileAtomic, RecordExistsError } from './write.js';

/** A feedback entry before it has an id: what a flag set, a prompt or an imported line says. */
export type FeedbackDraft = Omit<FeedbackRecord, 'id'>;

/** Something wrong with one field of a draft, phrased without saying where the field came from. */
export interface DraftIssue {
  field: string;
  /** Completes "<field> …": "must be one of low, medium, high; got 'extreme'". */
  problem: string;
  fix?: string;
}

/**
 * Everything wrong with a draft before anything is written: the schema (types, required fields,
 * known fields) and config.yaml's vocabulary (categories, severities).
 */
export function checkDraft(draft: FeedbackDraft, config: Config): DraftIssue[] {
  const issues: DraftIssue[] = [];
  const vocabulary: Array<['category' | 'severity', string[], string]> = [
    ['category', config.categories, 'categories'],
    ['severity', config.severities, 'severities'],
  ];
  for (const [field, allowed, list] of vocabulary) {
    const value = draft[field];
    if (typeof value === 'string' && value && !allowed.includes(value)) {
      const guess = closest(value, allowed);
      issues.push({
        field,
        problem: `must be one of ${allowed.join(', ')}; got '${value}'`,
        fix: `${guess ? `did you mean '${guess}'? ` : ''}To allow '${value}', add it to ${list} in .failures/config.yaml`,
      });
    }
  }
  const when = typeof draft.timestamp === 'string' ? impossibleDate(draft.timestamp) : undefined;
  if (when) issues.push({ field: 'timestamp', problem: `'${draft.timestamp}' is not a real date: ${when}`, fix: 'write an ISO 8601 date that exists, e.g. 2025-01-31T14:05:00Z' });
  const probe = { id: 'draft', ...draft };
  for (const issue of describeSchemaErrors('feedback', schemaErrors('feedback', probe), probe)) {
    const field = formatPath(issue.path);
    if (issues.some((i) => i.field === field)) continue;
    const missing = /^missing required field '(.*)'$/.exec(issue.message);
    if (issue.atKey) {
      issues.push({ field, problem: 'is not a known field', ...(issue.fix ? { fix: issue.fix } : {}) });
    } else if (missing) {
      issues.push({ field: missing[1]!, problem: 'is required', ...(issue.fix ? { fix: issue.fix } : {}) });
    } else {
      const problem = issue.message.startsWith(field) ? issue.message.slice(field.length).trimStart() : issue.message;
      issues.push({ field, problem, ...(issue.fix ? { fix: issue.fix } : {}) });
    }
  }
  return issues;
}

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/** fb-YYYYMMDD-xxxxxxxx: sortable by day, 40 random bits so machines and branches do not collide. */
export function newFeedbackId(now: Date): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  const bytes = randomBytes(5);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let suffix = '';
  for (let i = 0; i < 8; i++) {
    suffix = CROCKFORD[Number(bits & 31n)] + suffix;
    bits >>= 5n;
  }
  return `fb-${day}-${suffix}`;
}

export interface WrittenFeedback {
  file: string;
  ids: string[];
}

/**
 * Writes one new feedback file: one entry, or a batch as one YAML document per entry (ids
 * <file id>-1, -2, … in input order). Drafts must already have passed checkDraft.
 */
export function writeFeedback(root: string, drafts: FeedbackDraft[], now: Date): WrittenFeedback {
  if (drafts.length === 0) throw new Error('writeFeedback needs at least one entry');
  for (let attempt = 0; ; attempt++) {
    const stem = newFeedbackId(now);
    const ids = drafts.length === 1 ? [stem] : drafts.map((_, i) => `${stem}-${i + 1}`);
    const file = join(root, FOLDER, 'feedback', now.toISOString().slice(0, 7), `${stem}.yaml`);
    const records = drafts.map((draft, i) => ({ id: ids[i], ...draft }));
    try {
      createFileAtomic(file, serializeRecords('feedback', records, schemaRefFor(root, file, 'feedback')));
      return { file, ids };
    } catch (error) {
      // 40 random bits make this all but impossible; a retry with fresh bits settles it.
      if (!(error instanceof RecordExistsError) || attempt >= 3) throw error;
    }
  }
}

/**
 * What makes two feedback entries one observation: the same time, text, place, test or rule (not the
 * id, the session or the path of the file it was imported from). An import skips entries that are
 * already on record by this key, so a log imported twice, or again after it has grown, adds only
 * what is new.
 */
export function observationKey(entry: Pick<FeedbackRecord, 'timestamp' | 'type' | 'context' | 'feedback' | 'category' | 'severity' | 'file' | 'line' | 'source'>): string {
  const { timestamp, type, context, feedback, category, severity, file, line, source } = entry;
  return JSON.stringify([timestamp, type, context, feedback ?? null, category, severity, file ?? null, line ?? null, source?.test ?? null, source?.rule ?? null]);
}
