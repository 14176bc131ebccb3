import { createHash } from 'node:crypto';
import picomatch from 'picomatch';
import type { AntiPatternRecord, IncidentRecord } from '../types/records.js';
import { astGrepLanguageOf, extensionsOf, isJsFamily, JS_FAMILY, LANGUAGE_NAMES, languageByName, languagesOfGlobs } from './languages.js';
import { compileLinear, RegexError, type LinearRegex } from './linear-regex.js';
import { compileSelector, SelectorError, type Selector } from './selector.js';
import { closest } from '../errors.js';
import { StructuralDetector, type AstGrepRule } from './structural.js';
import { importTree, treeSelector, type Grammar, type TreeMatcher } from './tree-selector.js';

export const CODE_FILES = '**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}';
/** Never checked: the records themselves quote the code they forbid. */
export const ALWAYS_IGNORED = ['.failures/**', '**/node_modules/**', '**/.git/**'];
/** Longer globs are refused in their record (picomatch would throw for every rule). */
export const MAX_GLOB_LENGTH = 4096;

type Detector = NonNullable<NonNullable<AntiPatternRecord['enforce']>['detect']>[number];

/** An enclosing node (esquery, JS/TS only) a structural match must, or must not, be inside. */
export interface SelectorScopes {
  inside?: Selector;
  notInside?: Selector;
}

interface DetectorBase {
  /** Index in enforce.detect, for messages that point at the record. */
  index: number;
  message: string;
  /** Is this file (repository-relative, forward slashes) checked by this detector? */
  applies(file: string): boolean;
  /** Globs and language only, never compiling anything: may this detector apply (a cheap superset of applies)? */
  scope(file: string): boolean;
  /** The same, ignoring the globs: can this detector read this kind of file at all (examples are tested so)? */
  reads(file: string): boolean;
  /** Strings every file with a match contains: a cheap test that spares parsing most files. */
  literals: string[];
}

/** An enclosing node a match must (or must not) be inside, found by its range. */
export type Scope = { kind: 'selector'; selector: Selector; source: string } | { kind: 'structural'; structural: StructuralDetector; language?: string };

export interface Scopes {
  inside?: Scope;
  notInside?: Scope;
}

/** Where a regex detector looks in languages ast-grep parses. */
export type RegexArea = 'code' | 'comments' | 'strings' | 'any';

export type CompiledDetector =
  | (DetectorBase & {
      kind: 'pattern';
      structural: StructuralDetector;
      /** The language files are parsed as: the detector's `language`, else the file's by extension. */
      languageOf(file: string): string | undefined;
      fix?: string;
      scopes: Scopes;
    })
  | (DetectorBase & {
      kind: 'selector';
      selector: Selector;
      source: string;
      hasRegex: boolean;
      scopes: Scopes;
      requires: string[][];
      /** The selector answered from a JS/TS grammar's tree-sitter tree, where that is exact (tree-selector.ts). */
      tree(grammar: Grammar): TreeMatcher[] | undefined;
    })
  | (DetectorBase & {
      kind: 'import';
      from: string;
      matches(specifier: string): boolean;
      names?: string[];
      /** One module, no names: answered from the file's tree-sitter tree (tree-selector.ts). */
      tree?: (grammar: Grammar) => TreeMatcher[];
    })
  | (DetectorBase & { kind: 'regex'; regex: LinearRegex; area: RegexArea });

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
  /** What a finding is: an error blocks (exit 1, the hook), a warning reports. */
  level: Level;
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

export type Level = 'error' | 'warn';

/** Severity → level, as config.yaml's enforcement.levels says (default: high and medium block, low warns). */
export const DEFAULT_LEVELS: Readonly<Record<string, Level>> = { critical: 'error', high: 'error', medium: 'error', low: 'warn' };

export function levelOf(severity: string | undefined, levels: Readonly<Record<string, Level>> = {}): Level {
  const key = severity ?? 'medium';
  return levels[key] ?? DEFAULT_LEVELS[key] ?? 'error';
}

export function ruleIdOf(id: string): string {
  return `failures/${id.toLowerCase()}`;
}

/** Fills {id}, {name}, {description}, {incidents}, {impact}, {category}, {severity} in a message template. */
/** The `{…}` a message may hold (renderMessage fills each; validate warns about any other). */
export const MESSAGE_PLACEHOLDERS = ['id', 'name', 'description', 'incidents', 'impact', 'category', 'severity'] as const;

export function renderMessage(template: string, record: AntiPatternRecord, incidents: ReadonlyMap<string, IncidentRecord>): string {
  const origin = record.origin?.incidents ?? [];
  const impact = origin
    .map((id) => incidents.get(id))
    .filter((i): i is IncidentRecord => i !== undefined)
    .map((i) => [i.customer_impact, i.financial_impact].filter(Boolean).join(', '))
    .filter(Boolean)
    .join('; ');
  const values: Record<(typeof MESSAGE_PLACEHOLDERS)[number], string> = {
    id: record.id,
    name: record.name,
    description: record.description,
    incidents: origin.join(', '),
    impact,
    category: record.category ?? '',
    severity: record.severity ?? '',
  };
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (Object.hasOwn(values, key) ? values[key as keyof typeof values] : whole));
}

/** Without a message of its own, a rule says what it is and where it came from. */
function defaultTemplate(record: AntiPatternRecord, incidents: ReadonlyMap<string, IncidentRecord>): string {
  const origin = record.origin?.incidents ?? [];
  const known = origin.filter((id) => incidents.has(id));
  const see = origin.length === 0 ? '' : ` — see {incidents}${known.length > 0 && renderMessage('{impact}', record, incidents) ? ' ({impact})' : ''}`;
  return `{id} {name}: {description}${see}`;
}

function globMatcher(globs: readonly string[] | undefined, path: Array<string | number>): ((file: string) => boolean) | undefined {
  if (!globs || globs.length === 0) return undefined;
  globs.forEach((glob, i) => {
    if (glob.length > MAX_GLOB_LENGTH) throw new DetectorError([...path, i], `the glob is ${glob.length.toLocaleString('en')} characters long (at most ${MAX_GLOB_LENGTH})`);
  });
  const key = JSON.stringify(globs);
  let matcher = MATCHERS.get(key);
  if (!matcher) {
    try {
      matcher = remembered(picomatch(globs as string[], { dot: true }));
    } catch (error) {
      throw new DetectorError(path, `a glob does not compile: ${(error as Error).message}`);
    }
    if (MATCHERS.size >= MAX_REMEMBERED) MATCHERS.clear();
    MATCHERS.set(key, matcher);
  }
  return matcher;
}

/** Bounds what the memos below hold in a long-lived process (the ESLint plugin, the MCP server). */
const MAX_REMEMBERED = 50_000;
/** Rules usually share their globs: one matcher (and one memo) per list of globs. */
const MATCHERS = new Map<string, (file: string) => boolean>();

/** A glob matcher that answers each path once: every detector of every rule asks it about every file. */
function remembered(match: (file: string) => boolean): (file: string) => boolean {
  const answers = new Map<string, boolean>();
  return (file) => {
    let answer = answers.get(file);
    if (answer === undefined) {
      if (answers.size >= MAX_REMEMBERED) answers.clear();
      answers.set(file, (answer = match(file)));
    }
    return answer;
  };
}

const alwaysIgnored = remembered(picomatch(ALWAYS_IGNORED, { dot: true }));
const codeFiles = remembered(picomatch(CODE_FILES, { dot: true }));
const LANGUAGE_FILES = new Map<string, (file: string) => boolean>();
/** Files of a language by extension (a detector's `language` without globs). */
function languageFiles(language: string): (file: string) => boolean {
  let match = LANGUAGE_FILES.get(language);
  if (!match) LANGUAGE_FILES.set(language, (match = remembered(picomatch(`**/*.{${extensionsOf(language).join(',')},}`, { dot: true }))));
  return match;
}

function importLiterals(from: string): string[] {
  const prefix = /^[^*?[{!]+/.exec(from)?.[0] ?? '';
  return prefix.length >= 2 ? [prefix] : [];
}

/** ast-grep's rule keys, as a detector may write them at its top level. */
const RULE_KEYS = ['pattern', 'kind', 'nthChild', 'range', 'inside', 'has', 'follows', 'precedes', 'all', 'any', 'not', 'matches'] as const;

/** A detector is structural (ast-grep) when it has a pattern, a kind, a composite or a whole `rule`. */
export function isStructural(detector: Detector): boolean {
  const d = detector as Record<string, unknown>;
  return ['pattern', 'kind', 'rule', 'all', 'any', 'matches'].some((key) => d[key] !== undefined);
}

type RuleValue = unknown;

/** A pattern string where a rule is expected: `{ pattern }`, looking at every ancestor/descendant for relations. */
function asRule(value: RuleValue, relation: boolean): RuleValue {
  if (typeof value === 'string') return relation ? { pattern: value, stopBy: 'end' } : { pattern: value };
  if (Array.isArray(value)) return value.length === 1 ? asRule(value[0], relation) : { any: value.map((v) => asRule(v, false)) };
  if (relation && value && typeof value === 'object' && !('stopBy' in value)) return { ...value, stopBy: 'end' };
  return value;
}

/**
 * The ast-grep rule a detector means. A `rule:` is taken as written (ast-grep's semantics exactly);
 * top-level keys are the same rule keys, with the earlier shorthands: `not` a pattern or a list of them,
 * `inside`/`not_inside` a pattern or `{ selector }` (esquery, JS/TS), top-level relations looking at
 * every ancestor (or descendant, sibling) unless they say `stopBy`.
 */
function structuralRule(detector: Detector, path: Array<string | number>): { rule: AstGrepRule; scopes: Scopes } {
  const d = detector as Record<string, unknown>;
  const scopes: Scopes = {};
  if (d.rule !== undefined) {
    if (!d.rule || typeof d.rule !== 'object' || Array.isArray(d.rule)) throw new DetectorError([...path, 'rule'], 'rule must be an ast-grep rule object (pattern, kind, inside, has, all, any, not…)');
    const clash = RULE_KEYS.filter((key) => d[key] !== undefined);
    if (clash.length) throw new DetectorError([...path, clash[0]!], `with a whole \`rule:\`, put ${clash.join(', ')} inside it`);
    return { rule: d.rule as AstGrepRule, scopes };
  }
  const rule: AstGrepRule = {};
  for (const key of RULE_KEYS) {
    const value = d[key];
    if (value === undefined) continue;
    if (key === 'not') rule.not = asRule(value, false);
    else if (key === 'inside' && value && typeof value === 'object' && 'selector' in value) scopes.inside = selectorScope((value as { selector: string }).selector, [...path, key, 'selector']);
    else if (key === 'inside' || key === 'has' || key === 'follows' || key === 'precedes') rule[key] = asRule(value, true);
    else if (key === 'all' || key === 'any') rule[key] = (value as RuleValue[]).map((v) => asRule(v, false));
    else rule[key] = value;
  }
  const notInside = d.not_inside;
  if (notInside !== undefined) {
    if (notInside && typeof notInside === 'object' && 'selector' in notInside) scopes.notInside = selectorScope((notInside as { selector: string }).selector, [...path, 'not_inside', 'selector']);
    else {
      const excluded = { not: { inside: asRule(notInside, true) } };
      rule.all = [...((rule.all as RuleValue[] | undefined) ?? []), excluded];
    }
  }
  if (Object.keys(rule).length === 0) throw new DetectorError(path, 'a structural detector needs a positive rule: pattern, kind, all, any or matches');
  return { rule, scopes };
}

function selectorScope(source: string, path: Array<string | number>): Scope {
  try {
    const compiled = compileSelector(source);
    return { kind: 'selector', selector: compiled.selector, source };
  } catch (error) {
    throw new DetectorError(path, (error as Error).message);
  }
}

/** A scope for a selector detector: a selector, or an ast-grep rule (a pattern string or object). */
function selectorDetectorScopes(detector: Detector, path: Array<string | number>): Scopes {
  const out: Scopes = {};
  for (const [key, field] of [['inside', 'inside'], ['notInside', 'not_inside']] as const) {
    const value = (detector as Record<string, unknown>)[field];
    if (value === undefined) continue;
    if (value && typeof value === 'object' && 'selector' in value) out[key] = selectorScope((value as { selector: string }).selector, [...path, field, 'selector']);
    else {
      const structural = new StructuralDetector({ rule: asRule(value, false) as AstGrepRule });
      const error = JS_FAMILY.map((l) => structural.errorFor(l)).find((e, _i, all) => e && all.every(Boolean));
      if (error) throw new DetectorError([...path, field, ...error.at], error.message);
      out[key] = { kind: 'structural', structural };
    }
  }
  return out;
}

/** The languages a detector's pattern must work in: its `language`, the extensions its globs name, or JS/TS. */
function targetLanguages(language: string | undefined, globs: readonly string[] | undefined): { targets: string[]; fromGlobs: boolean } {
  if (language) return { targets: [language], fromGlobs: false };
  const named = languagesOfGlobs(globs ?? []);
  return named.length > 0 ? { targets: named, fromGlobs: true } : { targets: [...JS_FAMILY], fromGlobs: false };
}

/**
 * Compiles approved anti-patterns into rules. A detector that cannot work (a selector or regex that
 * does not parse or could hang, a pattern that does not parse in its language or can never match)
 * is left out of its rule and returned as an issue, so one bad record never stops the others.
 */
export function compileRules(
  antiPatterns: readonly AntiPatternRecord[],
  incidents: ReadonlyMap<string, IncidentRecord> = new Map(),
  options: {
    statuses?: readonly string[];
    levels?: Readonly<Record<string, Level>>;
    /** false: skip checking patterns in every target language (a cache already knows they compile); they compile on use. */
    validate?: boolean;
  } = {},
): { rules: CompiledRule[]; issues: CompileIssue[] } {
  const rules: CompiledRule[] = [];
  const issues: CompileIssue[] = [];
  const statuses = options.statuses ?? ['approved'];
  for (const record of antiPatterns) {
    if (!statuses.includes(record.status)) continue;
    const enforce = record.enforce ?? {};
    const template = enforce.message ?? defaultTemplate(record, incidents);
    let ruleFiles: ReturnType<typeof globMatcher>;
    let ruleIgnore: ReturnType<typeof globMatcher>;
    try {
      ruleFiles = globMatcher(enforce.files, ['enforce', 'files']);
      ruleIgnore = globMatcher(enforce.ignore, ['enforce', 'ignore']);
    } catch (error) {
      if (!(error instanceof DetectorError)) throw error;
      issues.push({ id: record.id, path: error.path, message: error.message });
      continue;
    }
    const detectors: CompiledDetector[] = [];
    (enforce.detect ?? []).forEach((detector, index) => {
      const path = ['enforce', 'detect', index];
      try {
        const compiled = compileDetector(detector, index, path, {
          ruleFiles,
          ruleIgnore,
          ruleGlobs: enforce.files,
          validate: options.validate ?? true,
          message: renderMessage(detector.message ?? template, record, incidents),
        });
        detectors.push(compiled);
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
      level: levelOf(record.severity, options.levels),
      detectors,
      record,
    });
  }
  return { rules, issues };
}

interface DetectorContext {
  ruleFiles: ((file: string) => boolean) | undefined;
  ruleIgnore: ((file: string) => boolean) | undefined;
  ruleGlobs: readonly string[] | undefined;
  validate: boolean;
  message: string;
}

function compileDetector(detector: Detector, index: number, path: Array<string | number>, context: DetectorContext): CompiledDetector {
  const d = detector as Record<string, unknown>;
  const files = globMatcher(detector.files, [...path, 'files']) ?? context.ruleFiles;
  const ignore = globMatcher(detector.ignore, [...path, 'ignore']);
  const inScope = (file: string, defaultFiles: (file: string) => boolean) =>
    !alwaysIgnored(file) && !(context.ruleIgnore?.(file) ?? false) && !(ignore?.(file) ?? false) && (files ? files(file) : defaultFiles(file));
  const base = { index, message: context.message };

  if (isStructural(detector)) {
    let language: string | undefined;
    if (d.language !== undefined) {
      language = languageByName(String(d.language));
      if (!language) {
        const written = String(d.language);
        // A near miss of a long name is a typo (typescirpt); a short one is often another language (c is not c#).
        const guess = written.length >= 4 ? closest(written, LANGUAGE_NAMES) : undefined;
        const elsewhere = NOT_SHIPPED.has(written.toLowerCase());
        throw new DetectorError(
          [...path, 'language'],
          elsewhere ? `language ${JSON.stringify(d.language)} is one ast-grep parses, but its parser is not installed with failures` : `unknown language ${JSON.stringify(d.language)}`,
          `${guess && !elsewhere ? `did you mean '${guess}'? ` : ''}one of: ${LANGUAGE_NAMES.join(', ')}${elsewhere ? '; or a regex detector, which reads any text file' : ''}`,
        );
      }
    }
    const { rule, scopes } = structuralRule(detector, path);
    const structural = new StructuralDetector({
      rule,
      ...(d.constraints ? { constraints: d.constraints as Record<string, AstGrepRule> } : {}),
      ...(d.utils ? { utils: d.utils as Record<string, AstGrepRule> } : {}),
      ...(typeof d.fix === 'string' ? { fix: d.fix } : {}),
      ...(d.transform ? { transform: d.transform as Record<string, unknown> } : {}),
    });
    const { targets, fromGlobs } = targetLanguages(language, detector.files ?? context.ruleGlobs);
    const errors = context.validate ? targets.map((t) => ({ language: t, error: structural.errorFor(t) })) : [];
    const failing = errors.filter((e) => e.error);
    // JS and TS are one family: a pattern may be TS-only (`x as any`) or JSX-only; elsewhere each language named must work.
    const fatal = failing.length === errors.length && errors.length > 0 ? failing[0] : failing.find((e) => !isJsFamily(e.language) && (fromGlobs || language));
    if (fatal) {
      const at = fatal.error!.at;
      const where = d.rule !== undefined && !['constraints', 'fix', 'transform'].includes(String(at[0])) ? [...path, 'rule', ...at] : [...path, ...at];
      const hint =
        fatal.error!.hint ??
        'write code that parses in the file\'s language, with $NAME for one node and $$$ for any sequence; a fragment that is no whole statement or expression (`except E: $$$`, a class field) needs `pattern: { context: <code around it>, selector: <its kind> }` (see the README\'s detector reference)';
      throw new DetectorError(where, fatal.error!.message, hint);
    }
    if ((scopes.inside || scopes.notInside) && targets.some((t) => !isJsFamily(t))) {
      throw new DetectorError([...path, scopes.inside ? 'inside' : 'not_inside'], 'an esquery selector scope works on JS/TS only; use an ast-grep rule (pattern, kind) for other languages');
    }
    const languageOf = (file: string) => language ?? astGrepLanguageOf(file);
    const defaultFiles = language ? languageFiles(language) : codeFiles;
    const reads = (file: string) => {
      const l = languageOf(file);
      return l !== undefined && structural.errorFor(l) === undefined;
    };
    return {
      kind: 'pattern',
      ...base,
      applies: (file) => inScope(file, defaultFiles) && reads(file),
      scope: (file) => inScope(file, defaultFiles) && languageOf(file) !== undefined,
      reads,
      literals: [],
      structural,
      languageOf,
      ...(typeof d.fix === 'string' ? { fix: d.fix } : {}),
      scopes,
    };
  }
  // Selectors and imports read JS/TS only (ESTree): the record's globs narrow that, never widen it.
  const jsScope = (file: string) => codeFiles(file) && inScope(file, codeFiles);
  if (detector.selector !== undefined) {
    let compiled;
    try {
      compiled = compileSelector(detector.selector);
    } catch (error) {
      if (!(error instanceof SelectorError)) throw error;
      throw new DetectorError([...path, 'selector'], error.message, 'write an esquery selector as ESLint\'s no-restricted-syntax takes it, e.g. "CallExpression[callee.name=\'eval\']"');
    }
    return {
      kind: 'selector',
      ...base,
      applies: jsScope,
      scope: jsScope,
      reads: codeFiles,
      literals: compiled.literals,
      selector: compiled.selector,
      source: detector.selector,
      hasRegex: compiled.hasRegex,
      requires: compiled.requires,
      tree: treeSelector(compiled.selector),
      scopes: selectorDetectorScopes(detector, path),
    };
  }
  if (detector.import !== undefined) {
    const spec = typeof detector.import === 'string' ? { from: detector.import } : detector.import;
    const exact = !/[*?[{!]/.test(spec.from);
    if (spec.from.length > MAX_GLOB_LENGTH) throw new DetectorError([...path, 'import'], `the module glob is ${spec.from.length} characters long (at most ${MAX_GLOB_LENGTH})`);
    const glob = exact ? undefined : picomatch(spec.from);
    const fromTree = exact && !spec.names && /^[^'"`\\\n\r]+$/.test(spec.from) ? [importTree(spec.from)] : undefined;
    return {
      kind: 'import',
      ...base,
      applies: jsScope,
      scope: jsScope,
      reads: codeFiles,
      literals: importLiterals(spec.from),
      from: spec.from,
      matches: (specifier) => (glob ? glob(specifier) : specifier === spec.from),
      ...(spec.names ? { names: spec.names } : {}),
      ...(fromTree ? { tree: () => fromTree } : {}),
    };
  }
  if (detector.regex !== undefined) {
    let regex: LinearRegex;
    try {
      // Line by line, like grep: ^ and $ are line boundaries.
      regex = compileLinear(detector.regex, `${detector.flags ?? ''}m`, { lazy: !context.validate });
    } catch (error) {
      if (!(error instanceof RegexError)) throw error;
      throw new DetectorError(
        [...path, 'regex'],
        error.message,
        /unsupported Perl syntax|escape sequence: `\\\d|named capture: `\(\?<[=!]/.test(error.message)
          ? 'RE2 syntax: no backreferences (\\1) or lookaround ((?=…), (?<!…)); match a little more instead, or use a pattern detector'
          : 'correct the regex syntax (close each bracket and parenthesis; escape a literal ( [ { . * + ? with a backslash)',
      );
    }
    const area = (d.in as RegexArea | undefined) ?? 'any';
    return { kind: 'regex', ...base, applies: (file) => inScope(file, () => true), scope: (file) => inScope(file, () => true), reads: () => true, literals: [], regex, area };
  }
  throw new DetectorError(path, 'a detector needs one of pattern (or kind, rule, all, any), selector, import or regex');
}

/** Languages ast-grep has parsers for that failures does not install. */
const NOT_SHIPPED = new Set(['c', 'cpp', 'c++', 'swift', 'scala', 'lua', 'bash', 'sh', 'elixir', 'haskell', 'dart', 'yaml', 'json', 'hcl', 'nix', 'solidity']);

class DetectorError extends Error {
  constructor(
    readonly path: Array<string | number>,
    message: string,
    readonly fix?: string,
  ) {
    super(message);
  }
}

/**
 * A hash of everything a finding's message or level depends on: the rules, their severities and
 * categories, the incidents quoted in messages, the severity → level map and the engine's version.
 * ESLint's cache keys plugins by name and version, so this goes in meta.version; the check cache uses it too.
 */
export function rulesHash(records: readonly AntiPatternRecord[], context: { incidents?: ReadonlyMap<string, IncidentRecord>; levels?: unknown; version?: string } = {}): string {
  const approved = records
    .filter((r) => r.status === 'approved')
    .map((r) => ({ id: r.id, name: r.name, description: r.description, enforce: r.enforce, origin: r.origin, severity: r.severity, category: r.category }));
  approved.sort((a, b) => a.id.localeCompare(b.id));
  const quoted = new Set(approved.flatMap((r) => r.origin?.incidents ?? []));
  const incidents = [...(context.incidents ?? new Map<string, IncidentRecord>())].filter(([id]) => quoted.has(id)).map(([id, i]) => [id, i.customer_impact, i.financial_impact]);
  incidents.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  return createHash('sha256')
    .update(JSON.stringify({ approved, incidents, levels: context.levels ?? null, version: context.version ?? '' }))
    .digest('hex')
    .slice(0, 12);
}
