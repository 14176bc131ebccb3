import type { Analysis, Pattern } from '../analyze/index.js';
import type { Config } from '../store/config.js';
import type { AntiPatternRecord, FeedbackRecord } from '../types/records.js';

/**
 * The analysis `failures analyze` makes of the feedback: what the people of this repository linked
 * (learned terms) and, when config.yaml names a provider, embeddings of the corrections.
 * Shared by the command and the MCP server's `analyze` tool so both see the same patterns.
 */
export async function analyzeRecords(
  root: string,
  config: Config,
  entries: FeedbackRecord[],
  antiPatterns: AntiPatternRecord[],
  options: { minFrequency: number; category?: string; since?: string },
): Promise<Analysis> {
  const [{ analyze, embeddingText }, { embeddingsFor }, { DEFAULT_EMBEDDING_THRESHOLD }, { isMachineMessage }, { learnedTerms }, { learnAssociations }] = await Promise.all([
    import('../analyze/index.js'),
    import('./embeddings.js'),
    import('../analyze/embeddings.js'),
    import('../analyze/templates.js'),
    import('../store/learned-cache.js'),
    import('../analyze/learn.js'),
  ]);
  // Only corrections are grouped by meaning: only they are embedded.
  const vectors = await embeddingsFor(root, config, entries.filter((e) => !isMachineMessage(e)).map(embeddingText));
  const learned = learnedTerms(root, entries, antiPatterns, () => learnAssociations(entries, antiPatterns));
  return analyze(entries, antiPatterns, {
    ...options,
    learned,
    severities: config.severities,
    ...(vectors ? { embeddings: { vectors, threshold: config.embeddings?.threshold ?? DEFAULT_EMBEDDING_THRESHOLD } } : {}),
  });
}

/** `analyze --format json`, documented in the README: scripts and agents depend on its shape. */
export function analysisJson(analysis: Analysis, generated: string | undefined, proposalOf: (patternId: string) => string | undefined = () => undefined) {
  return {
    ...(generated ? { generated } : {}),
    entries: analysis.entries,
    sessions: analysis.sessions,
    patterns: analysis.patterns.map((p: Pattern) => ({
      id: p.id,
      category: p.category,
      label: p.label,
      occurrences: p.occurrences,
      sessions: p.sessions,
      frequency: p.frequency,
      severity: p.severity,
      priority: p.priority,
      confidence: p.confidence,
      entries: p.entries,
      examples: p.examples,
      anti_pattern: p.anti_pattern ?? proposalOf(p.id) ?? null,
      status: p.status,
      kind: p.kind,
      cohesion: p.cohesion,
      first_seen: p.first_seen,
      last_seen: p.last_seen,
      ...(p.since_decision !== undefined ? { since_decision: p.since_decision } : {}),
    })),
    uncertain: analysis.uncertain,
  };
}
