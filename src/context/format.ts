import { Document, isMap, isSeq, isScalar } from 'yaml';

/* eslint-disable @typescript-eslint/no-explicit-any -- the report is plain data shaped by its schema */

/** The report as YAML: a header naming it, and "Still open!" beside each incomplete action item, as in the seed. */
export function reportYaml(report: Record<string, unknown>, fileName: string, schemaRef?: string): string {
  const doc = new Document(report, { aliasDuplicateObjects: false });
  doc.commentBefore = [schemaRef ? ` yaml-language-server: $schema=${schemaRef}` : '', ` ${fileName}`, ' Written by `failures context`: past failures as present constraints.'].filter(Boolean).join('\n');
  const pms = doc.get('postmortem_analysis', true);
  if (isSeq(pms)) {
    for (const pm of pms.items) {
      if (!isMap(pm)) continue;
      const incomplete = pm.getIn(['action_items', 'incomplete'], true);
      if (isSeq(incomplete)) for (const item of incomplete.items) if (isScalar(item)) item.comment = ' Still open!';
    }
  }
  return doc.toString({ lineWidth: 0 });
}

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

/** A section's count line: with a colon and a blank line when its list follows, a full stop when it is empty. */
const countLine = (line: string, n: number) => (n > 0 ? [`${line}:`, ''] : [`${line}.`]);

/**
 * A root cause in one line, as the seed's "ROOT CAUSE: No idempotency": its first sentence, or first
 * item when it is a list ("- Primary root cause: CPU undersizing - Same root cause as …"), at most 160 characters.
 */
function shortCause(text: string): string {
  const parts = text
    .split(/\n|\s+[-*•]\s+/)
    .map((part) => part.replace(/^\s*[-*•]\s*/, '').trim())
    .filter(Boolean);
  // Past a line that only introduces the list after it ("The outage resulted from three compounding factors:").
  const first = parts.find((part, i) => !part.endsWith(':') || i === parts.length - 1) ?? '';
  const sentence = first.replace(/\s+/g, ' ').split(/(?<=\.)\s/)[0]!.replace(/\.$/, '').replace(/^(?:primary |main |the )?root cause(?: was)?\s*:\s*/i, '');
  return sentence.length > 160 ? `${sentence.slice(0, 159).replace(/\s+\S*$/, '')}…` : sentence;
}

/** The seed's "Example Execution" narration of a report, for the terminal. */
export function reportSummary(report: any, options: { timeframe?: number; mergeCommand: string }): string {
  const lines: string[] = [];
  const s = report.summary;
  lines.push(`Analyzing failure history for ${report.meta.manifold} context...`, '');
  lines.push('**INCIDENT ANALYSIS**');
  lines.push(options.timeframe !== undefined ? `Scanning incidents from past ${options.timeframe} months...` : 'Scanning incidents from all history...');
  // Incidents whose records state no date cannot be placed in a timeframe: they are kept, and said so.
  const undated = options.timeframe !== undefined ? /(\d+) undated, kept/.exec(String(report.meta.sources?.incidents ?? report.meta.sources?.postmortems ?? ''))?.[1] : undefined;
  if (undated) lines.push(`${plural(Number(undated), 'incident')} without a date kept (the timeframe cannot place ${undated === '1' ? 'it' : 'them'}).`);
  const incidents: any[] = report.incidents ?? [];
  const relevant = incidents.filter((i) => i.relevance_to_manifold.relevance !== 'low');
  lines.push(`Found ${plural(relevant.length, 'incident')} matching manifold entities (of ${incidents.length} analyzed).`, '');
  const high = incidents.filter((i) => i.relevance_to_manifold.relevance === 'high');
  if (high.length) {
    lines.push(`🚨 HIGH RELEVANCE (${high.length}):`);
    for (const i of high) {
      const cause = shortCause(String(i.root_cause ?? i.contributing_factors?.[0] ?? ''));
      lines.push(`- ${i.incident_id}${i.title ? `: ${i.title}` : ''}${i.severity ? ` (${i.severity})` : ''}${cause ? ` - ROOT CAUSE: ${cause}` : ''} [${i.relevance_to_manifold.relevance_score}]`);
    }
    lines.push('');
  }
  const aps: any[] = report.anti_patterns ?? [];
  lines.push('**ANTI-PATTERN EXTRACTION**', ...countLine(`Identified ${plural(aps.length, 'anti-pattern')} from failure analysis`, aps.length));
  for (const ap of aps) {
    const n = ap.occurrences_in_codebase.length;
    lines.push(`${ap.id}: ${ap.name}`, `  → Found in codebase: ${n === 0 ? 'no locations' : `${plural(n, 'location')} (${ap.risk} RISK)`}`);
  }
  lines.push('');
  const groups = report.derived_constraints ?? {};
  const derived: any[] = [...(groups.from_incidents ?? []), ...(groups.from_anti_patterns ?? []), ...(groups.from_ticket_patterns ?? [])].flatMap((g: any) => g.generated_constraints);
  const fresh = derived.filter((c) => !c.in_manifold);
  lines.push('**CONSTRAINT DERIVATION**', ...countLine(`Generated ${plural(fresh.length, 'new constraint')} from failure analysis${derived.length > fresh.length ? ` (${derived.length - fresh.length} already in the manifold)` : ''}`, fresh.length));
  for (const c of fresh.slice(0, 3)) lines.push(`${String(c.type).toUpperCase()}: ${c.id} - ${c.statement}`);
  if (fresh.length > 3) lines.push(`... [${fresh.length - 3} more]`);
  lines.push('');
  const modes: any[] = report.enriched_failure_modes?.newly_discovered ?? [];
  lines.push('**FAILURE MODE ENRICHMENT**', ...countLine(`Discovered ${plural(modes.length, 'failure mode')} not in manifold`, modes.length));
  for (const f of modes.slice(0, 2)) lines.push(`${f.id}: ${f.scenario} (from ${f.source === 'ticket_pattern_analysis' ? 'ticket analysis' : f.source})`);
  if (modes.length > 2) lines.push(`... [${modes.length - 2} more]`);
  lines.push('');
  // Imported tickets reach the report through ticket patterns only: relevant ones that none groups yet are said, with how to group them.
  const looseTickets = Number(/([\d,]+) relevant/.exec(String(report.meta.sources?.tickets ?? ''))?.[1]?.replace(/,/g, '') ?? 0);
  if (looseTickets > 0 && (report.ticket_patterns ?? []).length === 0) {
    lines.push(`${plural(looseTickets, 'imported ticket')} ${looseTickets === 1 ? 'looks' : 'look'} related, but no ticket pattern on record groups ${looseTickets === 1 ? 'it' : 'them'}: run \`failures analyze --tickets\` and review its proposals to bring ${looseTickets === 1 ? 'it' : 'them'} into this report.`, '');
  }
  for (const w of s.critical_warnings ?? []) {
    lines.push('**CRITICAL WARNING**', `Your current manifold does NOT address the root cause of ${w.incident}.`);
    if (w.cost) lines.push(`This incident resulted in ${w.cost}.`);
    lines.push(`Without constraint ${w.constraint}, this WILL recur.`, '');
  }
  lines.push(`Risk: repeat probability ${s.risk_assessment.repeat_probability}, preparedness ${s.risk_assessment.preparedness}.`);
  if (fresh.length || modes.length) lines.push(`Run \`${options.mergeCommand}\` to add derived constraints.`);
  return `${lines.join('\n')}\n`;
}
