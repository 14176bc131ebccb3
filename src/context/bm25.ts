import { tokens, type Token } from './words.js';

/** A document for BM25: its fields' texts with a weight each (BM25F: weighted term frequencies, one length). */
export type Fields = ReadonlyArray<readonly [text: string, weight: number]>;

export interface Bm25Index {
  /** The score of every document for a query, in document order. */
  score(query: string): number[];
  /** The query's stems that occur in a document, with their contribution, largest first. */
  explain(query: string, doc: number): Array<{ stem: string; score: number }>;
  /** Inverse document frequency of a stem in this collection (high: rare, telling). */
  idf(stem: string): number;
  /** Share of the documents that use a stem (0 to 1). */
  share(stem: string): number;
  /**
   * The score of an average-length document that used each query word this collection knows once:
   * the scale of a good match here (small in a handful of ticket patterns, large in a thousand postmortems).
   */
  ideal(query: string): number;
}

/** A document already split into content words (words.ts `tokens`), by field with a weight each. */
export type TokenFields = ReadonlyArray<readonly [tokens: readonly Token[], weight: number]>;

/**
 * Okapi BM25 (k1 1.2, b 0.75) over stemmed content words. With one field of weight 1 per document this
 * is the plain keyword search the bench compares against; with several it is BM25F.
 */
export function bm25(documents: readonly Fields[], options: { k1?: number; b?: number } = {}): Bm25Index {
  return bm25Tokens(
    documents.map((fields) => fields.map(([text, weight]) => [tokens(text), weight] as const)),
    options,
  );
}

/** BM25 over documents already tokenised (a caller that needs the words too tokenises once). */
export function bm25Tokens(documents: readonly TokenFields[], options: { k1?: number; b?: number } = {}): Bm25Index {
  const k1 = options.k1 ?? 1.2;
  const b = options.b ?? 0.75;
  const freqs: Array<Map<string, number>> = [];
  const lengths: number[] = [];
  const df = new Map<string, number>();
  for (const fields of documents) {
    const tf = new Map<string, number>();
    let length = 0;
    for (const [fieldTokens, weight] of fields) {
      for (const t of fieldTokens) {
        tf.set(t.stem, (tf.get(t.stem) ?? 0) + weight);
        length += weight;
      }
    }
    for (const term of tf.keys()) df.set(term, (df.get(term) ?? 0) + 1);
    freqs.push(tf);
    lengths.push(length);
  }
  const n = documents.length;
  const average = lengths.reduce((a, l) => a + l, 0) / Math.max(1, n) || 1;
  const idf = (term: string) => {
    const d = df.get(term) ?? 0;
    return Math.log(1 + (n - d + 0.5) / (d + 0.5));
  };
  const termScore = (term: string, doc: number) => {
    const f = freqs[doc]!.get(term) ?? 0;
    if (f === 0) return 0;
    return (idf(term) * f * (k1 + 1)) / (f + k1 * (1 - b + (b * lengths[doc]!) / average));
  };
  /** Query terms with their counts: a term repeated in the query (a field weighted by repetition) counts more, saturating. */
  // The last query's terms, kept: `explain` asks once per document for the same query.
  let last: { query: string; terms: ReadonlyArray<readonly [string, number]> } | undefined;
  const queryTerms = (query: string) => {
    if (last?.query === query) return last.terms;
    const counts = new Map<string, number>();
    for (const t of tokens(query)) counts.set(t.stem, (counts.get(t.stem) ?? 0) + 1);
    last = { query, terms: [...counts].map(([term, n]) => [term, Math.log2(1 + n)] as const) };
    return last.terms;
  };
  return {
    idf,
    share: (stem) => (n > 0 ? (df.get(stem) ?? 0) / n : 0),
    ideal: (query) => queryTerms(query).reduce((sum, [term, weight]) => sum + (df.has(term) ? weight * idf(term) : 0), 0),
    score(query) {
      const terms = queryTerms(query);
      return freqs.map((_, doc) => terms.reduce((sum, [term, weight]) => sum + weight * termScore(term, doc), 0));
    },
    explain(query, doc) {
      return queryTerms(query)
        .map(([term, weight]) => ({ stem: term, score: weight * termScore(term, doc) }))
        .filter((t) => t.score > 0)
        .sort((x, y) => y.score - x.score || x.stem.localeCompare(y.stem));
    },
  };
}
