import { createHash } from 'node:crypto';
import type { AntiPatternRecord, FeedbackRecord } from '../types/records.js';
import { centroid, clusterVectors, cosine, inverseFrequencies, refineClusters, squaredNorm, vectorise, type Vector } from './cluster.js';
import { groupTemplates, isMachineMessage, logTokens, templateText, WILDCARD } from './templates.js';
import { textFeatures, type Features } from './text.js';
import { expandFeatures, learnAssociations, type Associations } from './learn.js';
import { nearMisses, sortNearMisses, type NearMiss, type RankedNearMiss, type TextGroup } from './uncertain.js';
import { timeOf } from './time.js';
import { meanEmbedding, mergeByEmbedding, type EmbeddingOptions } from './embeddings.js';

export type Priority = 'HIGH' | 'MEDIUM' | 'LOW';
export type Confidence = 'HIGH' | 'MEDIUM' | 'LOW';
export type PatternStatus = 'new' | 'recurring' | 'known';

export interface Pattern {
  /** Stable while the pattern's first entry stays: P- and a hash of it. */
  id: string;
  category: string;
  label: string;
  /** 'template' for log-like messages grouped by template, 'text' for corrections grouped by meaning. */
  kind: 'template' | 'text';
  occurrences: number;
  sessions: number;
  /** Sessions with the pattern / sessions in the window, 0 to 1. */
  frequency: number;
  severity: string;
  priority: Priority;
  confidence: Confidence;
  /** Mean similarity of the entries to their centre, 0 to 1. */
  cohesion: number;
  entries: string[];
  examples: string[];
  /** The anti-pattern on record this pattern is, if any. */
  anti_pattern?: string;
  /** new: no anti-pattern yet (or a rejected one it has outgrown); recurring: back after approval; known: on record. */
  status: PatternStatus;
  /** Entries after the anti-pattern's approval (recurring) or rejection. */
  since_decision?: number;
  first_seen: string;
  last_seen: string;
}

export interface Analysis {
  entries: number;
  sessions: number;
  patterns: Pattern[];
  /** Groups of corrections that almost merged: possibly the same mistake, for a person to link. */
  uncertain: NearMiss[];
}

export interface AnalyzeOptions {
  minFrequency: number;
  /** Lowest first, as config.yaml lists them. */
  severities: readonly string[];
  category?: string;
  /** ISO date or timestamp: entries before it are left out. */
  since?: string;
  /** Similarity an entry needs to join a group of corrections (0 to 1). */
  threshold?: number;
  /**
   * Terms learned from people's decisions (links, anti-patterns' origins, rejections). Learned from
   * the given records when left out; pass `{ version: 1, terms: {} }` to use none.
   */
  learned?: Associations;
  /** Semantic embeddings from a provider, by entry text (embeddingText): groups of corrections whose embeddings are close merge. */
  embeddings?: EmbeddingOptions;
}

/** Default similarity for grouping corrections by meaning; measured by `npm run bench:analyze`. */
export const DEFAULT_THRESHOLD = 0.22;
/**
 * A correction joins a group only if it is at least this share as similar to the members as they are
 * to one another (see JoinOptions.cohesionShare): half.
 */
export const COHESION_SHARE = 0.5;
/**
 * Strong links first: groups are first formed at this multiple of the threshold, and only then do the
 * other corrections join them (or form their own) at the threshold. Without it, the order of entries
 * decides: the first of two close paraphrases joins a group on a nearby subject before the second
 * arrives, and the second follows it there.
 */
export const STRONG_LINK = 2;
/** Similarity between a pattern and an anti-pattern's own text for them to be the same. */
const ANTI_PATTERN_MATCH = 0.4;

const time = (timestamp: string) => {
  const t = timeOf(timestamp);
  return Number.isNaN(t) ? 0 : t;
};

function patternId(firstEntry: string): string {
  return `P-${createHash('sha256').update(firstEntry).digest('hex').slice(0, 8)}`;
}

/** Entries joined by explicit links (same_as, anti_pattern) are one unit before any similarity is computed. */
function linkedUnits(entries: readonly FeedbackRecord[]): number[][] {
  const parent = entries.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const union = (a: number, b: number) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const byId = new Map(entries.map((e, i) => [e.id, i]));
  const byAntiPattern = new Map<string, number>();
  entries.forEach((entry, i) => {
    if (entry.same_as && byId.has(entry.same_as)) union(i, byId.get(entry.same_as)!);
    if (entry.anti_pattern) {
      const first = byAntiPattern.get(entry.anti_pattern);
      if (first === undefined) byAntiPattern.set(entry.anti_pattern, i);
      else union(i, first);
    }
  });
  // A unit's root is its lowest index: units come in the order of their first entries.
  const units = new Map<number, number[]>();
  entries.forEach((_, i) => {
    const root = find(i);
    const unit = units.get(root);
    if (unit) unit.push(i);
    else units.set(root, [i]);
  });
  return [...units.values()];
}

/** Units of two or more linked entries, and the entries linked to none, both in entry order. */
function splitUnits(entries: readonly FeedbackRecord[]): { linked: number[][]; single: number[] } {
  // Without links (most of a large store) every entry is its own unit: no union-find to build.
  if (!entries.some((e) => e.same_as || e.anti_pattern)) return { linked: [], single: entries.map((_, i) => i) };
  const units = linkedUnits(entries);
  return { linked: units.filter((u) => u.length > 1), single: units.filter((u) => u.length === 1).map((u) => u[0]!) };
}

/** The text's features, and the file it is about: the same mistake tends to recur in the same place. */
function entryFeatures(entry: FeedbackRecord, learned: Associations | undefined): Features {
  const features = expandFeatures(textFeatures(entryText(entry)), learned);
  if (entry.file) features.set(`f:${entry.file}`, 1);
  return features;
}

/** The text of an entry that is embedded (and compared): its context and its correction. */
export function embeddingText(entry: FeedbackRecord): string {
  return entryText(entry);
}

function entryText(entry: FeedbackRecord): string {
  return `${entry.context} ${entry.feedback ?? ''}`.trim();
}

/** For test reports, the message without its test id: the same error in two tests is one problem. */
function logMessage(entry: FeedbackRecord): string {
  const test = entry.source?.test;
  return test && entry.context.startsWith(`${test}: `) ? entry.context.slice(test.length + 2) : entry.context;
}

function antiPatternText(ap: AntiPatternRecord): string {
  return [ap.name, ap.description, ...(ap.pattern_signature ?? []), ...(ap.prevention?.must_include ?? []), ...(ap.prevention?.must_exclude ?? [])].join('. ');
}

interface Group {
  members: number[];
  kind: 'template' | 'text';
  label?: string;
  centre?: Vector;
  cohesion: number;
  /** For corrections: what the group was formed from (see TextGroup), to tell how near another group came. */
  joined?: Pick<TextGroup, 'sum' | 'units' | 'selfSum'>;
}

/** A group of corrections being formed: entries, and the documents (units) it was formed from. */
interface ProseCluster {
  members: number[];
  /** Sum of its units' vectors. */
  sum: Map<string, number>;
  units: number;
  /** Σ of its units' squared norms. */
  selfSum: number;
}

/** Groups one category's entries: templates for machine messages, meaning for corrections, links first. */
function groupCategory(entries: FeedbackRecord[], threshold: number, learned: Associations | undefined, embeddings?: EmbeddingOptions): { groups: Group[]; vectors: Vector[]; idf: Map<string, number>; unseen: number } {
  const logLike = entries.map(isMachineMessage);
  // Machine messages are grouped by template: only corrections need features (and linked units, which may mix both).
  const linkedIds = new Set(entries.filter((e) => e.same_as || e.anti_pattern).map((e) => e.id));
  const needsFeatures = entries.map((e, i) => !logLike[i] || linkedIds.has(e.id));
  const features: Array<Features | undefined> = entries.map((e, i) => (needsFeatures[i] ? entryFeatures(e, learned) : undefined));
  const idf = inverseFrequencies(features.filter((f): f is Features => f !== undefined));
  const unseen = Math.log(entries.length + 1) + 1;
  // Messages grouped by template have no features: one empty vector stands for all of them (never modified).
  const none: Vector = new Map();
  const vectors = features.map((f) => (f ? vectorise(f, idf, unseen) : none));
  const groups: Group[] = [];
  const { linked, single } = splitUnits(entries);

  // Machine messages: templates.
  const logs = single.filter((i) => logLike[i]);
  // The same message recurs (that is the point): tokenise each distinct one once.
  // Messages that differ only in masked values share one token list (and its key): the others are
  // garbage at once instead of living, 100,000 of them, until grouping ends.
  const tokensOf = new Map<string, { tokens: string[]; key: string }>();
  const shapes = new Map<string, { tokens: string[]; key: string }>();
  const tokenise = (message: string) => {
    let known = tokensOf.get(message);
    if (!known) {
      const tokens = logTokens(message);
      const key = tokens.join('\u0000');
      known = shapes.get(key);
      if (!known) shapes.set(key, (known = { tokens, key }));
      tokensOf.set(message, known);
    }
    return known;
  };
  for (const group of groupTemplates(logs.map((index) => ({ index, ...tokenise(logMessage(entries[index]!)) })))) {
    const wildcards = group.template.filter((t) => t === WILDCARD).length;
    groups.push({ members: group.members, kind: 'template', label: templateText(group.template), cohesion: 1 - wildcards / Math.max(1, group.template.length) });
  }

  // Corrections: meaning. Linked units take part as one document (their summed vector).
  const prose = single.filter((i) => !logLike[i]);
  const units2: number[][] = [...linked, ...prose.map((i) => [i])].sort((a, b) => a[0]! - b[0]!);
  const unitVectors = units2.map((unit) => {
    if (unit.length === 1) return vectors[unit[0]!]!;
    const sum = new Map<string, number>();
    for (const i of unit) for (const [k, v] of vectors[i]!) sum.set(k, (sum.get(k) ?? 0) + v);
    return centroid({ members: unit, sum });
  });
  const join = { threshold, cohesionShare: COHESION_SHARE };
  const strong = clusterVectors(unitVectors, { ...join, threshold: Math.min(1, STRONG_LINK * threshold) }).filter((c) => c.members.length > 1);
  let clusters: ProseCluster[] = refineClusters(unitVectors, clusterVectors(unitVectors, { ...join, seeds: strong }), join).map((c) => ({
    members: c.members.flatMap((u) => units2[u]!).sort((a, b) => a - b),
    sum: c.sum,
    units: c.members.length,
    selfSum: c.members.reduce((n, u) => n + squaredNorm(unitVectors[u]!), 0),
  }));
  if (embeddings) clusters = mergeEmbedded(clusters, entries, embeddings);
  for (const cluster of clusters) {
    const members = cluster.members;
    const centre = centroid({ members, sum: cluster.sum });
    const cohesion = members.reduce((s, i) => s + cosine(vectors[i]!, centre), 0) / members.length;
    groups.push({ members, kind: 'text', centre, cohesion, joined: { sum: cluster.sum, units: cluster.units, selfSum: cluster.selfSum } });
  }
  return { groups, vectors, idf, unseen };
}

/** Groups of corrections whose mean embeddings are close become one (their lexical sums added). */
function mergeEmbedded(clusters: ProseCluster[], entries: FeedbackRecord[], embeddings: EmbeddingOptions): ProseCluster[] {
  const centres = clusters.map((c) => meanEmbedding(c.members.map((i) => embeddings.vectors.get(entryText(entries[i]!)))));
  const roots = mergeByEmbedding(centres, embeddings.threshold);
  const merged = new Map<number, ProseCluster>();
  clusters.forEach((c, i) => {
    const into = merged.get(roots[i]!);
    if (!into) merged.set(roots[i]!, { ...c, members: [...c.members], sum: new Map(c.sum) });
    else {
      into.members.push(...c.members);
      for (const [k, v] of c.sum) into.sum.set(k, (into.sum.get(k) ?? 0) + v);
      into.units += c.units;
      into.selfSum += c.selfSum;
    }
  });
  return [...merged.values()].map((c) => ({ ...c, members: c.members.sort((a, b) => a - b) }));
}

function rank(severity: string, severities: readonly string[]): number {
  const index = severities.indexOf(severity);
  return index < 0 ? 0 : index;
}

/**
 * Priority from severity and frequency: HIGH when the pattern's severity is the highest configured or
 * it shows up in half the sessions or more; MEDIUM when its severity is above the lowest or it shows
 * up in a quarter of the sessions; LOW otherwise.
 */
export function priorityOf(severity: string, frequency: number, severities: readonly string[]): Priority {
  const r = rank(severity, severities);
  if (r === severities.length - 1 || frequency >= 0.5) return 'HIGH';
  if (r > 0 || frequency >= 0.25) return 'MEDIUM';
  return 'LOW';
}

/**
 * Confidence that the entries are one recurring mistake: HIGH with at least min_frequency
 * occurrences in two or more sessions and a cohesive group (mean similarity to its centre ≥ 0.5, or
 * grouped by an explicit link or one exact template); MEDIUM with min_frequency occurrences
 * otherwise; LOW below min_frequency.
 */
export function confidenceOf(occurrences: number, sessions: number, cohesion: number, minFrequency: number): Confidence {
  if (occurrences < minFrequency) return 'LOW';
  if (sessions >= 2 && cohesion >= 0.5) return 'HIGH';
  return 'MEDIUM';
}

/**
 * Finds the recurring patterns among feedback entries: within a category (unless one is given),
 * over the window, grouped and quantified, and matched against the anti-patterns on record. Pure and
 * deterministic: the same entries give the same patterns.
 */
export function analyze(all: readonly FeedbackRecord[], antiPatterns: readonly AntiPatternRecord[], options: AnalyzeOptions): Analysis {
  const since = options.since ? time(options.since) : undefined;
  const entries = all
    .filter((e) => (options.category ? e.category === options.category : true))
    .map((e) => ({ e, t: time(e.timestamp) }))
    .filter(({ t }) => (since === undefined ? true : t >= since))
    .sort((a, b) => a.t - b.t || (a.e.id < b.e.id ? -1 : a.e.id > b.e.id ? 1 : 0))
    .map(({ e }) => e);
  const sessionOf = (e: FeedbackRecord) => e.session ?? `entry:${e.id}`;
  const windowSessions = new Set(entries.map(sessionOf)).size;
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const learned = options.learned ?? learnAssociations(all, antiPatterns);
  const patterns: Pattern[] = [];
  const uncertain: RankedNearMiss[] = [];
  const categories = [...new Set(entries.map((e) => e.category))].sort();
  // An anti-pattern's origin.feedback is a link too (people decided on that group): its entries and those
  // logged later with --anti-pattern for it are one unit, so a recurrence joins the approved evidence
  // (one recurrence alone would be below min_frequency and go unreported).
  const originOf = new Map<string, string>();
  for (const ap of antiPatterns) {
    if (ap.status === 'rejected') continue;
    for (const id of ap.origin?.feedback ?? []) if (!originOf.has(id)) originOf.set(id, ap.id);
  }
  const linkedToOrigin = (e: FeedbackRecord): FeedbackRecord => (!e.anti_pattern && originOf.has(e.id) ? { ...e, anti_pattern: originOf.get(e.id)! } : e);
  for (const category of categories) {
    const inCategory = entries.filter((e) => e.category === category).map(linkedToOrigin);
    const { groups, vectors, idf, unseen } = groupCategory(inCategory, threshold, learned, options.embeddings);
    const apVectors = antiPatterns
      .filter((ap) => !ap.category || ap.category === category)
      .map((ap) => ({ ap, vector: vectorise(textFeatures(antiPatternText(ap)), idf, unseen) }));
    const textGroups = groups
      .filter((g) => g.centre)
      .map((g) => ({
        ...(g.members.length >= options.minFrequency ? { id: patternId(inCategory[g.members[0]!]!.id) } : {}),
        latest: inCategory[g.members[g.members.length - 1]!]!.id,
        centre: g.centre!,
        ...g.joined!,
      }));
    uncertain.push(...nearMisses(textGroups, { threshold, cohesionShare: COHESION_SHARE }));
    for (const group of groups) {
      if (group.members.length < options.minFrequency) continue;
      const members = group.members.map((i) => inCategory[i]!);
      const sessions = new Set(members.map(sessionOf)).size;
      const frequency = windowSessions === 0 ? 0 : sessions / windowSessions;
      const severity = members.reduce((top, e) => (rank(e.severity, options.severities) > rank(top, options.severities) ? e.severity : top), members[0]!.severity);
      const representative = group.centre ? closestFirst(group.members, (i) => cosine(vectors[i]!, group.centre!)) : group.members;
      const examples = firstDistinct(representative.map((i) => inCategory[i]!.context), 3);
      const explicit = members.length > 1 && members.every((e) => e.anti_pattern && e.anti_pattern === members[0]!.anti_pattern);
      const cohesion = explicit ? 1 : group.cohesion;
      const pattern: Pattern = {
        id: patternId(members[0]!.id),
        category,
        label: group.label ?? shorten(examples[0] ?? ''),
        kind: group.kind,
        occurrences: members.length,
        sessions,
        frequency: Math.round(frequency * 1000) / 1000,
        severity,
        priority: priorityOf(severity, frequency, options.severities),
        confidence: confidenceOf(members.length, sessions, cohesion, options.minFrequency),
        cohesion: Math.round(cohesion * 1000) / 1000,
        entries: members.map((e) => e.id),
        examples,
        status: 'new',
        first_seen: members[0]!.timestamp,
        last_seen: members[members.length - 1]!.timestamp,
      };
      matchAntiPattern(pattern, members, group, apVectors, options.minFrequency);
      patterns.push(pattern);
    }
  }
  const order: Record<Priority, number> = { HIGH: 0, MEDIUM: 1, LOW: 2 };
  patterns.sort((a, b) => order[a.priority] - order[b.priority] || b.occurrences - a.occurrences || a.category.localeCompare(b.category) || a.id.localeCompare(b.id));
  return { entries: entries.length, sessions: windowSessions, patterns, uncertain: sortNearMisses(uncertain).slice(0, 50).map((u) => u.miss) };
}

/** The first n distinct values, in order: no set of a large group's every text to take three. */
function firstDistinct(values: readonly string[], n: number): string[] {
  const out: string[] = [];
  for (const value of values) {
    if (out.length === n) break;
    if (!out.includes(value)) out.push(value);
  }
  return out;
}

/** Members most similar to the centre first (ties in member order); each similarity computed once. */
function closestFirst(members: readonly number[], similarity: (i: number) => number): number[] {
  const scored = members.map((i) => ({ i, score: similarity(i) }));
  return scored.sort((a, b) => b.score - a.score || a.i - b.i).map((s) => s.i);
}

function shorten(text: string): string {
  return text.length > 70 ? `${text.slice(0, 67)}...` : text;
}

/**
 * Which anti-pattern on record a pattern is: an explicit link (entries logged with --anti-pattern,
 * or the record's origin.feedback) first, else the most similar record text. Then its status:
 * recurring after approval, quiet after rejection unless it has grown by min_frequency since.
 */
function matchAntiPattern(
  pattern: Pattern,
  members: FeedbackRecord[],
  group: Group,
  apVectors: Array<{ ap: AntiPatternRecord; vector: Vector }>,
  minFrequency: number,
): void {
  const ids = new Set(members.map((e) => e.id));
  const linked = new Map<string, number>();
  for (const e of members) if (e.anti_pattern) linked.set(e.anti_pattern, (linked.get(e.anti_pattern) ?? 0) + 1);
  for (const { ap } of apVectors) {
    const origin = (ap.origin?.feedback ?? []).filter((id) => ids.has(id)).length;
    if (origin > 0) linked.set(ap.id, (linked.get(ap.id) ?? 0) + origin);
  }
  let match: AntiPatternRecord | undefined;
  if (linked.size > 0) {
    const best = [...linked.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
    match = apVectors.find((v) => v.ap.id === best)?.ap;
  } else if (group.centre) {
    let bestScore = ANTI_PATTERN_MATCH;
    for (const { ap, vector } of apVectors) {
      const score = cosine(group.centre, vector);
      if (score >= bestScore) {
        bestScore = score;
        match = ap;
      }
    }
  }
  if (!match) return;
  pattern.anti_pattern = match.id;
  const review = match.review ?? {};
  const decided = match.status === 'approved' ? review.approved_at : match.status === 'rejected' ? review.rejected_at : match.status === 'retired' ? review.retired_at : undefined;
  const after = decided ? members.filter((e) => time(e.timestamp) > time(decided)).length : 0;
  switch (match.status) {
    case 'approved':
      pattern.status = after > 0 ? 'recurring' : 'known';
      pattern.since_decision = after;
      break;
    case 'rejected':
    case 'retired':
      pattern.status = after >= minFrequency ? 'new' : 'known';
      pattern.since_decision = after;
      break;
    default:
      pattern.status = 'known';
  }
}
