import type { NapiConfig, SgNode, SgRoot } from '@ast-grep/napi';
import { childKeys, isNode, span, type AstNode } from './ast.js';
import type { CompiledDetector, CompiledRule, Level, Scopes } from './compile.js';
import { importViolation, importViolationsFromRecord, IMPORT_NODE_TYPES, recordSuffices, regexMatches } from './detectors.js';
import { astGrepLanguageOf } from './languages.js';
import { FileEvidence, type EvidencePlan } from './evidence.js';
import { isDeclarationFile, parseCode, parseModuleRecord, languageOf, visitorKeysFor, SyntaxFailure } from './parsers.js';
import { esquery, needsAncestry, type Selector } from './selector.js';
import { parseWith } from './structural.js';
import { TreeWalk, treeMatchers, type Grammar, type TreeMatcher } from './tree-selector.js';
import { isPlain, languageWalk, walkOwnTree, type Walked } from './walk.js';
import { lineIndex } from './lines.js';
import { commentRanges, readSuppressions, stringRanges, type Range } from './suppress.js';

export { lineIndex } from './lines.js';

/** One violation, in ESLint's terms (1-based lines and columns; end exclusive like ESLint's). */
export interface Finding {
  ruleId: string;
  /** The anti-pattern's id (AP-001). */
  id: string;
  /** Index of the detector in enforce.detect. */
  detector: number;
  message: string;
  /** error blocks, warn reports (from the rule's severity). */
  level: Level;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The offending code, as written. */
  code: string;
  /** The detector's fix: replace text[range[0], range[1]) with `text`. */
  fix?: { range: [number, number]; text: string };
}

export interface FileResult {
  /** Repository-relative path with forward slashes. */
  file: string;
  findings: Finding[];
  /** The file did not parse: reported like ESLint does, never a crash; `warn` when the parser recovered. */
  parseError?: { message: string; line: number; column: number; level?: Level };
}

/** Deeper bracket nesting is not parsed at all: native parsers overflow their stack (SIGSEGV) on such input. */
export const MAX_NESTING = 1000;

/**
 * Where a text's bracket nesting first goes deeper than MAX_NESTING (brackets in strings and comments
 * count too: a cheap, safe bound), or undefined.
 */
export function tooDeepAt(text: string): number | undefined {
  // That takes more opening brackets than MAX_NESTING: counting them (native searches) settles most texts.
  let opening = 0;
  for (const bracket of OPENING) {
    for (let i = text.indexOf(bracket); i !== -1 && opening <= MAX_NESTING; i = text.indexOf(bracket, i + 1)) opening++;
  }
  if (opening <= MAX_NESTING) return undefined;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) {
      if (++depth > MAX_NESTING) return i;
    } else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth--;
  }
  return undefined;
}

const OPENING = ['(', '[', '{'];

type Active = { rule: CompiledRule; detector: CompiledDetector };

const NO_ANCESTORS: AstNode[] = [];

/** What every suppression comment holds (ESLint's directives or failures-ignore). */
const DIRECTIVE_WORDS = ['eslint-', 'failures-ignore'];

const JS_GRAMMARS = new Set(['TypeScript', 'Tsx', 'JavaScript']);

function inside(ranges: readonly Range[], start: number, end: number): boolean {
  return ranges.some(([a, b]) => a <= start && end <= b && (a < start || end < b));
}

/**
 * Runs rules on one file's text: regex detectors on any file; structural ones (ast-grep) in the file's
 * language, parsing it once per language and only when some detector's required words occur in it;
 * selectors and imports on ESTree (JS/TS).
 */
/** Parsed trees of one text, per language: ESLint's rules share them for one file. */
export type TreeCache = Map<string, SgRoot>;

export interface CheckOptions {
  /** Examples: the detector's globs do not apply, only whether it reads this kind of file. */
  ignoreGlobs?: boolean;
  /** Inside ESLint, which applies eslint-disable comments itself. */
  eslintDirectives?: boolean;
  trees?: TreeCache;
}

/** The walk of a file's own tree: what ast-grep returned for its language's walk rule (walk.ts), and the tree. */
export interface WalkSource {
  nodes: Iterable<SgNode>;
  /** The parsed tree (absent when the walk returned nothing: parsed again if something else needs it). */
  root?: SgRoot;
}

/** Runs rules on one file's text, parsing it here when its own tree is walked. */
export function checkText(file: string, text: string, rules: readonly CompiledRule[], options: CheckOptions = {}): FileResult {
  const steps = checkSteps(file, text, rules, options);
  let step = steps.next();
  while (!step.done) step = steps.next(walkHere(step.value, text, rules, options.trees));
  return step.value;
}

/** A file's own walk, parsed and walked on this thread. */
export function walkHere(language: string, text: string, rules: readonly CompiledRule[], trees?: TreeCache): WalkSource {
  const root = trees?.get(language) ?? parseWith(language, text);
  return { root, nodes: root.root().findAll(languageWalk(rules, language).config) };
}

/**
 * checkText in steps: when the file's own tree is to be walked, yields its language and takes the walk
 * (ast-grep's nodes for the language's walk rule), whoever parsed it: checkText, or a scan that parses
 * and walks every file of a language at once (cli/scan.ts).
 */
export function* checkSteps(file: string, text: string, rules: readonly CompiledRule[], options: CheckOptions = {}): Generator<string, FileResult, WalkSource> {
  const check = new FileCheck(file, text, rules, options);
  if (!check.select()) return { file, findings: [] };
  const language = check.planWalk();
  if (language !== undefined) check.walk(yield language);
  return check.finish();
}

type PatternEntries = { entries: Active[]; configs: NapiConfig[]; rule: unknown };
type Within = { inside?: Range[]; notInside?: Range[] };

/**
 * One file's check, in the steps checkSteps runs (methods of their own: V8 optimises each apart, and a
 * file's shapes that change one step's types leave the others' optimised code alone).
 */
class FileCheck {
  private readonly findings: Finding[] = [];
  private parseError: FileResult['parseError'];
  private positionOf: ((offset: number) => { line: number; column: number }) | undefined;
  private readonly trees: TreeCache;
  private readonly fileLanguage: string | undefined;
  /** Detectors share words: each is looked for once per file. */
  private readonly words = new Map<string, boolean>();
  private active: Active[] = [];
  private readonly estree: Active[] = [];
  private readonly structural: Active[] = [];
  /**
   * Plain patterns of the file's own language, their words not looked for yet: where the file's tree
   * is walked for something else anyway, the walk says where they match (and a match has its words),
   * so their words are looked for only to decide whether to walk, or for a node that matched an
   * earlier pattern (walk). `passing` is those whose words occur, once looked for.
   */
  private readonly deferred: Active[] = [];
  private passing: Active[] | undefined;
  /** The deferred patterns joined the walk without their words looked for. */
  private unchecked = false;
  private readonly regexHits: Array<{ entry: Active; hits: Array<{ index: number; end: number }> }> = [];
  private readonly combined = new Map<string, Active[]>();
  private readonly separate: Active[] = [];
  private readonly fromTree: TreeAnswer[] = [];
  private tooDeep = false;
  private readable = false;
  private estreeCandidates = false;
  private plan!: EvidencePlan;
  private settled: boolean[] | undefined;
  private treeRules!: TreeWalk;
  private walked: Walked | undefined;
  private commentList: Range[] | undefined;
  private stringList: Range[] | undefined;
  private ast: AstNode | undefined;
  private keys: ReturnType<typeof visitorKeysFor> | undefined;
  /** oxc read the file without a syntax error. */
  private parsed = false;

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly rules: readonly CompiledRule[],
    private readonly options: CheckOptions,
  ) {
    this.trees = options.trees ?? new Map();
    this.fileLanguage = astGrepLanguageOf(file);
  }

  private position(offset: number): { line: number; column: number } {
    this.positionOf ??= lineIndex(this.text);
    return this.positionOf(offset);
  }

  private report(rule: CompiledRule, detector: CompiledDetector, start: number, end: number, fix?: { start: number; end: number; text: string }): void {
    const from = this.position(start);
    const to = this.position(end);
    this.findings.push({
      ruleId: rule.ruleId,
      id: rule.id,
      detector: detector.index,
      message: detector.message,
      level: rule.level,
      line: from.line,
      column: from.column,
      endLine: to.line,
      endColumn: to.column,
      code: this.text.slice(start, end),
      ...(fix ? { fix: { range: [fix.start, fix.end] as [number, number], text: fix.text } } : {}),
    });
  }

  /** One tree per language, parsed on first need. */
  private tree(language: string): SgRoot {
    let root = this.trees.get(language);
    if (!root) {
      root = parseWith(language, this.text);
      this.trees.set(language, root);
    }
    return root;
  }

  private readonly occurs = (word: string): boolean => {
    let found = this.words.get(word);
    if (found === undefined) this.words.set(word, (found = this.text.includes(word)));
    return found;
  };

  /**
   * Where the comments and strings that matter are, from the file's tree: those holding a match of a
   * regex that reads only code, comments or strings, and comments that may be suppressions.
   */
  private comments(): Range[] {
    return (this.commentList ??= commentRanges(this.tree(this.fileLanguage!).root(), this.fileLanguage!, [...this.hitTexts(), ...(this.mayHaveDirectives() ? DIRECTIVE_WORDS : [])]));
  }

  private strings(): Range[] {
    return (this.stringList ??= stringRanges(this.tree(this.fileLanguage!).root(), this.fileLanguage!, this.hitTexts()));
  }

  /** The texts regexes that read only code, comments or strings matched. */
  private hitTexts(): string[] {
    return this.regexHits.flatMap(({ entry, hits }) => ((entry.detector as RegexDetector).area === 'any' ? [] : hits.map((m) => this.text.slice(m.index, m.end))));
  }

  private directives: boolean | undefined;
  /** Could the text hold a suppression comment (ESLint's directives or failures-ignore)? */
  private mayHaveDirectives(): boolean {
    return (this.directives ??= DIRECTIVE_WORDS.some((word) => this.text.includes(word)));
  }

  private importEscapes: boolean | undefined;
  /**
   * The names a selector or import needs occur in the text. ESTree gives names and strings with their
   * escapes decoded (`a.\u0066orEach()` calls forEach, `require('\x66s')` is fs): a text with such
   * escapes is not ruled out by its letters.
   */
  private literalsMayOccur(detector: CompiledDetector): boolean {
    if (detector.literals.length === 0 || detector.literals.every(this.occurs)) return true;
    if (detector.kind !== 'import') return this.text.includes('\\u');
    return (this.importEscapes ??= /\\(?:[ux0-7\r\n\u2028\u2029])/.test(this.text));
  }

  /** The detectors that apply, and which of them the file's words leave to run; false: none applies. */
  select(): boolean {
    const { file, text, options } = this;
    for (const rule of this.rules) {
      for (const detector of rule.detectors) {
        if (options.ignoreGlobs ? detector.reads(file) : detector.applies(file)) this.active.push({ rule, detector });
      }
    }
    if (this.active.length === 0) return false;
    const needsCode = this.active.some((a) => a.detector.kind !== 'regex');
    const deep = needsCode || this.fileLanguage ? tooDeepAt(text) : undefined;
    this.tooDeep = deep !== undefined;
    if (deep !== undefined && needsCode) {
      const at = this.position(deep);
      this.parseError = { message: `Parsing error: brackets nested more than ${MAX_NESTING} deep; the file is not parsed`, line: at.line, column: at.column };
    }
    for (const entry of this.active) {
      const d = entry.detector;
      if (d.kind === 'regex') {
        const hits = regexMatches(d, text);
        if (hits.length > 0) this.regexHits.push({ entry, hits });
      } else if (this.tooDeep) {
        continue;
      } else if (d.kind === 'pattern') {
        const language = d.languageOf(file);
        if (language !== undefined && language === this.fileLanguage && isPlain(d, language)) this.deferred.push(entry);
        else if (language && this.wordsOccur(entry)) this.structural.push(entry);
      } else if (this.literalsMayOccur(d)) {
        this.estree.push(entry);
      }
    }
    this.readable = this.fileLanguage !== undefined && !this.tooDeep;
    // Detectors that are one plain rule run in one traversal per language (`any` of their rules), each
    // match then told apart by its own rule: ast-grep walks the tree once, not once per detector. The
    // walk of the file's own language also gathers what else is asked of its tree (walk.ts).
    for (const entry of this.structural) {
      const detector = entry.detector as PatternDetector;
      const language = detector.languageOf(file)!;
      if (isPlain(detector, language)) this.combined.set(language, [...(this.combined.get(language) ?? []), entry]);
      else this.separate.push(entry);
    }
    return true;
  }

  /** A pattern's words occur in the text (none can match otherwise). */
  private wordsOccur(entry: Active): boolean {
    const detector = entry.detector as PatternDetector;
    return detector.structural.literalsFor(detector.languageOf(this.file)!).every(this.occurs);
  }

  /** The deferred patterns whose words occur. */
  private passingPatterns(): Active[] {
    if (this.passing) return this.passing;
    this.passing = [];
    for (const entry of this.deferred) if (this.wordsOccur(entry)) this.passing.push(entry);
    return this.passing;
  }

  /** Some pattern may match: the file's own deferred ones are looked at last, and only if asked. */
  private anyStructural(): boolean {
    return this.structural.length > 0 || (this.deferred.length > 0 && this.passingPatterns().length > 0);
  }

  /** What the file asks of its own tree: the language to walk, or undefined when it asks nothing. */
  planWalk(): string | undefined {
    const { file, text, fileLanguage, estree } = this;
    const areas = new Set(this.regexHits.map(({ entry }) => (entry.detector as RegexDetector).area));
    // Suppressions matter only to findings: a possible directive alone asks for no walk (result parses the file if it must).
    const wantComments = this.readable && (areas.has('comments') || areas.has('code') || (this.regexHits.length > 0 && this.mayHaveDirectives()));
    const wantStrings = this.readable && (areas.has('strings') || areas.has('code'));
    const ownStructural = this.structural.some((e) => (e.detector as PatternDetector).languageOf(file) === fileLanguage);
    // The deferred patterns' words are looked for only when nothing else asks for the walk (`||` stops before).
    const ownLanguage = () => ownStructural || (this.deferred.length > 0 && this.passingPatterns().length > 0);
    // A file no detector can match is not parsed, not even for its syntax errors (a walk only where
    // something may be found). Where words alone leave a selector or import to run, oxc reads the file.
    this.estreeCandidates = estree.length > 0;
    const evidence = new FileEvidence(text, fileLanguage);
    this.plan = evidence.plan(requirementsOf(estree));
    this.settled = this.plan.kinds.size === 0 ? this.plan.answers(new Set()) : undefined;
    // Selectors answered from the file's tree where that is exact (tree-selector.ts), when the tree is
    // walked anyway: what they look for joins the walk; where the tree has a syntax error or a shape it
    // cannot settle, the ESTree answers (finish). Selectors the words rule out are not looked for.
    if (this.readable && JS_GRAMMARS.has(fileLanguage!) && (this.plan.kinds.size > 0 || wantComments || wantStrings || ownLanguage())) {
      const possible = this.plan.answers(undefined);
      const kept: Active[] = [];
      for (let i = 0; i < estree.length; i++) {
        const entry = estree[i]!;
        const matchers = treeMatchers(entry.detector, fileLanguage as Grammar);
        if (!matchers) kept.push(entry);
        else if (possible[i]) this.fromTree.push({ entry, matchers });
      }
      if (kept.length < estree.length) {
        estree.splice(0, estree.length, ...kept);
        this.plan = evidence.plan(requirementsOf(estree));
        this.settled = this.plan.kinds.size === 0 ? this.plan.answers(new Set()) : undefined;
      }
    }
    this.treeRules = new TreeWalk(
      this.fromTree.map((t) => t.matchers),
      fileLanguage ?? '',
      text,
    );
    const walks = this.readable && (this.plan.kinds.size > 0 || wantComments || wantStrings || this.fromTree.length > 0 || ownLanguage());
    if (!walks) return undefined;
    // The file's own plain patterns join its walk: those whose words occur, or all of them when their words were not looked for.
    const own = this.passing ?? this.deferred;
    this.unchecked = this.passing === undefined && own.length > 0;
    if (own.length > 0) this.combined.set(fileLanguage!, [...own, ...(this.combined.get(fileLanguage!) ?? [])]);
    return fileLanguage;
  }

  private patternsIn(language: string): PatternEntries {
    const entries = this.combined.get(language) ?? [];
    const configs = entries.map((e) => (e.detector as PatternDetector).structural.compile(language).config);
    return { entries, configs, rule: configs.length === 1 ? configs[0]!.rule : { any: configs.map((c) => c.rule) } };
  }

  /**
   * A node some of the patterns matched: `known` tells, for each, that it matched (true), did not
   * (false), or that ast-grep must be asked (undefined).
   */
  private reportPatterns(node: SgNode, { entries, configs }: PatternEntries, known: (i: number) => boolean | undefined): void {
    const range = node.range();
    entries.forEach((entry, i) => {
      if (known(i) ?? node.matches(configs[i]!)) this.report(entry.rule, entry.detector, range.start.index, range.end.index);
    });
  }

  /** The walk of the file's own tree (planWalk's language). */
  walk(source: WalkSource): void {
    const language = this.fileLanguage!;
    if (source.root && !this.trees.has(language)) this.trees.set(language, source.root);
    const walk = languageWalk(this.rules, language);
    const patterns = this.patternsIn(language);
    this.combined.delete(language);
    const own = { patterns: patterns.entries.map((e) => e.detector), plan: this.plan, treeRules: this.treeRules };
    // The walk says which of its patterns a node matched first: those before did not match, later ones may have.
    const order = patterns.entries.map((e) => walk.patterns.indexOf(e.detector));
    if (order.includes(-1)) throw new Error(`internal error: a pattern that applies to ${this.file} is not in the ${language} walk`);
    // A pattern after the one a node matched first may match it too: asked of ast-grep, unless its words are missing.
    const later = (i: number) => (this.unchecked && !this.wordsOccur(patterns.entries[i]!) ? false : undefined);
    this.walked = walkOwnTree(source.nodes, walk, own, (node, first) => this.reportPatterns(node, patterns, (i) => (order[i]! < first ? false : order[i] === first ? true : later(i))));
  }

  finish(): FileResult {
    const { walked, fromTree, treeRules } = this;
    // Selectors the tree could not answer exactly go to the ESTree.
    const treeHits = fromTree.map((_, i) => (walked && walked.error === undefined ? treeRules.result(i) : undefined));
    const fallBack = fromTree.filter((_, i) => treeHits[i] === undefined);
    for (const language of this.combined.keys()) {
      const patterns = this.patternsIn(language);
      for (const node of this.tree(language).root().findAll(patterns.configs.length === 1 ? patterns.configs[0]! : { rule: patterns.rule as never, language: language as never })) {
        this.reportPatterns(node, patterns, () => (patterns.configs.length === 1 ? true : undefined));
      }
    }
    // Selectors whose node types the file cannot have are not run (and need no ESTree).
    const allowed = this.settled ?? this.plan.answers(walked && walked.error === undefined ? walked.seen : undefined);
    const estree = this.estree;
    for (let i = estree.length - 1; i >= 0; i--) if (!allowed[i]) estree.splice(i, 1);
    estree.push(...fallBack.map((t) => t.entry));
    this.parseEstree();
    this.runSeparate();
    this.recoveredError();
    this.runRegexes();
    if (this.ast) {
      runEstreeDetectors(this.ast, this.keys!, estree, (rule, detector, node) => {
        const [start, end] = span(node);
        if (detector.kind === 'selector' && (detector.scopes.inside || detector.scopes.notInside)) {
          if (!scoped(this.scopeRanges(detector.scopes, astGrepLanguageOf(this.file)), start, end)) return;
        }
        this.report(rule, detector, start, end);
      });
    }
    fromTree.forEach(({ entry }, i) => {
      for (const [start, end] of treeHits[i] ?? []) this.report(entry.rule, entry.detector, start, end);
    });
    return this.result();
  }

  private failed(error: unknown): void {
    if (!(error instanceof SyntaxFailure)) throw error;
    this.parseError = { message: error.message, line: error.line, column: error.column, ...(isDeclarationFile(this.file) ? { level: 'warn' as const } : {}) };
  }

  private selectorScopes(): boolean {
    return this.separate.some((a) => a.detector.kind === 'pattern' && (a.detector.scopes.inside?.kind === 'selector' || a.detector.scopes.notInside?.kind === 'selector'));
  }

  /** ESTree for selectors, imports and selector scopes: JS/TS only. */
  private parseEstree(): void {
    const { file, text, estree } = this;
    const selectorScopes = this.selectorScopes();
    // Imports alone: oxc's module record answers them where it is certain to (detectors.ts), without the ESTree.
    if (estree.length > 0 && !selectorScopes && estree.every((e) => e.detector.kind === 'import') && languageOf(file) && recordSuffices(text)) {
      try {
        const module = parseModuleRecord(file, text);
        const hits = module && importViolationsFromRecord(estree.map((e) => e.detector as Extract<CompiledDetector, { kind: 'import' }>), module, text);
        if (hits) {
          this.parsed = true;
          const ruleOf = new Map(estree.map((e) => [e.detector, e.rule]));
          for (const hit of hits) this.report(ruleOf.get(hit.detector)!, hit.detector, hit.start, hit.end);
          estree.length = 0;
        }
      } catch (error) {
        this.failed(error);
        estree.length = 0;
      }
    }
    if ((estree.length > 0 || selectorScopes) && languageOf(file)) {
      try {
        const tree = parseCode(file, text, 'fast');
        this.ast = tree.ast;
        this.keys = visitorKeysFor(tree.language);
        this.parsed = true;
      } catch (error) {
        this.failed(error);
      }
    }
  }

  private scopeRanges(scopes: Scopes, language: string | undefined): Within {
    const out: Within = {};
    for (const key of ['inside', 'notInside'] as const) {
      const scope = scopes[key];
      if (!scope) continue;
      if (scope.kind === 'selector') out[key] = this.ast ? selectorRanges(this.ast, scope.selector, this.keys!) : [];
      else out[key] = language && !scope.structural.errorFor(language) ? scope.structural.find(this.tree(language), language, this.text).map((m) => [m.start, m.end] as Range) : [];
    }
    return out;
  }

  /** Patterns with scopes, fixes, statement sequences, constraints: each on its own. */
  private runSeparate(): void {
    for (const { rule, detector } of this.separate) {
      if (detector.kind !== 'pattern') continue;
      const language = detector.languageOf(this.file)!;
      const hasScopes = detector.scopes.inside || detector.scopes.notInside;
      if (hasScopes && !this.ast) continue;
      const within = hasScopes ? this.scopeRanges(detector.scopes, language) : {};
      for (const m of detector.structural.find(this.tree(language), language, this.text)) {
        if (scoped(within, m.start, m.end)) this.report(rule, detector, m.start, m.end, m.fix);
      }
    }
  }

  /**
   * A syntax error tree-sitter recovered from: for JS/TS, the ESTree parser decides (as ESLint would
   * report it; a .d.ts only warns); in other languages it is a warning (ast-grep matched what parsed).
   */
  private recoveredError(): void {
    const { file, fileLanguage, walked } = this;
    if (this.parseError || this.parsed || !fileLanguage || !(walked || this.trees.has(fileLanguage))) return;
    // A walked file's error is known already; the deferred patterns' words are looked for only when it has one.
    if (walked ? walked.error === undefined : false) return;
    if (!(this.estreeCandidates || this.anyStructural())) return;
    const node = walked ? undefined : this.trees.get(fileLanguage)!.root().find({ rule: { kind: 'ERROR' } });
    const error = walked ? walked.error : node ? { index: node.range().start.index, text: node.text() } : undefined;
    if (error !== undefined && languageOf(file)) {
      try {
        parseCode(file, this.text, 'fast');
      } catch (failure) {
        if (!(failure instanceof SyntaxFailure)) throw failure;
        this.parseError = { message: failure.message, line: failure.line, column: failure.column, ...(isDeclarationFile(file) ? { level: 'warn' as const } : {}) };
      }
    } else if (error !== undefined) {
      const at = this.position(error.index);
      this.parseError = { message: `Parsing error: the parser recovered from a syntax error near \`${error.text.slice(0, 40)}\``, line: at.line, column: at.column, level: 'warn' };
    }
  }

  /** Regexes, those that look only at code, comments or strings (in languages ast-grep parses) kept there. */
  private runRegexes(): void {
    for (const { entry, hits } of this.regexHits) {
      const d = entry.detector as RegexDetector;
      let kept = hits;
      if (d.area !== 'any' && this.readable) {
        const within = (list: Range[], m: { index: number; end: number }) => list.some(([a, b]) => a <= m.index && m.end <= b);
        kept = hits.filter((m) =>
          d.area === 'comments' ? within(this.comments(), m) : d.area === 'strings' ? within(this.strings(), m) : !within(this.comments(), m) && !within(this.strings(), m),
        );
      }
      for (const m of kept) this.report(entry.rule, d, m.index, m.end);
    }
  }

  /** The findings that suppression comments leave, in order (suppressions matter only to findings). */
  private result(): FileResult {
    const { file, findings, parseError, text } = this;
    if (findings.length === 0) return parseError ? { file, findings, parseError } : { file, findings };
    const suppressions = readSuppressions(text, {
      ...(this.options.eslintDirectives === false ? { eslintDirectives: false } : {}),
      ...(this.readable && this.mayHaveDirectives() ? { comments: this.comments() } : {}),
    });
    const kept = findings.filter((f) => !suppressions.isSuppressed(f.ruleId, f.line));
    kept.sort((a, b) => a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));
    return parseError ? { file, findings: kept, parseError } : { file, findings: kept };
  }
}

/** What the evidence must show for each selector (imports need nothing). */
function requirementsOf(entries: readonly Active[]): string[][][] {
  const out: string[][][] = [];
  for (const e of entries) out.push(e.detector.kind === 'selector' ? e.detector.requires : []);
  return out;
}

type PatternDetector = Extract<CompiledDetector, { kind: 'pattern' }>;
type RegexDetector = Extract<CompiledDetector, { kind: 'regex' }>;

function scoped(within: Within, start: number, end: number): boolean {
  return (!within.inside || inside(within.inside, start, end)) && (!within.notInside || !inside(within.notInside, start, end));
}

/** A selector or import the tree answers. */
interface TreeAnswer {
  entry: Active;
  matchers: TreeMatcher[];
}

function esqueryOptions(visitorKeys: Record<string, readonly string[] | undefined>) {
  return { visitorKeys, fallback: (n: unknown) => childKeys(n as AstNode) } as never;
}

/** Ranges of the nodes a selector matches. */
export function selectorRanges(ast: AstNode, selector: ReturnType<typeof esquery.parse>, visitorKeys: Record<string, readonly string[] | undefined>): Range[] {
  return (esquery.match(ast as never, selector, esqueryOptions(visitorKeys)) as unknown as AstNode[]).map(span);
}

/** The node types a selector's subject can have (undefined: any), as ESLint works them out to dispatch listeners. */
function subjectTypes(selector: { type: string; [key: string]: unknown }): string[] | undefined {
  switch (selector.type) {
    case 'identifier':
      return [selector.value as string];
    case 'compound': {
      for (const part of selector.selectors as Array<{ type: string }>) {
        const types = subjectTypes(part as never);
        if (types) return types;
      }
      return undefined;
    }
    case 'matches': {
      const all = (selector.selectors as Array<{ type: string }>).map((part) => subjectTypes(part as never));
      return all.some((t) => t === undefined) ? undefined : [...new Set(all.flat() as string[])];
    }
    case 'child':
    case 'descendant':
    case 'sibling':
    case 'adjacent':
      return subjectTypes(selector.right as never);
    default:
      return undefined;
  }
}

/**
 * Selectors and imports in one walk of the tree, as ESLint runs no-restricted-syntax: each node is
 * tested only against the selectors whose subject can be of its type, with its ancestry (esquery.matches).
 */
function runEstreeDetectors(
  ast: AstNode,
  visitorKeys: Record<string, readonly string[] | undefined>,
  active: Active[],
  report: (rule: CompiledRule, detector: CompiledDetector, node: AstNode) => void,
): void {
  const byType = new Map<string, Active[]>();
  const anyType: Active[] = [];
  const importTypes = new Set<string>(IMPORT_NODE_TYPES);
  const imports = active.filter((a) => a.detector.kind === 'import');
  for (const entry of active) {
    if (entry.detector.kind !== 'selector') continue;
    const types = subjectTypes(entry.detector.selector as never);
    if (!types) anyType.push(entry);
    else for (const type of types) byType.set(type, [...(byType.get(type) ?? []), entry]);
  }
  const options = esqueryOptions(visitorKeys);
  const found = new Map<Active, AstNode[]>();
  // Iterative, with the ancestry as a stack: deep trees never overflow the call stack.
  const ancestry: AstNode[] = [];
  const stack: Array<{ node: AstNode; depth: number }> = [{ node: ast, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    ancestry.length = depth;
    if (depth > 0 && !node.parent) node.parent = ancestry[depth - 1];
    const candidates = byType.get(node.type);
    let chain: AstNode[] | undefined;
    for (const list of [candidates, anyType]) {
      for (const entry of list ?? []) {
        const selector = (entry.detector as unknown as { selector: Selector }).selector;
        // The ancestors, nearest first, only for selectors that look at them.
        const ancestors = needsAncestry(selector) ? (chain ??= [...ancestry].reverse()) : NO_ANCESTORS;
        if (esquery.matches(node as never, selector as never, ancestors as never, options)) (found.get(entry) ?? found.set(entry, []).get(entry)!).push(node);
      }
    }
    if (imports.length > 0 && importTypes.has(node.type)) {
      for (const { rule, detector } of imports) {
        const hit = importViolation(detector as Extract<CompiledDetector, { kind: 'import' }>, node);
        if (hit) report(rule, detector, hit);
      }
    }
    ancestry.push(node);
    const keys = childKeys(node, visitorKeys);
    for (let k = keys.length - 1; k >= 0; k--) {
      const value = node[keys[k]!];
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--) if (isNode(value[i])) stack.push({ node: value[i] as AstNode, depth: depth + 1 });
      } else if (isNode(value)) stack.push({ node: value, depth: depth + 1 });
    }
  }
  for (const entry of active) for (const node of found.get(entry) ?? []) report(entry.rule, entry.detector, node);
}
