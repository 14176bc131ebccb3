import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { FailuresError } from '../errors.js';
import { findRoot } from '../store/find.js';
import { displayPath, formatOption, formatProblems, palette, plural } from './output.js';

interface BaselineOptions {
  prune?: boolean;
  list?: boolean;
  format: 'text' | 'json';
  root?: string;
}

export function register(program: Command): void {
  program
    .command('baseline')
    .description("record today's violations in .failures/baseline.yaml, so that approving a rule never blocks old code")
    .option('--prune', 'drop entries that are fixed; never adds any')
    .option('--list', "print the baseline in the seed's occurrences_in_codebase shape instead of writing it")
    .addOption(formatOption('output format of --list'))
    .action(async (_options, command: Command) => run(command.optsWithGlobals<BaselineOptions>()));
}

async function run(options: BaselineOptions): Promise<void> {
  if (options.format === 'json' && !options.list) throw new FailuresError('--format json is the format of --list', { hint: 'failures baseline --list --format json' });
  if (options.list && options.prune) throw new FailuresError('--list and --prune cannot be used together', { hint: '--list prints the baseline; --prune rewrites it' });
  const root = findRoot(process.cwd(), options.root);
  const [{ baselineEntries, occurrences, pruneBaseline }, { baselineOf, baselineProblems, writeBaseline }, { loadEnforcement }, { enforcementFor, scan }] = await Promise.all([
    import('../enforce/baseline.js'),
    import('../store/baseline.js'),
    import('../store/enforcement.js'),
    import('./scan.js'),
  ]);
  // Writing needs every approved rule loaded: one that cannot load would find nothing, and its old
  // violations would be left out (or pruned) and block later. Listing does not.
  const enforcement = options.list ? loadEnforcement(root) : await enforcementFor(root, false);
  const current = baselineOf(enforcement.store);
  const c = palette(process.stderr);
  // A baseline.yaml that does not read (a merge conflict left in it, a hand edit) reads as empty:
  // --prune would then write an empty baseline, and every old violation would block again.
  const baselineFile = resolve(enforcement.store.dir, 'baseline.yaml');
  const unreadable = baselineProblems(enforcement.store);
  if (unreadable.length > 0) {
    if (options.list || options.prune) {
      throw new FailuresError(`.failures/baseline.yaml is invalid, so nothing was ${options.list ? 'listed' : 'pruned'}:\n${formatProblems(unreadable, process.stderr)}`, {
        hint: 'fix it at the line shown (a merge conflict: keep both sides\' entries), or run `failures baseline` to record today\'s violations afresh',
      });
    }
    process.stderr.write(`${c.yellow('warning:')} .failures/baseline.yaml did not read (${displayPath(unreadable[0]!.file)}:${unreadable[0]!.line}:${unreadable[0]!.column}: ${unreadable[0]!.message}); it is replaced by today's violations\n`);
  }
  if (options.list) {
    if (!existsSync(baselineFile)) process.stderr.write('no baseline yet: `failures baseline` records today\'s violations\n');
    const listing = occurrences(current, enforcement.rules);
    if (options.format === 'json') process.stdout.write(`${JSON.stringify(listing, null, 2)}\n`);
    else {
      for (const item of listing) {
        process.stdout.write(`${item.anti_pattern} ${item.name}\n`);
        for (const o of item.occurrences_in_codebase) process.stdout.write(`  ${o.file}:${o.line ?? '?'}  ${o.code}  (${o.risk})\n`);
      }
    }
    return;
  }
  const { results, checked } = await scan({ root, rules: enforcement.rules });
  const entries = options.prune ? pruneBaseline(current, results, new Set(checked), (file) => !existsSync(resolve(root, file))) : baselineEntries(results);
  const file = writeBaseline(root, entries);
  const dropped = current.length - entries.length;
  process.stdout.write(`${displayPath(file)}\n`);
  // A file that does not parse is an error of its own (as in ESLint), which no baseline entry covers:
  // say so now, not when the next check is still red.
  const unparsable = results.filter((r) => r.parseError && (r.parseError.level ?? 'error') === 'error');
  if (unparsable.length > 0) {
    const first = unparsable[0]!;
    process.stderr.write(
      `${c.yellow('warning:')} ${plural(unparsable.length, 'file')} ${unparsable.length === 1 ? 'does' : 'do'} not parse (${displayPath(resolve(root, first.file))}:${first.parseError!.line}:${first.parseError!.column}: ${first.parseError!.message}${unparsable.length > 1 ? ', …' : ''}): a baseline does not cover parse errors, so \`failures check\` still reports ${unparsable.length === 1 ? 'it' : 'them'}; fix ${unparsable.length === 1 ? 'it' : 'them'}, or leave ${unparsable.length === 1 ? 'it' : 'them'} out with the rules' \`ignore\` globs (fixtures that must not parse)\n`,
    );
  }
  process.stderr.write(
    options.prune
      ? `${c.green('✓')} ${plural(Math.max(dropped, 0), 'fixed violation')} dropped, ${plural(entries.length, 'entry', 'entries')} left\n`
      : `${c.green('✓')} ${plural(entries.length, 'existing violation')} baselined in ${plural(new Set(entries.map((e) => e.file)).size, 'file')}; only new ones block. Commit ${displayPath(file)}.\n`,
  );
}
