import type { Config } from '../store/config.js';
import type { LinkSuggestion } from '../analyze/suggest-links.js';

/** Above this many entries in the category, logging does not look for patterns (links and entries still count). */
const ANALYZE_LIMIT = 5000;

/**
 * The known groups nearest to a text about to be logged (see suggestLinks), among the entries and
 * anti-patterns of its category (patterns never span categories); [] on an empty store.
 */
export async function nearestGroups(text: string, root: string, config: Config, limit = 3, category?: string): Promise<LinkSuggestion[]> {
  const { loadStore, recordsOf } = await import('../store/read.js');
  const { suggestLinks } = await import('../analyze/suggest-links.js');
  const store = loadStore(root, { kinds: ['feedback', 'anti-pattern'] });
  const entries = recordsOf(store, 'feedback')
    .map((r) => r.data)
    .filter((e) => !category || e.category === category);
  const antiPatterns = recordsOf(store, 'anti-pattern')
    .map((r) => r.data)
    .filter((ap) => !category || !ap.category || ap.category === category);
  if (entries.length === 0 && antiPatterns.length === 0) return [];
  let patterns: import('../analyze/index.js').Pattern[] = [];
  if (entries.length <= ANALYZE_LIMIT) {
    const { analyze } = await import('../analyze/index.js');
    patterns = analyze(entries, antiPatterns, { minFrequency: 2, severities: config.severities }).patterns;
  }
  const { embeddingsFor } = await import('./embeddings.js');
  const { entryText, apText } = await import('../analyze/similar.js');
  const vectors = await embeddingsFor(root, config, [text, ...entries.map(entryText), ...antiPatterns.map(apText)]);
  return suggestLinks(text, entries, patterns, antiPatterns, limit, vectors);
}

/** The suggestions as lines for stderr: id, score, text, and the flag that links to the group. */
export function formatSuggestions(suggestions: readonly LinkSuggestion[]): string {
  if (suggestions.length === 0) return '';
  const lines = suggestions.map((s) => `  ${s.score.toFixed(2)}  ${s.kind.padEnd(12)} ${s.id}  ${s.text}\n        link with: failures log ${s.link.flag} ${s.link.value} …`);
  return `possibly seen before (nearest known, best first):\n${lines.join('\n')}\n`;
}
