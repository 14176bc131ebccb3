import type { ConfigRecord } from '../types/records.js';

/** The seed's seven categories. */
export const DEFAULT_CATEGORIES = ['Testing', 'Architecture', 'Security', 'Performance', 'API', 'Naming', 'Documentation'];
/** Lowest first: the order ranks severities for priority. */
export const DEFAULT_SEVERITIES = ['low', 'medium', 'high'];
export const FEEDBACK_TYPES = ['mistake', 'repetition', 'clarification'] as const;
export const DEFAULT_MIN_FREQUENCY = 3;

/** config.yaml with every default filled in. */
export interface Config {
  version: 1;
  min_frequency: number;
  categories: string[];
  severities: string[];
  skills: Record<string, string>;
  docs_url?: string;
  /** An OpenAI-compatible embeddings endpoint, when configured (optional; see the schema). */
  embeddings?: { url: string; model: string; api_key_env?: string; threshold?: number };
  /** Severity → level (error, warn) of findings; missing severities take the defaults. */
  levels: Record<string, 'error' | 'warn'>;
}

export function resolveConfig(record: ConfigRecord | undefined): Config {
  return {
    version: 1,
    min_frequency: record?.min_frequency ?? DEFAULT_MIN_FREQUENCY,
    categories: record?.categories ?? DEFAULT_CATEGORIES,
    severities: record?.severities ?? DEFAULT_SEVERITIES,
    // A skill path that leaves the repository is never read (validate reports it).
    skills: Object.fromEntries(Object.entries((record?.skills as Record<string, string> | undefined) ?? {}).filter(([, path]) => isInsideRepository(path))),
    ...(record?.docs_url ? { docs_url: record.docs_url } : {}),
    ...(record?.embeddings ? { embeddings: record.embeddings } : {}),
    levels: (record?.levels as Record<string, 'error' | 'warn'> | undefined) ?? {},
  };
}

/** The text `failures init` writes: every setting present and explained, so people can edit it. */
export function initialConfigText(schemaRef: string | undefined): string {
  const lines = [
    ...(schemaRef ? [`# yaml-language-server: $schema=${schemaRef}`] : []),
    // The schema line is there only when failures is installed in the project (node_modules/failures).
    `# failures configuration. Reference: ${schemaRef ? 'the schema above' : 'schemas/config.schema.json in the failures package'}, and \`failures --help\`.`,
    'version: 1',
    '',
    '# How many similar entries make a recurring pattern, and the evidence an anti-pattern needs',
    '# before it can be approved.',
    `min_frequency: ${DEFAULT_MIN_FREQUENCY}`,
    '',
    '# Categories for feedback entries and anti-patterns. Add your own.',
    'categories:',
    ...DEFAULT_CATEGORIES.map((c) => `  - ${c}`),
    '',
    '# Severities, lowest first: the order ranks them when patterns are prioritised.',
    'severities:',
    ...DEFAULT_SEVERITIES.map((s) => `  - ${s}`),
    '',
    '# Category -> the skill or guideline document (repository-relative) that `failures analyze --diff`',
    '# appends suggested sections to, e.g.  Testing: docs/skills/tdd.md',
    'skills: {}',
    '',
  ];
  return lines.join('\n');
}

/** A repository-relative path that stays inside it: not absolute, no `..` above the top, no drive or URL. */
export function isInsideRepository(path: string): boolean {
  if (typeof path !== 'string' || path === '' || /^([A-Za-z]:|[\\/]|~|[a-z]+:\/\/)/.test(path)) return false;
  let depth = 0;
  for (const part of path.split(/[\\/]/)) {
    if (part === '..') depth--;
    else if (part !== '.' && part !== '') depth++;
    if (depth < 0) return false;
  }
  return true;
}
