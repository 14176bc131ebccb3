import type { Command } from 'commander';
import { join } from 'node:path';
import { FailuresError } from '../errors.js';
import { findRoot } from '../store/find.js';
import { loadStore, recordsOf } from '../store/read.js';
import type { AntiPatternRecord } from '../types/records.js';
import { runDecision } from './decision.js';
import { formatProblems, palette, refuseInvalidConfig } from './output.js';

interface ReviewOptions {
  commit: boolean;
  force?: boolean;
  fix?: string;
  root?: string;
}

export function register(program: Command): void {
  program
    .command('review')
    .description('walk the proposed anti-patterns with their evidence, and approve, reject (with a reason), re-synthesize or skip each (needs a terminal)')
    .argument('[ids...]', 'review only these proposals (default: every proposed anti-pattern)')
    .option('--fix <commit[:path]>', "add the examples of the commit that fixed the mistake and re-synthesize the proposal's detectors before it is shown (one proposal)")
    .option('--force', 'approve even below the configured minimum number of occurrences')
    .option('--no-commit', 'edit the records but leave committing to you')
    .action(async (ids: string[], _options, command: Command) => run(ids, command.optsWithGlobals<ReviewOptions>()));
}

async function run(ids: string[], options: ReviewOptions): Promise<void> {
  const root = findRoot(process.cwd(), options.root);
  const store = loadStore(root);
  refuseInvalidConfig(store.problems, store.dir, 'nothing was reviewed');
  const entries = recordsOf(store, 'feedback').map((r) => r.data);
  const loaded = recordsOf(store, 'anti-pattern');
  const antiPatterns = loaded.map((r) => r.data);
  const files = new Map(loaded.map((r) => [r.data.id, r.file]));
  let proposed = antiPatterns.filter((ap) => ap.status === 'proposed');
  const c = palette(process.stderr);
  if (ids.length) {
    const unknown = ids.filter((id) => !proposed.some((ap) => ap.id === id));
    if (unknown.length) {
      // Say what each one is: "no such" of a record that exists, approved or rejected, misleads.
      const what = unknown.map((id) => {
        const decided = antiPatterns.find((ap) => ap.id === id);
        // A file that does not parse has no record: name its errors, not "no such".
        const errors = store.problems.filter((p) => p.severity === 'error' && p.file === join(store.dir, 'anti-patterns', `${id}.yaml`));
        if (!decided && errors.length) return `${id} is not a valid record, so it cannot be reviewed:\n${formatProblems(errors, process.stderr)}\n`;
        return decided ? `${id} is ${decided.status}, not proposed (only proposals are reviewed)` : `${id}: no such proposed anti-pattern`;
      });
      throw new FailuresError(what.join('; '), { hint: proposed.length ? `proposed: ${proposed.map((ap) => ap.id).join(', ')}` : 'nothing is proposed (failures analyze --diff proposes)' });
    }
    proposed = proposed.filter((ap) => ids.includes(ap.id));
  }
  if (options.fix !== undefined && proposed.length !== 1) {
    throw new FailuresError(`--fix adds one fix commit's examples to one proposal, and ${proposed.length} are to be reviewed`, { hint: 'name it: failures review AP-003 --fix COMMIT[:PATH]' });
  }
  if (proposed.length === 0) {
    process.stderr.write('nothing to review: no proposed anti-patterns (failures analyze --diff proposes them)\n');
    return;
  }
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new FailuresError('review needs a terminal, and this input is not one', {
      hint: `decide without prompts: failures approve ${proposed.length === 1 ? proposed[0]!.id : 'ID'}${options.fix ? ` --fix ${options.fix}` : ''} | failures reject ID --reason "…"`,
    });
  }
  const { intro, outro, select, text, isCancel, note } = await import('@clack/prompts');
  const { evidenceFor } = await import('../review/decisions.js');
  const io = { input: process.stdin, output: process.stderr };
  const { resynthesizeRecordFile } = await import('./synth.js');
  /** The proposal re-synthesized with a fix commit's examples, or undefined (said why; nothing changed). */
  const resynthesize = async (ap: AntiPatternRecord, spec: string): Promise<AntiPatternRecord | undefined> => {
    try {
      const { record } = await resynthesizeRecordFile(root, files.get(ap.id)!, ap, spec);
      process.stderr.write(`${c.green('✓')} ${ap.id}: detectors re-synthesized with the examples of ${spec} (the record is edited; approving or rejecting commits it)\n`);
      return record;
    } catch (error) {
      if (!(error instanceof FailuresError)) throw error;
      process.stderr.write(`${c.red('not re-synthesized:')} ${error.message}${error.hint ? `\n  ${error.hint}` : ''}\n`);
      return undefined;
    }
  };
  if (options.fix !== undefined) {
    const after = await resynthesize(proposed[0]!, options.fix);
    // With --fix the reviewer decides on the re-synthesized proposal: if there is none, nothing is asked.
    if (!after) throw new FailuresError(`--fix ${options.fix}: ${proposed[0]!.id} was not re-synthesized, so it is not reviewed`, { hint: 'see the reason above; review it without --fix to decide on it as it is' });
    proposed = [after];
  }
  intro(`failures review: ${proposed.length} proposed`, io);
  const byId = new Map(entries.map((e) => [e.id, e]));

  /** Shows one proposal and asks what to do with it. */
  const ask = async (ap: AntiPatternRecord) => {
    const evidence = evidenceFor(ap.id, entries, antiPatterns, store.config.severities);
    const lines = [
      `${ap.description}`,
      '',
      `${evidence.occurrences} occurrences in ${evidence.sessions} sessions · severity ${ap.severity ?? '?'} · ${ap.category ?? 'no category'}`,
      ...evidence.entries.slice(0, 5).map((id) => `  - ${byId.get(id)?.context ?? id}${byId.get(id)?.feedback ? ` → ${byId.get(id)!.feedback}` : ''}`),
      '',
      `detectors: ${ap.enforce?.detect?.length ? ap.enforce.detect.map((d) => Object.entries(d).filter(([k]) => ['pattern', 'selector', 'import', 'regex'].includes(k)).map(([k, v]) => `${k} ${JSON.stringify(v)}`).join('')).join('; ') : c.yellow('none yet')}`,
      ...(ap.enforce?.detect ?? []).filter((d) => d.fix).map((d) => `  fix: ${String(d.fix)}`),
      ...(ap.review?.evidence?.codebase ? [`would flag ${ap.review.evidence.codebase.places} places in ${ap.review.evidence.codebase.files} files now${ap.occurrences_in_codebase?.length ? `, e.g. ${ap.occurrences_in_codebase.slice(0, 3).map((o) => `${o.file}:${o.line ?? '?'}`).join(', ')}` : ''}`] : []),
      `examples: ${ap.examples?.bad?.length ?? 0} bad, ${ap.examples?.good?.length ?? 0} good`,
    ];
    note(lines.join('\n'), `${ap.id} ${ap.name}`, io);
    return select({
      message: `${ap.id}?`,
      options: [
        { value: 'approve', label: 'approve', hint: evidence.occurrences < store.config.min_frequency && !options.force ? `only ${evidence.occurrences} occurrences: needs --force` : 'enforce it' },
        { value: 'reject', label: 'reject', hint: 'not a real pattern (you give the reason)' },
        { value: 'resynth', label: 're-synthesize', hint: 'add the examples of the commit that fixed it (COMMIT or COMMIT:PATH)' },
        { value: 'skip', label: 'skip' },
        { value: 'quit', label: 'stop reviewing' },
      ],
      ...io,
    });
  };

  let decided = 0;
  review: for (const proposal of proposed) {
    let ap = proposal;
    let choice = await ask(ap);
    while (choice === 'resynth') {
      const spec = await text({ message: 'Fix commit (COMMIT or COMMIT:PATH)', validate: (v) => (v?.trim() ? undefined : 'a commit is required'), ...io });
      if (isCancel(spec)) break review;
      ap = (await resynthesize(ap, spec.trim())) ?? ap;
      choice = await ask(ap);
    }
    if (isCancel(choice) || choice === 'quit') break;
    if (choice === 'skip') continue;
    let reason: string | undefined;
    if (choice === 'reject') {
      const answer = await text({ message: 'Why is it rejected?', validate: (v) => (v?.trim() ? undefined : 'a reason is required'), ...io });
      if (isCancel(answer)) break;
      reason = answer;
    }
    try {
      await runDecision(choice as 'approve' | 'reject', ap.id, { commit: options.commit, force: options.force ?? false, ...(reason ? { reason } : {}), ...(options.root ? { root: options.root } : {}) });
      decided++;
    } catch (error) {
      if (!(error instanceof FailuresError)) throw error;
      process.stderr.write(`${c.red('not decided:')} ${error.message}${error.hint ? `\n  ${error.hint}` : ''}\n`);
    }
  }
  outro(`${decided} decided`, io);
}
