import type { Command } from 'commander';
import { FailuresError, type Problem } from '../errors.js';
import { findRoot } from '../store/find.js';
import { loadStore, recordsOf } from '../store/read.js';
import { formatOption, warnAboutInvalidRecords } from './output.js';

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

/**
 * The recorded entries, patterns, anti-patterns, incidents and ticket patterns nearest to a text,
 * blended with embeddings when config.yaml names a provider. Shared with the MCP server's `similar`.
 */
export async function searchSimilar(root: string, text: string, limit: number, onProblems?: (problems: Problem[]) => void) {
  const store = loadStore(root);
  onProblems?.(store.problems);
  const [{ analyze }, { findSimilar, entryText, apText }, { historyEntries }, { embeddingsFor }] = await Promise.all([
    import('../analyze/index.js'),
    import('../analyze/similar.js'),
    import('../measure/similar-history.js'),
    import('./embeddings.js'),
  ]);
  const entries = recordsOf(store, 'feedback').map((r) => r.data);
  const antiPatterns = recordsOf(store, 'anti-pattern').map((r) => r.data);
  const patterns = analyze(entries, antiPatterns, { minFrequency: store.config.min_frequency, severities: store.config.severities }).patterns;
  // Incidents and ticket patterns ("have we seen this outage before?") are searched as entries of their own.
  const history = historyEntries(
    recordsOf(store, 'incident').map((r) => r.data),
    recordsOf(store, 'ticket-pattern').map((r) => r.data),
  );
  const searched = [...entries, ...history.entries];
  const vectors = await embeddingsFor(store.root, store.config, [text, ...searched.map(entryText), ...antiPatterns.map(apText)]);
  return findSimilar(text, searched, patterns, antiPatterns, limit, undefined, vectors).map((m) => {
    const match = history.relabel(m);
    return { ...match, text: clip(match.text) };
  });
}

/** The longest text a match or a query is shown with: the record itself is one id away. */
const SHOWN = 400;

/**
 * A text cut to {@link SHOWN} characters, saying how much was left out: a 5 MB entry or query is
 * never printed or sent back whole (an agent's client closed the connection on 20 MB).
 */
export function clip(text: string): string {
  if (text.length <= SHOWN) return text;
  const cut = text.slice(0, SHOWN).replace(/[\uD800-\uDBFF]$/, '');
  return `${cut}… (${text.length - cut.length} more characters)`;
}

async function run(text: string, options: SimilarOptions): Promise<void> {
  const limit = Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new FailuresError(`--limit must be a whole number ≥ 1; got '${options.limit}'`);
  if (text.trim() === '') throw new FailuresError('the text to search for is empty', { hint: 'say what went wrong: failures similar "payment charged twice after a timeout"' });
  const matches = await searchSimilar(findRoot(process.cwd(), options.root), text, limit, warnAboutInvalidRecords);
  if (options.format === 'json') {
    process.stdout.write(`${JSON.stringify({ query: clip(text), matches }, null, 2)}\n`);
    return;
  }
  if (matches.length === 0) {
    process.stderr.write('nothing similar on record\n');
    return;
  }
  for (const m of matches) process.stdout.write(`${m.score.toFixed(2)}  ${m.kind.padEnd(14)} ${m.id.padEnd(24)} ${m.text.replace(/\s+/g, ' ')}\n`);
}
