import type { ConstraintRecord } from '../types/records.js';
import type { ContextAnalysis } from './analysis.js';
import { constraintFrom, mustExclude, mustInclude, sentences } from './derive.js';
import type { Manifold } from './manifold.js';
import type { Relevance } from './relevance.js';
import { stems } from './words.js';

export interface DerivedConstraint {
  id: string;
  type: string;
  statement: string;
  rationale: string;
  violation_scenario?: string;
  measurement?: string;
  origin: { incidents?: string[]; postmortems?: string[]; anti_patterns?: string[]; tickets?: string[] };
  /** The manifold constraint that already states it, when one does. */
  in_manifold?: string;
}

/**
 * The short form of an id used in derived ids, after the seed's T_INC089_1 from INC-2024-089: the
 * id's letters, then its number. INC-2024-089 → INC089, AP-002 → AP002, PM2020-001 → PM001,
 * INC-2020-11-02-cloudflare-outage → INC20201102 (a dated id keeps its whole day),
 * INC-amazon-simpledb-outage → INCASO (an id without a number: its words' initials). `long` is the
 * form used when two ids of one report share a short one: every digit (INC2024089) and, for a dated
 * id, the initials of its words.
 */
export function shortId(id: string, long = false): string {
  const upper = id.toUpperCase();
  const letters = /^[A-Z]+/.exec(upper)?.[0] ?? 'X';
  const rest = upper.slice(letters.length);
  const initials = (text: string) =>
    text
      .split(/[^A-Z0-9]+/)
      .filter((w) => /^[A-Z]/.test(w))
      .map((w) => w[0])
      .join('')
      .slice(0, 6);
  const dated = /^[-_]?(\d{4})[-_]?(\d{2})[-_]?(\d{2})(?:[-_](.*))?$/.exec(rest);
  if (dated) return `${letters}${dated[1]}${dated[2]}${dated[3]}${long ? initials(dated[4] ?? '') : ''}`;
  const numbers = rest.match(/\d+/g);
  if (numbers) return long ? `${letters}${numbers.join('')}${initials(rest)}`.slice(0, 32) : `${letters}${numbers[numbers.length - 1]}`;
  return `${letters}${initials(rest) || 'X'}`;
}

/** Each id's short form in derived ids, unique within `ids`: ids that would share one all take their long form (so which id comes first never decides). */
export function shortIds(ids: readonly string[]): Map<string, string> {
  const count = new Map<string, number>();
  for (const id of new Set(ids)) count.set(shortId(id), (count.get(shortId(id)) ?? 0) + 1);
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const id of [...new Set(ids)].sort()) {
    let short = count.get(shortId(id))! > 1 ? shortId(id, true) : shortId(id);
    // Still shared (one day's ids with the same initials): a count, in the ids' sorted order.
    const base = short;
    for (let n = 2; used.has(short); n++) short = `${base}N${n}`;
    used.add(short);
    out.set(id, short);
  }
  return out;
}

/** Words that say a constraint concerns what users see or receive: U, else T (the seed's U_AP002_1, T_INC089_1). */
const USER_FACING = /\b(user|users|customer|customers|notification|notifications|notify|email|sms|message|ui|screen|status shown|support)\b/i;
const GENERIC = new Set(['must', 'includ', 'requir', 'all', 'ani', 'recur', 'alwai', 'everi', 'each', 'prevent', 'avoid']);
export const keyStems = (text: string) => new Set([...stems(text)].filter((s) => !GENERIC.has(s)));

export function overlap(a: Set<string>, b: Set<string>): number {
  if (a.size === 0) return 0;
  let shared = 0;
  for (const s of a) if (b.has(s)) shared++;
  return shared / a.size;
}

/** The manifold constraint that already states a derived one: the same id, or most of its key words. */
function coveredBy(manifold: Manifold, id: string, statement: string): string | undefined {
  const same = manifold.constraints?.find((c) => c.id === id);
  if (same) return same.id;
  const key = keyStems(statement);
  let best: { id: string; score: number } | undefined;
  for (const c of manifold.constraints ?? []) {
    const score = overlap(key, keyStems(`${c.statement} ${c.rationale ?? ''}`));
    if (score >= 0.6 && (!best || score > best.score)) best = { id: c.id, score };
  }
  return best?.id;
}

export interface DerivedConstraints {
  fromIncidents: Array<{ incident: string; generated_constraints: DerivedConstraint[] }>;
  fromAntiPatterns: Array<{ anti_pattern: string; generated_constraints: DerivedConstraint[] }>;
  fromTickets: Array<{ pattern: string; generated_constraints: DerivedConstraint[] }>;
  /** Incident id → the constraints derived from it, root cause first. */
  byIncident: Map<string, DerivedConstraint[]>;
}

/** Phase 3: constraints from the relevant incidents' root causes and factors, anti-patterns' prevention and ticket patterns. */
export function deriveConstraints(analysis: ContextAnalysis, relevant: readonly Relevance[]): DerivedConstraints {
  const { manifold, incidents, links, options } = analysis;
  const sources = new Set(options.sources);
  const taken = new Set((manifold.constraints ?? []).map((c) => c.id));
  const seen: Array<{ key: Set<string>; constraint?: DerivedConstraint }> = [];
  // The constraint already derived that says the same (an incident that recurred), if any.
  let sameAs: DerivedConstraint | undefined;
  const novel = (statement: string) => {
    const key = keyStems(statement);
    const same = seen.find((s) => overlap(key, s.key) >= 0.75 && overlap(s.key, key) >= 0.75);
    sameAs = same?.constraint;
    if (key.size === 0 || same) return false;
    seen.push({ key });
    return true;
  };
  /** Remembers which constraint a novel statement became, so a later incident that says the same is linked to it. */
  const became = (constraint: DerivedConstraint) => {
    seen[seen.length - 1]!.constraint = constraint;
    return constraint;
  };
  const fromIncidents: Array<{ incident: string; generated_constraints: DerivedConstraint[] }> = [];
  const byIncident = new Map<string, DerivedConstraint[]>();
  // Over every incident of the history (timeframe or not): an incident's ids do not change with the manifold or the window.
  const shorts = shortIds([...analysis.history.incidents.map((i) => i.incident_id), ...relevant.map((r) => r.id)]);
  for (const r of relevant) {
    const incident = incidents.get(r.id);
    const l = links(r.id);
    const generated: DerivedConstraint[] = [];
    // Constraints another incident already gave (the same cause twice): listed there, but this incident's too.
    const shared: DerivedConstraint[] = [];
    const pms = sources.has('postmortems') ? l.postmortems.map((p) => p.id) : [];
    // Constraints already recorded in .failures/constraints/ for this incident are used as written.
    for (const c of l.constraints) {
      if (!novel(c.statement)) {
        if (sameAs) shared.push(sameAs);
        continue;
      }
      generated.push(became(recorded(c, manifold)));
    }
    const claims: Array<{ text: string; kind: string }> = incident
      ? [
          ...(incident.contributing_factors ?? []).map((text) => ({ text, kind: 'contributing factor' })),
          ...sentences(incident.root_cause).map((text) => ({ text, kind: 'root cause' })),
        ]
      : l.postmortems.flatMap((pm) => (pm.five_whys ?? []).map((w) => ({ text: w.because, kind: 'five whys' })));
    const statements = claims.map((c) => ({ ...c, statement: constraintFrom(c.text) }));
    const ruled = statements.filter((s) => !s.statement.startsWith('Must not recur:'));
    let n = 0;
    for (const s of ruled.length > 0 ? ruled : statements.slice(0, 1)) {
      if (!novel(s.statement)) {
        if (sameAs && !shared.includes(sameAs)) shared.push(sameAs);
        continue;
      }
      let id: string;
      do id = `T_${shorts.get(r.id)}_${++n}`;
      while (taken.has(id) && !(manifold.constraints ?? []).some((c) => c.id === id && c.statement === s.statement));
      const constraint: DerivedConstraint = {
        id,
        type: 'invariant',
        statement: s.statement,
        rationale: `${r.id} ${s.kind}: ${s.text.replace(/\s+/g, ' ').trim()}`,
        ...(incident?.title ? { violation_scenario: incident.title } : {}),
        origin: { incidents: incident ? [r.id] : [], ...(pms.length ? { postmortems: pms } : {}) },
      };
      if (!incident) delete constraint.origin.incidents;
      const covered = coveredBy(manifold, id, s.statement);
      if (covered) constraint.in_manifold = covered;
      generated.push(became(constraint));
    }
    if (generated.length) fromIncidents.push({ incident: r.id, generated_constraints: generated });
    if (generated.length || shared.length) byIncident.set(r.id, [...generated, ...shared]);
  }
  const fromAntiPatterns: Array<{ anti_pattern: string; generated_constraints: DerivedConstraint[] }> = [];
  for (const { record: ap, incidents: linked } of analysis.antiPatterns) {
    const practices = [
      ...(ap.prevention?.must_include ?? []).map((p) => mustInclude(p)),
      ...(ap.prevention?.must_exclude ?? []).map((p) => mustExclude(p)),
    ];
    // Without a stated prevention, the anti-pattern itself is what must not happen.
    if (practices.length === 0) practices.push(mustExclude(ap.description));
    const generated: DerivedConstraint[] = [];
    let n = 0;
    for (const statement of practices) {
      if (!novel(statement)) continue;
      const prefix = USER_FACING.test(`${ap.name} ${ap.description} ${statement}`) ? 'U' : 'T';
      const id = `${prefix}_${shortId(ap.id)}_${++n}`;
      const constraint: DerivedConstraint = {
        id,
        type: 'invariant',
        statement,
        rationale: `Anti-pattern ${ap.id} ${ap.prevention ? 'prevention' : 'description'} (${ap.name})`,
        ...(linked.length && incidents.get(linked[0]!)?.title ? { violation_scenario: incidents.get(linked[0]!)!.title } : {}),
        origin: { anti_patterns: [ap.id], ...(linked.length ? { incidents: linked } : {}) },
      };
      const covered = coveredBy(manifold, id, statement);
      if (covered) constraint.in_manifold = covered;
      generated.push(constraint);
    }
    if (generated.length) fromAntiPatterns.push({ anti_pattern: ap.id, generated_constraints: generated });
  }
  const fromTickets: Array<{ pattern: string; generated_constraints: DerivedConstraint[] }> = [];
  let ticketN = 0;
  for (const { record: tp } of analysis.ticketPatterns) {
    const statement = tp.root_pattern ? `${constraintFrom(tp.root_pattern).replace(/^Must not recur: /, 'Prevent ')} (${tp.pattern})` : `Prevent ${/^[A-Z][a-z]/.test(tp.pattern) ? tp.pattern.charAt(0).toLowerCase() + tp.pattern.slice(1) : tp.pattern}`;
    if (!novel(statement)) continue;
    const id = `U_TKT_${++ticketN}`;
    const perMonth = tp.ticket_count !== undefined ? monthlyRate(tp.ticket_count, tp.timeframe) : undefined;
    const constraint: DerivedConstraint = {
      id,
      type: 'goal',
      statement,
      rationale: tp.ticket_count !== undefined ? `${tp.ticket_count} support tickets${tp.timeframe ? ` in ${tp.timeframe}` : ''} (${tp.id}: ${tp.pattern})` : `Ticket pattern ${tp.id}: ${tp.pattern}`,
      ...(tp.sample_tickets?.length ? { violation_scenario: tp.sample_tickets[0]! } : {}),
      ...(perMonth !== undefined ? { measurement: `< ${Math.max(1, Math.ceil(perMonth / 4))} "${tp.pattern}" tickets per month (was ${round1(perMonth)} per month)` } : {}),
      origin: { tickets: [tp.id] },
    };
    const covered = coveredBy(manifold, id, statement);
    if (covered) constraint.in_manifold = covered;
    fromTickets.push({ pattern: tp.pattern, generated_constraints: [constraint] });
  }
  return { fromIncidents, fromAntiPatterns, fromTickets, byIncident };
}

function recorded(c: ConstraintRecord, manifold: Manifold): DerivedConstraint {
  const origin: DerivedConstraint['origin'] = {};
  for (const key of ['incidents', 'postmortems', 'anti_patterns', 'tickets'] as const) if (c.origin?.[key]?.length) origin[key] = [...c.origin[key]!];
  const out: DerivedConstraint = {
    id: c.id,
    type: c.type ?? 'invariant',
    statement: c.statement,
    rationale: c.rationale ?? `recorded constraint ${c.id}`,
    ...(c.violation_scenario ? { violation_scenario: c.violation_scenario } : {}),
    ...(c.measurement ? { measurement: c.measurement } : {}),
    origin,
  };
  const covered = coveredBy(manifold, c.id, c.statement);
  if (covered) out.in_manifold = covered;
  return out;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Tickets per month from a count and a timeframe as written (6 months, 1 year, 90 days); undefined when unreadable. */
function monthlyRate(count: number, timeframe: string | undefined): number | undefined {
  const match = timeframe?.match(/(\d+(?:\.\d+)?)\s*(day|week|month|year|quarter)/i);
  if (!match) return undefined;
  const n = Number(match[1]);
  const unit = match[2]!.toLowerCase();
  const months = unit === 'day' ? n / 30.44 : unit === 'week' ? (n * 7) / 30.44 : unit === 'year' ? n * 12 : unit === 'quarter' ? n * 3 : n;
  return months > 0 ? count / months : undefined;
}

