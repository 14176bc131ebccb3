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
 * One cache file per record folder (feedback/2025-03, anti-patterns, …): a new entry rewrites its
 * month's file, not the cache of every record.
 */
export const CACHE_FOLDER = '.cache';
/** records-<hash of the folder>.json: one per folder of record files. */
const SHARD = /^records-[0-9a-f]{12}\.json$/;
const shardName = (folder: string) => `records-${createHash('sha256').update(folder).digest('hex').slice(0, 12)}.json`;
/** Files of earlier formats, removed when the current one is written. */
const OLD_FILES = ['records-v1.json', 'records-v2.json'];
const RACY_MS = 2000;
const FORMAT = 2;

/**
 * One file's entry: a flat array rather than an object per file, so that reading 100,000 of them is
 * one JSON.parse of arrays (about a third faster than objects keyed by path, and less to collect).
 */
type Entry = [rel: string, kind: RecordKind, size: number, mtimeMs: number, ctimeMs: number, ino: number, values: unknown[]];
interface CacheData {
  key: string;
  /** The folder of .failures/ whose files these are ('' for the top level). */
  folder: string;
  /** Sorted by path. */
  files: Entry[];
}

/** The folder part of a path relative to .failures/. */
const folderOf = (rel: string) => rel.slice(0, Math.max(0, rel.lastIndexOf('/')));

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
  const cacheFolder = join(dir, CACHE_FOLDER);
  const key = cacheKey();
  const old = new Map<string, Entry>();
  /** Per folder: how many entries its cache file held, and its file's name. */
  const shards = new Map<string, { count: number; name: string }>();
  /** Cache files of another version or unreadable: removed at the next save. */
  const staleFiles: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(cacheFolder).filter((name) => SHARD.test(name));
  } catch {
    // No cache yet.
  }
  for (const name of names) {
    try {
      const parsed = JSON.parse(readFileSync(join(cacheFolder, name), 'utf8')) as CacheData;
      // A file of another version (or not ours) counts as empty: rewritten when its folder is read.
      const valid = parsed && parsed.key === key && typeof parsed.folder === 'string' && shardName(parsed.folder) === name && Array.isArray(parsed.files);
      let count = 0;
      // Entries are looked up by path, whatever file holds them: only their shape is checked.
      if (valid) {
        for (const entry of parsed.files) {
          if (!Array.isArray(entry) || entry.length !== 7 || typeof entry[0] !== 'string') continue;
          old.set(entry[0], entry);
          count++;
        }
        shards.set(parsed.folder, { count, name });
      } else {
        staleFiles.push(name);
      }
    } catch {
      // Unreadable: rebuilt from the records.
      staleFiles.push(name);
    }
  }
  /** Entries to keep, by folder. */
  const next = new Map<string, Entry[]>();
  const keep = (folder: string, entry: Entry) => (next.get(folder) ?? next.set(folder, []).get(folder)!).push(entry);
  const changed = new Set<string>();
  const hitsIn = new Map<string, number>();
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
      const folder = folderOf(rel);
      if (cached && cached[1] === kind && sameStat(cached, stat)) {
        keep(folder, cached);
        hitsIn.set(folder, (hitsIn.get(folder) ?? 0) + 1);
        hits++;
        return { values: cached[6], stat };
      }
      misses++;
      if (cached) changed.add(folder);
      return { stat };
    },
    put(rel, kind, values, stat) {
      if (stat.mtimeMs > started - RACY_MS) return;
      const folder = folderOf(rel);
      keep(folder, [rel, kind, stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino, values]);
      changed.add(folder);
    },
    save(complete) {
      // After a complete listing, a folder whose cached files were not all seen lost some (deleted, renamed, moved).
      if (complete) for (const [folder, shard] of shards) if ((hitsIn.get(folder) ?? 0) < shard.count) changed.add(folder);
      let oldByFolder: Map<string, Entry[]> | undefined;
      const written = new Set<string>();
      for (const folder of changed) {
        const entries = next.get(folder) ?? [];
        // A partial read (analyze reads some kinds) keeps what it did not look at.
        if (!complete) {
          if (!oldByFolder) {
            oldByFolder = new Map();
            for (const [rel, cached] of old) (oldByFolder.get(folderOf(rel)) ?? oldByFolder.set(folderOf(rel), []).get(folderOf(rel))!).push(cached);
          }
          const seen = new Set(entries.map((e) => e[0]));
          for (const cached of oldByFolder.get(folder) ?? []) if (!seen.has(cached[0])) entries.push(cached);
        }
        const name = shardName(folder);
        written.add(name);
        if (entries.length === 0) {
          removeCacheFile(cacheFolder, name);
          continue;
        }
        entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
        writeCacheFile(cacheFolder, name, JSON.stringify({ key, folder, files: entries } satisfies CacheData));
      }
      // Files of another version, unreadable ones and earlier formats go once the current ones are written.
      if (changed.size > 0) for (const name of [...staleFiles, ...OLD_FILES]) if (!written.has(name)) removeCacheFile(cacheFolder, name);
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

function removeCacheFile(folder: string, name: string): void {
  try {
    unlinkSync(join(folder, name));
  } catch {
    // Never written, or already gone.
  }
}
