import type {
  AntiPatternRecord,
  ConstraintRecord,
  FailureModeRecord,
  IncidentRecord,
  PostmortemRecord,
  TicketPatternRecord,
  TicketRecord,
} from '../types/records.js';
import type { FailureDocument } from './relevance.js';

/** Everything `failures context` reads from .failures/ (already filtered by --sources). */
export interface History {
  incidents: readonly IncidentRecord[];
  postmortems: readonly PostmortemRecord[];
  antiPatterns: readonly AntiPatternRecord[];
  constraints: readonly ConstraintRecord[];
  ticketPatterns: readonly TicketPatternRecord[];
  tickets: readonly TicketRecord[];
  failureModes: readonly FailureModeRecord[];
  /**
   * The text of the document each imported incident was read from (incident id → text), when the
   * caller could read it: what the records keep is structure, and the keyword match needs the words.
   */
  sourceTexts?: ReadonlyMap<string, string>;
}

const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** Action items of a postmortem as texts, whatever its shape (the seed's completed/incomplete, or a list with status). */
export function actionTexts(pm: PostmortemRecord): string[] {
  const items = pm.action_items;
  if (!items) return [];
  if (Array.isArray(items)) return items.map((i) => i.action);
  return [...(items.completed ?? []), ...(items.incomplete ?? [])];
}

export function postmortemText(pm: PostmortemRecord): string[] {
  return [
    pm.summary ?? '',
    ...(pm.five_whys ?? []).flatMap((w) => [w.why, w.because]),
    ...list(pm.systemic_issues),
    ...list(pm.lessons),
    ...actionTexts(pm),
  ].filter(Boolean);
}

export function antiPatternText(ap: AntiPatternRecord): string[] {
  return [ap.name, ap.description, ...(ap.pattern_signature ?? []), ...(ap.prevention?.must_include ?? []), ...(ap.prevention?.must_exclude ?? [])];
}

/** The records linked to an incident: by its id in their origin (anti-patterns, constraints, failure modes) or postmortem.incident. */
export interface Links {
  postmortems: PostmortemRecord[];
  antiPatterns: AntiPatternRecord[];
  constraints: ConstraintRecord[];
  failureModes: FailureModeRecord[];
}

export function linksOf(history: History): (incidentId: string) => Links {
  const by = <T>(items: readonly T[], ids: (item: T) => string[]) => {
    const map = new Map<string, T[]>();
    for (const item of items) for (const id of ids(item)) map.set(id, [...(map.get(id) ?? []), item]);
    return map;
  };
  const pms = by(history.postmortems, (pm) => [pm.incident]);
  const pmToIncident = new Map(history.postmortems.map((pm) => [pm.id, pm.incident]));
  const aps = by(history.antiPatterns, (ap) => [
    ...list(ap.origin?.incidents),
    ...list(ap.origin?.postmortems).map((p) => pmToIncident.get(p) ?? ''),
  ]);
  const constraints = by(history.constraints, (c) => [...list(c.origin?.incidents), ...list(c.origin?.postmortems).map((p) => pmToIncident.get(p) ?? '')]);
  const modes = by(history.failureModes, (f) => [...list(f.origin?.incidents), ...(f.source ? [f.source] : [])]);
  const unique = <T>(items: T[] | undefined) => [...new Set(items ?? [])];
  return (id) => ({
    postmortems: unique(pms.get(id)),
    antiPatterns: unique(aps.get(id)),
    constraints: unique(constraints.get(id)),
    failureModes: unique(modes.get(id)),
  });
}

/** Markdown as plain words: links keep their text, markup and front-matter keys go. */
export function plainWords(markdown: string): string {
  return markdown
    .replace(/^(?:---|\+\+\+)\n[\s\S]*?\n(?:---|\+\+\+)\n/, (front) => front.replace(/^\s*[\w-]+:\s*/gm, ' '))
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/[*_`>#|~-]{2,}|[*_`>#|]/g, ' ');
}

/** An incident, its postmortem and what is linked to it, as one document for the relevance engine. */
export function incidentDocument(incident: IncidentRecord, links: Links, sourceText?: string): FailureDocument {
  const linked = [
    ...links.antiPatterns.flatMap(antiPatternText),
    ...links.constraints.map((c) => c.statement),
    ...links.failureModes.map((f) => f.scenario),
  ];
  return {
    id: incident.incident_id,
    systems: list(incident.systems),
    entities: [...list(incident.entities), ...list(incident.tags)],
    errorTypes: list(incident.error_types),
    // The summary says what failed too (and is all there is when the document names no root cause).
    core: [incident.title, incident.root_cause ?? '', incident.summary !== incident.root_cause ? (incident.summary ?? '') : '', ...list(incident.contributing_factors), incident.lesson ?? ''].filter(Boolean),
    extended: [
      incident.impact ?? '',
      ...list(incident.timeline),
      incident.resolution?.immediate ?? '',
      incident.resolution?.permanent ?? '',
      incident.customer_impact ?? '',
      ...links.postmortems.flatMap(postmortemText),
      ...linked,
    ].filter(Boolean),
    ...(sourceText ? { source: plainWords(sourceText) } : {}),
    linked,
    constraintIds: list(incident.relevance_to_manifold?.constraints_affected),
  };
}

/** A postmortem without its incident record (--sources postmortems): it stands for the incident it describes. */
export function postmortemDocument(pm: PostmortemRecord, links: Links): FailureDocument {
  const linked = [...links.antiPatterns.flatMap(antiPatternText), ...links.constraints.map((c) => c.statement)];
  return {
    id: pm.incident,
    systems: [],
    entities: [],
    errorTypes: [],
    core: [pm.summary ?? '', ...(pm.five_whys ?? []).map((w) => w.because)].filter(Boolean),
    extended: [...postmortemText(pm), ...linked],
    linked,
  };
}

export function ticketPatternDocument(tp: TicketPatternRecord): FailureDocument {
  return {
    id: tp.id,
    systems: list(tp.systems),
    entities: list(tp.entities),
    errorTypes: [],
    core: [tp.pattern, tp.root_pattern ?? ''].filter(Boolean),
    extended: list(tp.sample_tickets),
    linked: [],
    constraintIds: list(tp.constraints_affected),
  };
}

export function ticketDocument(ticket: TicketRecord): FailureDocument {
  return { id: ticket.id, systems: [], entities: list(ticket.tags), errorTypes: [], core: [ticket.title, ticket.pattern ?? ''].filter(Boolean), extended: [ticket.body ?? ''], linked: [] };
}

export function antiPatternDocument(ap: AntiPatternRecord): FailureDocument {
  return { id: ap.id, systems: [], entities: [], errorTypes: [], core: [ap.name, ap.description], extended: antiPatternText(ap).slice(2), linked: [] };
}
