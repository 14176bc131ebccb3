import { createHash } from 'node:crypto';
import esquery from 'esquery';
import picomatch from 'picomatch';
import safeRegex from 'safe-regex2';
import type { AntiPatternRecord, IncidentRecord } from '../types/records.js';
import { compilePattern, PatternError, type CodePattern } from './pattern.js';
import { parserKey, type ParserFamily } from './parsers.js';

export const CODE_FILES = '**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}';
/** Never checked: the records themselves quote the code they forbid. */
export const ALWAYS_IGNORED = ['.failures/**', '**/node_modules/**', '**/.git/**'];

type Detector = NonNullable<NonNullable<AntiPatternRecord['enforce']>['detect']>[number];
type Selector = ReturnType<typeof esquery.parse>;

/** An enclosing node a match must (or must not) be inside. */
export type Scope = { kind: 'pattern'; patterns: PatternCache } | { kind: 'selector'; selector: Selector; source: string };

/** A pattern source compiled lazily once per parser (JS, JSX, TS, TSX…). */
export class PatternCache {
  private readonly compiled = new Map<string, CodePattern | PatternError>();
  constructor(readonly source: string) {}

  /**
   * The pattern for files like `filename` parsed by `family`; undefined if it does not parse there
   * (then it cannot match there).
   */
  for(filename: string, family: ParserFamily = 'eslint'): CodePattern | undefined {
    const key = parserKey(filename, family);
    if (!key) return undefined;
    let entry = this.compiled.get(key);
    if (!entry) {
      try {
        entry = compilePattern(this.source, filename, family);
      } catch (error) {
        entry = error instanceof PatternError ? error : new PatternError(String(error));
      }
      this.compiled.set(key, entry);
    }
    return entry instanceof PatternError ? undefined : entry;
  }

  /** Why the pattern fails for files like `filename`, if it does. */
  errorFor(filename: string, family: ParserFamily = 'eslint'): string | undefined {
    this.for(filename, family);
    const entry = this.compiled.get(parserKey(filename, family) ?? '');
    return entry instanceof PatternError ? entry.message : undefined;
  }
}

interface DetectorBase {
  /** Index in enforce.detect, for messages that point at the record. */
  index: number;
  message: string;
  /** Is this file (repository-relative, forward slashes) checked by this detector? */
  applies(file: string): boolean;
  /** The same, ignoring the globs: can this detector read this kind of file at all (examples are tested so)? */
  reads(file: string): boolean;
  /** Strings every file with a match contains: a cheap test that spares parsing most files. */
  literals: string[];
}

export type CompiledDetector =
  | (DetectorBase & { kind: 'pattern'; pattern: PatternCache; not: PatternCache[]; inside?: Scope; notInside?: Scope })
  | (DetectorBase & { kind: 'selector'; selector: Selector; source: string; inside?: Scope; notInside?: Scope })
  | (DetectorBase & { kind: 'import'; from: string; matches(specifier: string): boolean; names?: string[] })
  | (DetectorBase & { kind: 'regex'; regex: RegExp });

/** One approved anti-pattern, ready to run: one lint rule. */
export interface CompiledRule {
  id: string;
  /** failures/ap-001 */
  ruleId: string;
  name: string;
  description: string;
  message: string;
  severity?: string;
  category?: string;
  detectors: CompiledDetector[];
  record: AntiPatternRecord;
}

/** A detector that cannot be compiled: the store maps `path` to its line in the record. */
export interface CompileIssue {
  id: string;
  path: Array<string | number>;
  message: string;
  fix?: string;
}

export function ruleIdOf(id: string): string {
  return `failures/${id.toLowerCase()}`;
}

/** Fills {id}, {name}, {description}, {incidents}, {impact}, {category}, {severity} in a message template. */
export function renderMessage(template: string, record: AntiPatternRecord, incidents: ReadonlyMap<string, IncidentRecord>): string {
  const origin = record.origin?.incidents ?? [];
  const impact = origin
    .map((id) => incidents.get(id))
    .filter((i): i is IncidentRecord => i !== undefined)
    .map((i) => [i.customer_impact, i.financial_impact].filter(Boolean).join(', '))
    .filter(Boolean)
    .join('; ');
  const values: Record<string, string> = {
    id: record.id,
    name: record.name,
    description: record.description,
    incidents: origin.join(', '),
    impact,
    category: record.category ?? '',
    severity: record.severity ?? '',
  };
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (Object.hasOwn(values, key) ? values[key]! : whole));
}

/** Without a message of its own, a rule says what it is and where it came from. */
function defaultTemplate(record: AntiPatternRecord, incidents: ReadonlyMap<string, IncidentRecord>): string {
  const origin = record.origin?.incidents ?? [];
  const known = origin.filter((id) => incidents.has(id));
  const see = origin.length === 0 ? '' : ` — see {incidents}${known.length > 0 && renderMessage('{impact}', record, incidents) ? ' ({impact})' : ''}`;
  return `{id} {name}: {description}${see}`;
}

function globMatcher(globs: readonly string[] | undefined): ((file: string) => boolean) | undefined {
  if (!globs || globs.length === 0) return undefined;
  return picomatch(globs as string[], { dot: true });
}

const alwaysIgnored = picomatch(ALWAYS_IGNORED, { dot: true });
const codeFiles = picomatch(CODE_FILES, { dot: true });

/** The text a file must contain for an esquery selector to match: names and strings it compares with `=`. */
function selectorLiterals(source: string): string[] {
  // Alternatives (:matches, :not, ,) make any literal optional: require nothing then.
  if (/:matches|:is|:not|:has|,/.test(source)) return [];
  const out: string[] = [];
  for (const m of source.matchAll(/\[[\w.]+\s*=\s*(?:'([^']+)'|"([^"]+)"|([A-Za-z_$][\w$]*))\s*\]/g)) {
    const value = m[1] ?? m[2] ?? m[3];
    if (value && value.length >= 2 && !/^(true|false|null)$/.test(value)) out.push(value);
  }
  return out;
}

function importLiterals(from: string): string[] {
  const prefix = /^[^*?[{!]+/.exec(from)?.[0] ?? '';
  return prefix.length >= 2 ? [prefix] : [];
}

function compileScope(value: Detector['inside']): Scope | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return { kind: 'pattern', patterns: new PatternCache(value) };
  if (value.selector) return { kind: 'selector', selector: esquery.parse(value.selector), source: value.selector };
  return { kind: 'pattern', patterns: new PatternCache(value.pattern!) };
}

/**
 * Compiles approved anti-patterns into rules. A detector that cannot work (a selector or regex that
 * does not parse, a regex that can backtrack catastrophically, a pattern that parses as no language)
 * is left out of its rule and returned as an issue, so one bad record never stops the others.
 */
export function compileRules(
  antiPatterns: readonly AntiPatternRecord[],
  incidents: ReadonlyMap<string, IncidentRecord> = new Map(),
): { rules: CompiledRule[]; issues: CompileIssue[] } {
  const rules: CompiledRule[] = [];
  const issues: CompileIssue[] = [];
  for (const record of antiPatterns) {
    if (record.status !== 'approved') continue;
    const enforce = record.enforce ?? {};
    const template = enforce.message ?? defaultTemplate(record, incidents);
    const ruleFiles = globMatcher(enforce.files);
    const ruleIgnore = globMatcher(enforce.ignore);
    const detectors: CompiledDetector[] = [];
    (enforce.detect ?? []).forEach((detector, index) => {
      const path = ['enforce', 'detect', index];
      const files = globMatcher(detector.files) ?? ruleFiles;
      const ignore = globMatcher(detector.ignore);
      const isCode = detector.regex === undefined;
      const reads = (file: string) => !isCode || codeFiles(file);
      const applies = (file: string) =>
        reads(file) && !alwaysIgnored(file) && !(ruleIgnore?.(file) ?? false) && !(ignore?.(file) ?? false) && (files ? files(file) : true);
      const message = renderMessage(detector.message ?? template, record, incidents);
      try {
        if (detector.pattern !== undefined) {
          const pattern = new PatternCache(detector.pattern);
          // Checked with the fast parser: compiling never has to load TypeScript.
          const error = pattern.errorFor('x.ts', 'fast') && pattern.errorFor('x.jsx', 'fast') ? pattern.errorFor('x.ts', 'fast') : undefined;
          if (error) throw new DetectorError([...path, 'pattern'], error, 'write code that parses, with $NAME for a variable part and ... for any sequence');
          const not = detector.not === undefined ? [] : (Array.isArray(detector.not) ? detector.not : [detector.not]).map((n) => new PatternCache(n));
          detectors.push({
            kind: 'pattern',
            index,
            message,
            applies,
            reads,
            literals: pattern.for('x.ts', 'fast')?.literals ?? pattern.for('x.jsx', 'fast')?.literals ?? [],
            pattern,
            not,
            ...scopes(detector, path),
          });
        } else if (detector.selector !== undefined) {
          let selector: Selector;
          try {
            selector = esquery.parse(detector.selector);
          } catch (error) {
            throw new DetectorError([...path, 'selector'], `the selector does not parse: ${(error as Error).message.split('\n')[0]}`, 'write an esquery selector as ESLint\'s no-restricted-syntax takes it, e.g. "CallExpression[callee.name=\'eval\']"');
          }
          detectors.push({ kind: 'selector', index, message, applies, reads, literals: selectorLiterals(detector.selector), selector, source: detector.selector, ...scopes(detector, path) });
        } else if (detector.import !== undefined) {
          const spec = typeof detector.import === 'string' ? { from: detector.import } : detector.import;
          const exact = !/[*?[{!]/.test(spec.from);
          const glob = exact ? undefined : picomatch(spec.from);
          detectors.push({
            kind: 'import',
            index,
            message,
            applies,
            reads,
            literals: importLiterals(spec.from),
            from: spec.from,
            matches: (specifier) => (glob ? glob(specifier) : specifier === spec.from),
            ...(spec.names ? { names: spec.names } : {}),
          });
        } else if (detector.regex !== undefined) {
          detectors.push({ kind: 'regex', index, message, applies, reads, literals: [], regex: compileRegex(detector.regex, detector.flags, [...path, 'regex']) });
        }
      } catch (error) {
        if (!(error instanceof DetectorError)) throw error;
        issues.push({ id: record.id, path: error.path, message: error.message, ...(error.fix ? { fix: error.fix } : {}) });
      }
    });
    rules.push({
      id: record.id,
      ruleId: ruleIdOf(record.id),
      name: record.name,
      description: record.description,
      message: renderMessage(template, record, incidents),
      ...(record.severity ? { severity: record.severity } : {}),
      ...(record.category ? { category: record.category } : {}),
      detectors,
      record,
    });
  }
  return { rules, issues };
}

class DetectorError extends Error {
  constructor(
    readonly path: Array<string | number>,
    message: string,
    readonly fix?: string,
  ) {
    super(message);
  }
}

function scopes(detector: Detector, path: Array<string | number>): { inside?: Scope; notInside?: Scope } {
  const out: { inside?: Scope; notInside?: Scope } = {};
  for (const [key, field] of [['inside', 'inside'], ['notInside', 'not_inside']] as const) {
    try {
      const scope = compileScope(detector[field]);
      if (scope) out[key] = scope;
    } catch (error) {
      throw new DetectorError([...path, field], `the ${field} selector does not parse: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return out;
}

function compileRegex(source: string, flags: string | undefined, path: Array<string | number>): RegExp {
  let regex: RegExp;
  try {
    // Line by line, like grep: ^ and $ are line boundaries.
    regex = new RegExp(source, `${[...new Set(`${flags ?? ''}gm`)].join('')}`);
  } catch (error) {
    throw new DetectorError(path, `the regex does not parse: ${(error as Error).message}`);
  }
  if (!safeRegex(regex)) {
    throw new DetectorError(path, 'the regex can backtrack catastrophically (nested or overlapping repetition), so it could hang the check', 'remove nested quantifiers such as (a+)+ or (\\w|\\d)*; match less, or use a pattern detector');
  }
  return regex;
}

/** A hash of what the rules enforce: ESLint's cache keys plugins by name and version, so this goes in meta.version. */
export function rulesHash(records: readonly AntiPatternRecord[]): string {
  const approved = records.filter((r) => r.status === 'approved').map((r) => ({ id: r.id, name: r.name, description: r.description, enforce: r.enforce, origin: r.origin }));
  approved.sort((a, b) => a.id.localeCompare(b.id));
  return createHash('sha256').update(JSON.stringify(approved)).digest('hex').slice(0, 12);
}
