import { cosine, inverseFrequencies, vectorise } from '../analyze/cluster.js';
import { textFeatures } from '../analyze/text.js';
import { bm25Tokens, type TokenFields } from './bm25.js';
import type { Manifold } from './manifold.js';
import { stems, surfaceWords, tokensOf } from './words.js';

/** One past failure as the relevance engine sees it: structured facets and texts, core and extended. */
export interface FailureDocument {
  id: string;
  /** Structured facets, as imported (incident.systems, entities, error_types, tags). */
  systems: readonly string[];
  entities: readonly string[];
  errorTypes: readonly string[];
  /** Title, root cause, summary, contributing factors, lesson: what the failure was. */
  core: readonly string[];
  /** Timeline, resolution, impact, postmortem, linked anti-patterns, constraints and failure modes. */
  extended: readonly string[];
  /** The words of the document it was imported from (a postmortem's markdown as plain words), when known. */
  source?: string;
  /** Texts of the anti-patterns and constraints linked to it (part of `extended` too). */
  linked: readonly string[];
  /** Manifold constraint ids the record itself says it affects (relevance_to_manifold.constraints_affected, a ticket pattern's constraints_affected). */
  constraintIds?: readonly string[];
}

export interface FacetMatch {
  /** The manifold's term (payment-service). */
  term: string;
  /** The words of the failure it matched through. */
  via: string[];
  /** structured: an imported field names it; text: its words are in the failure's description; concept: a synonym is. */
  how: 'structured' | 'text' | 'concept';
}

export interface Reasons {
  entities: FacetMatch[];
  systems: FacetMatch[];
  error_types: FacetMatch[];
  /** Manifold constraints the failure touches, with the shared words. */
  constraints: Array<{ id: string; via: string[] }>;
  /** The words that weigh most in the keyword match. */
  words: string[];
  /** The query words found in what failed (title, root cause, summary, contributing factors, stated facets), weightiest first. */
  cause_words: string[];
  /** Concepts (synonym families of the analyzer) shared with the manifold. */
  concepts: string[];
}

export interface Relevance {
  id: string;
  /** 0–1. */
  score: number;
  reasons: Reasons;
  /** The components behind the score, for the bench and for people who ask. */
  components: { keywords: number; cause: number; meaning: number; facets: number; constraints: number; linked: number };
}

/**
 * Weights of the components; they sum to 1. `keywords` (BM25 over everything known about the failure,
 * its source document included) is the lexical floor; `cause` (BM25 over what failed: title, root
 * cause, summary, contributing factors, lesson, stated systems and entities) lifts failures whose
 * cause is the feature's subject over those that only mention it; `meaning` is the analyzer's vectors;
 * `facets` the manifold's entities, systems and error types in the failure's fields or words (the seed's
 * incident search); `linked` the anti-patterns and constraints the team already drew from the failure.
 * Chosen on the ten dev specs of bench:context (a flat plateau: nDCG@5 0.81–0.83 for weights around
 * these) and on the payments story, never on the held-out specs.
 */
export const WEIGHTS = { keywords: 0.3, cause: 0.15, meaning: 0.25, facets: 0.15, constraints: 0.05, linked: 0.1 };
/** A cosine of the analyzer's vectors at which meaning counts fully. */
const MEANING_FULL = 0.35;
/** The best match in a collection counts as full when it reaches this share of Bm25Index.ideal (on 322 postmortems the best match of a feature reaches 0.4–1). */
const WEAK_MATCH = 0.25;
/** Characters of a failure's text that its meaning vector reads: the opening says what failed (3,000 and 4,000 read the dev specs equally well, 6,000 worse, at twice the cost). */
const MEANING_TEXT = 3000;
/** Concepts of the analyzer's lexicon that are too common in incident prose to tie anything (before/after, first; name). */
const VAGUE_CONCEPTS = new Set(['order', 'naming']);
/** A shared word is telling when fewer than this share of the documents use it. */
const TELLING_SHARE = 0.5;

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

/**
 * The manifold as one query text, for keyword and meaning matching: each part once. (Repeating what the
 * feature touches three times read the 29 judged specs of bench:context worse: nDCG@5 0.850 vs 0.857.)
 */
export function manifoldText(manifold: Manifold): string {
  const facets = [...(manifold.entities ?? []), ...(manifold.systems ?? []).map((s) => s.replace(/[-_]/g, ' ')), ...(manifold.error_types ?? []).map((s) => s.replace(/[-_]/g, ' '))];
  return [
    manifold.name.replace(/[-_]/g, ' '),
    manifold.description ?? '',
    ...facets,
    ...(manifold.constraints ?? []).map((c) => c.statement),
    ...(manifold.failure_modes ?? []).map((f) => f.scenario ?? ''),
  ]
    .filter(Boolean)
    .join('. ');
}

function conceptsIn(features: ReadonlyMap<string, number>): Set<string> {
  return new Set([...features.keys()].filter((k) => k.startsWith('k:')).map((k) => k.slice(2)));
}

const conceptCache = new Map<string, Set<string>>();
function conceptsOf(text: string): Set<string> {
  let concepts = conceptCache.get(text);
  if (!concepts) conceptCache.set(text, (concepts = conceptsIn(textFeatures(text))));
  return concepts;
}

const stemCache = new Map<string, string[]>();
/** The stems of a short phrase (a manifold term), cached: every document asks for the same ones. */
function termStems(term: string): string[] {
  let cached = stemCache.get(term);
  if (!cached) stemCache.set(term, (cached = [...stems(term)]));
  return cached;
}

/**
 * How relevant each past failure is to a manifold, with the reasons: BM25 over all the failure's
 * texts (the lexical floor), BM25 over what failed alone (its imported structure: title, root cause,
 * summary, contributing factors, stated systems and entities), the analyzer's meaning vectors, shared
 * facets (entities, systems, error types: by an imported field, by their words, or by a synonym),
 * constraints touched, and the anti-patterns and constraints linked to the failure. Most relevant
 * first; ties by id.
 */
export function rankFailures(manifold: Manifold, documents: readonly FailureDocument[], weights: Readonly<typeof WEIGHTS> = WEIGHTS): Relevance[] {
  if (documents.length === 0) return [];
  const query = manifoldText(manifold);
  // Each document tokenised once: what failed (core and stated facets), its error types, the rest.
  // With a source document, the rest is that document: every extracted field is a part of it.
  const split = documents.map((d) => ({
    cause: tokensOf([...d.core, ...d.systems, ...d.entities]),
    errors: tokensOf(d.errorTypes),
    rest: tokensOf(d.source ? [d.source] : d.extended),
  }));
  // The lexical floor: every word of the failure once, plain BM25. With a source document that is the
  // document alone (adding the extracted fields counted the title, root cause and summary twice: on the 29
  // judged specs of bench:context this component alone read nDCG@5 0.816, below plain BM25's 0.832; 0.836 now).
  const keywordIndex = bm25Tokens(split.map((t, i): TokenFields => (documents[i]!.source ? [[t.rest, 1]] : [[t.cause, 1], [t.errors, 1], [t.rest, 1]])));
  // What failed, alone: a failure that only mentions the feature's words in passing scores low here.
  // Error types stay out: the importer infers them from common words (deploy, slow).
  const causeIndex = bm25Tokens(split.map((t) => [[t.cause, 1]] as const));
  const keyword = keywordIndex.score(query);
  const cause = causeIndex.score(query);
  // Relative to the best match, or to a share of a good match in this collection when even the best is weak
  // (a handful of ticket patterns, an unrelated feature), so that weak matches do not get a 1.
  const keywordScale = Math.max(...keyword, WEAK_MATCH * keywordIndex.ideal(query)) || 1;
  const causeScale = Math.max(...cause, WEAK_MATCH * causeIndex.ideal(query)) || 1;

  // Meaning from what failed and the first of the rest: the tail of a long postmortem (appendices, chat logs) adds cost, not meaning.
  // With a source document, its own words in its own order (the extracted pieces are parts of it).
  const docFeatures = documents.map((d) => textFeatures([...d.core, ...d.linked, ...(d.source ? [d.source] : d.extended)].join('. ').slice(0, MEANING_TEXT)));
  const linkedFeatures = documents.map((d) => (d.linked.length ? textFeatures(d.linked.join('. ')) : new Map<string, number>()));
  const queryFeatures = textFeatures(query);
  const idf = inverseFrequencies([...docFeatures, queryFeatures]);
  const unseen = Math.log(documents.length + 2) + 1;
  const queryVector = vectorise(queryFeatures, idf, unseen);
  const queryConcepts = conceptsOf(query);
  const featureText = [manifold.name.replace(/[-_]/g, ' '), ...(manifold.entities ?? []), ...(manifold.systems ?? [])].join(' ');
  const featureStems = stems(featureText);
  const featureConcepts = conceptsOf(featureText);
  // Per constraint, the synonyms that could tie a failure to it ("charged twice" ~ duplicate), not those of the feature's own entities.
  const constraintConcepts = (manifold.constraints ?? []).map((c) => [...conceptsOf(c.statement)].filter((k) => !featureConcepts.has(k) && !VAGUE_CONCEPTS.has(k)));

  /** 1 for a term no document uses, down to 0.1 for one every document uses (the share of its rarest stem). */
  const rarity = (termStemList: readonly string[]) => Math.max(0.1, 1 - Math.min(...termStemList.map((s) => keywordIndex.share(s))));

  const exact: number[] = [];
  const ranked = documents.map((doc, i): Relevance => {
    const coreText = doc.core.join('. ');
    // Its words by stem, and which stems the core has.
    const words = surfaceWords(split[i]!.errors, surfaceWords(split[i]!.cause));
    const coreStems = new Set(words.keys());
    surfaceWords(split[i]!.rest, words);
    const allStems = new Set(words.keys());
    const docConcepts = conceptsIn(docFeatures[i]!);

    const facet = (terms: readonly string[] | undefined, structured: readonly string[]): { score: number; matches: FacetMatch[] } => {
      if (!terms?.length) return { score: 0, matches: [] };
      const structuredNorm = new Set(structured.map(norm));
      const structuredStems = new Set(structured.flatMap(termStems));
      let total = 0;
      let weights = 0;
      const matches: FacetMatch[] = [];
      for (const term of terms) {
        const termStemList = termStems(term);
        if (termStemList.length === 0) continue;
        // A term most failures share ("outage") tells less than a rare one ("coredns"): weighted by rarity.
        const weight = rarity(termStemList);
        weights += weight;
        const via = (set: Set<string>) => termStemList.filter((s) => set.has(s)).flatMap((s) => [...(words.get(s) ?? [s])]).sort();
        if (structuredNorm.has(norm(term)) || termStemList.every((s) => structuredStems.has(s))) {
          total += weight;
          matches.push({ term, via: [...new Set([...structured.filter((s) => norm(s) === norm(term)), ...via(structuredStems)])].sort(), how: 'structured' });
        } else if (termStemList.every((s) => coreStems.has(s))) {
          total += 0.9 * weight;
          matches.push({ term, via: via(coreStems), how: 'text' });
        } else if (termStemList.every((s) => allStems.has(s))) {
          total += 0.6 * weight;
          matches.push({ term, via: via(allStems), how: 'text' });
        } else {
          const shared = [...conceptsOf(term)].filter((c) => docConcepts.has(c) && !VAGUE_CONCEPTS.has(c));
          const partial = termStemList.filter((s) => coreStems.has(s)).length / termStemList.length;
          if (shared.length > 0) {
            total += 0.5 * weight;
            matches.push({ term, via: shared.map((c) => `~${c}`), how: 'concept' });
          } else if (partial > 0) {
            total += 0.4 * partial * weight;
            matches.push({ term, via: via(coreStems), how: 'text' });
          }
        }
      }
      return { score: weights > 0 ? total / weights : 0, matches };
    };
    const entities = facet(manifold.entities, [...doc.entities, ...doc.errorTypes]);
    const systems = facet(manifold.systems, doc.systems);
    const errors = facet(manifold.error_types, [...doc.errorTypes, ...doc.entities]);
    const facetParts: Array<[number, number]> = [];
    if (manifold.entities?.length) facetParts.push([entities.score, 0.4]);
    if (manifold.systems?.length) facetParts.push([systems.score, 0.35]);
    if (manifold.error_types?.length) facetParts.push([errors.score, 0.25]);
    const facetWeight = facetParts.reduce((s, [, w]) => s + w, 0);
    const facets = facetWeight > 0 ? facetParts.reduce((s, [v, w]) => s + v * w, 0) / facetWeight : 0;

    const constraints: Array<{ id: string; via: string[] }> = [];
    // The core's concepts cost a reading of the core: only when a constraint could be tied by them.
    let coreConcepts: Set<string> | undefined;
    for (const [k, constraint] of (manifold.constraints ?? []).entries()) {
      const shared = termStems(constraint.statement).filter((s) => coreStems.has(s));
      // Telling words: most failures use "server" or "never" (half the documents or more), and they tie no failure to a constraint.
      const telling = shared.filter((s) => keywordIndex.share(s) < TELLING_SHARE || documents.length <= 3);
      // Synonyms count too ("charged twice" ~ "duplicate"), but not those of the feature's own entities.
      const candidates = constraintConcepts[k]!;
      // Two links are needed: with no telling word, one candidate concept cannot make them.
      // The meaning text starts with the core: a concept absent from it is absent from the core.
      const possible = candidates.filter((c) => coreText.length > MEANING_TEXT || docConcepts.has(c));
      const concepts = possible.length > 0 && telling.length + possible.length >= 2 ? possible.filter((c) => (coreConcepts ??= conceptsIn(textFeatures(coreText))).has(c)) : [];
      // Two telling links, one of them beyond the feature's own entities and systems (every failure of a payment feature says "payment").
      if (telling.length + concepts.length >= 2 && (concepts.length > 0 || telling.some((s) => !featureStems.has(s)))) {
        constraints.push({ id: constraint.id, via: [...shared.flatMap((s) => [...(words.get(s) ?? [s])]).sort(), ...concepts.map((c) => `~${c}`)] });
      }
    }
    let named = false;
    for (const id of doc.constraintIds ?? []) {
      if (!(manifold.constraints ?? []).some((c) => c.id === id)) continue;
      named = true;
      if (!constraints.some((c) => c.id === id)) constraints.push({ id, via: ['(named by the record)'] });
    }
    // A record that names one of the manifold's constraints itself is as linked as can be.
    const constraintScore = named ? 1 : manifold.constraints?.length ? Math.min(1, constraints.length / Math.min(2, manifold.constraints.length)) : 0;

    const meaning = Math.min(1, cosine(queryVector, vectorise(docFeatures[i]!, idf, unseen)) / MEANING_FULL);
    const linked = doc.linked.length ? Math.min(1, cosine(queryVector, vectorise(linkedFeatures[i]!, idf, unseen)) / MEANING_FULL) : 0;
    const keywords = keyword[i]! / keywordScale;
    const causeScore = cause[i]! / causeScale;

    const components = { keywords, cause: causeScore, meaning, facets, constraints: constraintScore, linked };
    const score = (exact[i] =
      weights.keywords * keywords +
      weights.cause * causeScore +
      weights.meaning * meaning +
      weights.facets * facets +
      weights.constraints * constraintScore +
      weights.linked * linked);
    return {
      id: doc.id,
      score: Math.round(Math.min(1, score) * 100) / 100,
      components: Object.fromEntries(Object.entries(components).map(([k, v]) => [k, Math.round(v * 1000) / 1000])) as Relevance['components'],
      reasons: {
        entities: entities.matches,
        systems: systems.matches,
        error_types: errors.matches,
        constraints,
        words: keywordIndex
          .explain(query, i)
          .slice(0, 6)
          .map((t) => [...(words.get(t.stem) ?? [t.stem])].sort()[0]!),
        cause_words: causeIndex
          .explain(query, i)
          .slice(0, 6)
          .map((t) => [...(words.get(t.stem) ?? [t.stem])].sort()[0]!),
        concepts: [...queryConcepts].filter((c) => docConcepts.has(c)).sort(),
      },
    };
  });
  // The exact score orders (the rounded one ties too often); then the id.
  return ranked
    .map((r, i) => ({ r, e: exact[i]! }))
    .sort((a, b) => b.e - a.e || a.r.id.localeCompare(b.r.id))
    .map(({ r }) => r);
}
