import type { AntiPatternRecord, ConstraintRecord, IncidentRecord, PostmortemRecord, TicketPatternRecord, TicketRecord } from '../types/records.js';

/** Incident history in numbers: what was imported, what prevents it, and how follow-ups stand. */
export interface HistoryStats {
  incidents: { total: number; imported: number; prevented: number };
  postmortems: number;
  action_items: Record<'open' | 'in_progress' | 'done' | 'wont_do' | 'not_stated', number>;
  tickets: number;
  ticket_patterns: { total: number; tickets: number; prevented: number };
}

export interface HistoryInput {
  incidents: readonly IncidentRecord[];
  postmortems: readonly PostmortemRecord[];
  tickets: readonly TicketRecord[];
  ticketPatterns: readonly TicketPatternRecord[];
  antiPatterns: readonly AntiPatternRecord[];
  constraints: readonly ConstraintRecord[];
}

/** Ids an anti-pattern (not rejected) or a constraint names as its origin, by kind. */
export function preventedIds(input: Pick<HistoryInput, 'antiPatterns' | 'constraints'>, kind: 'incidents' | 'tickets'): Set<string> {
  const ids = new Set<string>();
  for (const ap of input.antiPatterns) if (ap.status !== 'rejected') for (const id of ap.origin?.[kind] ?? []) ids.add(id);
  for (const c of input.constraints) for (const id of c.origin?.[kind] ?? []) ids.add(id);
  return ids;
}

export function computeHistory(input: HistoryInput): HistoryStats {
  const preventedIncidents = preventedIds(input, 'incidents');
  const preventedTickets = preventedIds(input, 'tickets');
  const items: HistoryStats['action_items'] = { open: 0, in_progress: 0, done: 0, wont_do: 0, not_stated: 0 };
  for (const pm of input.postmortems) {
    const list = pm.action_items;
    if (Array.isArray(list)) for (const item of list) items[item.status]++;
    else if (list) {
      items.done += list.completed?.length ?? 0;
      items.open += list.incomplete?.length ?? 0;
    }
  }
  return {
    incidents: {
      total: input.incidents.length,
      imported: input.incidents.filter((i) => i.source).length,
      prevented: input.incidents.filter((i) => preventedIncidents.has(i.incident_id)).length,
    },
    postmortems: input.postmortems.length,
    action_items: items,
    tickets: input.tickets.length,
    ticket_patterns: {
      total: input.ticketPatterns.length,
      tickets: input.ticketPatterns.reduce((n, p) => n + (p.ticket_count ?? 0), 0),
      prevented: input.ticketPatterns.filter((p) => preventedTickets.has(p.id)).length,
    },
  };
}
