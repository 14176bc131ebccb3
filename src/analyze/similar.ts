import type { AntiPatternRecord, FeedbackRecord } from '../types/records.js';
import { centroid, cosine, inverseFrequencies, vectorise } from './cluster.js';
import { embeddingText, type Pattern } from './index.js';
import { textFeatures } from './text.js';
import { blendScore, dot } from './embeddings.js';
import { expandFeatures, type Associations } from './learn.js';

/** Embeddings by text, from a provider (optional): scores take their word beside the lexical one. */
export type TextVectors = ReadonlyMap<string, readonly number[]>;

export interface SimilarMatch {
  kind: 'entry' | 'pattern' | 'anti-pattern';
  id: string;
  score: number;
  text: string;
  category?: string;
}

export const entryText = (e: FeedbackRecord) => embeddingText(e);
export const apText = (ap: AntiPatternRecord) => [ap.name, ap.description, ...(ap.pattern_signature ?? []), ...(ap.prevention?.must_include ?? [])].join('. ');

/** Cosine similarity of a text to every entry and every anti-pattern, with IDF over the records. */
export function scoreAgainst(
  text: string,
  entries: readonly FeedbackRecord[],
  antiPatterns: readonly AntiPatternRecord[],
  embeddings?: TextVectors,
  learned?: Associations,
): { entryScores: number[]; antiPatternScores: number[] } {
  const entryFeatures = entries.map((e) => expandFeatures(textFeatures(entryText(e)), learned));
  const apFeatures = antiPatterns.map((ap) => textFeatures(apText(ap)));
  const idf = inverseFrequencies([...entryFeatures, ...apFeatures]);
  const unseen = Math.log(entries.length + antiPatterns.length + 1) + 1;
  const query = vectorise(expandFeatures(textFeatures(text), learned), idf, unseen);
  const asked = embeddings?.get(text);
  const semantic = (other: string) => {
    const v = asked && embeddings?.get(other);
    return v ? dot(asked, v) : undefined;
  };
  return {
    entryScores: entryFeatures.map((f, i) => blendScore(cosine(query, vectorise(f, idf, unseen)), semantic(entryText(entries[i]!)))),
    antiPatternScores: apFeatures.map((f, i) => blendScore(cosine(query, vectorise(f, idf, unseen)), semantic(apText(antiPatterns[i]!)))),
  };
}

/**
 * "Have we seen this before?": the recorded entries, recurring patterns and anti-patterns closest in
 * meaning to a text, with cosine scores (0 to 1). One pass over the records.
 */
export function findSimilar(
  text: string,
  entries: readonly FeedbackRecord[],
  patterns: readonly Pattern[],
  antiPatterns: readonly AntiPatternRecord[],
  limit: number,
  kinds: ReadonlyArray<SimilarMatch['kind']> = ['entry', 'pattern', 'anti-pattern'],
  embeddings?: TextVectors,
): SimilarMatch[] {
  const asked = embeddings?.get(text);
  const semantic = (other: string) => {
    const v = asked && embeddings?.get(other);
    return v ? dot(asked, v) : undefined;
  };
  const entryFeatures = entries.map((e) => textFeatures(entryText(e)));
  const apFeatures = antiPatterns.map((ap) => textFeatures(apText(ap)));
  const idf = inverseFrequencies([...entryFeatures, ...apFeatures]);
  const unseen = Math.log(entries.length + antiPatterns.length + 1) + 1;
  const query = vectorise(textFeatures(text), idf, unseen);
  const entryVectors = entryFeatures.map((f) => vectorise(f, idf, unseen));
  const byId = new Map(entries.map((e, i) => [e.id, i]));
  const matches: SimilarMatch[] = [];
  entries.forEach((entry, i) => matches.push({ kind: 'entry', id: entry.id, score: blendScore(cosine(query, entryVectors[i]!), semantic(entryText(entry))), text: entry.feedback ? `${entry.context} → ${entry.feedback}` : entry.context, category: entry.category }));
  for (const pattern of patterns) {
    const sum = new Map<string, number>();
    for (const id of pattern.entries) {
      const i = byId.get(id);
      if (i === undefined) continue;
      for (const [k, v] of entryVectors[i]!) sum.set(k, (sum.get(k) ?? 0) + v);
    }
    matches.push({ kind: 'pattern', id: pattern.id, score: cosine(query, centroid({ members: [], sum })), text: `${pattern.label} (${pattern.occurrences}×${pattern.anti_pattern ? `, ${pattern.anti_pattern}` : ''})`, category: pattern.category });
  }
  antiPatterns.forEach((ap, i) => matches.push({ kind: 'anti-pattern', id: ap.id, score: blendScore(cosine(query, vectorise(apFeatures[i]!, idf, unseen)), semantic(apText(ap))), text: `${ap.name} [${ap.status}]`, ...(ap.category ? { category: ap.category } : {}) }));
  return matches
    .filter((m) => m.score > 0 && kinds.includes(m.kind))
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
    .slice(0, limit)
    .map((m) => ({ ...m, score: Math.round(m.score * 1000) / 1000 }));
}
