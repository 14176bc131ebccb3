import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { VERSION } from '../version.js';
import type { RecordKind } from './layout.js';
import { SCHEMAS_DIR } from './schemas.js';

/**
 * A derived cache of parsed and validated records in .failures/.cache/ (gitignored by its own
 * .gitignore): for each record file that was valid, its size, mtime, ctime and inode when read, and
 * its parsed values. A file whose stat differs (an edit, a checkout, a rename over it) is read
 * again; a deleted file drops out; a change of the program or its schemas discards everything. Never
 * the source of truth: deleting the folder only costs time. Files changed in the last two seconds
 * before a save are not kept (an edit within the same clock tick would not change the stat).
 */
export const CACHE_FOLDER = '.cache';
const RECORDS_FILE = 'records-v1.json';
const RACY_MS = 2000;
const FORMAT = 1;

type Stat = [size: number, mtimeMs: number, ctimeMs: number, ino: number];
interface CachedFile {
  stat: Stat;
  kind: RecordKind;
  values: unknown[];
}
interface CacheData {
  key: string;
  files: Record<string, CachedFile>;
}

export interface RecordCache {
  /** The file's stat, and its values when the stat matches what was cached (else read it, then put). */
  get(file: string, rel: string, kind: RecordKind): { values?: unknown[]; stat?: Stats };
  /** Remembers a file that was read and is valid (its records pass their schemas, no problems). */
  put(rel: string, kind: RecordKind, values: unknown[], stat: Stats): void;
  /** Writes the cache if anything changed; `complete` when every record file was listed (unlisted ones are gone). */
  save(complete: boolean): void;
  readonly hits: number;
  readonly misses: number;
}

let schemaKey: string | undefined;
/** What the cached validity depends on: this program's version and its schemas. */
function cacheKey(): string {
  if (!schemaKey) {
    const hash = createHash('sha256').update(`${FORMAT}\0${VERSION}\0`);
    for (const name of readdirSync(SCHEMAS_DIR).sort()) hash.update(name).update(readFileSync(join(SCHEMAS_DIR, name)));
    schemaKey = hash.digest('hex').slice(0, 16);
  }
  return schemaKey;
}

const statOf = (s: Stats): Stat => [s.size, s.mtimeMs, s.ctimeMs, s.ino];
const sameStat = (a: Stat, b: Stat) => a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];

/**
 * Writes a derived file into a cache folder (creating it, with a .gitignore that ignores everything
 * in it) through a temporary file and a rename, so readers see the old or the new content. Failure
 * (a read-only checkout, a full disk) is silent: a cache is an optimisation, never a reason to fail.
 */
export function writeCacheFile(folder: string, name: string, content: string): void {
  const temporary = join(folder, `.${name}.${process.pid}.tmp`);
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, '.gitignore'), '# derived by failures; safe to delete\n*\n');
    writeFileSync(temporary, content);
    renameSync(temporary, join(folder, name));
  } catch {
    try {
      unlinkSync(temporary);
    } catch {
      // Nothing was written.
    }
  }
}

/** The cache of a .failures/ directory; undefined when disabled with FAILURES_CACHE=0. */
export function openRecordCache(dir: string): RecordCache | undefined {
  if (process.env.FAILURES_CACHE === '0') return undefined;
  const folder = join(dir, CACHE_FOLDER);
  const path = join(folder, RECORDS_FILE);
  const key = cacheKey();
  let old: CacheData = { key, files: {} };
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as CacheData;
    if (parsed && parsed.key === key && parsed.files && typeof parsed.files === 'object') old = parsed;
  } catch {
    // Missing or unreadable: rebuilt from the records.
  }
  const next: Record<string, CachedFile> = {};
  let changed = false;
  let hits = 0;
  let misses = 0;
  const started = Date.now();
  return {
    get hits() {
      return hits;
    },
    get misses() {
      return misses;
    },
    get(file, rel, kind) {
      const stat = statSync(file, { throwIfNoEntry: false });
      if (!stat) return {};
      const cached = old.files[rel];
      if (cached && cached.kind === kind && sameStat(cached.stat, statOf(stat))) {
        next[rel] = cached;
        hits++;
        return { values: cached.values, stat };
      }
      misses++;
      if (cached) changed = true;
      return { stat };
    },
    put(rel, kind, values, stat) {
      if (stat.mtimeMs > started - RACY_MS) return;
      next[rel] = { stat: statOf(stat), kind, values };
      changed = true;
    },
    save(complete) {
      if (!complete) {
        for (const [rel, cached] of Object.entries(old.files)) if (!(rel in next)) next[rel] = cached;
      } else if (Object.keys(old.files).some((rel) => !(rel in next))) {
        changed = true;
      }
      if (!changed) return;
      const sorted = Object.fromEntries(Object.keys(next).sort().map((rel) => [rel, next[rel]!]));
      writeCacheFile(folder, RECORDS_FILE, JSON.stringify({ key, files: sorted } satisfies CacheData));
    },
  };
}

const INDEX_RECORDS_FILE = 'index-records-v1.json';
/** Blobs kept in the index's record cache: the rules of a few branches' worth of history. */
const INDEX_RECORDS_LIMIT = 1000;

/**
 * The records of files read from git's index (`check --staged`, the pre-commit hook), parsed and
 * validated, by kind and blob id: a blob's content never changes, so an entry is valid for as long as
 * the program and its schemas are (the same key as the record cache). Only valid files are kept.
 */
export interface BlobRecordCache {
  get(kind: RecordKind, sha: string): unknown[] | undefined;
  put(kind: RecordKind, sha: string, values: unknown[]): void;
  /** Writes the cache if something was added: the blobs used this time last (most recent), at most INDEX_RECORDS_LIMIT. */
  save(): void;
}

/** The index's record cache of a .failures/ directory; undefined when disabled with FAILURES_CACHE=0. */
export function openBlobRecordCache(dir: string): BlobRecordCache | undefined {
  if (process.env.FAILURES_CACHE === '0') return undefined;
  const folder = join(dir, CACHE_FOLDER);
  const key = cacheKey();
  let blobs: Record<string, unknown[]> = {};
  try {
    const parsed = JSON.parse(readFileSync(join(folder, INDEX_RECORDS_FILE), 'utf8')) as { key?: string; blobs?: Record<string, unknown[]> };
    if (parsed && parsed.key === key && parsed.blobs && typeof parsed.blobs === 'object') blobs = parsed.blobs;
  } catch {
    // Missing or unreadable: rebuilt from the index.
  }
  const used = new Set<string>();
  let added = false;
  return {
    get(kind, sha) {
      const values = blobs[`${kind}:${sha}`];
      if (!Array.isArray(values)) return undefined;
      used.add(`${kind}:${sha}`);
      return values;
    },
    put(kind, sha, values) {
      blobs[`${kind}:${sha}`] = values;
      used.add(`${kind}:${sha}`);
      added = true;
    },
    save() {
      if (!added) return;
      const order = [...Object.keys(blobs).filter((k) => !used.has(k)), ...used].slice(-INDEX_RECORDS_LIMIT);
      writeCacheFile(folder, INDEX_RECORDS_FILE, JSON.stringify({ key, blobs: Object.fromEntries(order.map((k) => [k, blobs[k]])) }));
    },
  };
}
