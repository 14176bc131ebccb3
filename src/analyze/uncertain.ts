import { cosine, dot, meanPairwise, topFeatures, type JoinOptions, type Vector } from './cluster.js';

/** A pair of groups of corrections that came close to being one, for a person to decide. */
export interface NearMiss {
  /** The reported pattern. */
  pattern: string;
  /** The other group: another pattern, or a group too small to report, named by its latest entry. */
  other: { kind: 'pattern' | 'entry'; id: string };
  /** Cosine similarity of the two groups' centres (0 to 1). */
  score: number;
  /** The entry to name with `failures log --same-as` to join the two from now on. */
  same_as: string;
}

/** A near miss and how near: 1 where the grouping's every criterion is met, lower the further the pair falls short of one. */
export interface RankedNearMiss {
  miss: NearMiss;
  nearness: number;
}

/** Share of the grouping threshold from which two separate groups count as almost merged. */
export const NEAR_SHARE = 0.7;
const PER_PATTERN = 3;
const MAX_PAIRS = 50;
const TOP = 8;

export interface TextGroup {
  /** Pattern id when reported, else undefined. */
  id?: string;
  latest: string;
  centre: Vector;
  /** Sum of the vectors of the documents (entries, or linked units) the group was formed from. */
  sum: Map<string, number>;
  units: number;
  /** Σ of those documents' squared norms. */
  selfSum: number;
}

/**
 * How near two groups came to being one, by the criteria a document joins a group with (see
 * clusterVectors): their centres' similarity against the threshold, and the mean similarity of one's
 * members to the other's against `cohesionShare` × each group's own mean pairwise similarity. The
 * lowest of these ratios; at 1 or above, every criterion holds (the two stayed apart only because
 * each was already whole before the other could join it).
 */
export function nearness(a: TextGroup, b: TextGroup, centres: number, options: JoinOptions): number {
  let near = centres / options.threshold;
  const share = options.cohesionShare ?? 0;
  if (share > 0 && (a.units > 1 || b.units > 1)) {
    const cross = dot(a.sum, b.sum) / (a.units * b.units);
    for (const g of [a, b]) {
      if (g.units < 2) continue;
      const own = meanPairwise(g.units, dot(g.sum, g.sum), g.selfSum);
      if (own > 0) near = Math.min(near, cross / (share * own));
    }
  }
  return near;
}

/**
 * The groups each reported pattern almost merged with: a centre similarity of at least
 * NEAR_SHARE × threshold, nearest first by every criterion of the grouping (nearness), so that groups
 * kept apart only because each is much tighter than the two together come after those that fell just
 * short. Candidates come through an index of the groups' heaviest features, so the work stays
 * proportional to the patterns, not to all pairs of groups. At most 50.
 */
export function nearMisses(groups: readonly TextGroup[], options: JoinOptions): RankedNearMiss[] {
  const floor = NEAR_SHARE * options.threshold;
  const index = new Map<string, number[]>();
  groups.forEach((g, i) => {
    for (const key of topFeatures(g.centre, TOP)) (index.get(key) ?? index.set(key, []).get(key)!).push(i);
  });
  const seen = new Set<string>();
  const out: RankedNearMiss[] = [];
  groups.forEach((g, i) => {
    if (!g.id) return;
    const candidates = new Set<number>();
    for (const key of topFeatures(g.centre, TOP)) for (const c of (index.get(key) ?? []).slice(0, 400)) if (c !== i) candidates.add(c);
    const scored = [...candidates]
      .map((c) => ({ c, score: cosine(g.centre, groups[c]!.centre) }))
      .filter((s) => s.score >= floor)
      .map((s) => ({ ...s, near: nearness(g, groups[s.c]!, s.score, options) }))
      .sort((a, b) => b.near - a.near || b.score - a.score || a.c - b.c)
      .slice(0, PER_PATTERN);
    for (const { c, score, near } of scored) {
      const other = groups[c]!;
      const key = [i, c].sort((a, b) => a - b).join(':');
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        miss: {
          pattern: g.id,
          other: other.id ? { kind: 'pattern', id: other.id } : { kind: 'entry', id: other.latest },
          score: Math.round(score * 1000) / 1000,
          same_as: g.latest,
        },
        nearness: near,
      });
    }
  });
  return sortNearMisses(out).slice(0, MAX_PAIRS);
}

/** Nearest first; ties by centre similarity, then ids: deterministic. */
export function sortNearMisses(misses: RankedNearMiss[]): RankedNearMiss[] {
  return misses.sort(
    (a, b) => b.nearness - a.nearness || b.miss.score - a.miss.score || a.miss.pattern.localeCompare(b.miss.pattern) || a.miss.other.id.localeCompare(b.miss.other.id),
  );
}
