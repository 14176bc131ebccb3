import { userInfo } from 'node:os';
import { join, relative, sep } from 'node:path';
import { FailuresError } from '../errors.js';
import type { DecisionOutcome } from '../review/decisions.js';
import type { AntiPatternRecord } from '../types/records.js';
import { findRoot } from '../store/find.js';
import { loadStore, readRecordFile, recordsOf, type LoadedRecord } from '../store/read.js';
import { displayPath, formatProblems, palette, refuseInvalidConfig } from './output.js';

export interface DecisionOptions {
  by?: string;
  reason?: string;
  commit: boolean;
  force?: boolean;
  /** approve: re-synthesize the detectors with the examples of this fix commit first. */
  fix?: string;
  root?: string;
}

type Decision = 'approve' | 'reject' | 'retire';
const VERB: Record<Decision, string> = { approve: 'approved', reject: 'rejected', retire: 'retired' };

/**
 * approve, reject and retire: edit the record in place (only the lines the decision changes), then
 * commit exactly that file with a message in the seed's style. All or nothing: identity, index lock
 * and staged changes are checked before anything is edited, and if the commit still fails (a hook,
 * a signal) the record's exact bytes and its index entry are put back. A decision interrupted after
 * its edit (kill -9) is completed by running it again. Every refusal exits 2 and changes nothing.
 */
export async function runDecision(decision: Decision, id: string, options: DecisionOptions): Promise<void> {
  // The record and its commit say who decided: an empty name would make the audit trail say nobody.
  if (options.by !== undefined && options.by.trim() === '') {
    throw new FailuresError('--by is empty: a decision records who made it', { hint: 'pass a name (--by "Ada Lovelace"), or leave --by out to use git user.name' });
  }
  const root = findRoot(process.cwd(), options.root);
  const store = loadStore(root);
  // min_frequency and the vocabulary come from config.yaml: an invalid one would decide on the defaults.
  refuseInvalidConfig(store.problems, store.dir, `${id} was not ${VERB[decision]}`);
  const any = store.records.filter((r) => r.kind === 'anti-pattern' && r.id === id);
  const record = any.find((r): r is LoadedRecord<'anti-pattern'> => r.valid);
  // The record's own errors (YAML, schema, vocabulary, references): a decision would commit a record
  // `failures validate` rejects, or, for a file that does not parse, say the id does not exist.
  const file = record?.file ?? any[0]?.file ?? join(store.dir, 'anti-patterns', `${id}.yaml`);
  const errors = store.problems.filter((p) => p.file === file && p.severity === 'error');
  if (errors.length > 0) {
    throw new FailuresError(`${id} is not a valid record, so it cannot be decided on:\n${formatProblems(errors, process.stderr)}`, {
      hint: `fix what is named above (line:column), then decide again; failures validate checks every record`,
    });
  }
  if (!record) {
    if (any.length > 0) throw new FailuresError(`${id} is not a valid record, so it cannot be decided on`, { hint: 'fix it first: failures validate' });
    const known = recordsOf(store, 'anti-pattern').map((r) => `${r.id} (${r.data.status})`);
    throw new FailuresError(`no anti-pattern ${id} in .failures/anti-patterns/`, { hint: known.length ? `known: ${known.join(', ')}` : 'there are none yet: failures analyze proposes them' });
  }
  if (any.length > 1) throw new FailuresError(`${id} is defined twice`, { hint: 'failures validate shows both; give one a new id first' });
  const { approvalWarnings, decide, DecisionRefused, evidenceFor } = await import('../review/decisions.js');
  const gitCommit = await import('../git/commit.js');
  const { editRecordText, readRecordBytes, writeRecord } = await import('../store/edit.js');
  if (options.commit) await gitCommit.checkCanCommit(root);
  const by = options.by ?? (await gitCommit.gitUserName(root, userInfo().username));
  const entries = recordsOf(store, 'feedback').map((r) => r.data);
  const antiPatterns = recordsOf(store, 'anti-pattern').map((r) => r.data);
  const original = readRecordBytes(record.file);
  let outcome: DecisionOutcome;
  let resumed = false;
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
    if (!(error instanceof DecisionRefused)) throw error;
    const interrupted = options.commit ? await interruptedDecision(root, decision, record, original.toString('utf8')) : undefined;
    if (!interrupted) throw new FailuresError(error.message, { hint: error.hint });
    outcome = interrupted;
    resumed = true;
  }
  if (options.commit && !resumed) {
    const staged = [...(await gitCommit.stagedPaths(root, [record.file]))];
    if (staged.length > 0) {
      throw new FailuresError(`${staged.join(', ')} already has staged changes, so ${id} was not changed`, {
        hint: 'commit or unstage them first (git restore --staged <file>), or pass --no-commit and commit yourself',
      });
    }
  }
  // approve --fix COMMIT: the detectors synthesized again from the fixing commit's examples.
  const resynthesized = !resumed && decision === 'approve' && options.fix ? await (await import('./synth.js')).resynthesize(root, record.data, options.fix) : [];
  if (!resumed) {
    const updated = editRecordText(original.toString('utf8'), [...outcome.changes, ...resynthesized], displayPath(record.file));
    const check = readRecordFile(record.file, 'anti-pattern', updated);
    if (check.problems.some((p) => p.severity === 'error')) {
      throw new FailuresError(`the decision would make ${displayPath(record.file)} invalid, so it was not changed: ${check.problems[0]!.message}`);
    }
    // --fix may have given the record the detectors and examples the warnings said it lacked.
    const after = check.records[0]?.data as AntiPatternRecord | undefined;
    if (resynthesized.length && after) {
      const before = new Set(approvalWarnings(record.data));
      outcome = { ...outcome, warnings: [...outcome.warnings.filter((w) => !before.has(w)), ...approvalWarnings(after)] };
    }
    writeRecord(record.file, updated);
  }
  const c = palette(process.stderr);
  if (!options.commit) {
    reportWarnings(outcome.warnings);
    process.stdout.write(`${displayPath(record.file)}\n`);
    process.stderr.write(`${c.green('✓')} ${id} is ${VERB[decision]} (not committed). Suggested message:\n  ${outcome.message}\n`);
    return;
  }
  // Until the commit is made, an interruption puts everything back.
  const undo = async () => {
    if (!resumed) writeRecord(record.file, original);
    await gitCommit.resetIndex(root, [record.file]);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    void undo().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let commit: string;
  try {
    commit = await gitCommit.commitFiles(root, [record.file], outcome.message);
  } catch (error) {
    await undo();
    const detail = (error as { stderr?: string }).stderr ?? (error as Error).message;
    throw new FailuresError(
      `the commit failed, so ${displayPath(record.file)} and the index were put back as they were:\n${detail.split('\n').slice(0, 30).join('\n')}`,
      { hint: 'fix what git says above and run the decision again, or pass --no-commit and commit yourself' },
    );
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  reportWarnings(outcome.warnings);
  process.stdout.write(`${displayPath(record.file)}\n`);
  if (resumed) process.stderr.write(`${c.yellow('note:')} ${id} had been ${VERB[decision]} but not committed (an interrupted run); committed it now\n`);
  process.stderr.write(`${c.green('✓')} ${outcome.message}\n  committed ${commit.slice(0, 8)}; undo with git revert ${commit.slice(0, 8)}\n`);
}

function reportWarnings(warnings: string[]): void {
  const c = palette(process.stderr);
  for (const warning of warnings) process.stderr.write(`${c.yellow('warning:')} ${warning}\n`);
}

/**
 * A decision that was edited into the record but never committed (the process was killed in
 * between): the working tree differs from HEAD by exactly this decision's changes. Returns the
 * outcome to commit, or undefined when the difference is anything else.
 */
async function interruptedDecision(root: string, decision: Decision, record: LoadedRecord<'anti-pattern'>, text: string): Promise<DecisionOutcome | undefined> {
  const [{ readAtHead }, { decide }, { editRecordText }] = await Promise.all([import('../git/branch.js'), import('../review/decisions.js'), import('../store/edit.js')]);
  const headText = await readAtHead(root, relative(root, record.file).split(sep).join('/'));
  if (headText === undefined || headText === text) return undefined;
  const head = readRecordFile(record.file, 'anti-pattern', headText).records[0] as LoadedRecord<'anti-pattern'> | undefined;
  if (!head?.valid) return undefined;
  const review = (record.data.review ?? {}) as Record<string, unknown> & { evidence?: { occurrences?: number; sessions?: number; sessions_in_window?: number } };
  const verb = VERB[decision];
  const by = review[`${verb}_by`];
  const at = review[`${verb}_at`];
  if (typeof by !== 'string' || typeof at !== 'string') return undefined;
  try {
    const outcome = decide({
      decision,
      record: head.data as AntiPatternRecord,
      by,
      at,
      ...(typeof review.reason === 'string' ? { reason: review.reason } : {}),
      ...(decision === 'approve'
        ? {
            evidence: {
              occurrences: review.evidence?.occurrences ?? 0,
              sessions: review.evidence?.sessions ?? 0,
              entries: record.data.origin?.feedback ?? [],
              linked: record.data.origin?.feedback ?? [],
              ...(review.evidence?.sessions_in_window ? { windowSessions: review.evidence.sessions_in_window } : {}),
            },
          }
        : {}),
      minFrequency: 0,
      force: true,
    });
    return editRecordText(headText, outcome.changes) === text ? outcome : undefined;
  } catch {
    return undefined;
  }
}
