import type { AntiPatternRecord, FeedbackRecord } from '../types/records.js';
import { textFeatures, type Features } from './text.js';

/**
 * What people's decisions teach: terms that go together in this repository. Learned from confirmed
 * groups — entries linked by `same_as` or to one anti-pattern (`anti_pattern`, or an anti-pattern's
 * `origin.feedback`) — and rejected anti-patterns (whose entries people said are not one pattern).
 * A derived model, rebuilt from the records; never hand-edited.
 */
export interface Associations {
  version: 1;
  /** term → [associated term, strength 0..1], strongest first. */
  terms: Record<string, Array<[string, number]>>;
}

/** At most this many associations per term; a term in more confirmed groups than this is too common to teach anything. */
const PER_TERM = 12;
const MAX_GROUPS = 3;
/** An associated term adds this share of the weight of the term that brought it. */
export const EXPANSION_WEIGHT = 0.6;

const informative = (key: string) => key.startsWith('w:') || key.startsWith('a:') || key.startsWith('k:');

/** Confirmed groups (two or more entries) and rejected ones, as lists of entry indexes. */
export function decisionGroups(entries: readonly FeedbackRecord[], antiPatterns: readonly AntiPatternRecord[]): { confirmed: number[][]; rejected: number[][] } {
  const byId = new Map(entries.map((e, i) => [e.id, i]));
  const parent = entries.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const union = (a: number, b: number) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const rejectedIds = new Set(antiPatterns.filter((ap) => ap.status === 'rejected').map((ap) => ap.id));
  const byAntiPattern = new Map<string, number>();
  const join = (ap: string, i: number) => {
    if (rejectedIds.has(ap)) return;
    const first = byAntiPattern.get(ap);
    if (first === undefined) byAntiPattern.set(ap, i);
    else union(i, first);
  };
  entries.forEach((e, i) => {
    if (e.same_as && byId.has(e.same_as)) union(i, byId.get(e.same_as)!);
    if (e.anti_pattern) join(e.anti_pattern, i);
  });
  for (const ap of antiPatterns) for (const id of ap.origin?.feedback ?? []) if (byId.has(id)) join(ap.id, byId.get(id)!);
  const groups = new Map<number, number[]>();
  entries.forEach((_, i) => {
    const root = find(i);
    (groups.get(root) ?? groups.set(root, []).get(root)!).push(i);
  });
  const rejected = antiPatterns
    .filter((ap) => ap.status === 'rejected')
    .map((ap) => (ap.origin?.feedback ?? []).filter((id) => byId.has(id)).map((id) => byId.get(id)!))
    .filter((g) => g.length > 1);
  return { confirmed: [...groups.values()].filter((g) => g.length > 1), rejected };
}

/**
 * Term co-occurrence across the members of confirmed groups: a term one member uses and another
 * member's different term, counted once per group; pairs seen in rejected groups count against.
 * Strength is the share of the term's confirmed groups in which the pair occurs. Deterministic.
 */
export function learnAssociations(entries: readonly FeedbackRecord[], antiPatterns: readonly AntiPatternRecord[]): Associations {
  const { confirmed, rejected } = decisionGroups(entries, antiPatterns);
  const termsOf = (i: number) => new Set([...textFeatures(`${entries[i]!.context} ${entries[i]!.feedback ?? ''}`).keys()].filter(informative));
  const pairCounts = (groups: number[][]) => {
    const pairs = new Map<string, Map<string, number>>();
    const groupsOfTerm = new Map<string, number>();
    for (const group of groups) {
      const sets = group.map(termsOf);
      const seen = new Set<string>();
      for (const set of sets) for (const t of set) seen.add(t);
      for (const t of seen) groupsOfTerm.set(t, (groupsOfTerm.get(t) ?? 0) + 1);
      const inGroup = new Set<string>();
      for (let a = 0; a < sets.length; a++) {
        for (let b = 0; b < sets.length; b++) {
          if (a === b) continue;
          for (const t of sets[a]!) for (const u of sets[b]!) if (t !== u && !sets[a]!.has(u)) inGroup.add(`${t}\u0000${u}`);
        }
      }
      for (const key of inGroup) {
        const [t, u] = key.split('\u0000') as [string, string];
        const row = pairs.get(t) ?? pairs.set(t, new Map()).get(t)!;
        row.set(u, (row.get(u) ?? 0) + 1);
      }
    }
    return { pairs, groupsOfTerm };
  };
  const positive = pairCounts(confirmed);
  const negative = pairCounts(rejected).pairs;
  const terms: Associations['terms'] = {};
  for (const t of [...positive.pairs.keys()].sort()) {
    const groups = positive.groupsOfTerm.get(t)!;
    if (groups > MAX_GROUPS) continue;
    const row = [...positive.pairs.get(t)!]
      .map(([u, n]): [string, number] => [u, (n - (negative.get(t)?.get(u) ?? 0)) / groups])
      .filter(([u, s]) => s > 0 && (positive.groupsOfTerm.get(u) ?? 0) <= MAX_GROUPS)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, PER_TERM)
      .map(([u, s]): [string, number] => [u, Math.round(s * 1000) / 1000]);
    if (row.length > 0) terms[t] = row;
  }
  return { version: 1, terms };
}

/** Features with the learned associations added: a term brings the terms it went with in confirmed groups. */
export function expandFeatures(features: Features, associations: Associations | undefined): Features {
  if (!associations) return features;
  // Copied only when a term brings another: with nothing learned (the usual case) the features stand.
  let out: Features | undefined;
  for (const [t, weight] of features) {
    const associated = associations.terms[t];
    if (!associated) continue;
    for (const [u, strength] of associated) {
      if (features.has(u)) continue;
      out ??= new Map(features);
      out.set(u, (out.get(u) ?? 0) + EXPANSION_WEIGHT * strength * Math.min(weight, 1));
    }
  }
  return out ?? features;
}
