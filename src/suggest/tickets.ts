import { stringify } from 'yaml';
import { analyze, type Pattern } from '../analyze/index.js';
import type { FeedbackRecord, TicketPatternRecord, TicketRecord } from '../types/records.js';
import type { FileChange } from './changes.js';

/**
 * Support tickets → ticket patterns (the seed's Phase 1C: "127 tickets in 6 months", sample tickets),
 * grouped by the same engine as feedback: each ticket is adapted into an entry (its subject and
 * text as the context, its priority as the severity, its own session so that sessions count
 * tickets), and the analyzer's public entry point finds the recurring groups. Pure.
 */

export interface TicketPatternProposal {
  id: string;
  record: TicketPatternRecord;
  /** Ticket ids in the group, oldest first. */
  tickets: string[];
  /** An existing ticket pattern that already covers most of these tickets, if any. */
  known?: string;
}

export interface TicketAnalysis {
  tickets: number;
  proposals: TicketPatternProposal[];
}

const CATEGORY = 'Support';
const MAX_BODY = 600;

/** A priority as the tools write it → the lowest, middle or highest of the configured severities. */
export function severityOfPriority(priority: string | undefined, severities: readonly string[]): string {
  const low = severities[0] ?? 'low';
  const high = severities[severities.length - 1] ?? 'high';
  const middle = severities[Math.floor((severities.length - 1) / 2)] ?? 'medium';
  if (!priority) return middle;
  if (/highest|critical|urgent|blocker|emergency|\bp[01]\b|\bsev[- ]?[01]\b|^high$/i.test(priority)) return high;
  if (/lowest|^low$|minor|trivial|\bp[45]\b/i.test(priority)) return low;
  return middle;
}

/** A ticket as a feedback entry, for the grouping engine. */
export function ticketEntry(ticket: TicketRecord, severities: readonly string[]): FeedbackRecord {
  const body = (ticket.body ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX_BODY);
  return {
    id: ticket.id,
    timestamp: ticket.created && /^\d{4}-\d{2}-\d{2}/.test(ticket.created) ? ticket.created : '1970-01-01T00:00:00Z',
    type: 'mistake',
    context: body ? `${ticket.title}. ${body}` : ticket.title,
    // Tickets are people's words, not machine messages: grouped by meaning, as corrections are.
    feedback: ticket.title,
    category: CATEGORY,
    severity: severityOfPriority(ticket.priority, severities),
    session: `ticket-${ticket.id}`,
    ...(ticket.tags?.length ? { tags: ticket.tags } : {}),
  };
}

/** "6 months", "3 weeks", "5 days" between the first and the last ticket. */
export function timeframe(first: string, last: string): string | undefined {
  const a = Date.parse(first);
  const b = Date.parse(last);
  if (Number.isNaN(a) || Number.isNaN(b) || a <= 0) return undefined;
  const days = Math.max(1, Math.round((b - a) / 86_400_000));
  if (days >= 45) return `${Math.round(days / 30.44)} months`;
  if (days >= 14) return `${Math.round(days / 7)} weeks`;
  return `${days} ${days === 1 ? 'day' : 'days'}`;
}

/** Labels most of the group shares (tags, components): the pattern's entities and systems. */
function shared(values: string[][], minShare = 0.5): string[] {
  const counts = new Map<string, number>();
  for (const list of values) for (const value of new Set(list)) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts]
    .filter(([, n]) => n >= Math.max(2, values.length * minShare))
    .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
    .map(([v]) => v);
}

export function analyzeTickets(
  tickets: readonly TicketRecord[],
  existing: readonly TicketPatternRecord[],
  options: { minFrequency: number; severities: readonly string[]; since?: string; samples?: number; takenIds?: readonly string[] },
): TicketAnalysis {
  const byId = new Map(tickets.map((t) => [t.id, t]));
  const entries = tickets.map((t) => ticketEntry(t, options.severities));
  const analysis = analyze(entries, [], { minFrequency: options.minFrequency, severities: options.severities, ...(options.since ? { since: options.since } : {}) });
  const taken = new Set([...existing.map((p) => p.id), ...(options.takenIds ?? [])]);
  let next = 1;
  const nextId = () => {
    while (taken.has(`TP-${String(next).padStart(3, '0')}`)) next++;
    const id = `TP-${String(next).padStart(3, '0')}`;
    taken.add(id);
    return id;
  };
  const samplesOf = (p: TicketPatternRecord) => new Set((p.sample_tickets ?? []).map((s) => s.split(':')[0]!.trim()));
  const proposals: TicketPatternProposal[] = [];
  const patterns = [...analysis.patterns].sort((a, b) => b.occurrences - a.occurrences || a.id.localeCompare(b.id));
  for (const pattern of patterns) {
    const group = groupOf(pattern, byId);
    const known = existing.find((p) => {
      const samples = samplesOf(p);
      return samples.size > 0 && group.filter((t) => samples.has(t.id)).length >= Math.min(samples.size, group.length) / 2;
    });
    const samples = [...group].reverse().slice(0, options.samples ?? 3).map((t) => `${t.id}: ${t.title}`);
    const span = timeframe(pattern.first_seen, pattern.last_seen);
    const entities = shared(group.map((t) => t.tags ?? []));
    const systems = shared(group.map((t) => t.components ?? []));
    const record: TicketPatternRecord = {
      id: known?.id ?? '',
      // The analyzer labels a group by its most typical entry ("<title>. <text>"): the ticket's title names it.
      pattern: group.find((t) => pattern.label.startsWith(t.title))?.title ?? pattern.label,
      ticket_count: group.length,
      ...(span ? { timeframe: span } : {}),
      sample_tickets: samples,
      ...(entities.length ? { entities } : {}),
      ...(systems.length ? { systems } : {}),
    };
    if (known) {
      proposals.push({ id: known.id, record, tickets: group.map((t) => t.id), known: known.id });
    } else {
      record.id = nextId();
      proposals.push({ id: record.id, record, tickets: group.map((t) => t.id) });
    }
  }
  return { tickets: tickets.length, proposals };
}

function groupOf(pattern: Pattern, byId: ReadonlyMap<string, TicketRecord>): TicketRecord[] {
  return pattern.entries
    .map((id) => byId.get(id))
    .filter((t): t is TicketRecord => t !== undefined)
    .sort((a, b) => (a.created ?? '').localeCompare(b.created ?? '') || a.id.localeCompare(b.id));
}

/** New ticket-pattern files for review (git apply or a branch); known patterns are not proposed again. */
export function ticketPatternChanges(result: TicketAnalysis, schemaRef?: string): FileChange[] {
  return result.proposals
    .filter((p) => !p.known)
    .map((p) => ({
      path: `.failures/tickets/${p.id}.yaml`,
      before: undefined,
      after:
        (schemaRef ? `# yaml-language-server: $schema=${schemaRef}\n` : '') +
        `# Proposed by \`failures analyze --tickets\` from ${p.tickets.length} tickets: ${p.tickets.join(', ')}.\n` +
        `# Review: name the pattern, add root_pattern (the design problem behind it) and constraints_affected.\n` +
        stringify(p.record, { lineWidth: 100 }),
    }));
}

/** The report for people: each pattern with its count, span and samples. */
export function renderTicketReport(result: TicketAnalysis, generated: string): string {
  const lines = [`# Ticket patterns`, '', `Generated ${generated} from ${result.tickets} imported tickets by \`failures analyze --tickets\`.`, ''];
  if (result.proposals.length === 0) lines.push('No recurring ticket pattern yet.', '');
  for (const p of result.proposals) {
    const r = p.record;
    lines.push(`## ${p.id}: ${r.pattern}${p.known ? ' (already on record)' : ' (proposed)'}`, '');
    lines.push(`- **${r.ticket_count} tickets**${r.timeframe ? ` in ${r.timeframe}` : ''}`);
    if (r.systems?.length) lines.push(`- Systems: ${r.systems.join(', ')}`);
    if (r.entities?.length) lines.push(`- Labels: ${r.entities.join(', ')}`);
    lines.push('- Sample tickets:', ...(r.sample_tickets ?? []).map((s) => `  - ${s}`), '');
  }
  return lines.join('\n');
}
