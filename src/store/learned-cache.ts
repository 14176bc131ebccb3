import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Associations } from '../analyze/learn.js';
import type { AntiPatternRecord, FeedbackRecord } from '../types/records.js';
import { CACHE_FOLDER, writeCacheFile } from './cache.js';
import { FOLDER } from './layout.js';

const FILE = 'learned.json';

/** What the learned terms depend on: the linked entries' texts and links, and the anti-patterns' decisions and origins. */
function decisionsKey(entries: readonly FeedbackRecord[], antiPatterns: readonly AntiPatternRecord[]): string {
  const named = new Set(antiPatterns.flatMap((ap) => ap.origin?.feedback ?? []));
  const hash = createHash('sha256');
  for (const e of entries) {
    if (!e.same_as && !e.anti_pattern && !named.has(e.id)) continue;
    hash.update(JSON.stringify([e.id, e.same_as ?? '', e.anti_pattern ?? '', e.context, e.feedback ?? '']));
  }
  for (const ap of antiPatterns) hash.update(JSON.stringify([ap.id, ap.status, ap.origin?.feedback ?? []]));
  return hash.digest('hex').slice(0, 16);
}

/**
 * The terms learned from people's decisions, from .failures/.cache/learned.json when it was built
 * from the same decisions, else learned again and written there. A derived file: rebuilt whenever the
 * links or decisions change, never edited by hand, never the source of truth.
 */
export function learnedTerms(root: string, entries: readonly FeedbackRecord[], antiPatterns: readonly AntiPatternRecord[], learn: () => Associations): Associations {
  const folder = join(root, FOLDER, CACHE_FOLDER);
  const path = join(folder, FILE);
  const key = decisionsKey(entries, antiPatterns);
  try {
    const cached = JSON.parse(readFileSync(path, 'utf8')) as { key?: string; learned?: Associations };
    if (cached.key === key && cached.learned?.version === 1) return cached.learned;
  } catch {
    // Missing or unreadable: learned again.
  }
  const learned = learn();
  writeCacheFile(folder, FILE, `${JSON.stringify({ key, note: 'derived from links and decisions by failures; rebuilt when they change; do not edit', learned }, null, 1)}\n`);
  return learned;
}
