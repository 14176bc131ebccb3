import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Problem } from '../errors.js';
import type { FileResult } from '../enforce/engine.js';
import { writeCacheFile } from './cache.js';

/**
 * `.failures/.cache/check.json`: each checked file's content hash and result, under the hash of what
 * the rules enforce. A warm `failures check` reads and hashes files and nothing more; any change to a
 * record, the severity levels or failures itself changes the key and empties the cache. The folder
 * ignores itself (its own .gitignore), so it is never committed.
 */
export interface CheckCache {
  key: string;
  /** Problems of the records (detectors that do not compile), so a warm run need not compile them. */
  problems: Problem[];
  files: Record<string, { hash: string; size?: number; mtime?: number; result?: FileResult }>;
}

const FOLDER = join('.failures', '.cache');
/**
 * The working tree's cache (every file, by content hash, size and mtime), and the index's, read by
 * the pre-commit hook: files by git's blob id, only the most recent STAGED_LIMIT, so a hook never
 * reads and rewrites the whole repository's cache (megabytes) to check a few files.
 */
export type CheckCacheName = 'check' | 'staged';
export const STAGED_LIMIT = 500;

export function readCheckCache(root: string, key: string, name: CheckCacheName = 'check'): CheckCache | undefined {
  try {
    const cache = JSON.parse(readFileSync(join(root, FOLDER, `${name}.json`), 'utf8')) as CheckCache;
    return cache.key === key && cache.files && typeof cache.files === 'object' ? cache : undefined;
  } catch {
    return undefined;
  }
}

/** Best effort (a read-only checkout only costs time), and not synced to disk: a lost cache is rebuilt. */
export function writeCheckCache(root: string, cache: CheckCache, name: CheckCacheName = 'check'): void {
  writeCacheFile(join(root, FOLDER), `${name}.json`, JSON.stringify(cache));
}

/** The entries of `files` with those of `recent` last (most recent), at most `limit` of them. */
export function keepRecent<T>(files: Record<string, T>, recent: readonly string[], limit: number): Record<string, T> {
  const latest = new Set(recent);
  const order = [...Object.keys(files).filter((file) => !latest.has(file)), ...recent.filter((file) => file in files)];
  return Object.fromEntries(order.slice(-limit).map((file) => [file, files[file]!]));
}
