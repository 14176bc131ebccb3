import type { Pattern } from '../analyze/index.js';
import { timeOf } from '../analyze/time.js';
import type { AntiPatternRecord, FeedbackRecord } from '../types/records.js';

const WEEK = 7 * 24 * 3600 * 1000;

export interface Improvement {
  id: string;
  approved_at: string;
  /** Corrections per week in the 4 weeks before approval. */
  before_per_week: number;
  /** Corrections per week since approval (at most 4 weeks, fewer if approval is recent). */
  after_per_week: number;
  /** (after − before) / before; null without corrections before. The seed's target is −0.5. */
  change: number | null;
}

export interface Stats {
  generated: string;
  entries: number;
  anti_patterns: Record<'proposed' | 'approved' | 'rejected' | 'retired', number>;
  pattern_detection_rate: { value: number | null; covered: number; recurring: number };
  false_positive_rate: { value: number | null; rejected: number; approved: number };
  recurrence_rate: { value: number | null; recurring: number; approved: number; anti_patterns: string[] };
  improvement: { value: number | null; before_per_week: number; after_per_week: number; per_anti_pattern: Improvement[] };
  categories: Array<{ category: string; entries: number; patterns: number; approved: number; weekly: number[] }>;
}

export interface StatsInput {
  entries: readonly FeedbackRecord[];
  antiPatterns: readonly AntiPatternRecord[];
  /** Recurring patterns (≥ min_frequency), matched against the anti-patterns. */
  patterns: readonly Pattern[];
  /** Each anti-pattern's evidence: the feedback entries that are it. */
  evidence: ReadonlyMap<string, readonly string[]>;
  /** When each anti-pattern was approved: review.approved_at, else its git history. */
  approvedAt: ReadonlyMap<string, string>;
  now: Date;
  generated: string;
  /** Approved anti-patterns with new (non-baselined) violations in the code now, when checked. */
  violating?: ReadonlySet<string>;
}

const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 1000) / 1000);

/**
 * The seed's metrics: pattern detection rate (recurring patterns with an anti-pattern on record, not
 * rejected), false positive rate (rejected / decided), recurrence rate (approved anti-patterns
 * whose mistake was logged again after approval, or that have new non-baselined violations) and improvement (corrections per week in the 4
 * weeks before each approval against the weeks since, up to 4), plus counts and a weekly trend.
 */
export function computeStats(input: StatsInput): Stats {
  const time = timeOf;
  const byId = new Map(input.entries.map((e) => [e.id, e]));
  const status = (s: AntiPatternRecord['status']) => input.antiPatterns.filter((ap) => ap.status === s);
  const statusOf = new Map(input.antiPatterns.map((ap) => [ap.id, ap.status]));
  // Detected: on record as an anti-pattern that analyze would not propose again (proposed, approved,
  // or retired since: retiring a rule does not undo its detection). A pattern people rejected is a
  // false positive, counted there, not also as a miss here — unless it has grown by min_frequency
  // since (analyze then reports it as new: a recurring pattern nobody has proposed again).
  const judged = input.patterns.filter((p) => !(p.anti_pattern && statusOf.get(p.anti_pattern) === 'rejected' && p.status !== 'new'));
  const covered = judged.filter((p) => p.anti_pattern && p.status !== 'new' && statusOf.has(p.anti_pattern)).length;

  const approved = status('approved');
  const recurringIds: string[] = [];
  const improvements: Improvement[] = [];
  for (const ap of approved) {
    const at = input.approvedAt.get(ap.id);
    if (!at) continue;
    const approvedTime = time(at);
    const times = (input.evidence.get(ap.id) ?? []).map((id) => byId.get(id)).filter((e): e is FeedbackRecord => e !== undefined).map((e) => time(e.timestamp));
    const after = times.filter((t) => t > approvedTime).length;
    if (after > 0 || input.violating?.has(ap.id)) recurringIds.push(ap.id);
    const before = times.filter((t) => t <= approvedTime && t > approvedTime - 4 * WEEK).length;
    const since = Math.min(4, Math.max((input.now.getTime() - approvedTime) / WEEK, 1 / 7));
    const afterWindow = times.filter((t) => t > approvedTime && t <= approvedTime + 4 * WEEK).length;
    const beforePerWeek = before / 4;
    const afterPerWeek = afterWindow / since;
    improvements.push({
      id: ap.id,
      approved_at: at,
      before_per_week: round(beforePerWeek),
      after_per_week: round(afterPerWeek),
      change: beforePerWeek === 0 ? null : round((afterPerWeek - beforePerWeek) / beforePerWeek),
    });
  }
  const overallBefore = improvements.reduce((s, i) => s + i.before_per_week, 0);
  const overallAfter = improvements.reduce((s, i) => s + i.after_per_week, 0);

  const categories = [...new Set(input.entries.map((e) => e.category))].sort();
  const weekStart = (k: number) => input.now.getTime() - (8 - k) * WEEK;
  return {
    generated: input.generated,
    entries: input.entries.length,
    anti_patterns: { proposed: status('proposed').length, approved: approved.length, rejected: status('rejected').length, retired: status('retired').length },
    pattern_detection_rate: { value: ratio(covered, judged.length), covered, recurring: judged.length },
    false_positive_rate: { value: ratio(status('rejected').length, approved.length + status('rejected').length), rejected: status('rejected').length, approved: approved.length },
    recurrence_rate: { value: ratio(recurringIds.length, approved.length), recurring: recurringIds.length, approved: approved.length, anti_patterns: recurringIds },
    improvement: {
      value: overallBefore === 0 ? null : round((overallAfter - overallBefore) / overallBefore),
      before_per_week: round(overallBefore),
      after_per_week: round(overallAfter),
      per_anti_pattern: improvements,
    },
    categories: categories.map((category) => {
      const inCategory = input.entries.filter((e) => e.category === category);
      return {
        category,
        entries: inCategory.length,
        patterns: input.patterns.filter((p) => p.category === category).length,
        approved: approved.filter((ap) => ap.category === category).length,
        weekly: Array.from({ length: 8 }, (_, k) => inCategory.filter((e) => time(e.timestamp) >= weekStart(k) && time(e.timestamp) < weekStart(k + 1)).length),
      };
    }),
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

const BARS = '▁▂▃▄▅▆▇█';
/** A small trend line: one bar per week, scaled to the largest week. */
export function sparkline(values: readonly number[]): string {
  const max = Math.max(...values, 1);
  return values.map((v) => (v === 0 ? '·' : BARS[Math.min(BARS.length - 1, Math.floor((v / max) * (BARS.length - 1)))]!)).join('');
}
