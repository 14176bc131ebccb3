import { join } from 'node:path';
import type { Problem } from '../errors.js';
import { openBlobRecordCache } from './cache.js';
import { resolveConfig } from './config.js';
import { FOLDER, kindOfPath, type RecordKind } from './layout.js';
import { readRecordFile, symlinkProblem, validRecord, type LoadedRecord, type Store } from './read.js';

/** A file of .failures/ in git's index, before its content is read. */
export interface IndexEntry {
  path: string;
  /** The blob id. */
  sha: string;
  mode: string;
}

/** Reads blobs of the index (several at once, in order; or one, synchronously, when a problem needs a position). */
export interface BlobReader {
  read(shas: string[]): Promise<string[]>;
  readOne(sha: string): string;
}

/** The kind of a path relative to the project directory, if it is a record file of one of `kinds`. */
function recordKind(path: string, kinds: readonly RecordKind[]): RecordKind | undefined {
  if (!path.startsWith(`${FOLDER}/`)) return undefined;
  const rel = path.slice(FOLDER.length + 1);
  const kind = kindOfPath(rel);
  if (!kind || !kinds.includes(kind) || !/\.ya?ml$/.test(rel) || rel.split('/').some((part) => part.startsWith('.'))) return undefined;
  return kind;
}

function assemble(root: string, records: LoadedRecord[], problems: Problem[]): Store {
  const config = resolveConfig(records.find((r): r is LoadedRecord<'config'> => r.kind === 'config' && r.valid)?.data);
  problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  return { root, dir: join(root, FOLDER), config, records, problems };
}

/**
 * A store read from git's index instead of the working tree: `check --staged` enforces the rules,
 * config and baseline that are about to be committed, so an unstaged `status: retired` or an
 * uncommitted baseline cannot let a violation in. Problems point at the working-tree path.
 * Through a cache of parsed, valid records by blob id
 * (.failures/.cache/, see openBlobRecordCache): blobs seen before are neither read from git nor
 * parsed nor validated again; a changed file is a new blob, read and checked in full. Positions of
 * cached records come from the blob, read only if a problem needs one.
 */
export async function storeFromIndex(root: string, entries: readonly IndexEntry[], kinds: readonly RecordKind[], blobs: BlobReader): Promise<Store> {
  const cache = openBlobRecordCache(join(root, FOLDER));
  const files = [...entries].sort((a, b) => a.path.localeCompare(b.path)).flatMap((entry) => {
    const kind = recordKind(entry.path, kinds);
    return kind ? [{ ...entry, kind, file: join(root, entry.path), cached: entry.mode === '120000' ? undefined : cache?.get(kind, entry.sha) }] : [];
  });
  const missing = files.filter((f) => f.mode !== '120000' && !f.cached);
  const texts = missing.length > 0 ? await blobs.read(missing.map((f) => f.sha)) : [];
  const textOf = new Map(missing.map((f, i) => [f, texts[i]!]));
  const records: LoadedRecord[] = [];
  const problems: Problem[] = [];
  for (const f of files) {
    if (f.mode === '120000') {
      problems.push(symlinkProblem(f.file));
    } else if (f.cached) {
      records.push(...f.cached.map((value, index) => validRecord(f.file, f.kind, value, index, () => blobs.readOne(f.sha))));
    } else {
      const result = readRecordFile(f.file, f.kind, textOf.get(f)!);
      records.push(...result.records);
      problems.push(...result.problems);
      if (cache && result.problems.length === 0 && result.records.length > 0 && result.records.every((r) => r.valid)) {
        cache.put(f.kind, f.sha, result.records.map((r) => r.data));
      }
    }
  }
  cache?.save();
  return assemble(root, records, problems);
}
