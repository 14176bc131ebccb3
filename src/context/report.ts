import type { AntiPatternRecord, IncidentRecord, PostmortemRecord } from '../types/records.js';
import { HIGH, RELEVANT, type ContextAnalysis, type Occurrence } from './analysis.js';
import { deriveConstraints } from './constraints.js';
import { enrichFailureModes, impactOf, type Impact } from './modes.js';

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


/** The failure context report (the seed's Output Format). Pure and deterministic. */
export function contextReport(input: ReportInput): Record<string, unknown> {
  const { analysis, occurrences } = input;
  const { manifold, ranked, incidents, links, options } = analysis;
  const sources = new Set(options.sources);
  const relevant = ranked.filter((r) => r.score >= RELEVANT);
  const high = relevant.filter((r) => r.score >= HIGH);
  const { fromIncidents, fromAntiPatterns, fromTickets, byIncident } = deriveConstraints(analysis, relevant);
  const allDerived = [...fromIncidents, ...fromAntiPatterns, ...fromTickets].flatMap((g) => g.generated_constraints);
  const newConstraints = allDerived.filter((c) => !c.in_manifold);
  const { existing, newlyDiscovered, covered } = enrichFailureModes(analysis, relevant, byIncident);

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
    if (!incident) {
      // Read from its postmortem alone (--sources postmortems): the postmortem's title when it has one.
      const title = links(r.id).postmortems.find((p) => p.title)?.title;
      return { incident_id: r.id, ...(title ? { title } : {}), relevance_to_manifold: relevance };
    }
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
      // As the sentence reads it: "resulted in $48,000 …", not "resulted in Impact: $48,000 …" (a label kept by the importer).
      const cost = (incident.financial_impact ?? incident.customer_impact)?.replace(/^\s*(?:financial |customer |business )?impact\s*:\s*/i, '');
      const constraint = unaddressed(r.id)!;
      return {
        incident: r.id,
        title: incident.title,
        ...(cost ? { cost } : {}),
        constraint: constraint.id,
        message: `Your current manifold does NOT address the root cause of ${r.id}.${cost ? ` This incident resulted in ${cost}.` : ''} Without constraint ${constraint.id}, this WILL recur.`,
      };
    });
  // What the relevant incidents and ticket patterns imply (anti-patterns' prevention is counted apart, as exclusions).
  const fromRelevantIncidents = allDerived.filter((c) => (c.origin.incidents?.length || c.origin.tickets?.length) && !c.origin.anti_patterns);
  // Nothing derived from relevant incidents (no cause or factor to read, or postmortems only): the share of them a
  // manifold failure mode covers, not "high" by default.
  const coveredShare = fromRelevantIncidents.length
    ? fromRelevantIncidents.filter((c) => c.in_manifold).length / fromRelevantIncidents.length
    : relevant.length
      ? relevant.filter((r) => covered.has(r.id)).length / relevant.length
      : 1;
  const preparedness = coveredShare >= 0.75 ? 'high' : coveredShare >= 0.4 ? 'medium' : 'low';
  const codebaseHits = antiPatterns.some((ap) => ap.occurrences_in_codebase.length > 0);
  const openItems = postmortems.some((p) => p.action_items.incomplete.length > 0);
  // Ticket patterns are failures that keep happening: evidence as strong as a high-relevance incident.
  const recurring = analysis.ticketPatterns.length > 0;
  const repeat =
    relevant.length === 0 && !recurring
      ? 'low'
      : (high.length > 0 || warnings.length > 0 || recurring) && (coveredShare < 0.75 || codebaseHits || openItems)
        ? 'high'
        : coveredShare < 0.75 || codebaseHits
          ? 'medium'
          : 'low';
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
    before_development: [
      ...openByPm.map((p) => `Complete outstanding action items from ${p.id}: ${p.action_items.incomplete.join('; ')}`),
      // Items whose status the postmortem never states may be open too (most published postmortems state none).
      ...postmortems
        .filter((p) => p.action_items.status_not_stated?.length)
        .map((p) => {
          const items = p.action_items.status_not_stated!;
          const shown = items.slice(0, 3).map((i) => i.replace(/[.\s]+$/, ''));
          return `Find out whether ${items.length === 1 ? 'the action item' : `the ${items.length} action items`} of ${p.id} were done (their status is not stated): ${shown.join('; ')}${items.length > 3 ? '; …' : ''}`;
        }),
    ],
    during_development: [
      ...(antiPatterns.length ? [`Validate each anti-pattern is prevented (failures check): ${antiPatterns.map((a) => a.id).join(', ')}`] : []),
      ...(newlyDiscovered.length ? [`Test each new failure mode: ${newlyDiscovered.map((f) => f.id as string).join(', ')}`] : []),
    ],
  };

  const count = (n: number, more?: string) => `${n} analyzed${more ?? ''}`;
  const metaSources: Record<string, string> = {};
  const windowed = [analysis.outsideWindow ? `${analysis.outsideWindow} outside the timeframe` : '', analysis.undated ? `${analysis.undated} undated, kept` : ''].filter(Boolean).join(', ');
  if (sources.has('incidents')) metaSources.incidents = count(ranked.length, `, ${relevant.length} relevant${windowed ? `, ${windowed}` : ''}`);
  // The postmortems of the incidents analysed: with a timeframe, those of incidents outside it were not.
  // Read without their incidents, they carry the timeframe's counts themselves.
  const analysed = new Set(ranked.map((r) => r.id));
  const own = !sources.has('incidents') && windowed ? `, ${windowed}` : '';
  if (sources.has('postmortems')) metaSources.postmortems = count(analysis.history.postmortems.filter((pm) => analysed.has(pm.incident)).length, `, ${postmortems.length} relevant${own}`);
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
