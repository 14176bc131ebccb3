import { join, resolve } from 'node:path';
import type { Problem } from '../errors.js';
import type { BaselineRecord } from '../types/records.js';
import { FOLDER, TOP_FILES } from './layout.js';
import { yaml } from './parse.js';
import { recordsOf, type Store } from './read.js';
import { replaceFileAtomic } from './write.js';

export type BaselineEntry = BaselineRecord['entries'][number];

/** The entries of .failures/baseline.yaml; none when there is no baseline (or it is invalid: validate says so). */
export function baselineOf(store: Store): BaselineEntry[] {
  return recordsOf(store, 'baseline')[0]?.data.entries ?? [];
}

/** The errors that keep .failures/baseline.yaml from reading (each at its line): with them it reads as empty. */
export function baselineProblems(store: Store): Problem[] {
  const file = resolve(store.dir, TOP_FILES.baseline);
  return store.problems.filter((p) => p.severity === 'error' && resolve(p.file) === file);
}

export { conflictMarkerLines } from './parse.js';

const HEADER = `# Known violations that existed when their anti-patterns were approved: \`failures check\` does
# not report these, so approval never blocks old code. Written by \`failures baseline\`; shrink it
# with \`failures baseline --prune\` as they are fixed. Do not add entries by hand.
`;

export function writeBaseline(root: string, entries: BaselineEntry[]): string {
  const file = join(root, FOLDER, TOP_FILES.baseline);
  const record: BaselineRecord = { version: 1, entries };
  replaceFileAtomic(file, HEADER + yaml().stringify(record, { lineWidth: 0 }));
  return file;
}
