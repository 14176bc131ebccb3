import { relative, sep } from 'node:path';
import { parse } from 'yaml';
import type { Pattern } from '../analyze/index.js';
import type { Store } from '../store/read.js';
import { recordsOf } from '../store/read.js';
import type { BaselineRecord } from '../types/records.js';
import { approvedSince } from '../measure/approval.js';

/** What stats and gaps both need: the recurring patterns, each anti-pattern's evidence, and git history. */
export interface Measured {
  patterns: Pattern[];
  evidence: Map<string, string[]>;
  approvedAt: Map<string, string>;
  baseline: Map<string, { now: number; earliest?: number; since?: string }>;
}

export async function measure(store: Store): Promise<Measured> {
  const { analyze } = await import('../analyze/index.js');
  const { evidenceFor } = await import('../review/decisions.js');
  const { fileHistory, showAt } = await import('../git/history.js');
  const entries = recordsOf(store, 'feedback').map((r) => r.data);
  const antiPatternRecords = recordsOf(store, 'anti-pattern');
  const antiPatterns = antiPatternRecords.map((r) => r.data);
  const patterns = analyze(entries, antiPatterns, { minFrequency: store.config.min_frequency, severities: store.config.severities }).patterns;
  const evidence = new Map(antiPatterns.map((ap) => [ap.id, evidenceFor(ap.id, entries, antiPatterns, store.config.severities).entries]));
  const approvedAt = new Map<string, string>();
  for (const record of antiPatternRecords) {
    if (record.data.status !== 'approved') continue;
    // The record says when; else its git history does: the commit from which it has been approved.
    let at = record.data.review?.approved_at;
    if (!at) {
      const path = relative(store.root, record.file).split(sep).join('/');
      const versions = [];
      for (const { sha, date } of await fileHistory(store.root, path)) versions.push({ date, text: await showAt(store.root, sha, path) });
      at = approvedSince(versions);
    }
    if (at) approvedAt.set(record.id, at);
  }
  const count = (entries: BaselineRecord['entries'] | undefined) => {
    const counts = new Map<string, number>();
    for (const e of entries ?? []) counts.set(e.rule, (counts.get(e.rule) ?? 0) + 1);
    return counts;
  };
  const now = count(recordsOf(store, 'baseline')[0]?.data.entries);
  const baselinePath = '.failures/baseline.yaml';
  const history = await fileHistory(store.root, baselinePath);
  const first = history[0];
  const earliestText = first && history.length > 1 ? await showAt(store.root, first.sha, baselinePath) : undefined;
  const earliest = earliestText ? count((parse(earliestText) as BaselineRecord | null)?.entries) : undefined;
  const baseline = new Map<string, { now: number; earliest?: number; since?: string }>();
  for (const rule of new Set([...now.keys(), ...(earliest?.keys() ?? [])])) {
    baseline.set(rule, { now: now.get(rule) ?? 0, ...(earliest ? { earliest: earliest.get(rule) ?? 0, since: first!.date } : {}) });
  }
  return { patterns, evidence, approvedAt, baseline };
}

