import type { IncidentRecord } from '../types/records.js';
import type { ContextAnalysis } from './analysis.js';
import { keyStems, overlap, type DerivedConstraint } from './constraints.js';
import type { Relevance } from './relevance.js';

export type Impact = 'low' | 'medium' | 'high' | 'critical';

/** Impact from the incident's severity as written (P1, SEV-2, critical, major…) and whether it cost money or customers. */
export function impactOf(incident: IncidentRecord): Impact | undefined {
  const written = (incident.severity ?? '').toLowerCase().replace(/^\s*(?:severity|sev|priority|level)\s*[:=]\s*/, '');
  const whole = written.replace(/[^a-z0-9]/g, '');
  // "Major (High Impact, Service Degradation)", "P1 - customer facing": the level is the first word.
  const KNOWN = /^(?:p[0-5]|sev[0-5]|severity[0-5]|s[0-5]|[0-5]|critical|blocker|major|high|medium|moderate|minor|low|trivial)$/;
  const lead = /^\s*((?:p|sev|severity|s)[\s-]*[0-5](?![0-9])|[a-z]+|[0-5](?![0-9]))/.exec(written)?.[1] ?? '';
  const severity = KNOWN.test(whole) ? whole : lead.replace(/[^a-z0-9]/g, '');
  const costly = Boolean(incident.financial_impact || incident.customer_impact);
  if (/^(p0|p1|sev0|sev1|s0|s1|critical|blocker|major|high)$/.test(severity) || /^(sev|severity|p)?[01]$/.test(severity)) {
    return costly || /^(p0|sev0|s0|critical|blocker)$/.test(severity) ? 'critical' : 'high';
  }
  if (/^(p2|sev2|s2|2)$/.test(severity)) return 'high';
  if (/^(p3|sev3|s3|3|medium|moderate|minor)$/.test(severity)) return 'medium';
  if (/^(p4|p5|sev4|sev5|s4|4|5|low|trivial)$/.test(severity)) return 'low';
  return incident.financial_impact ? 'high' : undefined;
}

/** The first timeline entry that says so, without its day and time ("2022-10-31 14:10 - ", "14:32 UTC: "). */
const firstTimeline = (incident: IncidentRecord, re: RegExp) =>
  (incident.timeline ?? []).find((t) => re.test(t))?.replace(/^\s*(?:\d{4}-\d{2}-\d{2}(?:[ T]+|$))?(?:[\d:?hHmM]+\s*)?(?:[A-Z]{2,5})?\s*[-–—:]\s*/, '');

export interface EnrichedFailureModes {
  existing: Array<{ id: string; status: string; covers?: string[] }>;
  newlyDiscovered: Array<Record<string, unknown>>;
  /** Relevant incidents a manifold failure mode already covers. */
  covered: Set<string>;
}

/** Phase 4: the manifold's failure modes that past failures confirm, and new ones from incidents and ticket patterns. */
export function enrichFailureModes(analysis: ContextAnalysis, relevant: readonly Relevance[], byIncident: ReadonlyMap<string, DerivedConstraint[]>): EnrichedFailureModes {
  const { manifold, incidents, links, options } = analysis;
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
    // What stopped it: the stated immediate resolution, else the timeline entry that rolled back, reverted or restored.
    const mitigation = incident.resolution?.immediate ?? firstTimeline(incident, /\b(?:mitigat(?:ed|ion)|roll(?:ed)? ?back|rollback|reverted|downgraded|restored|failed over|workaround|worked around)\b/i);
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
      ...(mitigation ? { mitigation } : {}),
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
  return { existing, newlyDiscovered, covered };
}
