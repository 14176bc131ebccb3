import type { Pattern } from '../analyze/index.js';
import type { AntiPatternRecord, ConstraintRecord, IncidentRecord, PostmortemRecord, TicketPatternRecord } from '../types/records.js';
import { preventedIds } from './history.js';

export type GapKind =
  | 'anti-pattern-without-detectors'
  | 'anti-pattern-without-examples'
  | 'incident-without-prevention'
  | 'action-item-open'
  | 'action-item-status-not-stated'
  | 'ticket-pattern-without-prevention'
  | 'pattern-without-proposal'
  | 'baseline-not-shrinking';

export interface Gap {
  kind: GapKind;
  /** The record (or pattern, or rule) the hole is in. */
  id: string;
  message: string;
}

export interface RuleNode {
  id: string;
  name: string;
  status: AntiPatternRecord['status'];
  rule?: string;
  detectors: number;
  examples: number;
  constraints: Array<{ id: string; statement: string }>;
  /** Known (baselined) violations of the rule. */
  findings: number;
}

export interface IncidentNode {
  id: string;
  title: string;
  impact?: string;
  /** Per postmortem: the action items still open, how many it records, and how many of those say no status. */
  postmortems: Array<{ id: string; open: string[]; action_items: number; not_stated: number }>;
  anti_patterns: RuleNode[];
  constraints: Array<{ id: string; statement: string }>;
}

export interface TicketPatternNode {
  id: string;
  pattern: string;
  ticket_count?: number;
  timeframe?: string;
  /** Anti-patterns and constraints that name it as their origin. */
  prevented_by: string[];
}

export interface GapReport {
  tree: IncidentNode[];
  /** Recurring support-ticket patterns and what prevents each. */
  ticket_patterns: TicketPatternNode[];
  /** Anti-patterns not traced to any incident (learned from feedback alone). */
  unlinked: RuleNode[];
  gaps: Gap[];
}

export interface GapInput {
  incidents: readonly IncidentRecord[];
  postmortems: readonly PostmortemRecord[];
  antiPatterns: readonly AntiPatternRecord[];
  constraints: readonly ConstraintRecord[];
  patterns: readonly Pattern[];
  /** Baselined violations per rule id now, and in the earliest committed baseline (if any). */
  baseline: ReadonlyMap<string, { now: number; earliest?: number; since?: string }>;
  ticketPatterns?: readonly TicketPatternRecord[];
}

/** Action items still open: the list form's open/in_progress, or the seed's `incomplete` list ("Still open!"). */
export function openActionItems(pm: PostmortemRecord): string[] {
  const items = pm.action_items;
  if (!items) return [];
  if (Array.isArray(items)) return items.filter((i) => i.status === 'open' || i.status === 'in_progress').map((i) => i.action);
  return [...(items.incomplete ?? [])];
}

/** How many action items a postmortem records, and how many of them never state a status. */
export function actionItemCounts(pm: PostmortemRecord): { action_items: number; not_stated: number } {
  const items = pm.action_items;
  if (!items) return { action_items: 0, not_stated: 0 };
  if (!Array.isArray(items)) return { action_items: (items.completed ?? []).length + (items.incomplete ?? []).length, not_stated: 0 };
  return { action_items: items.length, not_stated: items.filter((i) => (i.status ?? 'not_stated') === 'not_stated').length };
}

/**
 * The tree incidents → anti-patterns → constraints → rules → findings, and its holes: approved
 * anti-patterns without detectors or examples, incidents that nothing prevents, postmortem action
 * items still open, recurring patterns nobody has proposed, baselines that are not shrinking.
 */
export function findGaps(input: GapInput): GapReport {
  const gaps: Gap[] = [];
  const constraintsOf = (apId: string) => input.constraints.filter((c) => c.origin?.anti_patterns?.includes(apId)).map((c) => ({ id: c.id, statement: c.statement }));
  const ruleNode = (ap: AntiPatternRecord): RuleNode => ({
    id: ap.id,
    name: ap.name,
    status: ap.status,
    ...(ap.status === 'approved' ? { rule: `failures/${ap.id.toLowerCase()}` } : {}),
    detectors: ap.enforce?.detect?.length ?? 0,
    examples: (ap.examples?.bad?.length ?? 0) + (ap.examples?.good?.length ?? 0),
    constraints: constraintsOf(ap.id),
    findings: input.baseline.get(`failures/${ap.id.toLowerCase()}`)?.now ?? 0,
  });
  for (const ap of input.antiPatterns.filter((a) => a.status === 'approved')) {
    if (!ap.enforce?.detect?.length) gaps.push({ kind: 'anti-pattern-without-detectors', id: ap.id, message: `${ap.id} ${ap.name} is approved but has no detectors: nothing enforces it` });
    if (!ap.examples?.bad?.length) gaps.push({ kind: 'anti-pattern-without-examples', id: ap.id, message: `${ap.id} ${ap.name} has no examples.bad: its rule cannot test itself` });
  }
  const tree: IncidentNode[] = input.incidents.map((incident) => {
    const id = incident.incident_id;
    const aps = input.antiPatterns.filter((ap) => ap.origin?.incidents?.includes(id) && ap.status !== 'rejected');
    const constraints = input.constraints.filter((c) => c.origin?.incidents?.includes(id)).map((c) => ({ id: c.id, statement: c.statement }));
    const postmortems = input.postmortems.filter((pm) => pm.incident === id).map((pm) => ({ id: pm.id, open: openActionItems(pm), ...actionItemCounts(pm) }));
    if (!aps.some((ap) => ap.status === 'approved' || ap.status === 'proposed') && constraints.length === 0) {
      gaps.push({ kind: 'incident-without-prevention', id, message: `${id} ${incident.title}: no anti-pattern or constraint prevents it` });
    }
    for (const pm of postmortems) for (const item of pm.open) gaps.push({ kind: 'action-item-open', id: pm.id, message: `${pm.id}: "${item}" is still open` });
    for (const pm of postmortems) {
      const unknown = pm.not_stated;
      if (unknown > 0) {
        gaps.push({ kind: 'action-item-status-not-stated', id: pm.id, message: `${pm.id}: ${unknown} action item${unknown === 1 ? '' : 's'} without a stated status: find out whether ${unknown === 1 ? 'it was' : 'they were'} done` });
      }
    }
    const impact = [incident.customer_impact, incident.financial_impact].filter(Boolean).join('; ');
    return { id, title: incident.title, ...(impact ? { impact } : {}), postmortems, anti_patterns: aps.map(ruleNode), constraints };
  });
  const traced = new Set(tree.flatMap((n) => n.anti_patterns.map((a) => a.id)));
  const unlinked = input.antiPatterns.filter((ap) => !traced.has(ap.id) && ap.status !== 'rejected').map(ruleNode);
  const ticketPrevention = new Map<string, string[]>();
  for (const ap of input.antiPatterns) if (ap.status !== 'rejected') for (const t of ap.origin?.tickets ?? []) ticketPrevention.set(t, [...(ticketPrevention.get(t) ?? []), ap.id]);
  for (const k of input.constraints) for (const t of k.origin?.tickets ?? []) ticketPrevention.set(t, [...(ticketPrevention.get(t) ?? []), k.id]);
  const prevented = preventedIds(input, 'tickets');
  const ticketPatterns: TicketPatternNode[] = (input.ticketPatterns ?? []).map((tp) => {
    if (!prevented.has(tp.id)) {
      gaps.push({ kind: 'ticket-pattern-without-prevention', id: tp.id, message: `${tp.id} ${tp.pattern}${tp.ticket_count ? ` (${tp.ticket_count} tickets${tp.timeframe ? ` in ${tp.timeframe}` : ''})` : ''}: no anti-pattern or constraint prevents it` });
    }
    return { id: tp.id, pattern: tp.pattern, ...(tp.ticket_count !== undefined ? { ticket_count: tp.ticket_count } : {}), ...(tp.timeframe ? { timeframe: tp.timeframe } : {}), prevented_by: ticketPrevention.get(tp.id) ?? [] };
  });
  for (const pattern of input.patterns.filter((p) => p.status === 'new')) {
    gaps.push({ kind: 'pattern-without-proposal', id: pattern.id, message: `"${pattern.label}" recurred ${pattern.occurrences} times (${pattern.category}) with no anti-pattern proposed: failures analyze --diff` });
  }
  for (const [rule, counts] of [...input.baseline.entries()].sort()) {
    if (counts.earliest !== undefined && counts.now > 0 && counts.now >= counts.earliest) {
      gaps.push({ kind: 'baseline-not-shrinking', id: rule, message: `${rule}: ${counts.now} baselined violations, ${counts.earliest} ${counts.since ? `on ${counts.since.slice(0, 10)}` : 'at first'}: not shrinking` });
    }
  }
  return { tree, ticket_patterns: ticketPatterns, unlinked, gaps };
}
