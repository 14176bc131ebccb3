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
const RECORDS_FILE = 'records-v2.json';
/** Files of earlier formats, removed when the current one is written. */
const OLD_FILES = ['records-v1.json'];
const RACY_MS = 2000;
const FORMAT = 2;

/**
 * One file's entry: a flat array rather than an object per file, so that reading 100,000 of them is
 * one JSON.parse of arrays (about a third faster than objects keyed by path, and less to collect).
 */
type Entry = [rel: string, kind: RecordKind, size: number, mtimeMs: number, ctimeMs: number, ino: number, values: unknown[]];
interface CacheData {
  key: string;
  /** Sorted by path. */
  files: Entry[];
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

const sameStat = (e: Entry, s: Stats) => e[2] === s.size && e[3] === s.mtimeMs && e[4] === s.ctimeMs && e[5] === s.ino;

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
  const old = new Map<string, Entry>();
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as CacheData;
    if (parsed && parsed.key === key && Array.isArray(parsed.files)) for (const entry of parsed.files) if (Array.isArray(entry) && entry.length === 7) old.set(entry[0], entry);
  } catch {
    // Missing or unreadable: rebuilt from the records.
  }
  const next: Entry[] = [];
  const seen = new Set<string>();
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
      const cached = old.get(rel);
      if (cached && cached[1] === kind && sameStat(cached, stat)) {
        next.push(cached);
        seen.add(rel);
        hits++;
        return { values: cached[6], stat };
      }
      misses++;
      if (cached) changed = true;
      return { stat };
    },
    put(rel, kind, values, stat) {
      if (stat.mtimeMs > started - RACY_MS) return;
      next.push([rel, kind, stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino, values]);
      seen.add(rel);
      changed = true;
    },
    save(complete) {
      // Nothing read from the records and, after a complete listing, nothing gone: the file stands.
      if (!changed && (!complete || hits === old.size)) return;
      if (!complete) {
        for (const [rel, cached] of old) if (!seen.has(rel)) next.push(cached);
      }
      next.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      writeCacheFile(folder, RECORDS_FILE, JSON.stringify({ key, files: next } satisfies CacheData));
      for (const name of OLD_FILES) {
        try {
          unlinkSync(join(folder, name));
        } catch {
          // Never written, or already gone.
        }
      }
    },
  };
}
