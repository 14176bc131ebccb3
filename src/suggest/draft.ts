import type { Pattern } from '../analyze/index.js';
import type { AntiPatternRecord, FeedbackRecord } from '../types/records.js';
import { codeIn, codeOfCorrection } from './synthesis.js';

/** The next free AP-NNN ids after the highest one on record, as many as asked. */
export function nextIds(existing: readonly string[], count: number): string[] {
  let highest = 0;
  let width = 3;
  for (const id of existing) {
    const match = /^AP-(\d+)$/.exec(id);
    if (match) {
      highest = Math.max(highest, Number(match[1]));
      width = Math.max(width, match[1]!.length);
    }
  }
  return Array.from({ length: count }, (_, i) => `AP-${String(highest + i + 1).padStart(width, '0')}`);
}

/**
 * Detectors synthesized for a proposal from its entries' code (`failures analyze`), verified against
 * their examples by the engine of `failures check`, with what they flag in the repository now.
 */
export interface Synthesized {
  enforce: NonNullable<AntiPatternRecord['enforce']>;
  examples: NonNullable<AntiPatternRecord['examples']>;
  occurrences: NonNullable<AntiPatternRecord['occurrences_in_codebase']>;
  codebase?: { places: number; files: number; scanned: number };
}

/** A text as a sentence: a capital first letter when it starts with a word of prose, never with code (`parse()`, `pam_unix(…)` stay as written). */
function sentence(text: string): string {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  const prose = /^[a-z]+(?:\s|$|[,;:](?:\s|$))/.test(trimmed);
  return (prose ? trimmed.charAt(0).toUpperCase() + trimmed.slice(1) : trimmed).replace(/[.;:,]+$/, '');
}

/** "1 session", "3 sessions". */
export function counted(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * A short name for a pattern: its label, title-cased, without masks; a label with fewer than two words
 * once masks are gone (`<PATH>`, `Failed <*>`: failures that share little but their shape) is named by
 * its first example instead.
 */
export function nameOf(pattern: Pattern, max = 60): string {
  const masked = pattern.label.replace(/<[A-Z*]+>/g, '…').replace(/\s+/g, ' ').trim();
  // Fewer than two words left once masks are gone (`Failed …`, `… error`) names nothing: the first example says more.
  const words = masked.match(/\p{L}{2,}/gu) ?? [];
  const example = pattern.examples?.[0]?.replace(/\s+/g, ' ').trim();
  const label = words.length >= 2 || !example || example.length <= masked.length ? masked : example;
  const short = label.length > max ? `${label.slice(0, max - 3).replace(/\s+\S*$/, '')}…` : label;
  return sentence(short);
}

/**
 * A proposed anti-pattern drafted from a pattern: evidence, origin, the corrections as prevention, and
 * examples harvested from code in the entries; with `synthesized`, the detectors made from that code,
 * its verified examples and the places they flag now.
 */
export function draftAntiPattern(id: string, pattern: Pattern, entries: readonly FeedbackRecord[], windowSessions: number, generated: string, synthesized?: Synthesized, name = nameOf(pattern)): AntiPatternRecord {
  const corrections = [...new Set(entries.map((e) => e.feedback).filter((f): f is string => Boolean(f)).map(sentence))];
  const contexts = [...new Set(entries.map((e) => sentence(e.context)))];
  // What a correction quotes as the thing to change ("replace `any` with `unknown`") is bad code too.
  const bad = [...new Set(entries.flatMap((e) => [...codeIn(e.context), ...codeOfCorrection(e.feedback).bad]))].slice(0, 3);
  const good = [...new Set(entries.flatMap((e) => codeOfCorrection(e.feedback).good))].slice(0, 3);
  const description = corrections[0]
    ? `${contexts[0]} — corrected ${pattern.occurrences} times: ${corrections[0]}`
    : `${contexts[0]} (seen ${pattern.occurrences} times, no correction recorded yet)`;
  return {
    id,
    name,
    status: 'proposed',
    category: pattern.category,
    severity: pattern.severity,
    description,
    pattern_signature: pattern.kind === 'template' ? [pattern.label] : contexts.slice(0, 3),
    prevention: { must_include: corrections.slice(0, 3), must_exclude: [] },
    origin: { feedback: [...pattern.entries] },
    ...(synthesized
      ? { enforce: synthesized.enforce, examples: synthesized.examples, ...(synthesized.occurrences.length ? { occurrences_in_codebase: synthesized.occurrences } : {}) }
      : bad.length > 0 || good.length > 0
        ? { examples: { ...(bad.length ? { bad } : {}), ...(good.length ? { good } : {}) } }
        : {}),
    review: {
      proposed_at: generated,
      proposed_by: 'failures analyze',
      evidence: {
        occurrences: pattern.occurrences,
        sessions: pattern.sessions,
        sessions_in_window: windowSessions,
        frequency: pattern.frequency,
        ...(synthesized?.codebase ? { codebase: synthesized.codebase } : {}),
      },
    },
  };
}

/** The section suggested for a category's skill document (the seed's "Suggested Update"). */
export function skillSection(pattern: Pattern, antiPatternId: string, entries: readonly FeedbackRecord[], name = nameOf(pattern)): string {
  const corrections = [...new Set(entries.map((e) => e.feedback).filter((f): f is string => Boolean(f)).map(sentence))];
  const lines = [
    `## ⚠️ ${name} (${antiPatternId})`,
    '',
    `Recorded ${pattern.occurrences} times in ${counted(pattern.sessions, 'session')} (severity ${pattern.severity}).`,
    '',
    ...(corrections.length ? corrections.slice(0, 3).map((c) => `- ${c}.`) : ['- (no correction recorded yet: decide the rule before approving)']),
    '',
    'Examples of the mistake:',
    '',
    ...pattern.examples.map((e) => `- ${e}`),
    '',
  ];
  return lines.join('\n');
}
