import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { FailuresError } from '../errors.js';
import type { KnownImport } from '../ingest/ids.js';
import { FOLDER, KIND_FOLDERS, type RecordKind } from './layout.js';
import { describeSchemaErrors, formatPath } from './messages.js';
import { loadStore } from './read.js';
import { schemaErrors } from './schemas.js';
import { schemaRefFor, serializeRecords } from './serialize.js';
import { createFileAtomic } from './write.js';

export type ImportKind = Extract<RecordKind, 'incident' | 'postmortem' | 'ticket'>;

export interface RecordToWrite {
  kind: ImportKind;
  id: string;
  data: Record<string, unknown>;
}

/** Where a record of a kind lives: .failures/incidents/INC-….yaml, tickets/imported/….yaml. */
export function recordFile(root: string, kind: ImportKind, id: string): string {
  const folder = KIND_FOLDERS.find(([, k]) => k === kind)![0];
  return join(root, FOLDER, folder, `${id}.yaml`);
}

/** Ids and import sources of the records of these kinds already in .failures/ (valid or not: their ids are taken either way). */
export function knownImports(root: string, kinds: readonly ImportKind[]): Record<ImportKind, KnownImport[]> {
  const store = loadStore(root, { kinds });
  const out: Record<ImportKind, KnownImport[]> = { incident: [], postmortem: [], ticket: [] };
  for (const record of store.records) {
    if (!kinds.includes(record.kind as ImportKind) || !record.id) continue;
    const source = (record.data as { source?: { file?: unknown; part?: unknown; fingerprint?: unknown } }).source;
    out[record.kind as ImportKind].push({
      id: record.id,
      ...(typeof source?.file === 'string' ? { file: source.file } : {}),
      ...(typeof source?.part === 'number' ? { part: source.part } : {}),
      ...(typeof source?.fingerprint === 'string' ? { fingerprint: source.fingerprint } : {}),
    });
  }
  return out;
}

/** Schema problems of a record about to be written, in words ("timeline[2] must be a string"). */
export function recordIssues(kind: ImportKind, data: Record<string, unknown>): string[] {
  return describeSchemaErrors(kind, schemaErrors(kind, data), data).map((i) => `${formatPath(i.path) || '(record)'}: ${i.message}`);
}

/**
 * Writes new records, all or nothing: each file is created atomically (never overwriting), and if
 * any cannot be written, those already written in this call are removed again before the error
 * is raised. Every record must validate first.
 */
export function writeRecords(root: string, records: RecordToWrite[]): string[] {
  for (const record of records) {
    const issues = recordIssues(record.kind, record.data);
    if (issues.length > 0) {
      throw new FailuresError(`the ${record.kind} ${record.id} would not validate, so nothing was written:\n  ${issues.join('\n  ')}`, {
        hint: 'this is a bug in the importer; please report it with the document that caused it',
      });
    }
  }
  const written: string[] = [];
  try {
    for (const record of records) {
      const file = recordFile(root, record.kind, record.id);
      createFileAtomic(file, serializeRecords(record.kind, [record.data], schemaRefFor(root, file, record.kind)));
      written.push(file);
    }
  } catch (error) {
    for (const file of written.reverse()) {
      try {
        unlinkSync(file);
      } catch {
        // already gone
      }
    }
    throw error;
  }
  return written;
}
