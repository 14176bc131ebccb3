import type { SimilarMatch } from '../analyze/similar.js';
import type { FeedbackRecord, IncidentRecord, TicketPatternRecord } from '../types/records.js';

export type HistoryMatch = Omit<SimilarMatch, 'kind'> & { kind: SimilarMatch['kind'] | 'incident' | 'ticket-pattern' };

/**
 * Names written in mixed case (CoreDNS, MySQL, PagerDuty) as people also type them: the analyzer reads
 * `CoreDNS` as the words core and dns, and a search for "coredns" matched neither.
 */
function namesInLowerCase(text: string): string[] {
  return [...new Set((text.match(/\b[A-Za-z]*[a-z][A-Z][A-Za-z]*\b|\b[A-Z]+[a-z]+[A-Z][A-Za-z]*\b/g) ?? []).map((w) => w.toLowerCase()))];
}

/**
 * Incidents and ticket patterns as entries for the similarity search (the analyzer's public
 * entry point), and the way back: a match on one of them is reported as an incident or a ticket
 * pattern with its own words. Pure.
 */
export function historyEntries(
  incidents: readonly IncidentRecord[],
  ticketPatterns: readonly TicketPatternRecord[],
): { entries: FeedbackRecord[]; relabel(match: SimilarMatch): HistoryMatch } {
  const shown = new Map<string, { kind: 'incident' | 'ticket-pattern'; text: string }>();
  const entries: FeedbackRecord[] = [];
  const add = (id: string, kind: 'incident' | 'ticket-pattern', context: string, text: string, when?: string) => {
    const key = `${kind}:${id}`;
    shown.set(key, { kind, text });
    entries.push({ id: key, timestamp: when && /^\d{4}-\d{2}-\d{2}/.test(when) ? when : '1970-01-01T00:00:00Z', type: 'mistake', context, category: kind, severity: 'medium' });
  };
  for (const i of incidents) {
    const text = [i.title, i.summary?.slice(0, 400), i.root_cause?.slice(0, 600), ...(i.contributing_factors ?? []), ...(i.systems ?? []), ...(i.error_types ?? [])].filter(Boolean).join('. ');
    const context = [text, ...namesInLowerCase(text)].join('. ');
    add(i.incident_id, 'incident', context, `${i.title}${i.date ? ` (${i.date.slice(0, 10)}${i.severity ? `, ${i.severity}` : ''})` : ''}`, i.date);
  }
  for (const p of ticketPatterns) {
    const context = [p.pattern, p.root_pattern, ...(p.sample_tickets ?? []), ...(p.systems ?? [])].filter(Boolean).join('. ');
    add(p.id, 'ticket-pattern', context, `${p.pattern}${p.ticket_count !== undefined ? ` (${p.ticket_count} tickets${p.timeframe ? ` in ${p.timeframe}` : ''})` : ''}`);
  }
  return {
    entries,
    relabel(match) {
      const own = match.kind === 'entry' ? shown.get(match.id) : undefined;
      if (!own) return match;
      const { category: _category, ...rest } = match;
      return { ...rest, kind: own.kind, id: match.id.slice(own.kind.length + 1), text: own.text };
    },
  };
}
