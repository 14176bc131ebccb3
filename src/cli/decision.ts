import { readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { FailuresError } from '../errors.js';
import { findRoot } from '../store/find.js';
import { loadStore, readRecordFile, recordsOf, type LoadedRecord } from '../store/read.js';
import { displayPath, palette } from './output.js';

export interface DecisionOptions {
  by?: string;
  reason?: string;
  commit: boolean;
  force?: boolean;
  /** approve: re-synthesize the detectors with the examples of this fix commit first. */
  fix?: string;
  root?: string;
}

/**
 * approve, reject and retire: edit the record in place (comments kept), then commit exactly that
 * file with a message in the seed's style. Every refusal exits 2 and changes nothing.
 */
export async function runDecision(decision: 'approve' | 'reject' | 'retire', id: string, options: DecisionOptions): Promise<void> {
  const root = findRoot(process.cwd(), options.root);
  const store = loadStore(root);
  const any = store.records.filter((r) => r.kind === 'anti-pattern' && r.id === id);
  const record = any.find((r): r is LoadedRecord<'anti-pattern'> => r.valid);
  if (!record) {
    if (any.length > 0) throw new FailuresError(`${id} is not a valid record, so it cannot be decided on`, { hint: 'fix it first: failures validate' });
    const known = recordsOf(store, 'anti-pattern').map((r) => `${r.id} (${r.data.status})`);
    throw new FailuresError(`no anti-pattern ${id} in .failures/anti-patterns/`, { hint: known.length ? `known: ${known.join(', ')}` : 'there are none yet: failures analyze proposes them' });
  }
  if (any.length > 1) throw new FailuresError(`${id} is defined twice`, { hint: 'failures validate shows both; give one a new id first' });
  const { decide, DecisionRefused, evidenceFor } = await import('../review/decisions.js');
  const { stagedPaths, commitFiles, gitUserName } = await import('../git/commit.js');
  const staged = options.commit ? await stagedPaths(root, [record.file]) : new Set<string>();
  const by = options.by ?? (await gitUserName(root, userInfo().username));
  const entries = recordsOf(store, 'feedback').map((r) => r.data);
  const antiPatterns = recordsOf(store, 'anti-pattern').map((r) => r.data);
  let outcome;
  try {
    outcome = decide({
      decision,
      record: record.data,
      by,
      at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      ...(options.reason !== undefined ? { reason: options.reason } : {}),
      ...(decision === 'approve' ? { evidence: evidenceFor(id, entries, antiPatterns, store.config.severities) } : {}),
      minFrequency: store.config.min_frequency,
      force: options.force ?? false,
    });
  } catch (error) {
    if (error instanceof DecisionRefused) throw new FailuresError(error.message, { hint: error.hint });
    throw error;
  }
  if (options.commit) {
    const unrelated = [...staged];
    if (unrelated.length > 0) {
      throw new FailuresError(`${unrelated.join(', ')} already has staged changes, so ${id} was not changed`, {
        hint: 'commit or unstage them first (git restore --staged <file>), or pass --no-commit and commit yourself',
      });
    }
  }
  const resynthesized = decision === 'approve' && options.fix ? await (await import('./synth.js')).resynthesize(root, record.data, options.fix) : [];
  const { updateRecord } = await import('../store/edit.js');
  const original = readFileSync(record.file, 'utf8');
  updateRecord(record.file, [...outcome.changes, ...resynthesized]);
  const check = readRecordFile(record.file, 'anti-pattern');
  if (check.problems.some((p) => p.severity === 'error')) {
    writeFileSync(record.file, original);
    throw new FailuresError(`the decision would make ${displayPath(record.file)} invalid, so it was not changed: ${check.problems[0]!.message}`);
  }
  const c = palette(process.stderr);
  for (const warning of outcome.warnings) process.stderr.write(`${c.yellow('warning:')} ${warning}\n`);
  process.stdout.write(`${displayPath(record.file)}\n`);
  if (options.commit) {
    const commit = await commitFiles(root, [record.file], outcome.message);
    process.stderr.write(`${c.green('✓')} ${outcome.message}\n  committed ${commit.slice(0, 8)}; undo with git revert ${commit.slice(0, 8)}\n`);
  } else {
    process.stderr.write(`${c.green('✓')} ${id} is ${decision === 'approve' ? 'approved' : decision === 'reject' ? 'rejected' : 'retired'} (not committed). Suggested message:\n  ${outcome.message}\n`);
  }
}
