import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FOLDER } from './layout.js';
import { CACHE_FOLDER } from './cache.js';

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
  const path = join(folder, `embeddings-${hash(`${url}\0${model}`).slice(0, 12)}.json`);
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
      if (!changed) return;
      try {
        mkdirSync(folder, { recursive: true });
        writeFileSync(join(folder, '.gitignore'), '# derived by failures; safe to delete\n*\n');
        const temporary = `${path}.${process.pid}.tmp`;
        writeFileSync(temporary, JSON.stringify({ model, vectors }));
        renameSync(temporary, path);
      } catch {
        // The cache is an optimisation; the vectors are asked for again next time.
      }
    },
  };
}
