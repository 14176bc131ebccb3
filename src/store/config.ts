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
  /** Severity → level (error, warn) of findings; missing severities take the defaults. */
  levels: Record<string, 'error' | 'warn'>;
}

export function resolveConfig(record: ConfigRecord | undefined): Config {
  return {
    version: 1,
    min_frequency: record?.min_frequency ?? DEFAULT_MIN_FREQUENCY,
    categories: record?.categories ?? DEFAULT_CATEGORIES,
    severities: record?.severities ?? DEFAULT_SEVERITIES,
    skills: (record?.skills as Record<string, string> | undefined) ?? {},
    ...(record?.docs_url ? { docs_url: record.docs_url } : {}),
    levels: (record?.levels as Record<string, 'error' | 'warn'> | undefined) ?? {},
  };
}

/** The text `failures init` writes: every setting present and explained, so people can edit it. */
export function initialConfigText(schemaRef: string | undefined): string {
  const lines = [
    ...(schemaRef ? [`# yaml-language-server: $schema=${schemaRef}`] : []),
    '# failures configuration. Reference: the schema above, and `failures --help`.',
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
