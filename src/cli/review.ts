import type { Command } from 'commander';
import { FailuresError } from '../errors.js';
import { findRoot } from '../store/find.js';
import { loadStore, recordsOf } from '../store/read.js';
import { runDecision } from './decision.js';
import { palette } from './output.js';

export function register(program: Command): void {
  program
    .command('review')
    .description('walk the proposed anti-patterns with their evidence, and approve, reject (with a reason) or skip each (needs a terminal)')
    .option('--no-commit', 'edit the records but leave committing to you')
    .action(async (_options, command: Command) => run(command.optsWithGlobals<{ commit: boolean; root?: string }>()));
}

async function run(options: { commit: boolean; root?: string }): Promise<void> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new FailuresError('review needs a terminal, and this input is not one', { hint: 'decide without prompts: failures approve ID | failures reject ID --reason "…"' });
  }
  const { intro, outro, select, text, isCancel, note } = await import('@clack/prompts');
  const { evidenceFor } = await import('../review/decisions.js');
  const io = { input: process.stdin, output: process.stderr };
  const root = findRoot(process.cwd(), options.root);
  const store = loadStore(root);
  const entries = recordsOf(store, 'feedback').map((r) => r.data);
  const antiPatterns = recordsOf(store, 'anti-pattern').map((r) => r.data);
  const proposed = antiPatterns.filter((ap) => ap.status === 'proposed');
  const c = palette(process.stderr);
  if (proposed.length === 0) {
    process.stderr.write('nothing to review: no proposed anti-patterns (failures analyze --diff proposes them)\n');
    return;
  }
  intro(`failures review: ${proposed.length} proposed`, io);
  const byId = new Map(entries.map((e) => [e.id, e]));
  let decided = 0;
  for (const ap of proposed) {
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
      `examples: ${ap.examples?.bad?.length ?? 0} bad, ${ap.examples?.good?.length ?? 0} good${ap.enforce?.detect?.length ? ' (re-synthesize with more: failures synth --bad CODE --good CODE)' : ''}`,
    ];
    note(lines.join('\n'), `${ap.id} ${ap.name}`, io);
    const choice = await select({
      message: `${ap.id}?`,
      options: [
        { value: 'approve', label: 'approve', hint: evidence.occurrences < store.config.min_frequency ? `only ${evidence.occurrences} occurrences: needs --force` : 'enforce it' },
        { value: 'reject', label: 'reject', hint: 'not a real pattern (you give the reason)' },
        { value: 'skip', label: 'skip' },
        { value: 'quit', label: 'stop reviewing' },
      ],
      ...io,
    });
    if (isCancel(choice) || choice === 'quit') break;
    if (choice === 'skip') continue;
    let reason: string | undefined;
    if (choice === 'reject') {
      const answer = await text({ message: 'Why is it rejected?', validate: (v) => (v?.trim() ? undefined : 'a reason is required'), ...io });
      if (isCancel(answer)) break;
      reason = answer;
    }
    try {
      await runDecision(choice as 'approve' | 'reject', ap.id, { commit: options.commit, ...(reason ? { reason } : {}), ...(options.root ? { root: options.root } : {}) });
      decided++;
    } catch (error) {
      if (!(error instanceof FailuresError)) throw error;
      process.stderr.write(`${c.red('not decided:')} ${error.message}${error.hint ? `\n  ${error.hint}` : ''}\n`);
    }
  }
  outro(`${decided} decided`, io);
}
