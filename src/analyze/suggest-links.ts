import type { AntiPatternRecord, FeedbackRecord } from '../types/records.js';
import type { Pattern } from './index.js';
import { scoreAgainst, type TextVectors } from './similar.js';
import { learnAssociations, type Associations } from './learn.js';

/** A known group a new entry may repeat, and the flag that links an entry to it. */
export interface LinkSuggestion {
  /** The group: an anti-pattern id, a pattern id, or a lone entry's id. */
  id: string;
  kind: 'anti-pattern' | 'pattern' | 'entry';
  /** Cosine similarity of the text to the group's closest member (0 to 1). */
  score: number;
  text: string;
  link: { flag: '--anti-pattern' | '--same-as'; value: string };
}

/** Below this similarity nothing is suggested: an unrelated record is noise, not help. */
export const SUGGESTION_FLOOR = 0.12;

/**
 * "Is this one we have seen?" at the moment of logging: the known groups nearest to a text, best
 * first. A group is an anti-pattern (with every entry linked to it or named in its origin), else a
 * recurring pattern, else a lone entry; its score is its closest member's. Each comes with the flag
 * that links a new entry to it: `--anti-pattern AP-…`, or `--same-as` the group's latest entry.
 * Terms learned from the links on record count as shared. Pure and deterministic.
 */
export function suggestLinks(
  text: string,
  entries: readonly FeedbackRecord[],
  patterns: readonly Pattern[],
  antiPatterns: readonly AntiPatternRecord[],
  limit = 3,
  embeddings?: TextVectors,
  learned: Associations = learnAssociations(entries, antiPatterns),
): LinkSuggestion[] {
  // Terms people's links taught go with each other count as shared (see learn.ts).
  const { entryScores, antiPatternScores } = scoreAgainst(text, entries, antiPatterns, embeddings, learned);
  const apOf = new Map<string, string>();
  for (const ap of antiPatterns) for (const id of ap.origin?.feedback ?? []) apOf.set(id, ap.id);
  for (const e of entries) if (e.anti_pattern) apOf.set(e.id, e.anti_pattern);
  const patternOf = new Map<string, Pattern>();
  for (const p of patterns) {
    for (const id of p.entries) patternOf.set(id, p);
    if (p.anti_pattern) for (const id of p.entries) if (!apOf.has(id)) apOf.set(id, p.anti_pattern);
  }
  // Entries joined by same_as are one group: the earliest entry names it.
  const byId = new Map(entries.map((e) => [e.id, e]));
  const rootOf = (id: string): string => {
    const seen = new Set<string>();
    let current = id;
    while (!seen.has(current)) {
      seen.add(current);
      const next = byId.get(current)?.same_as;
      if (!next || !byId.has(next)) break;
      current = next;
    }
    return current;
  };
  const apById = new Map(antiPatterns.map((ap) => [ap.id, ap]));
  const groups = new Map<string, LinkSuggestion & { latest: string }>();
  const offer = (key: string, make: () => LinkSuggestion, score: number, latest: string) => {
    const group = groups.get(key);
    if (!group) groups.set(key, { ...make(), score, latest });
    else {
      if (score > group.score) group.score = score;
      if (latest > group.latest) group.latest = latest;
    }
  };
  entries.forEach((entry, i) => {
    const score = entryScores[i]!;
    if (score < SUGGESTION_FLOOR) return;
    const ap = apOf.get(entry.id);
    if (ap && apById.has(ap)) {
      const record = apById.get(ap)!;
      offer(`ap:${ap}`, () => ({ id: ap, kind: 'anti-pattern', score, text: `${record.name} [${record.status}]`, link: { flag: '--anti-pattern', value: ap } }), score, entry.id);
      return;
    }
    const pattern = patternOf.get(entry.id);
    if (pattern) {
      offer(`p:${pattern.id}`, () => ({ id: pattern.id, kind: 'pattern', score, text: `${pattern.label} (${pattern.occurrences}×)`, link: { flag: '--same-as', value: '' } }), score, entry.id);
      return;
    }
    const root = rootOf(entry.id);
    const label = byId.get(root)!;
    offer(`e:${root}`, () => ({ id: root, kind: 'entry', score, text: label.feedback ? `${label.context} → ${label.feedback}` : label.context, link: { flag: '--same-as', value: '' } }), score, entry.id);
  });
  antiPatterns.forEach((ap, i) => {
    const score = antiPatternScores[i]!;
    if (score < SUGGESTION_FLOOR) return;
    offer(`ap:${ap.id}`, () => ({ id: ap.id, kind: 'anti-pattern', score, text: `${ap.name} [${ap.status}]`, link: { flag: '--anti-pattern', value: ap.id } }), score, '');
  });
  return [...groups.values()]
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
    .slice(0, limit)
    .map(({ latest, ...s }) => ({
      ...s,
      score: Math.round(s.score * 1000) / 1000,
      link: s.link.flag === '--same-as' ? { flag: '--same-as', value: latest } : s.link,
    }));
}
