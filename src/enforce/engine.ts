import esquery from 'esquery';
import type { SgNode, SgRoot } from '@ast-grep/napi';
import { childKeys, isNode, span, type AstNode } from './ast.js';
import type { CompiledDetector, CompiledRule, Level, Scopes } from './compile.js';
import { importViolation, importViolationsFromRecord, IMPORT_NODE_TYPES, recordSuffices, regexMatches } from './detectors.js';
import { astGrepLanguageOf } from './languages.js';
import { FileEvidence } from './evidence.js';
import { isDeclarationFile, parseCode, parseModuleRecord, languageOf, visitorKeysFor, SyntaxFailure } from './parsers.js';
import { needsAncestry, type Selector } from './selector.js';
import { parseWith } from './structural.js';
import { TreeWalk, type Grammar, type TreeMatcher } from './tree-selector.js';
import { isPlain, languageWalk, walkOwnTree } from './walk.js';
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

/** The deepest bracket nesting in a text (brackets in strings and comments count too: a cheap, safe bound). */
export function bracketDepth(text: string, stopAt = Infinity): { depth: number; index: number } {
  let depth = 0;
  let max = 0;
  let at = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) {
      if (++depth > max) {
        max = depth;
        at = i;
        if (max > stopAt) break;
      }
    } else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth--;
  }
  return { depth: max, index: at };
}

type Active = { rule: CompiledRule; detector: CompiledDetector };

const NO_ANCESTORS: AstNode[] = [];

/** Could the text hold a suppression comment (ESLint's directives or failures-ignore)? */
function mayHaveDirectives(text: string): boolean {
  return text.includes('eslint-') || text.includes('failures-ignore');
}

const JS_GRAMMARS = new Set(['TypeScript', 'Tsx', 'JavaScript']);

/**
 * The names a selector or import needs occur in the text. ESTree gives names and strings with their
 * escapes decoded (`a.\u0066orEach()` calls forEach, `require('\x66s')` is fs): a text with such
 * escapes is not ruled out by its letters.
 */
function literalsMayOccur(detector: CompiledDetector, text: string, occurs: (word: string) => boolean): boolean {
  if (detector.literals.length === 0 || detector.literals.every(occurs)) return true;
  return detector.kind === 'import' ? /\\(?:[ux0-7\r\n\u2028\u2029])/.test(text) : text.includes('\\u');
}

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
  const active: Active[] = [];
  for (const rule of rules) {
    for (const detector of rule.detectors) {
      if (options.ignoreGlobs ? detector.reads(file) : detector.applies(file)) active.push({ rule, detector });
    }
  }
  if (active.length === 0) return { file, findings: [] };
  const position = lineIndex(text);
  const findings: Finding[] = [];
  const report = (rule: CompiledRule, detector: CompiledDetector, start: number, end: number, fix?: { start: number; end: number; text: string }) => {
    const from = position(start);
    const to = position(end);
    findings.push({
      ruleId: rule.ruleId,
      id: rule.id,
      detector: detector.index,
      message: detector.message,
      level: rule.level,
      line: from.line,
      column: from.column,
      endLine: to.line,
      endColumn: to.column,
      code: text.slice(start, end),
      ...(fix ? { fix: { range: [fix.start, fix.end] as [number, number], text: fix.text } } : {}),
    });
  };
  let parseError: FileResult['parseError'];
  const fileLanguage = astGrepLanguageOf(file);
  const needsCode = active.some((a) => a.detector.kind !== 'regex');
  const depth = needsCode || fileLanguage ? bracketDepth(text, MAX_NESTING) : { depth: 0, index: 0 };
  const tooDeep = depth.depth > MAX_NESTING;
  if (tooDeep && needsCode) {
    const at = position(depth.index);
    parseError = { message: `Parsing error: brackets nested more than ${MAX_NESTING} deep; the file is not parsed`, line: at.line, column: at.column };
  }

  // One tree per language, parsed on first need.
  const trees: TreeCache = options.trees ?? new Map();
  const tree = (language: string) => {
    let root = trees.get(language);
    if (!root) {
      root = parseWith(language, text);
      trees.set(language, root);
    }
    return root;
  };

  const estree: Active[] = [];
  const structural: Active[] = [];
  // Detectors share words: each is looked for once per file.
  const seenWords = new Map<string, boolean>();
  const occurs = (word: string) => {
    let found = seenWords.get(word);
    if (found === undefined) seenWords.set(word, (found = text.includes(word)));
    return found;
  };
  const regexHits: Array<{ entry: Active; hits: Array<{ index: number; end: number }> }> = [];
  for (const entry of active) {
    const d = entry.detector;
    if (d.kind === 'regex') {
      const hits = regexMatches(d, text);
      if (hits.length > 0) regexHits.push({ entry, hits });
    } else if (tooDeep) {
      continue;
    } else if (d.kind === 'pattern') {
      const language = d.languageOf(file);
      if (language && d.structural.literalsFor(language).every(occurs)) structural.push(entry);
    } else if (literalsMayOccur(d, text, occurs)) {
      estree.push(entry);
    }
  }
  const readable = fileLanguage !== undefined && !tooDeep;
  const areas = new Set(regexHits.map(({ entry }) => (entry.detector as Extract<CompiledDetector, { kind: 'regex' }>).area));
  const wantComments = readable && (areas.has('comments') || areas.has('code') || mayHaveDirectives(text));
  const wantStrings = readable && (areas.has('strings') || areas.has('code'));

  // Detectors that are one plain rule run in one traversal per language (`any` of their rules), each
  // match then told apart by its own rule: ast-grep walks the tree once, not once per detector. The
  // walk of the file's own language also gathers what else is asked of its tree: the node kinds that
  // are evidence for selectors (evidence.ts), syntax errors, comments and strings.
  const combined = new Map<string, Active[]>();
  const separate: Active[] = [];
  for (const entry of structural) {
    const detector = entry.detector as Extract<CompiledDetector, { kind: 'pattern' }>;
    const language = detector.languageOf(file)!;
    if (isPlain(detector, language)) combined.set(language, [...(combined.get(language) ?? []), entry]);
    else separate.push(entry);
  }
  // Where comments and strings are, from the file's tree (only regexes that read code, comments or strings, and suppressions, ask).
  let commentList: Range[] | undefined;
  let stringList: Range[] | undefined;
  const comments = () => (commentList ??= commentRanges(tree(fileLanguage!).root(), fileLanguage!));
  const strings = () => (stringList ??= stringRanges(tree(fileLanguage!).root(), fileLanguage!));
  let walked: ReturnType<typeof walkOwnTree> | undefined;
  const patternsIn = (language: string) => {
    const entries = combined.get(language) ?? [];
    const configs = entries.map((e) => (e.detector as Extract<CompiledDetector, { kind: 'pattern' }>).structural.compile(language).config);
    return { entries, configs, rule: configs.length === 1 ? configs[0]!.rule : { any: configs.map((c) => c.rule) } };
  };
  /** A node one of `candidates` patterns matched (`alone`: the node's walk had only this one). */
  const reportPatterns = (node: SgNode, { entries, configs }: ReturnType<typeof patternsIn>, alone: boolean) => {
    const range = node.range();
    entries.forEach((entry, i) => {
      if (alone || node.matches(configs[i]!)) report(entry.rule, entry.detector, range.start.index, range.end.index);
    });
  };
  const ownLanguage = structural.some((e) => (e.detector as Extract<CompiledDetector, { kind: 'pattern' }>).languageOf(file) === fileLanguage);
  // A JS/TS file some selector or import applies to has its syntax errors reported even when the
  // evidence spares it the ESTree: tree-sitter sees them, the ESTree parser then decides (below).
  // Where words alone leave a selector or import to run, oxc reads the file anyway.
  const estreeCandidates = estree.length > 0;
  const evidence = new FileEvidence(text, fileLanguage);
  const requirements = () => estree.map((e) => (e.detector.kind === 'selector' ? e.detector.requires : []));
  let plan = evidence.plan(requirements());
  let settled = plan.rules.length === 0 ? plan.answers(new Set()) : undefined;
  let errorWalk = estreeCandidates && settled !== undefined && !settled.some(Boolean);
  // Selectors answered from the file's tree where that is exact (tree-selector.ts), when the tree is
  // walked anyway: what they look for joins the walk; where the tree has a syntax error or a shape it
  // cannot settle, the ESTree answers (below). Selectors the words rule out are not looked for.
  const fromTree: TreeAnswer[] = [];
  if (readable && (ownLanguage || errorWalk || plan.rules.length > 0 || wantComments || wantStrings) && JS_GRAMMARS.has(fileLanguage)) {
    const possible = plan.answers(undefined);
    const kept: Active[] = [];
    estree.forEach((entry, i) => {
      const d = entry.detector;
      const matchers = d.kind === 'import' ? d.tree?.(fileLanguage as Grammar) : d.kind === 'selector' && !d.scopes.inside && !d.scopes.notInside ? d.tree(fileLanguage as Grammar) : undefined;
      if (!matchers) kept.push(entry);
      else if (possible[i]) fromTree.push({ entry, matchers });
    });
    if (kept.length < estree.length) {
      estree.splice(0, estree.length, ...kept);
      plan = evidence.plan(requirements());
      settled = plan.rules.length === 0 ? plan.answers(new Set()) : undefined;
      errorWalk = estreeCandidates && settled !== undefined && !settled.some(Boolean);
    }
  }
  const treeRules = new TreeWalk(
    fromTree.map((t) => t.matchers),
    fileLanguage ?? '',
    text,
  );
  if (readable && (ownLanguage || errorWalk || plan.rules.length > 0 || wantComments || wantStrings || fromTree.length > 0)) {
    const source: WalkSource = yield fileLanguage;
    if (source.root && !trees.has(fileLanguage)) trees.set(fileLanguage, source.root);
    const walk = languageWalk(rules, fileLanguage);
    const patterns = patternsIn(fileLanguage);
    combined.delete(fileLanguage);
    const own = { patterns: patterns.entries.map((e) => e.detector), plan, treeRules };
    walked = walkOwnTree(source.nodes, walk, own, (node) => reportPatterns(node, patterns, walk.patterns.length === 1));
  }
  // Selectors the tree could not answer exactly go to the ESTree (below).
  const treeHits = fromTree.map((_, i) => (walked && walked.error === undefined ? treeRules.result(i) : undefined));
  const fallBack = fromTree.filter((_, i) => treeHits[i] === undefined);
  for (const language of combined.keys()) {
    const patterns = patternsIn(language);
    for (const node of tree(language).root().findAll(patterns.configs.length === 1 ? patterns.configs[0]! : { rule: patterns.rule as never, language: language as never })) reportPatterns(node, patterns, patterns.configs.length === 1);
  }

  // Selectors whose node types the file cannot have are not run (and need no ESTree).
  const allowed = settled ?? plan.answers(walked && walked.error === undefined ? walked.seen : undefined);
  for (let i = estree.length - 1; i >= 0; i--) if (!allowed[i]) estree.splice(i, 1);
  estree.push(...fallBack.map((t) => t.entry));

  // ESTree for selectors, imports and selector scopes: JS/TS only.
  const selectorScopes = separate.some((a) => a.detector.kind === 'pattern' && (a.detector.scopes.inside?.kind === 'selector' || a.detector.scopes.notInside?.kind === 'selector'));
  let ast: AstNode | undefined;
  let keys: ReturnType<typeof visitorKeysFor> | undefined;
  /** oxc read the file without a syntax error. */
  let parsed = false;
  const failed = (error: unknown) => {
    if (!(error instanceof SyntaxFailure)) throw error;
    parseError = { message: error.message, line: error.line, column: error.column, ...(isDeclarationFile(file) ? { level: 'warn' as const } : {}) };
  };
  // Imports alone: oxc's module record answers them where it is certain to (detectors.ts), without the ESTree.
  if (estree.length > 0 && !selectorScopes && estree.every((e) => e.detector.kind === 'import') && languageOf(file) && recordSuffices(text)) {
    try {
      const module = parseModuleRecord(file, text);
      const hits = module && importViolationsFromRecord(estree.map((e) => e.detector as Extract<CompiledDetector, { kind: 'import' }>), module, text);
      if (hits) {
        parsed = true;
        const ruleOf = new Map(estree.map((e) => [e.detector, e.rule]));
        for (const hit of hits) report(ruleOf.get(hit.detector)!, hit.detector, hit.start, hit.end);
        estree.length = 0;
      }
    } catch (error) {
      failed(error);
      estree.length = 0;
    }
  }
  if ((estree.length > 0 || selectorScopes) && languageOf(file)) {
    try {
      const tree = parseCode(file, text, 'fast');
      ast = tree.ast;
      keys = visitorKeysFor(tree.language);
      parsed = true;
    } catch (error) {
      failed(error);
    }
  }
  const scopeRanges = (scopes: Scopes, language: string | undefined) => {
    const out: { inside?: Range[]; notInside?: Range[] } = {};
    for (const key of ['inside', 'notInside'] as const) {
      const scope = scopes[key];
      if (!scope) continue;
      if (scope.kind === 'selector') out[key] = ast ? selectorRanges(ast, scope.selector, keys!) : [];
      else out[key] = language && !scope.structural.errorFor(language) ? scope.structural.find(tree(language), language, text).map((m) => [m.start, m.end] as Range) : [];
    }
    return out;
  };
  const scoped = (within: { inside?: Range[]; notInside?: Range[] }, start: number, end: number) =>
    (!within.inside || inside(within.inside, start, end)) && (!within.notInside || !inside(within.notInside, start, end));

  for (const { rule, detector } of separate) {
    if (detector.kind !== 'pattern') continue;
    const language = detector.languageOf(file)!;
    const hasScopes = detector.scopes.inside || detector.scopes.notInside;
    if (hasScopes && !ast) continue;
    const within = hasScopes ? scopeRanges(detector.scopes, language) : {};
    for (const m of detector.structural.find(tree(language), language, text)) {
      if (scoped(within, m.start, m.end)) report(rule, detector, m.start, m.end, m.fix);
    }
  }
  // A syntax error tree-sitter recovered from: for JS/TS, the ESTree parser decides (as ESLint would
  // report it; a .d.ts only warns); in other languages it is a warning (ast-grep matched what parsed).
  if (!parseError && !parsed && (structural.length > 0 || estreeCandidates) && fileLanguage && (walked || trees.has(fileLanguage))) {
    const node = walked ? undefined : trees.get(fileLanguage)!.root().find({ rule: { kind: 'ERROR' } });
    const error = walked ? walked.error : node ? { index: node.range().start.index, text: node.text() } : undefined;
    if (error !== undefined && languageOf(file)) {
      try {
        parseCode(file, text, 'fast');
      } catch (failure) {
        if (!(failure instanceof SyntaxFailure)) throw failure;
        parseError = { message: failure.message, line: failure.line, column: failure.column, ...(isDeclarationFile(file) ? { level: 'warn' as const } : {}) };
      }
    } else if (error !== undefined) {
      const at = position(error.index);
      parseError = { message: `Parsing error: the parser recovered from a syntax error near \`${error.text.slice(0, 40)}\``, line: at.line, column: at.column, level: 'warn' };
    }
  }

  // Regexes that look only at code, comments or strings (in languages ast-grep parses).
  for (const { entry, hits } of regexHits) {
    const d = entry.detector as Extract<CompiledDetector, { kind: 'regex' }>;
    let kept = hits;
    if (d.area !== 'any' && readable) {
      const within = (list: Range[], m: { index: number; end: number }) => list.some(([a, b]) => a <= m.index && m.end <= b);
      kept = hits.filter((m) =>
        d.area === 'comments' ? within(comments(), m) : d.area === 'strings' ? within(strings(), m) : !within(comments(), m) && !within(strings(), m),
      );
    }
    for (const m of kept) report(entry.rule, d, m.index, m.end);
  }

  if (ast) {
    runEstreeDetectors(ast, keys!, estree, (rule, detector, node) => {
      const [start, end] = span(node);
      if (detector.kind === 'selector' && (detector.scopes.inside || detector.scopes.notInside)) {
        if (!scoped(scopeRanges(detector.scopes, astGrepLanguageOf(file)), start, end)) return;
      }
      report(rule, detector, start, end);
    });
  }
  fromTree.forEach(({ entry }, i) => {
    for (const [start, end] of treeHits[i] ?? []) report(entry.rule, entry.detector, start, end);
  });

  // Suppression comments matter only to findings.
  if (findings.length === 0) return parseError ? { file, findings, parseError } : { file, findings };
  const suppressions = readSuppressions(text, {
    ...(options.eslintDirectives === false ? { eslintDirectives: false } : {}),
    ...(readable && mayHaveDirectives(text) ? { comments: comments() } : {}),
  });
  const kept = findings.filter((f) => !suppressions.isSuppressed(f.ruleId, f.line));
  kept.sort((a, b) => a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));
  return parseError ? { file, findings: kept, parseError } : { file, findings: kept };
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
