import type { AntiPatternRecord, ConstraintRecord, IncidentRecord, PostmortemRecord, TicketPatternRecord } from '../types/records.js';
import { constraintFrom, mustExclude, mustInclude, sentences } from './derive.js';
import {
  antiPatternDocument,
  incidentDocument,
  linksOf,
  postmortemDocument,
  ticketDocument,
  ticketPatternDocument,
  type History,
  type Links,
} from './documents.js';
import type { Manifold } from './manifold.js';
import { rankFailures, type Relevance } from './relevance.js';
import { stems } from './words.js';

export type Source = 'incidents' | 'postmortems' | 'tickets';
export const ALL_SOURCES: readonly Source[] = ['incidents', 'postmortems', 'tickets'];

/** Scores at or above these are "relevant" and "high relevance". */
export const RELEVANT = 0.35;
export const HIGH = 0.6;

export interface ContextOptions {
  sources: readonly Source[];
  /** The relevance components' weights (the bench compares settings; the CLI uses the defaults). */
  weights?: Parameters<typeof rankFailures>[2];
  /** Keep failures of the last N months before `asOf`; undefined: all history. */
  timeframeMonths?: number;
  /** The end of the window (YYYY-MM-DD); required with timeframeMonths. */
  asOf?: string;
  /** How the report will be named in the action items (payment-retry-v2-failures.yaml). */
  reportFile?: string;
  /** How the manifold is named in the action items (its path). */
  manifoldFile?: string;
}

/** One place the check engine found an anti-pattern. */
export interface Occurrence {
  file: string;
  line: number;
  code: string;
}

/** The ranked history, before the codebase is searched for the relevant anti-patterns. */
export interface ContextAnalysis {
  manifold: Manifold;
  history: History;
  options: ContextOptions;
  /** Incidents in the window (or postmortems standing for them), ranked. */
  ranked: Relevance[];
  incidents: Map<string, IncidentRecord>;
  links: (id: string) => Links;
  outsideWindow: number;
  undated: number;
  ticketPatterns: Array<{ record: TicketPatternRecord; relevance: Relevance }>;
  tickets: { scanned: number; relevant: number };
  /** Anti-patterns linked to a relevant incident or relevant themselves, with the incidents. */
  antiPatterns: Array<{ record: AntiPatternRecord; incidents: string[]; score: number }>;
}

function monthsBefore(asOf: string, months: number): string {
  const date = new Date(`${asOf}T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() - months);
  return date.toISOString().slice(0, 10);
}

/** The first YYYY-MM-DD in a date as written, or undefined. */
function isoDay(value: string | undefined): string | undefined {
  return value?.match(/\d{4}-\d{2}-\d{2}/)?.[0];
}

/** Ranks the history against the manifold (phase 1 of the seed). Pure and deterministic. */
export function analyzeContext(manifold: Manifold, history: History, options: ContextOptions): ContextAnalysis {
  const sources = new Set(options.sources);
  const links = linksOf(history);
  const from = options.timeframeMonths !== undefined && options.asOf ? monthsBefore(options.asOf, options.timeframeMonths) : undefined;
  let outsideWindow = 0;
  let undated = 0;
  const inWindow = (date: string | undefined) => {
    if (!from) return true;
    const day = isoDay(date);
    if (!day) {
      undated++;
      return true;
    }
    if (day < from || (options.asOf && day > options.asOf)) {
      outsideWindow++;
      return false;
    }
    return true;
  };
  const incidents = new Map<string, IncidentRecord>();
  const documents = [];
  if (sources.has('incidents')) {
    for (const incident of history.incidents) {
      if (!inWindow(incident.date)) continue;
      incidents.set(incident.incident_id, incident);
      const l = links(incident.incident_id);
      documents.push(incidentDocument(incident, sources.has('postmortems') ? l : { ...l, postmortems: [] }, history.sourceTexts?.get(incident.incident_id)));
    }
  } else if (sources.has('postmortems')) {
    for (const pm of history.postmortems) if (inWindow(pm.date)) documents.push(postmortemDocument(pm, links(pm.incident)));
  }
  const ranked = rankFailures(manifold, documents, options.weights);

  const ticketPatterns: ContextAnalysis['ticketPatterns'] = [];
  let tickets = { scanned: 0, relevant: 0 };
  if (sources.has('tickets')) {
    const tps = rankFailures(manifold, history.ticketPatterns.map(ticketPatternDocument));
    const byId = new Map(history.ticketPatterns.map((t) => [t.id, t]));
    for (const relevance of tps) if (relevance.score >= RELEVANT) ticketPatterns.push({ record: byId.get(relevance.id)!, relevance });
    const dated = history.tickets.filter((t) => inWindow(t.created));
    const scored = rankFailures(manifold, dated.map(ticketDocument));
    const inPatterns = ticketPatterns.reduce((sum, t) => sum + (t.record.ticket_count ?? 0), 0);
    tickets = { scanned: dated.length + history.ticketPatterns.reduce((s, t) => s + (t.ticket_count ?? 0), 0), relevant: scored.filter((s) => s.score >= RELEVANT).length + inPatterns };
  }

  const relevantIds = new Set(ranked.filter((r) => r.score >= RELEVANT).map((r) => r.id));
  const relevantTickets = new Set(ticketPatterns.map((t) => t.record.id));
  const apScores = new Map(rankFailures(manifold, history.antiPatterns.map(antiPatternDocument)).map((r) => [r.id, r.score]));
  const antiPatterns: ContextAnalysis['antiPatterns'] = [];
  for (const ap of history.antiPatterns) {
    if (ap.status === 'rejected') continue;
    const linkedIncidents = [...relevantIds].filter((id) => links(id).antiPatterns.includes(ap));
    const viaTickets = (ap.origin?.tickets ?? []).some((t) => relevantTickets.has(t));
    const score = apScores.get(ap.id) ?? 0;
    if (linkedIncidents.length > 0 || viaTickets || score >= RELEVANT) antiPatterns.push({ record: ap, incidents: linkedIncidents, score });
  }
  const order = new Map(ranked.map((r, i) => [r.id, i]));
  const firstIncident = (a: { incidents: string[] }) => Math.min(...a.incidents.map((i) => order.get(i) ?? Infinity));
  antiPatterns.sort((a, b) => firstIncident(a) - firstIncident(b) || b.score - a.score || a.record.id.localeCompare(b.record.id));
  return { manifold, history, options, ranked, incidents, links, outsideWindow, undated, ticketPatterns, tickets, antiPatterns };
}

// ---------------------------------------------------------------------------------------------------
// Phase 2–4 and the report

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

type Impact = 'low' | 'medium' | 'high' | 'critical';

/** Impact from the incident's severity as written (P1, SEV-2, critical, major…) and whether it cost money or customers. */
export function impactOf(incident: IncidentRecord): Impact | undefined {
  const severity = (incident.severity ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');
  const costly = Boolean(incident.financial_impact || incident.customer_impact);
  if (/^(p0|p1|sev0|sev1|s0|s1|critical|blocker|major|high)$/.test(severity) || /^(sev|severity|p)?[01]$/.test(severity)) {
    return costly || /^(p0|sev0|s0|critical|blocker)$/.test(severity) ? 'critical' : 'high';
  }
  if (/^(p2|sev2|s2|2)$/.test(severity)) return 'high';
  if (/^(p3|sev3|s3|3|medium|moderate|minor)$/.test(severity)) return 'medium';
  if (/^(p4|p5|sev4|sev5|s4|4|5|low|trivial)$/.test(severity)) return 'low';
  return incident.financial_impact ? 'high' : undefined;
}

/** The short form of an id used in derived ids: INC-2024-089 → INC089, AP-002 → AP002. */
function shortId(id: string): string {
  const letters = id.match(/^[A-Za-z]+/)?.[0]?.toUpperCase() ?? 'X';
  const numbers = id.match(/\d+/g);
  if (!numbers) return id.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return `${letters}${numbers[numbers.length - 1]}`;
}

/** Words that say a constraint concerns what users see or receive: U, else T (the seed's U_AP002_1, T_INC089_1). */
const USER_FACING = /\b(user|users|customer|customers|notification|notifications|notify|email|sms|message|ui|screen|status shown|support)\b/i;
const GENERIC = new Set(['must', 'includ', 'requir', 'all', 'ani', 'recur', 'alwai', 'everi', 'each', 'prevent', 'avoid']);
const keyStems = (text: string) => new Set([...stems(text)].filter((s) => !GENERIC.has(s)));

function overlap(a: Set<string>, b: Set<string>): number {
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

export interface ReportInput {
  analysis: ContextAnalysis;
  /** Anti-pattern id → where the check engine found it in the codebase. */
  occurrences: ReadonlyMap<string, readonly Occurrence[]>;
  /** The report's timestamp, when the report depends on the date (a timeframe); omitted otherwise, for byte-identical reports. */
  analyzedAt?: string;
}

const severityRisk = (ap: AntiPatternRecord, impact: Impact | undefined): string => {
  const s = (ap.severity ?? '').toLowerCase();
  if (s === 'high' || s === 'error' || s === 'critical' || impact === 'critical') return 'HIGH';
  if (s === 'low' || s === 'info') return 'LOW';
  return 'MEDIUM';
};

function actionItemsOf(pm: PostmortemRecord): { completed: string[]; incomplete: string[]; not_stated: string[] } {
  const out = { completed: [] as string[], incomplete: [] as string[], not_stated: [] as string[] };
  const items = pm.action_items;
  if (!items) return out;
  if (!Array.isArray(items)) return { completed: [...(items.completed ?? [])], incomplete: [...(items.incomplete ?? [])], not_stated: [] };
  for (const item of items) {
    const extra = [item.owner ? `owner: ${item.owner}` : '', item.due ? `due ${item.due}` : '', item.ticket ?? ''].filter(Boolean);
    const text = extra.length ? `${item.action} (${extra.join(', ')})` : item.action;
    const status = String(item.status ?? '');
    if (status === 'done' || status === 'wont_do') out.completed.push(text);
    else if (status === 'open' || status === 'in_progress') out.incomplete.push(text);
    else out.not_stated.push(text);
  }
  return out;
}

const firstTimeline = (incident: IncidentRecord, re: RegExp) =>
  (incident.timeline ?? []).find((t) => re.test(t))?.replace(/^\s*[\d:?hHmM]+\s*(?:[A-Z]{2,5})?\s*[-–—:]\s*/, '');

/** The failure context report (the seed's Output Format). Pure and deterministic. */
export function contextReport(input: ReportInput): Record<string, unknown> {
  const { analysis, occurrences } = input;
  const { manifold, ranked, incidents, links, options } = analysis;
  const sources = new Set(options.sources);
  const relevant = ranked.filter((r) => r.score >= RELEVANT);
  const high = relevant.filter((r) => r.score >= HIGH);

  // Phase 3: derived constraints, from incidents, anti-patterns and ticket patterns.
  const taken = new Set((manifold.constraints ?? []).map((c) => c.id));
  const seen: Array<Set<string>> = [];
  const novel = (statement: string) => {
    const key = keyStems(statement);
    if (key.size === 0 || seen.some((s) => overlap(key, s) >= 0.75 && overlap(s, key) >= 0.75)) return false;
    seen.push(key);
    return true;
  };
  const fromIncidents: Array<{ incident: string; generated_constraints: DerivedConstraint[] }> = [];
  const byIncident = new Map<string, DerivedConstraint[]>();
  const shorts = new Map<string, string>();
  for (const r of relevant) {
    const short = shortId(r.id);
    shorts.set(r.id, [...shorts.values()].includes(short) ? r.id.toUpperCase().replace(/[^A-Z0-9]/g, '') : short);
  }
  for (const r of relevant) {
    const incident = incidents.get(r.id);
    const l = links(r.id);
    const generated: DerivedConstraint[] = [];
    const pms = sources.has('postmortems') ? l.postmortems.map((p) => p.id) : [];
    // Constraints already recorded in .failures/constraints/ for this incident are used as written.
    for (const c of l.constraints) {
      if (!novel(c.statement)) continue;
      generated.push(recorded(c, manifold));
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
      if (!novel(s.statement)) continue;
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
      generated.push(constraint);
    }
    if (generated.length) {
      fromIncidents.push({ incident: r.id, generated_constraints: generated });
      byIncident.set(r.id, generated);
    }
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
    const statement = tp.root_pattern ? `${constraintFrom(tp.root_pattern).replace(/^Must not recur: /, 'Prevent ')} (${tp.pattern})` : `Prevent ${tp.pattern.toLowerCase()}`;
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
  const allDerived = [...fromIncidents, ...fromAntiPatterns, ...fromTickets].flatMap((g) => g.generated_constraints);
  const newConstraints = allDerived.filter((c) => !c.in_manifold);

  // Phase 4: failure modes.
  const existing = (manifold.failure_modes ?? []).map((fm) => {
    const key = keyStems(fm.scenario ?? '');
    const covers = relevant
      .filter((r) => {
        const incident = incidents.get(r.id);
        if ((fm.origin?.incidents ?? []).includes(r.id) || fm.source === r.id) return true;
        const text = incident ? [incident.title, incident.root_cause ?? '', ...(incident.contributing_factors ?? [])].join(' ') : '';
        return key.size > 0 && overlap(key, keyStems(text)) >= 0.5;
      })
      .map((r) => r.id);
    return { id: fm.id, status: covers.length ? 'already_documented' : 'no_past_failure_found', ...(covers.length ? { covers } : {}) };
  });
  const covered = new Set(existing.flatMap((e) => e.covers ?? []));
  const modeIds = new Set((manifold.failure_modes ?? []).map((f) => f.id));
  let modeN = 0;
  const nextModeId = () => {
    let id: string;
    do id = `F_NEW_${++modeN}`;
    while (modeIds.has(id));
    return id;
  };
  const window = options.timeframeMonths !== undefined ? `${options.timeframeMonths} months` : 'the history';
  const newlyDiscovered: Array<Record<string, unknown>> = [];
  for (const r of relevant) {
    if (covered.has(r.id)) continue;
    const incident = incidents.get(r.id);
    if (!incident) continue;
    const l = links(r.id);
    const key = keyStems([incident.title, ...(incident.contributing_factors ?? [])].join(' '));
    const similar = relevant.filter((o) => {
      if (o.id === r.id) return true;
      const other = incidents.get(o.id);
      if (!other) return false;
      if (l.antiPatterns.some((ap) => links(o.id).antiPatterns.includes(ap))) return true;
      const otherKey = keyStems([other.title, ...(other.contributing_factors ?? [])].join(' '));
      return overlap(key, otherKey) >= 0.5 && overlap(otherKey, key) >= 0.5;
    }).length;
    const recordedMode = l.failureModes[0];
    const impact = impactOf(incident);
    const detection = firstTimeline(incident, /alert|detect|notic|page|report|fire/i) ?? (incident.detection_time ? `Detected after ${incident.detection_time}` : undefined);
    const prevention = [...new Set(l.antiPatterns.flatMap((ap) => ap.prevention?.must_include ?? []))].join('; ') || incident.resolution?.permanent || byIncident.get(r.id)?.[0]?.statement;
    const violated = [...(r.reasons.constraints.map((c) => c.id)), ...(byIncident.get(r.id) ?? []).map((c) => c.in_manifold ?? c.id)];
    newlyDiscovered.push({
      id: recordedMode && !modeIds.has(recordedMode.id) ? recordedMode.id : nextModeId(),
      status: 'newly_discovered',
      source: r.id,
      scenario: recordedMode?.scenario ?? incident.title,
      probability: similar >= 4 ? 'high' : similar >= 2 ? 'medium' : 'low',
      probability_basis: `${similar} similar incident${similar === 1 ? '' : 's'} in ${window}`,
      ...(impact ? { impact } : {}),
      ...(violated.length ? { constraints_violated: [...new Set(violated)] } : {}),
      ...(detection ? { detection } : {}),
      ...(incident.resolution?.immediate ? { mitigation: incident.resolution.immediate } : {}),
      ...(prevention ? { prevention } : {}),
      origin: { incidents: [r.id], ...(l.antiPatterns.length ? { anti_patterns: l.antiPatterns.map((a) => a.id) } : {}) },
    });
  }
  for (const { record: tp } of analysis.ticketPatterns) {
    const key = keyStems(`${tp.pattern} ${tp.root_pattern ?? ''}`);
    if ((manifold.failure_modes ?? []).some((fm) => overlap(key, keyStems(fm.scenario ?? '')) >= 0.5)) continue;
    const count = tp.ticket_count;
    newlyDiscovered.push({
      id: nextModeId(),
      status: 'newly_discovered',
      source: 'ticket_pattern_analysis',
      scenario: tp.root_pattern ? `${tp.root_pattern} (${tp.pattern})` : tp.pattern,
      ...(count !== undefined ? { probability: count >= 50 ? 'high' : count >= 10 ? 'medium' : 'low', probability_basis: `${count} tickets${tp.timeframe ? ` in ${tp.timeframe}` : ''}` } : {}),
      ...(tp.constraints_affected?.length ? { constraints_violated: tp.constraints_affected } : {}),
      ...(tp.sample_tickets?.length ? { detection: `Support tickets like ${tp.sample_tickets[0]}` } : {}),
      origin: { tickets: [tp.id] },
    });
  }

  // Anti-patterns with their occurrences (phase 2).
  const antiPatterns = analysis.antiPatterns.map(({ record: ap, incidents: linked, score }) => {
    const impact = linked.map((id) => incidents.get(id)).find(Boolean);
    const level = severityRisk(ap, impact ? impactOf(impact) : undefined);
    const why = impact ? `repeats ${impact.incident_id}${impact.customer_impact ? ` (${impact.customer_impact})` : ''}` : ap.name.toLowerCase();
    const found = occurrences.get(ap.id) ?? [];
    return {
      id: ap.id,
      name: ap.name,
      status: ap.status,
      description: ap.description,
      ...(ap.pattern_signature?.length ? { pattern_signature: ap.pattern_signature } : {}),
      linked_incidents: linked,
      relevance_score: Math.round(Math.max(score, ...linked.map((id) => ranked.find((r) => r.id === id)?.score ?? 0)) * 100) / 100,
      occurrences_in_codebase: found.map((o) => ({ file: o.file, line: o.line, code: o.code, risk: `${level} - ${why}` })),
      risk: level,
      ...(ap.prevention ? { prevention: ap.prevention } : {}),
      ...(ap.example_bad_code ? { example_bad_code: ap.example_bad_code } : {}),
      ...(ap.example_good_code ? { example_good_code: ap.example_good_code } : {}),
    };
  });

  // Postmortem analysis (phase 1B).
  const postmortems = sources.has('postmortems')
    ? relevant.flatMap((r) =>
        links(r.id).postmortems.map((pm) => {
          const items = actionItemsOf(pm);
          return {
            id: pm.id,
            incident: pm.incident,
            ...(pm.five_whys?.length ? { five_whys: pm.five_whys } : {}),
            action_items: {
              completed: items.completed,
              incomplete: items.incomplete,
              ...(items.not_stated.length ? { status_not_stated: items.not_stated } : {}),
            },
            ...(pm.systemic_issues?.length ? { systemic_issues: pm.systemic_issues } : {}),
            ...(pm.lessons?.length ? { lessons: pm.lessons } : {}),
          };
        }),
      )
    : [];

  // Incidents, most relevant first.
  const incidentEntries = ranked.map((r) => {
    const incident = incidents.get(r.id);
    const lesson = incident?.lesson ?? links(r.id).postmortems.flatMap((p) => p.lessons ?? [])[0];
    const relevance = {
      constraints_affected: r.reasons.constraints.map((c) => c.id),
      relevance_score: r.score,
      relevance: r.score >= HIGH ? 'high' : r.score >= RELEVANT ? 'medium' : 'low',
      score_components: r.components,
      ...(lesson ? { lesson } : {}),
      reasons: r.reasons,
    };
    if (!incident) return { incident_id: r.id, relevance_to_manifold: relevance };
    const detail = r.score >= RELEVANT;
    const pick = <K extends keyof IncidentRecord>(...keys: K[]) =>
      Object.fromEntries(keys.filter((k) => incident[k] !== undefined).map((k) => [k, incident[k]]));
    return {
      ...pick('incident_id', 'date', 'severity', 'title'),
      ...(detail
        ? pick('systems', 'timeline', 'root_cause', 'contributing_factors', 'resolution', 'detection_time', 'resolution_time', 'customer_impact', 'financial_impact')
        : {}),
      relevance_to_manifold: relevance,
    };
  });

  // Summary and risk.
  // The first derived constraint of an incident that the manifold does not state yet.
  const unaddressed = (id: string) => (byIncident.get(id) ?? []).find((c) => !c.in_manifold);
  const warnings = relevant
    .filter((r) => {
      const incident = incidents.get(r.id);
      const impact = incident ? impactOf(incident) : undefined;
      // High impact (critical: a P1 with a cost), its root cause in no manifold constraint, and no manifold failure mode for it.
      return incident && impact === 'critical' && !covered.has(r.id) && unaddressed(r.id);
    })
    .map((r) => {
      const incident = incidents.get(r.id)!;
      const cost = incident.financial_impact ?? incident.customer_impact;
      const constraint = unaddressed(r.id)!;
      return {
        incident: r.id,
        title: incident.title,
        ...(cost ? { cost } : {}),
        constraint: constraint.id,
        message: `Your current manifold does NOT address the root cause of ${r.id}.${cost ? ` This incident resulted in ${cost}.` : ''} Without constraint ${constraint.id}, this WILL recur.`,
      };
    });
  const fromRelevantIncidents = allDerived.filter((c) => c.origin.incidents?.length && !c.origin.anti_patterns);
  const coveredShare = fromRelevantIncidents.length ? fromRelevantIncidents.filter((c) => c.in_manifold).length / fromRelevantIncidents.length : 1;
  const preparedness = coveredShare >= 0.75 ? 'high' : coveredShare >= 0.4 ? 'medium' : 'low';
  const codebaseHits = antiPatterns.some((ap) => ap.occurrences_in_codebase.length > 0);
  const openItems = postmortems.some((p) => p.action_items.incomplete.length > 0);
  const repeat =
    relevant.length === 0 ? 'low' : (high.length > 0 || warnings.length > 0) && (coveredShare < 0.75 || codebaseHits || openItems) ? 'high' : coveredShare < 0.75 || codebaseHits ? 'medium' : 'low';
  const lessons = [
    ...relevant.flatMap((r) => [incidents.get(r.id)?.lesson, ...links(r.id).postmortems.flatMap((p) => p.lessons ?? [])]),
    ...analysis.antiPatterns.map((a) => (a.record.prevention?.must_include?.[0] ? `${a.record.name}: ${a.record.prevention.must_include[0]}` : undefined)),
  ]
    .filter((l): l is string => Boolean(l))
    .map((l) => l.replace(/^\s*(critical|important|lesson)\s*:\s*/i, '').trim());
  const critical_lessons = [...new Set(lessons)].slice(0, 5);

  const reportFile = options.reportFile ?? `${manifold.name}-failures.yaml`;
  const manifoldFile = options.manifoldFile ?? manifold.name;
  const openByPm = postmortems.filter((p) => p.action_items.incomplete.length > 0);
  const action_items = {
    immediate: [
      ...(newConstraints.length ? [`Add the ${newConstraints.length} derived constraints to the manifold: failures merge ${manifoldFile} --from ${reportFile}`] : []),
      ...antiPatterns.filter((a) => a.occurrences_in_codebase.length).map((a) => `Review ${a.id} occurrences in codebase (${a.occurrences_in_codebase.length} location${a.occurrences_in_codebase.length === 1 ? '' : 's'}, ${a.risk} risk)`),
    ],
    before_development: openByPm.map((p) => `Complete outstanding action items from ${p.id}: ${p.action_items.incomplete.join('; ')}`),
    during_development: [
      ...(antiPatterns.length ? [`Validate each anti-pattern is prevented (failures check): ${antiPatterns.map((a) => a.id).join(', ')}`] : []),
      ...(newlyDiscovered.length ? [`Test each new failure mode: ${newlyDiscovered.map((f) => f.id as string).join(', ')}`] : []),
    ],
  };

  const count = (n: number, more?: string) => `${n} analyzed${more ?? ''}`;
  const metaSources: Record<string, string> = {};
  if (sources.has('incidents')) {
    const extra = [analysis.outsideWindow ? `${analysis.outsideWindow} outside the timeframe` : '', analysis.undated ? `${analysis.undated} undated, kept` : ''].filter(Boolean).join(', ');
    metaSources.incidents = count(ranked.length, `, ${relevant.length} relevant${extra ? `, ${extra}` : ''}`);
  }
  if (sources.has('postmortems')) metaSources.postmortems = count(analysis.history.postmortems.length, `, ${postmortems.length} relevant`);
  if (sources.has('tickets')) metaSources.tickets = `${analysis.tickets.scanned.toLocaleString('en-US')} scanned, ${analysis.tickets.relevant.toLocaleString('en-US')} relevant`;

  const report: Record<string, unknown> = {
    meta: {
      manifold: manifold.name,
      ...(input.analyzedAt ? { analyzed_at: input.analyzedAt } : {}),
      timeframe: options.timeframeMonths !== undefined ? `${options.timeframeMonths} months${options.asOf ? ` to ${options.asOf}` : ''}` : 'all history',
      sources: metaSources,
    },
    summary: {
      high_relevance_incidents: high.length,
      relevant_incidents: relevant.length,
      anti_patterns_identified: antiPatterns.length,
      new_constraints_derived: newConstraints.length,
      new_failure_modes_discovered: newlyDiscovered.length,
      risk_assessment: { repeat_probability: repeat, preparedness },
      critical_lessons,
      ...(warnings.length ? { critical_warnings: warnings } : {}),
    },
    incidents: incidentEntries,
    ...(postmortems.length ? { postmortem_analysis: postmortems } : {}),
    ...(analysis.ticketPatterns.length
      ? {
          ticket_patterns: analysis.ticketPatterns.map(({ record: tp, relevance }) => ({
            id: tp.id,
            pattern: tp.pattern,
            ...(tp.ticket_count !== undefined ? { ticket_count: tp.ticket_count } : {}),
            ...(tp.timeframe ? { timeframe: tp.timeframe } : {}),
            ...(tp.sample_tickets?.length ? { sample_tickets: tp.sample_tickets } : {}),
            ...(tp.root_pattern ? { root_pattern: tp.root_pattern } : {}),
            constraints_affected: [...new Set([...(tp.constraints_affected ?? []), ...relevance.reasons.constraints.map((c) => c.id)])],
            relevance_score: relevance.score,
          })),
        }
      : {}),
    anti_patterns: antiPatterns,
    derived_constraints: { from_incidents: fromIncidents, from_anti_patterns: fromAntiPatterns, from_ticket_patterns: fromTickets },
    enriched_failure_modes: { existing_in_manifold: existing, newly_discovered: newlyDiscovered },
    action_items,
  };
  return report;
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
