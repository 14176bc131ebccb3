import { analyze } from '../analyze/index.js';
import type { AntiPatternRecord, FeedbackRecord } from '../types/records.js';

export type Decision = 'approve' | 'reject' | 'retire';

export interface Evidence {
  occurrences: number;
  sessions: number;
  /** The feedback entries counted. */
  entries: string[];
  /** Sessions among all feedback entries (the window analyze counts its frequency in). */
  windowSessions?: number;
  /**
   * The counted entries that are this anti-pattern's by an explicit link: those of a group that holds
   * an entry of its origin.feedback or logged with --anti-pattern. A group matched only by the
   * likeness of its text to the record's is counted, never recorded as its origin.
   */
  linked?: string[];
}

/**
 * The feedback behind an anti-pattern: its pattern in the analysis (entries linked by --anti-pattern,
 * by origin.feedback or by meaning), or at least the entries that name it explicitly.
 */
export function evidenceFor(id: string, entries: readonly FeedbackRecord[], antiPatterns: readonly AntiPatternRecord[], severities: readonly string[]): Evidence {
  const record = antiPatterns.find((ap) => ap.id === id);
  const pattern = analyze(entries, antiPatterns, { minFrequency: 1, severities }).patterns.find((p) => p.anti_pattern === id);
  const explicit = new Set([...(record?.origin?.feedback ?? []), ...entries.filter((e) => e.anti_pattern === id).map((e) => e.id)]);
  const ids = new Set([...(pattern?.entries ?? []), ...[...explicit].filter((e) => entries.some((x) => x.id === e))]);
  const counted = entries.filter((e) => ids.has(e.id));
  const linkedGroup = pattern !== undefined && pattern.entries.some((e) => explicit.has(e));
  const sessionOf = (e: FeedbackRecord) => e.session ?? `entry:${e.id}`;
  return {
    occurrences: counted.length,
    sessions: new Set(counted.map(sessionOf)).size,
    entries: counted.map((e) => e.id),
    windowSessions: new Set(entries.map(sessionOf)).size,
    linked: counted.filter((e) => linkedGroup || explicit.has(e.id)).map((e) => e.id),
  };
}

export interface DecisionInput {
  decision: Decision;
  record: AntiPatternRecord;
  by: string;
  at: string;
  reason?: string;
  evidence?: Evidence;
  minFrequency: number;
  force?: boolean;
}

export interface DecisionOutcome {
  changes: Array<{ path: Array<string | number>; value: unknown }>;
  /** The commit message, in the seed's style. */
  message: string;
  warnings: string[];
}

/** A decision that cannot be made: the command exits 2 and changes nothing. */
export class DecisionRefused extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

const ALLOWED_FROM: Record<Decision, AntiPatternRecord['status'][]> = { approve: ['proposed'], reject: ['proposed'], retire: ['approved'] };

/** What an approved record lacks for anything to enforce or test it. */
export function approvalWarnings(record: AntiPatternRecord): string[] {
  return [
    ...(record.enforce?.detect?.length ? [] : [`${record.id} has no detectors: it is approved, but nothing enforces it until enforce.detect is written (failures gaps lists it)`]),
    ...(record.examples?.bad?.length ? [] : [`${record.id} has no examples.bad: its rule cannot test itself`]),
  ];
}

/**
 * What a decision changes in the record and how its commit reads. Approval needs min_frequency
 * occurrences (the seed's confidence threshold) unless forced; rejecting and retiring need a reason.
 */
export function decide(input: DecisionInput): DecisionOutcome {
  const { record, decision } = input;
  if (!ALLOWED_FROM[decision].includes(record.status)) {
    const hint =
      record.status === 'approved' && decision === 'approve'
        ? 'nothing to do: its rule is enforced'
        : record.status === 'approved'
          ? `to stop enforcing an approved anti-pattern, retire it: failures retire ${record.id} --reason "…"`
          : decision === 'retire'
            ? 'only approved anti-patterns can be retired'
            : `to reconsider it, set status back to proposed in the record and commit that, then decide again`;
    const done = (decision === 'approve' && record.status === 'approved') || (decision === 'reject' && record.status === 'rejected') || (decision === 'retire' && record.status === 'retired');
    const verb = decision === 'approve' ? 'approved' : decision === 'reject' ? 'rejected' : 'retired';
    throw new DecisionRefused(done ? `${record.id} is already ${verb}` : `${record.id} is ${record.status}, so it cannot be ${verb}`, hint);
  }
  const warnings: string[] = [];
  const name = record.name;
  if (decision === 'approve') {
    const evidence = input.evidence ?? { occurrences: 0, sessions: 0, entries: [] };
    if (evidence.occurrences < input.minFrequency && !input.force) {
      throw new DecisionRefused(
        `${record.id} has ${evidence.occurrences} occurrence${evidence.occurrences === 1 ? '' : 's'} on record; approval needs at least ${input.minFrequency} (min_frequency)`,
        'log the recurrences (failures log --anti-pattern ' + record.id + '), or approve anyway with --force',
      );
    }
    warnings.push(...approvalWarnings(record));
    // The evidence as counted now, whole: the frequency beside it must not stay the proposal's, and
    // the entries counted join origin.feedback, so that what was approved stays this anti-pattern's
    // evidence (analyze links them) however later entries shift the grouping.
    const origin = record.origin?.feedback ?? [];
    const added = (evidence.linked ?? []).filter((id) => !origin.includes(id));
    const window = evidence.windowSessions;
    return {
      changes: [
        { path: ['status'], value: 'approved' },
        { path: ['review', 'approved_by'], value: input.by },
        { path: ['review', 'approved_at'], value: input.at },
        { path: ['review', 'evidence', 'occurrences'], value: evidence.occurrences },
        { path: ['review', 'evidence', 'sessions'], value: evidence.sessions },
        ...(window ? [
          { path: ['review', 'evidence', 'sessions_in_window'], value: window },
          { path: ['review', 'evidence', 'frequency'], value: Math.round((evidence.sessions / window) * 1000) / 1000 },
        ] : []),
        ...(added.length > 0 ? [{ path: ['origin', 'feedback'], value: [...origin, ...added] }] : []),
      ],
      message: `feat(${record.category ?? 'failures'}): enforce ${record.id} ${name} based on feedback (${evidence.occurrences}x)`,
      warnings,
    };
  }
  const reason = input.reason?.trim();
  if (!reason) throw new DecisionRefused(`a reason is required to ${decision} ${record.id}`, `pass --reason "why" (it is kept in the record and the commit)`);
  const verb = decision === 'reject' ? 'rejected' : 'retired';
  return {
    changes: [
      { path: ['status'], value: verb },
      { path: ['review', `${verb}_by`], value: input.by },
      { path: ['review', `${verb}_at`], value: input.at },
      { path: ['review', 'reason'], value: reason },
    ],
    message: `chore(failures): ${decision} ${record.id} ${name}: ${reason}`,
    warnings,
  };
}
