import type { Analysis, Pattern } from '../analyze/index.js';
import { counted } from './draft.js';

export interface ReportOptions {
  generated: string;
  minFrequency: number;
  /** The anti-pattern id proposed for each new pattern (by pattern id). */
  proposals: ReadonlyMap<string, string>;
  /** Category → skill document, from config.yaml. */
  skills: Readonly<Record<string, string>>;
}

function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

function section(pattern: Pattern, analysis: Analysis, options: ReportOptions): string {
  const proposal = options.proposals.get(pattern.id);
  const skill = options.skills[pattern.category];
  const lines = [
    `## ${pattern.category} Category - ${pattern.priority} Priority`,
    '',
    `**Pattern detected:** ${pattern.occurrences} ${pattern.kind === 'template' ? 'failures matching' : 'corrections related to'} "${pattern.label}"`,
    `**Frequency:** ${pattern.sessions}/${analysis.sessions} sessions (${percent(pattern.frequency)})`,
    `**Severity:** ${pattern.severity.toUpperCase()}`,
    `**First seen:** ${pattern.first_seen} · **Last seen:** ${pattern.last_seen}`,
    '',
    '**Examples:**',
    // Quoted as the seed's report quotes them, the text as it was logged (code keeps its own quotes).
    ...pattern.examples.map((e) => `- "${e}"`),
    '',
  ];
  if (pattern.status === 'recurring') {
    lines.push(
      `**Recurrence after approval:** ${pattern.since_decision} occurrence${pattern.since_decision === 1 ? '' : 's'} since ${pattern.anti_pattern} was approved.`,
      `**Suggested Update:** the rule of ${pattern.anti_pattern} does not catch these: tighten its detectors or its examples.`,
    );
  } else if (pattern.anti_pattern && pattern.status === 'new') {
    lines.push(`**Suggested Update:** ${pattern.anti_pattern} was rejected or retired, and the mistake has recurred ${pattern.since_decision} times since: reconsider it${proposal ? ` (re-proposed as ${proposal})` : ''}.`);
  } else if (proposal) {
    lines.push(`**Suggested Update:** add anti-pattern ${proposal} (proposed in the diff)${skill ? ` and a section in ${skill}` : ''}.`);
  } else if (pattern.anti_pattern) {
    lines.push(`**On record:** ${pattern.anti_pattern} — this updates its evidence.`);
  }
  lines.push('', `**Confidence:** ${pattern.confidence} (${counted(pattern.occurrences, 'occurrence')}, ${counted(pattern.sessions, 'session')}, cohesion ${pattern.cohesion.toFixed(2)})`, `**Status:** NEEDS_REVIEW`, '');
  return lines.join('\n');
}

/** The seed's skill_update_suggestions.md: every pattern, highest priority first. */
export function renderReport(analysis: Analysis, options: ReportOptions): string {
  const actionable = analysis.patterns.filter((p) => p.status !== 'known');
  const known = analysis.patterns.filter((p) => p.status === 'known');
  const head = [
    '# Skill Update Suggestions',
    '',
    `**Generated:** ${options.generated}`,
    `**Based on:** ${analysis.entries} feedback entries in ${counted(analysis.sessions, 'session')} (patterns need ${options.minFrequency} or more)`,
    '',
  ];
  if (analysis.patterns.length === 0) head.push('No recurring patterns. Keep logging, or lower the threshold with `--min-frequency`.', '');
  const body = actionable.map((p) => section(p, analysis, options));
  const tail = known.length
    ? ['## Already on record', '', ...known.map((p) => `- ${p.anti_pattern}: ${p.occurrences} occurrences of "${p.label}" (${p.category}, ${counted(p.sessions, 'session')})`), '']
    : [];
  return [...head, ...body, ...tail].join('\n');
}
