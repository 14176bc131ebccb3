import { cosine, topFeatures, type Vector } from './cluster.js';

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

/** Share of the grouping threshold from which two separate groups count as almost merged. */
export const NEAR_SHARE = 0.7;
const PER_PATTERN = 3;
const MAX_PAIRS = 50;
const TOP = 8;

interface TextGroup {
  /** Pattern id when reported, else undefined. */
  id?: string;
  latest: string;
  centre: Vector;
}

/**
 * The groups each reported pattern almost merged with: a centre similarity of at least
 * NEAR_SHARE × threshold. Candidates come through an index of the groups' heaviest features, so the
 * work stays proportional to the patterns, not to all pairs of groups. Sorted, at most 50.
 */
export function nearMisses(groups: readonly TextGroup[], threshold: number): NearMiss[] {
  const floor = NEAR_SHARE * threshold;
  const index = new Map<string, number[]>();
  groups.forEach((g, i) => {
    for (const key of topFeatures(g.centre, TOP)) (index.get(key) ?? index.set(key, []).get(key)!).push(i);
  });
  const seen = new Set<string>();
  const out: NearMiss[] = [];
  groups.forEach((g, i) => {
    if (!g.id) return;
    const candidates = new Set<number>();
    for (const key of topFeatures(g.centre, TOP)) for (const c of (index.get(key) ?? []).slice(0, 400)) if (c !== i) candidates.add(c);
    const scored = [...candidates]
      .map((c) => ({ c, score: cosine(g.centre, groups[c]!.centre) }))
      .filter((s) => s.score >= floor)
      .sort((a, b) => b.score - a.score || a.c - b.c)
      .slice(0, PER_PATTERN);
    for (const { c, score } of scored) {
      const other = groups[c]!;
      const key = [i, c].sort((a, b) => a - b).join(':');
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        pattern: g.id,
        other: other.id ? { kind: 'pattern', id: other.id } : { kind: 'entry', id: other.latest },
        score: Math.round(score * 1000) / 1000,
        same_as: g.latest,
      });
    }
  });
  return out.sort((a, b) => b.score - a.score || a.pattern.localeCompare(b.pattern) || a.other.id.localeCompare(b.other.id)).slice(0, MAX_PAIRS);
}
