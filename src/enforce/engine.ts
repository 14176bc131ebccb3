import esquery from 'esquery';
import type { SgRoot } from '@ast-grep/napi';
import { childKeys, isNode, type AstNode } from './ast.js';
import type { CompiledDetector, CompiledRule, Level, Scopes } from './compile.js';
import { importViolation, IMPORT_NODE_TYPES, regexMatches } from './detectors.js';
import { astGrepLanguageOf } from './languages.js';
import { isDeclarationFile, parseCode, languageOf, visitorKeysFor, SyntaxFailure } from './parsers.js';
import { parseWith } from './structural.js';
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

export function checkText(file: string, text: string, rules: readonly CompiledRule[], options: CheckOptions = {}): FileResult {
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
  for (const entry of active) {
    const d = entry.detector;
    if (d.kind === 'regex') {
      let hits = regexMatches(d, text);
      if (d.area !== 'any' && fileLanguage && !tooDeep && hits.length > 0) {
        const root = tree(fileLanguage).root();
        const comments = commentRanges(root, fileLanguage);
        const strings = stringRanges(root, fileLanguage);
        const within = (ranges: Range[], m: { index: number; end: number }) => ranges.some(([a, b]) => a <= m.index && m.end <= b);
        hits = hits.filter((m) =>
          d.area === 'comments' ? within(comments, m) : d.area === 'strings' ? within(strings, m) : !within(comments, m) && !within(strings, m),
        );
      }
      for (const m of hits) report(entry.rule, d, m.index, m.end);
    } else if (tooDeep) {
      continue;
    } else if (d.kind === 'pattern') {
      const language = d.languageOf(file);
      if (language && d.structural.literalsFor(language).every((w) => text.includes(w))) structural.push(entry);
    } else if (d.literals.every((literal) => text.includes(literal))) {
      estree.push(entry);
    }
  }

  // ESTree for selectors, imports and selector scopes: JS/TS only.
  const needsEstree = estree.length > 0 || structural.some((a) => a.detector.kind === 'pattern' && (a.detector.scopes.inside?.kind === 'selector' || a.detector.scopes.notInside?.kind === 'selector'));
  let ast: AstNode | undefined;
  let keys: ReturnType<typeof visitorKeysFor> | undefined;
  if (needsEstree && languageOf(file)) {
    try {
      const parsed = parseCode(file, text, 'fast');
      ast = parsed.ast;
      keys = visitorKeysFor(parsed.language);
    } catch (error) {
      if (!(error instanceof SyntaxFailure)) throw error;
      parseError = { message: error.message, line: error.line, column: error.column, ...(isDeclarationFile(file) ? { level: 'warn' as const } : {}) };
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
  const scoped = (ranges: { inside?: Range[]; notInside?: Range[] }, start: number, end: number) =>
    (!ranges.inside || inside(ranges.inside, start, end)) && (!ranges.notInside || !inside(ranges.notInside, start, end));

  // Detectors that are one plain rule run in one traversal per language (`any` of their rules), each
  // match then told apart by its own rule: ast-grep walks the tree once, not once per detector.
  const combined = new Map<string, Active[]>();
  for (const entry of structural) {
    const { rule, detector } = entry;
    if (detector.kind !== 'pattern') continue;
    const language = detector.languageOf(file)!;
    const hasScopes = detector.scopes.inside || detector.scopes.notInside;
    if (hasScopes && !ast) continue;
    if (!hasScopes && detector.structural.combinable(language)) {
      combined.set(language, [...(combined.get(language) ?? []), entry]);
      continue;
    }
    const ranges = hasScopes ? scopeRanges(detector.scopes, language) : {};
    for (const m of detector.structural.find(tree(language), language, text)) {
      if (scoped(ranges, m.start, m.end)) report(rule, detector, m.start, m.end, m.fix);
    }
  }
  for (const [language, entries] of combined) {
    const configs = entries.map((e) => (e.detector as Extract<CompiledDetector, { kind: 'pattern' }>).structural.compile(language).config);
    const nodes = tree(language)
      .root()
      .findAll(configs.length === 1 ? configs[0]! : { rule: { any: configs.map((c) => c.rule) }, language: language as never });
    for (const node of nodes) {
      const range = node.range();
      entries.forEach((entry, i) => {
        if (configs.length === 1 || node.matches(configs[i]!)) report(entry.rule, entry.detector, range.start.index, range.end.index);
      });
    }
  }
  // A syntax error tree-sitter recovered from: for JS/TS, the ESTree parser decides (as ESLint would
  // report it; a .d.ts only warns); in other languages it is a warning (ast-grep matched what parsed).
  if (!parseError && structural.length > 0 && fileLanguage && trees.has(fileLanguage)) {
    const error = trees.get(fileLanguage)!.root().find({ rule: { kind: 'ERROR' } });
    if (error && languageOf(file)) {
      try {
        parseCode(file, text, 'fast');
      } catch (failure) {
        if (!(failure instanceof SyntaxFailure)) throw failure;
        parseError = { message: failure.message, line: failure.line, column: failure.column, ...(isDeclarationFile(file) ? { level: 'warn' as const } : {}) };
      }
    } else if (error) {
      const at = position(error.range().start.index);
      parseError = { message: `Parsing error: the parser recovered from a syntax error near \`${error.text().slice(0, 40)}\``, line: at.line, column: at.column, level: 'warn' };
    }
  }

  if (ast) {
    runEstreeDetectors(ast, keys!, estree, (rule, detector, node) => {
      const [start, end] = node.range!;
      if (detector.kind === 'selector' && (detector.scopes.inside || detector.scopes.notInside)) {
        if (!scoped(scopeRanges(detector.scopes, astGrepLanguageOf(file)), start, end)) return;
      }
      report(rule, detector, start, end);
    });
  }

  const suppressions = readSuppressions(text, {
    ...(options.eslintDirectives === false ? { eslintDirectives: false } : {}),
    ...(fileLanguage && !tooDeep && /eslint-|failures-ignore/.test(text) ? { comments: commentRanges(tree(fileLanguage).root(), fileLanguage) } : {}),
  });
  const kept = findings.filter((f) => !suppressions.isSuppressed(f.ruleId, f.line));
  kept.sort((a, b) => a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));
  return parseError ? { file, findings: kept, parseError } : { file, findings: kept };
}

function esqueryOptions(visitorKeys: Record<string, readonly string[] | undefined>) {
  return { visitorKeys, fallback: (n: unknown) => childKeys(n as AstNode) } as never;
}

/** Ranges of the nodes a selector matches. */
export function selectorRanges(ast: AstNode, selector: ReturnType<typeof esquery.parse>, visitorKeys: Record<string, readonly string[] | undefined>): Range[] {
  return (esquery.match(ast as never, selector, esqueryOptions(visitorKeys)) as unknown as AstNode[]).map((n) => n.range!);
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
    const chain = candidates || anyType.length ? [...ancestry].reverse() : [];
    for (const entry of candidates ?? []) {
      if (esquery.matches(node as never, (entry.detector as unknown as { selector: never }).selector, chain as never, options)) (found.get(entry) ?? found.set(entry, []).get(entry)!).push(node);
    }
    for (const entry of anyType) {
      if (esquery.matches(node as never, (entry.detector as unknown as { selector: never }).selector, chain as never, options)) (found.get(entry) ?? found.set(entry, []).get(entry)!).push(node);
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
