/**
 * Optional semantic embeddings (from a provider the CLI calls; this module never does IO): text
 * groups whose mean embeddings are close merge, and similarity scores take the embedding's word.
 * Sub-quadratic: candidate pairs come from random-hyperplane hashing (a few tables of a few bits).
 */
export interface EmbeddingOptions {
  /** Vectors by the text they embed (see embeddingText). Texts without one are left as they are. */
  vectors: ReadonlyMap<string, readonly number[]>;
  /** Cosine similarity of two groups' mean embeddings from which they are one. */
  threshold: number;
}

export const DEFAULT_EMBEDDING_THRESHOLD = 0.8;
const TABLES = 6;
const BITS = 10;
const MAX_BUCKET = 200;

function normalise(v: readonly number[]): number[] {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n);
  return n === 0 ? [...v] : v.map((x) => x / n);
}

export function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) s += a[i]! * b[i]!;
  return s;
}

/** The normalised mean of the members' vectors; undefined when none has one. */
export function meanEmbedding(vectors: ReadonlyArray<readonly number[] | undefined>): number[] | undefined {
  const present = vectors.filter((v): v is readonly number[] => v !== undefined && v.length > 0);
  if (present.length === 0) return undefined;
  const sum = new Array<number>(present[0]!.length).fill(0);
  for (const v of present) for (let i = 0; i < sum.length; i++) sum[i]! += v[i] ?? 0;
  return normalise(sum);
}

/** Deterministic pseudo-random hyperplanes (mulberry32), the same for every run. */
function hyperplanes(dimensions: number): number[][][] {
  let seed = 0x9e3779b9;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  return Array.from({ length: TABLES }, () => Array.from({ length: BITS }, () => Array.from({ length: dimensions }, random)));
}

/**
 * Which of the given groups (each a mean embedding, or none) are one: pairs above `threshold`,
 * joined transitively. Returns, for each group, the index of the group it joins (itself if none).
 */
export function mergeByEmbedding(centres: ReadonlyArray<readonly number[] | undefined>, threshold: number): number[] {
  const parent = centres.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const first = centres.find((c) => c !== undefined);
  if (!first) return parent;
  const planes = hyperplanes(first.length);
  for (const table of planes) {
    const buckets = new Map<number, number[]>();
    centres.forEach((c, i) => {
      if (!c) return;
      let key = 0;
      table.forEach((plane, b) => {
        if (dot(plane, c) >= 0) key |= 1 << b;
      });
      const bucket = buckets.get(key) ?? buckets.set(key, []).get(key)!;
      if (bucket.length < MAX_BUCKET) bucket.push(i);
    });
    for (const bucket of buckets.values()) {
      for (let a = 0; a < bucket.length; a++) {
        for (let b = a + 1; b < bucket.length; b++) {
          const [i, j] = [bucket[a]!, bucket[b]!];
          if (find(i) === find(j)) continue;
          if (dot(centres[i]!, centres[j]!) >= threshold) {
            const [ri, rj] = [find(i), find(j)];
            parent[Math.max(ri, rj)] = Math.min(ri, rj);
          }
        }
      }
    }
  }
  return parent.map((_, i) => find(i));
}

/** A lexical score lifted by the embedding's: a close embedding (cosine above 0.5) counts on a 0–1 scale. */
export function blendScore(lexical: number, embedding: number | undefined): number {
  if (embedding === undefined) return lexical;
  return Math.max(lexical, (embedding - 0.5) / 0.5);
}
