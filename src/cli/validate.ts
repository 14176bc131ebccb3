import type { Command } from 'commander';
import { findRoot } from '../store/find.js';
import { loadStore, recordsOf } from '../store/read.js';
import { formatOption, formatProblems, palette, plural, problemsAsJson } from './output.js';

interface ValidateOptions {
  format: 'text' | 'json';
  root?: string;
}

export function register(program: Command): void {
  program
    .command('validate')
    .description('check every record: schemas, duplicate ids, ids against file names, references, vocabulary, detectors, and rule self-tests')
    .addOption(formatOption())
    .addHelpText('after', '\nExit status: 0 valid (warnings allowed), 1 problems found, 2 usage or configuration error.')
    .action(async (_options, command: Command) => run(command.optsWithGlobals<ValidateOptions>()));
}

async function run(options: ValidateOptions): Promise<void> {
  const root = findRoot(process.cwd(), options.root);
  let store = loadStore(root);
  // Approved anti-patterns also compile and pass their own examples; the parsers load only then.
  // Proposed ones compile too, so a detector that cannot work is caught before anyone approves it.
  if (recordsOf(store, 'anti-pattern').some((r) => r.data.status === 'approved' || r.data.status === 'proposed')) {
    const { compileEnforcement, selfTestProblems } = await import('../store/enforcement.js');
    const enforcement = compileEnforcement(store, { statuses: ['approved', 'proposed'] });
    const approved = enforcement.rules.filter((r) => r.record.status === 'approved').map((r) => r.id);
    const problems = [...enforcement.problems, ...(approved.length > 0 ? selfTestProblems(enforcement, approved).problems : [])];
    problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
    store = { ...store, problems };
  }
  const errors = store.problems.filter((p) => p.severity === 'error');
  const warnings = store.problems.length - errors.length;
  if (options.format === 'json') {
    const counts: Record<string, number> = {};
    for (const record of store.records) counts[record.kind] = (counts[record.kind] ?? 0) + 1;
    process.stdout.write(
      `${JSON.stringify({ valid: errors.length === 0, errors: errors.length, warnings, records: counts, problems: problemsAsJson(store.problems) }, null, 2)}\n`,
    );
  } else {
    if (store.problems.length > 0) process.stdout.write(`${formatProblems(store.problems, process.stdout)}\n`);
    const c = palette(process.stderr);
    const files = new Set(store.problems.map((p) => p.file)).size;
    process.stderr.write(
      errors.length === 0
        ? `${c.green('✓')} ${plural(store.records.length, 'record')} valid${warnings ? `, ${plural(warnings, 'warning')}` : ''}\n`
        : `${c.red('✖')} ${plural(errors.length, 'error')}${warnings ? ` and ${plural(warnings, 'warning')}` : ''} in ${plural(files, 'file')} (${plural(store.records.length, 'record')} read)\n`,
    );
  }
  process.exitCode = errors.length > 0 ? 1 : 0;
}
