import type { Features } from './text.js';

/** A sparse vector, L2-normalised. */
export type Vector = Map<string, number>;

/** Dot product of two sparse vectors (normalised or not). */
export function dot(a: Map<string, number>, b: Map<string, number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let sum = 0;
  for (const [key, value] of small) {
    const other = large.get(key);
    if (other !== undefined) sum += value * other;
  }
  return sum;
}

/** Cosine similarity of two L2-normalised vectors: their dot product. */
export function cosine(a: Vector, b: Vector): number {
  return dot(a, b);
}

function normalise(vector: Map<string, number>): Vector {
  let norm = 0;
  for (const value of vector.values()) norm += value * value;
  norm = Math.sqrt(norm);
  if (norm === 0) return vector;
  const out: Vector = new Map();
  for (const [key, value] of vector) out.set(key, value / norm);
  return out;
}

/** Inverse document frequencies over a corpus of feature sets. */
export function inverseFrequencies(all: readonly Features[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const features of all) for (const key of features.keys()) df.set(key, (df.get(key) ?? 0) + 1);
  const n = all.length;
  const idf = new Map<string, number>();
  for (const [key, count] of df) idf.set(key, Math.log((n + 1) / (count + 1)) + 1);
  return idf;
}

/** TF-IDF with sublinear term frequency, normalised. Features never seen in the corpus get the highest IDF. */
export function vectorise(features: Features, idf: ReadonlyMap<string, number>, unseenIdf: number): Vector {
  const vector = new Map<string, number>();
  for (const [key, weight] of features) {
    const tf = weight > 1 ? 1 + Math.log(weight) : weight;
    vector.set(key, tf * (idf.get(key) ?? unseenIdf));
  }
  return normalise(vector);
}

/** Tie-break of equal weights: the same order as `localeCompare`, without its per-call set-up. */
const collator = new Intl.Collator();
const heavier = (a: [string, number], b: [string, number]) => b[1] - a[1] || collator.compare(a[0], b[0]);

/**
 * The heaviest features of a vector (character n-grams aside): what a document is indexed and found
 * by. The k best in one pass over the vector (a sorted insertion into at most k), not a sort of it all.
 */
export function topFeatures(vector: Vector, k: number): string[] {
  const best: Array<[string, number]> = [];
  if (k <= 0) return [];
  for (const entry of vector) {
    if (entry[0].startsWith('c:')) continue;
    if (best.length === k && heavier(entry, best[k - 1]!) >= 0) continue;
    let at = best.length === k ? k - 1 : best.length;
    while (at > 0 && heavier(entry, best[at - 1]!) < 0) {
      best[at] = best[at - 1]!;
      at--;
    }
    best[at] = entry;
  }
  return best.map(([key]) => key);
}

/** A vector's entries as parallel arrays, for a loop that goes over one vector many times without allocating. */
interface Entries {
  keys: string[];
  values: number[];
}

function entriesOf(vector: Vector): Entries {
  return { keys: [...vector.keys()], values: [...vector.values()] };
}

/** Σ value × other[key] over the entries, in their order (the same sum, to the last bit, as iterating the map). */
function dotWith(entries: Entries, other: Map<string, number>): number {
  const { keys, values } = entries;
  let dot = 0;
  for (let i = 0; i < keys.length; i++) dot += values[i]! * (other.get(keys[i]!) ?? 0);
  return dot;
}

export interface Cluster {
  members: number[];
  /** Sum of the members' vectors. */
  sum: Map<string, number>;
}

/** How documents join groups: see clusterVectors. */
export interface JoinOptions {
  /** Cosine similarity to a group's centroid a document needs to join it. */
  threshold: number;
  /**
   * A document joins a group of two or more only if its mean similarity to the members is at least
   * this share of the members' mean similarity to one another (0: no such requirement). A centroid
   * gathers what its members share, so a large group's centroid is within `threshold` of documents
   * that resemble no member much; this keeps a group from growing by what only its topic has in common.
   */
  cohesionShare?: number;
}

/**
 * Whether a document whose dot product with a group's sum is `dot` is as close to the members as the
 * share asks: mean similarity to them (dot / n) against their mean pairwise similarity, from the sum's
 * squared norm less the members' own (their squared norms, `selfSum`).
 */
function cohesive(dot: number, n: number, squaredNorm: number, selfSum: number, share: number): boolean {
  if (share <= 0 || n < 2) return true;
  return dot / n >= share * meanPairwise(n, squaredNorm, selfSum);
}

/** Mean similarity of a group's n ≥ 2 members to one another, from their sum's squared norm and their own. */
export function meanPairwise(n: number, squaredNorm: number, selfSum: number): number {
  return (squaredNorm - selfSum) / (n * (n - 1));
}

export function centroid(cluster: Cluster): Vector {
  return normalise(cluster.sum);
}

/**
 * Leader clustering over an inverted index: each document (in the given, deterministic order) joins
 * the most similar existing cluster whose centroid it reaches with `threshold` (and, with
 * `cohesionShare`, whose members it resembles enough), found only through clusters sharing one of its
 * heaviest features; else it starts a cluster. Near-linear: a document is compared with a bounded
 * number of candidate clusters, never with the whole corpus. `seeds` are clusters to start from (their
 * members are not placed again).
 */
export function clusterVectors(vectors: readonly Vector[], options: JoinOptions & { topK?: number; maxPostings?: number; seeds?: readonly Cluster[] }): Cluster[] {
  const topK = options.topK ?? 10;
  const maxPostings = options.maxPostings ?? 400;
  const share = options.cohesionShare ?? 0;
  const clusters: Cluster[] = (options.seeds ?? []).map((c) => ({ members: [...c.members], sum: new Map(c.sum) }));
  const seeded = new Set<number>();
  for (const c of clusters) for (const doc of c.members) seeded.add(doc);
  // ‖sum‖² per cluster, kept up to date as members join: cos(v, centroid) = v·sum / ‖sum‖; and the
  // members' own squared norms summed, for their mean pairwise similarity.
  const squaredNorms: number[] = clusters.map((c) => squaredNorm(c.sum));
  const selfSums: number[] = clusters.map((c) => c.members.reduce((n, doc) => n + squaredNorm(vectors[doc]!), 0));
  const index = new Map<string, number[]>();
  const indexed: Array<Set<string>> = [];
  // A cluster's index entries are refreshed when it doubles in size: amortised, not on every join.
  const reindex = (c: number) => {
    for (const key of topFeatures(clusters[c]!.sum, topK)) {
      if (indexed[c]!.has(key)) continue;
      indexed[c]!.add(key);
      const postings = index.get(key);
      if (postings) postings.push(c);
      else index.set(key, [c]);
    }
  };
  clusters.forEach((_, c) => {
    indexed.push(new Set());
    reindex(c);
  });
  vectors.forEach((vector, doc) => {
    if (seeded.has(doc)) return;
    const candidates = new Set<number>();
    for (const key of topFeatures(vector, topK)) {
      const postings = index.get(key);
      if (!postings) continue;
      // The most recent clusters of a very common feature are enough: bounded work per document.
      for (let i = Math.max(0, postings.length - maxPostings); i < postings.length; i++) candidates.add(postings[i]!);
    }
    let best = -1;
    let bestScore = options.threshold;
    let bestDot = 0;
    const entries = entriesOf(vector);
    for (const c of [...candidates].sort((a, b) => a - b)) {
      const dot = dotWith(entries, clusters[c]!.sum);
      const score = dot / Math.sqrt(squaredNorms[c]!);
      if (!cohesive(dot, clusters[c]!.members.length, squaredNorms[c]!, selfSums[c]!, share)) continue;
      if (score > bestScore || (best === -1 && score >= bestScore)) {
        best = c;
        bestScore = score;
        bestDot = dot;
      }
    }
    let self = 0;
    for (const value of vector.values()) self += value * value;
    if (best === -1) {
      clusters.push({ members: [doc], sum: new Map(vector) });
      squaredNorms.push(self);
      selfSums.push(self);
      indexed.push(new Set());
      reindex(clusters.length - 1);
    } else {
      const cluster = clusters[best]!;
      cluster.members.push(doc);
      for (const [key, value] of vector) cluster.sum.set(key, (cluster.sum.get(key) ?? 0) + value);
      squaredNorms[best] = squaredNorms[best]! + 2 * bestDot + self;
      selfSums[best] = selfSums[best]! + self;
      const size = cluster.members.length;
      if ((size & (size - 1)) === 0) reindex(best);
    }
  });
  return clusters;
}

/**
 * Reassignment passes after leader clustering (as in k-means): every document moves to the centroid
 * it is most similar to, if that reaches `threshold`, else it stands alone; centroids are recomputed
 * and empty clusters dropped. Undoes most of what the order of documents decided in the first pass.
 * Candidates again come through an inverted index of centroid features, so the work stays bounded.
 */
export function refineClusters(vectors: readonly Vector[], clusters: Cluster[], options: JoinOptions & { passes?: number; topK?: number }): Cluster[] {
  const topK = options.topK ?? 10;
  const share = options.cohesionShare ?? 0;
  const selfOf = vectors.map(squaredNorm);
  let current = clusters;
  for (let pass = 0; pass < (options.passes ?? 2); pass++) {
    const centroids = current.map(centroid);
    const squaredNorms = current.map((c) => squaredNorm(c.sum));
    const selfSums = current.map((c) => c.members.reduce((n, doc) => n + selfOf[doc]!, 0));
    const index = new Map<string, number[]>();
    centroids.forEach((c, i) => {
      for (const key of topFeatures(c, topK)) {
        const postings = index.get(key);
        if (postings) postings.push(i);
        else index.set(key, [i]);
      }
    });
    const assignment = new Array<number>(vectors.length);
    current.forEach((cluster, c) => cluster.members.forEach((doc) => (assignment[doc] = c)));
    const next = new Map<number, number[]>();
    const loners: number[] = [];
    vectors.forEach((vector, doc) => {
      const own = assignment[doc]!;
      const candidates = new Set<number>([own]);
      for (const key of topFeatures(vector, topK)) for (const c of (index.get(key) ?? []).slice(-400)) candidates.add(c);
      let best = -1;
      let bestScore = options.threshold;
      const entries = entriesOf(vector);
      for (const c of [...candidates].sort((a, b) => a - b)) {
        // A document's own centroid includes itself: judge it by the others, as they would judge it.
        let score: number;
        const n = current[c]!.members.length;
        if (c === own) {
          score = n > 1 ? similarityToRest(entries, current[c]!.sum, squaredNorms[c]!) : -1;
          // Cohesion, too, is the others' (the group without it).
          if (share > 0 && n > 2) {
            const dot = dotWith(entries, current[c]!.sum);
            const self = selfOf[doc]!;
            if (!cohesive(dot - self, n - 1, squaredNorms[c]! - 2 * dot + self, selfSums[c]! - self, share)) score = -1;
          }
        } else {
          score = vector.size <= centroids[c]!.size ? dotWith(entries, centroids[c]!) : cosine(vector, centroids[c]!);
          if (share > 0 && n > 1 && score > bestScore && !cohesive(dotWith(entries, current[c]!.sum), n, squaredNorms[c]!, selfSums[c]!, share)) score = -1;
        }
        if (score > bestScore) {
          best = c;
          bestScore = score;
        }
      }
      if (best === -1) loners.push(doc);
      else {
        const members = next.get(best);
        if (members) members.push(doc);
        else next.set(best, [doc]);
      }
    });
    const rebuilt: Cluster[] = [...next.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([, members]) => ({ members, sum: sumOf(vectors, members) }));
    for (const doc of loners) rebuilt.push({ members: [doc], sum: new Map(vectors[doc]!) });
    current = rebuilt;
  }
  return current.map((c) => ({ members: [...c.members].sort((a, b) => a - b), sum: c.sum }));
}

/** ‖v‖², of a vector or of a sum of vectors. */
export function squaredNorm(vector: Map<string, number>): number {
  let n = 0;
  for (const v of vector.values()) n += v * v;
  return n;
}

function sumOf(vectors: readonly Vector[], members: number[]): Map<string, number> {
  const sum = new Map<string, number>();
  for (const doc of members) for (const [key, value] of vectors[doc]!) sum.set(key, (sum.get(key) ?? 0) + value);
  return sum;
}

/** cos(v, S − v) without building S − v: (v·S − v·v) / ‖S − v‖, with ‖S − v‖² = ‖S‖² − 2 v·S + ‖v‖². */
function similarityToRest(entries: Entries, sum: Map<string, number>, sumSquaredNorm: number): number {
  const dot = dotWith(entries, sum);
  let self = 0;
  for (const value of entries.values) self += value * value;
  const restNorm = Math.sqrt(Math.max(0, sumSquaredNorm - 2 * dot + self));
  return restNorm === 0 ? 0 : (dot - self) / restNorm;
}
