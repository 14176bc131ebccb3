import type { AntiPatternRecord, IncidentRecord, TicketPatternRecord } from '../types/records.js';
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
import { MERGE_SOURCE } from './merge.js';
import { rankFailures, type Relevance } from './relevance.js';

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
  /**
   * Incident id → its date, for placing postmortems in the timeframe when incidents are not a source
   * (postmortem records carry no date of their own: the incident's is when it happened).
   */
  incidentDates?: ReadonlyMap<string, string | undefined>;
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

/**
 * The manifold as its authors wrote it: what `failures merge` added from an earlier report
 * (`_source: failure_analysis`) is what the history already answered, not a new question to ask it.
 * Ranked with those items, every merge widened the next report (on 323 real postmortems a second
 * `context` after a merge found 27 "new" constraints from incidents the feature never touched).
 * They still count as stated: a derived constraint or failure mode already merged is not new.
 */
export function asWritten(manifold: Manifold): Manifold {
  const own = <T,>(items: T[]) => items.filter((item) => (item as { _source?: unknown })._source !== MERGE_SOURCE);
  return {
    ...manifold,
    ...(manifold.constraints ? { constraints: own(manifold.constraints) } : {}),
    ...(manifold.failure_modes ? { failure_modes: own(manifold.failure_modes) } : {}),
  };
}

/** Ranks the history against the manifold (phase 1 of the seed). Pure and deterministic. */
export function analyzeContext(manifold: Manifold, history: History, options: ContextOptions): ContextAnalysis {
  const sources = new Set(options.sources);
  const query = asWritten(manifold);
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
    for (const pm of history.postmortems) if (inWindow(pm.date ?? options.incidentDates?.get(pm.incident))) documents.push(postmortemDocument(pm, links(pm.incident)));
  }
  const ranked = rankFailures(query, documents, options.weights);

  const ticketPatterns: ContextAnalysis['ticketPatterns'] = [];
  let tickets = { scanned: 0, relevant: 0 };
  if (sources.has('tickets')) {
    const tps = rankFailures(query, history.ticketPatterns.map(ticketPatternDocument));
    const byId = new Map(history.ticketPatterns.map((t) => [t.id, t]));
    for (const relevance of tps) if (relevance.score >= RELEVANT) ticketPatterns.push({ record: byId.get(relevance.id)!, relevance });
    const dated = history.tickets.filter((t) => inWindow(t.created));
    const scored = rankFailures(query, dated.map(ticketDocument));
    const inPatterns = ticketPatterns.reduce((sum, t) => sum + (t.record.ticket_count ?? 0), 0);
    tickets = { scanned: dated.length + history.ticketPatterns.reduce((s, t) => s + (t.ticket_count ?? 0), 0), relevant: scored.filter((s) => s.score >= RELEVANT).length + inPatterns };
  }

  const relevantIds = new Set(ranked.filter((r) => r.score >= RELEVANT).map((r) => r.id));
  const relevantTickets = new Set(ticketPatterns.map((t) => t.record.id));
  const apScores = new Map(rankFailures(query, history.antiPatterns.map(antiPatternDocument)).map((r) => [r.id, r.score]));
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
