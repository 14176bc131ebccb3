import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FOLDER } from './layout.js';
import { CACHE_FOLDER, writeCacheFile } from './cache.js';

/**
 * Embedding vectors cached by content: sha256 of the text → the vector, one file per provider and
 * model in .failures/.cache/ (gitignored). Derived: deleting it only costs provider calls.
 */
export interface EmbeddingCache {
  get(text: string): number[] | undefined;
  set(text: string, vector: number[]): void;
  save(): void;
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex');

export function openEmbeddingCache(root: string, url: string, model: string): EmbeddingCache {
  const folder = join(root, FOLDER, CACHE_FOLDER);
  const name = `embeddings-${hash(`${url}\0${model}`).slice(0, 12)}.json`;
  const path = join(folder, name);
  let vectors: Record<string, number[]> = {};
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { model?: string; vectors?: Record<string, number[]> };
    if (parsed.model === model && parsed.vectors) vectors = parsed.vectors;
  } catch {
    // Missing or unreadable: asked for again.
  }
  let changed = false;
  return {
    get: (text) => vectors[hash(text)],
    set: (text, vector) => {
      vectors[hash(text)] = vector;
      changed = true;
    },
    save() {
      if (changed) writeCacheFile(folder, name, JSON.stringify({ model, vectors }));
    },
  };
}
