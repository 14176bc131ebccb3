import type { Command } from 'commander';
import { FailuresError } from '../errors.js';
import { findRoot } from '../store/find.js';
import { loadStore, recordsOf } from '../store/read.js';
import { formatOption } from './output.js';

interface SimilarOptions {
  limit: string;
  format: 'text' | 'json';
  root?: string;
}

export function register(program: Command): void {
  program
    .command('similar')
    .argument('<text>', 'what went wrong, in a sentence or an error message')
    .description('have we seen this before? the nearest recorded entries, patterns, anti-patterns, incidents and ticket patterns, with scores')
    .option('--limit <n>', 'how many to show', '5')
    .addOption(formatOption())
    .action(async (text: string, _options, command: Command) => run(text, command.optsWithGlobals<SimilarOptions>()));
}

async function run(text: string, options: SimilarOptions): Promise<void> {
  const limit = Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new FailuresError(`--limit must be a whole number ≥ 1; got '${options.limit}'`);
  const store = loadStore(findRoot(process.cwd(), options.root));
  const { analyze } = await import('../analyze/index.js');
  const { findSimilar } = await import('../analyze/similar.js');
  const entries = recordsOf(store, 'feedback').map((r) => r.data);
  const antiPatterns = recordsOf(store, 'anti-pattern').map((r) => r.data);
  const patterns = analyze(entries, antiPatterns, { minFrequency: store.config.min_frequency, severities: store.config.severities }).patterns;
  // Incidents and ticket patterns ("have we seen this outage before?") are searched as entries of their own.
  const { historyEntries } = await import('../measure/similar-history.js');
  const history = historyEntries(
    recordsOf(store, 'incident').map((r) => r.data),
    recordsOf(store, 'ticket-pattern').map((r) => r.data),
  );
  const matches = findSimilar(text, [...entries, ...history.entries], patterns, antiPatterns, limit).map((m) => history.relabel(m));
  if (options.format === 'json') {
    process.stdout.write(`${JSON.stringify({ query: text, matches }, null, 2)}\n`);
    return;
  }
  if (matches.length === 0) {
    process.stderr.write('nothing similar on record\n');
    return;
  }
  for (const m of matches) process.stdout.write(`${m.score.toFixed(2)}  ${m.kind.padEnd(14)} ${m.id.padEnd(24)} ${m.text}\n`);
}
