import { readFileSync } from 'node:fs';
import { isScalar, parseDocument } from 'yaml';
import { FailuresError } from '../errors.js';
import { replaceFileAtomic } from './write.js';

export interface FieldChange {
  path: Array<string | number>;
  value: unknown;
}

/**
 * Changes fields of a record in place through yaml's Document API, so its comments and layout
 * survive, and writes it back atomically. Only the decision commands (approve, reject, retire) edit
 * records; everything else only ever adds files.
 */
export function updateRecord(file: string, changes: readonly FieldChange[]): void {
  const text = readFileSync(file, 'utf8');
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new FailuresError(`${file} does not parse, so it was not changed: ${doc.errors[0]!.message.split('\n')[0]}`, {
      hint: 'fix the record first (`failures validate` shows where)',
    });
  }
  for (const change of changes) {
    if (change.value === undefined) {
      doc.deleteIn(change.path);
      continue;
    }
    // Changing a scalar's value (not replacing its node) keeps the comment written beside it.
    const existing = doc.getIn(change.path, true);
    if (isScalar(existing) && (change.value === null || typeof change.value !== 'object')) existing.value = change.value;
    else doc.setIn(change.path, doc.createNode(change.value));
  }
  const updated = doc.toString({ lineWidth: 100 });
  if (updated !== text) replaceFileAtomic(file, updated);
}
