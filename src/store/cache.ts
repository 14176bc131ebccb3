import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Problem } from '../errors.js';
import type { FileResult } from '../enforce/engine.js';
import { replaceFileAtomic } from './write.js';

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
const FILE = 'check.json';

export function readCheckCache(root: string, key: string): CheckCache | undefined {
  try {
    const cache = JSON.parse(readFileSync(join(root, FOLDER, FILE), 'utf8')) as CheckCache;
    return cache.key === key && cache.files && typeof cache.files === 'object' ? cache : undefined;
  } catch {
    return undefined;
  }
}

/** Best effort: a cache that cannot be written (read-only checkout) only costs time. */
export function writeCheckCache(root: string, cache: CheckCache): void {
  try {
    const dir = join(root, FOLDER);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '.gitignore'), '*\n');
    replaceFileAtomic(join(dir, FILE), JSON.stringify(cache));
  } catch {
    // ignored
  }
}
