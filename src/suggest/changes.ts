import { stringify } from 'yaml';
import type { Analysis, Pattern } from '../analyze/index.js';
import type { AntiPatternRecord, FeedbackRecord } from '../types/records.js';
import { draftAntiPattern, nameOf, nextIds, skillSection, type Synthesized } from './draft.js';

/** One file the suggestions add or change, relative to the project root. */
export interface FileChange {
  path: string;
  /** undefined for a new file. */
  before: string | undefined;
  after: string;
}

export interface SuggestionInput {
  analysis: Analysis;
  entries: ReadonlyMap<string, FeedbackRecord>;
  antiPatternIds: readonly string[];
  skills: Readonly<Record<string, string>>;
  generated: string;
  /** Current content of a project file (skill documents), or undefined if it does not exist. */
  read: (path: string) => string | undefined;
  /** `$schema` reference for the new records, relative to the anti-patterns folder, if any. */
  schemaRef?: string;
  /** Detectors synthesized from each new pattern's code (by pattern id), when it had code that separates. */
  synthesized?: ReadonlyMap<string, Synthesized>;
}

export interface Suggestions {
  changes: FileChange[];
  /** Pattern id → proposed anti-pattern id. */
  proposals: Map<string, string>;
}

const ENFORCE_HELP = `# How to enforce it: add detectors (any match is a violation) and examples, then review and
# approve it. Detector kinds (see the README):
#   enforce:
#     files: ["src/**/*.ts"]
#     detect:
#       - pattern: "gateway.charge($PAYMENT)"          # code; $NAME matches one node, $$$ any sequence
#         not: "gateway.charge($PAYMENT, { idempotencyKey: $KEY })"
#       - selector: "CallExpression[callee.name='eval']"   # esquery, as no-restricted-syntax
#       - import: { from: legacy-payments }
#       - regex: "TODO\\\\(nobody\\\\)"                      # any file type
`;

/** The YAML text of a proposed record: fields in the schema's order, and its detectors or how to add them. */
export function proposalText(record: AntiPatternRecord, schemaRef?: string): string {
  const { enforce, review, examples, occurrences_in_codebase: occurrences, ...rest } = record;
  const head = schemaRef ? `# yaml-language-server: $schema=${schemaRef}\n` : '';
  const proposedBy = '# Proposed by `failures analyze`: review it in git, then `failures approve` or `failures reject`.\n';
  const codebase = review?.evidence?.codebase;
  const enforceText = enforce?.detect?.length
    ? `# Detectors synthesized from the entries' code (edit them, or re-run \`failures synth\` with more examples):\n# each flags every bad example below and no good one${codebase ? `; together they would flag ${codebase.places} place${codebase.places === 1 ? '' : 's'} in ${codebase.files} file${codebase.files === 1 ? '' : 's'} now (first ones in occurrences_in_codebase)` : ''}.\n${stringify({ enforce }, { lineWidth: 100 })}`
    : `${ENFORCE_HELP}enforce: {}\n`;
  const rest2 = stringify({ ...(examples ? { examples } : {}), ...(occurrences ? { occurrences_in_codebase: occurrences } : {}) }, { lineWidth: 100 });
  return `${head}${proposedBy}${stringify(rest, { lineWidth: 100 })}${enforceText}${examples || occurrences ? rest2 : ''}${stringify({ review }, { lineWidth: 100 })}`;
}

/**
 * One name per proposal: patterns whose short names are the same (log lines that differ after 60
 * characters) are named at full length, and by their id when even that is the same.
 */
function distinctNames(patterns: readonly Pattern[], ids: readonly string[]): string[] {
  const count = (names: readonly string[]) => names.reduce((m, n) => m.set(n, (m.get(n) ?? 0) + 1), new Map<string, number>());
  const short = patterns.map((p) => nameOf(p));
  const shortCount = count(short);
  const long = patterns.map((p, i) => (shortCount.get(short[i]!)! > 1 ? nameOf(p, 200) : short[i]!));
  const longCount = count(long);
  return long.map((name, i) => (longCount.get(name)! > 1 ? `${name} (${ids[i]})` : name));
}

/** Patterns that deserve a new proposal: no anti-pattern yet, or outgrown a rejected one. */
export function newPatterns(analysis: Analysis, minFrequency: number): Pattern[] {
  return analysis.patterns.filter((p) => p.status === 'new' && p.occurrences >= minFrequency);
}

/**
 * The file changes the suggestions make: one proposed anti-pattern record per new pattern and, where
 * config.yaml maps the category to a skill document, the suggested section appended to it.
 */
export function suggestChanges(input: SuggestionInput, minFrequency: number): Suggestions {
  const fresh = newPatterns(input.analysis, minFrequency);
  const ids = nextIds(input.antiPatternIds, fresh.length);
  const proposals = new Map<string, string>();
  const changes: FileChange[] = [];
  const sections = new Map<string, string[]>();
  const names = distinctNames(fresh, ids);
  fresh.forEach((pattern, i) => {
    const id = ids[i]!;
    proposals.set(pattern.id, id);
    const entries = pattern.entries.map((e) => input.entries.get(e)!).filter(Boolean);
    const record = draftAntiPattern(id, pattern, entries, input.analysis.sessions, input.generated, input.synthesized?.get(pattern.id), names[i]);
    changes.push({ path: `.failures/anti-patterns/${id}.yaml`, before: undefined, after: proposalText(record, input.schemaRef) });
    const skill = input.skills[pattern.category];
    if (skill) sections.set(skill, [...(sections.get(skill) ?? []), skillSection(pattern, id, entries, names[i])]);
  });
  for (const [path, added] of [...sections.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    const before = input.read(path);
    const base = before === undefined ? `# ${path.replace(/^.*\//, '').replace(/\.md$/, '')}\n` : before.endsWith('\n') ? before : `${before}\n`;
    changes.push({ path, before, after: `${base}\n${added.join('\n')}` });
  }
  return { changes, proposals };
}
