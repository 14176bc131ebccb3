import type { Command } from 'commander';
import { findRoot } from '../store/find.js';
import { displayPath, formatOption, palette, plural } from './output.js';

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
  const root = findRoot(process.cwd(), options.root);
  const [{ baselineEntries, occurrences, pruneBaseline }, { baselineOf, writeBaseline }, { loadEnforcement }, { enforcementFor, scan }] = await Promise.all([
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
  if (options.list) {
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
  const entries = options.prune ? pruneBaseline(current, results, new Set(checked)) : baselineEntries(results);
  const file = writeBaseline(root, entries);
  const dropped = current.length - entries.length;
  process.stdout.write(`${displayPath(file)}\n`);
  process.stderr.write(
    options.prune
      ? `${c.green('✓')} ${plural(Math.max(dropped, 0), 'fixed violation')} dropped, ${plural(entries.length, 'entry', 'entries')} left\n`
      : `${c.green('✓')} ${plural(entries.length, 'existing violation')} baselined in ${plural(new Set(entries.map((e) => e.file)).size, 'file')}; only new ones block. Commit ${displayPath(file)}.\n`,
  );
}
