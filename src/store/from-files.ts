import { join } from 'node:path';
import type { Problem } from '../errors.js';
import { resolveConfig } from './config.js';
import { FOLDER, kindOfPath, type RecordKind } from './layout.js';
import { readRecordFile, symlinkProblem, type LoadedRecord, type Store } from './read.js';

/** A file of .failures/ given with its content (from git's index): path relative to the project directory. */
export interface StoreFile {
  path: string;
  text: string;
  /** git's file mode; 120000 is a symlink, which is never read as a record. */
  mode?: string;
}

/**
 * A store read from given contents instead of the working tree: `check --staged` enforces the rules,
 * config and baseline that are about to be committed, so an unstaged `status: retired` or an
 * uncommitted baseline cannot let a violation in. Problems point at the working-tree path.
 */
export function storeFromFiles(root: string, files: readonly StoreFile[], kinds: readonly RecordKind[]): Store {
  const dir = join(root, FOLDER);
  const records: LoadedRecord[] = [];
  const problems: Problem[] = [];
  for (const { path, text, mode } of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    if (!path.startsWith(`${FOLDER}/`)) continue;
    const rel = path.slice(FOLDER.length + 1);
    const kind = kindOfPath(rel);
    if (!kind || !kinds.includes(kind) || !/\.ya?ml$/.test(rel) || rel.split('/').some((part) => part.startsWith('.'))) continue;
    const file = join(root, path);
    if (mode === '120000') {
      problems.push(symlinkProblem(file));
      continue;
    }
    const result = readRecordFile(file, kind, text);
    records.push(...result.records);
    problems.push(...result.problems);
  }
  const config = resolveConfig(records.find((r): r is LoadedRecord<'config'> => r.kind === 'config' && r.valid)?.data);
  problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  return { root, dir, config, records, problems };
}
