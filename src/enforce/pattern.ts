import { childKeys, isNode, sameCode, type AstNode } from './ast.js';
import { parseCode, type ParserFamily } from './parsers.js';

/**
 * Code patterns, matched on the syntax tree: `$NAME` matches one expression or identifier (the same
 * name twice must match equal code; `$_` matches anything without binding), and `...` (or `$$$`)
 * matches any sequence of arguments, elements, properties, parameters or statements.
 */
export interface CodePattern {
  source: string;
  /** One node, or several statements that must appear in this order within one block. */
  root: AstNode | AstNode[];
  /** Node types a match can start at. */
  rootTypes: string[];
  /** Names and strings every matching file must contain: files without them are never parsed. */
  literals: string[];
}

export type Bindings = ReadonlyMap<string, AstNode>;

const ELLIPSIS = '$$$';
const METAVARIABLE = /^\$[A-Z_][A-Z0-9_]*$/;

/** `...` where it stands for "anything" (not a spread of a value) becomes the `$$$` identifier. */
function markEllipses(source: string): string {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (quote) {
      out += ch;
      if (ch === '\\') out += source[++i] ?? '';
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') {
      quote = ch;
      out += ch;
      continue;
    }
    if (source.startsWith('...', i) && /^\s*([,)\]};]|$)/.test(source.slice(i + 3))) {
      out += ELLIPSIS;
      i += 2;
      continue;
    }
    out += ch;
  }
  return out;
}

export class PatternError extends Error {}

/**
 * Parses a pattern with the parser (and options) of the file it will be matched against, named by
 * `filename`. Throws PatternError.
 */
export function compilePattern(source: string, filename: string, family: ParserFamily = 'eslint'): CodePattern {
  let program: AstNode;
  try {
    program = parseCode(filename, markEllipses(source), family).ast;
  } catch (error) {
    throw new PatternError(`the pattern does not parse as ${filename.replace(/^.*\./, '.')} code: ${(error as Error).message}`);
  }
  const body = program.body as AstNode[];
  if (body.length === 0) throw new PatternError('the pattern is empty');
  let root: AstNode | AstNode[];
  if (body.length === 1) {
    const only = body[0]!;
    root = only.type === 'ExpressionStatement' ? (only.expression as AstNode) : only;
  } else {
    root = body;
  }
  const first = Array.isArray(root) ? root.find((n) => !isEllipsis(n)) : root;
  if (!first || isMetavariable(first) || isEllipsis(first)) {
    throw new PatternError('a pattern must contain some code besides metavariables and ...');
  }
  const rootTypes = Array.isArray(root) ? ['*statements'] : [root.type];
  return { source, root, rootTypes, literals: literalsOf(program) };
}

function isMetavariable(node: unknown): node is AstNode & { name: string } {
  return isNode(node) && node.type === 'Identifier' && typeof node.name === 'string' && (METAVARIABLE.test(node.name) || node.name === '$_');
}

function isEllipsis(node: unknown): boolean {
  if (!isNode(node)) return false;
  if (node.type === 'Identifier') return node.name === ELLIPSIS;
  if (node.type === 'ExpressionStatement') return isEllipsis(node.expression);
  if (node.type === 'Property' || node.type === 'ObjectProperty') return node.shorthand === true && isEllipsis(node.key);
  if (node.type === 'JSXExpressionContainer') return isEllipsis(node.expression);
  return false;
}

function literalsOf(program: AstNode): string[] {
  const out = new Set<string>();
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isNode(node)) return;
    if (node.type === 'Identifier' && typeof node.name === 'string' && !isMetavariable(node) && node.name !== ELLIPSIS) out.add(node.name);
    if (node.type === 'Literal' && typeof node.value === 'string' && node.value.length >= 2) out.add(node.value);
    for (const key of childKeys(node)) visit(node[key]);
  };
  visit(program.body);
  return [...out];
}

/** Matches a pattern at one node; returns the metavariable bindings, or undefined. */
export function matchAt(pattern: CodePattern, node: AstNode): Bindings | undefined {
  if (Array.isArray(pattern.root)) return undefined;
  return match(pattern.root, node, new Map()) ?? undefined;
}

/** Where a statement-sequence pattern matches in a list of statements: the first statement of each match. */
export function matchSequence(pattern: CodePattern, statements: AstNode[]): AstNode[] {
  if (!Array.isArray(pattern.root)) return [];
  const list = [...pattern.root, { type: 'Identifier', name: ELLIPSIS } as AstNode];
  const out: AstNode[] = [];
  for (let start = 0; start < statements.length; start++) {
    if (matchList(list, 0, statements, start, new Map(), false)) out.push(statements[start]!);
  }
  return out;
}

/** Statement lists of a node, for sequence patterns. */
export function statementLists(node: AstNode): AstNode[][] {
  if (node.type === 'Program' || node.type === 'BlockStatement' || node.type === 'StaticBlock') return [node.body as AstNode[]];
  if (node.type === 'SwitchCase') return [node.consequent as AstNode[]];
  return [];
}

function bind(bindings: Bindings, name: string, node: AstNode): Bindings | null {
  if (name === '$_') return bindings;
  const bound = bindings.get(name);
  if (bound) return sameCode(bound, node) ? bindings : null;
  const next = new Map(bindings);
  next.set(name, node);
  return next;
}

function match(p: unknown, c: unknown, bindings: Bindings): Bindings | null {
  if (isNode(p)) {
    if (isMetavariable(p)) return isNode(c) ? bind(bindings, p.name, c) : null;
    // `$X;` as a statement matches any statement.
    if (p.type === 'ExpressionStatement' && isMetavariable(p.expression) && isNode(c) && /Statement|Declaration$/.test(c.type)) {
      return bind(bindings, (p.expression as { name: string }).name, c);
    }
    if (!isNode(c) || p.type !== c.type) return null;
    let current: Bindings | null = bindings;
    const keys = new Set([...childKeys(p), ...childKeys(c)]);
    for (const key of keys) {
      const pv = p[key];
      const cv = c[key];
      if (Array.isArray(pv) || Array.isArray(cv)) {
        const ps = Array.isArray(pv) ? pv : [];
        const cs = Array.isArray(cv) ? cv : [];
        const unordered = key === 'properties' && ps.some(isEllipsis);
        current = matchList(ps, 0, cs, 0, current, unordered);
      } else {
        current = match(pv, cv, current);
      }
      if (!current) return null;
    }
    return current;
  }
  return sameCode(p, c) ? bindings : null;
}

function matchList(ps: unknown[], i: number, cs: unknown[], j: number, bindings: Bindings, unordered: boolean): Bindings | null {
  if (unordered) return matchUnordered(ps.filter((p) => !isEllipsis(p)), cs, bindings);
  if (i === ps.length) return j === cs.length ? bindings : null;
  if (isEllipsis(ps[i])) {
    for (let k = j; k <= cs.length; k++) {
      const result = matchList(ps, i + 1, cs, k, bindings, false);
      if (result) return result;
    }
    return null;
  }
  if (j >= cs.length) return null;
  const next = match(ps[i], cs[j], bindings);
  return next ? matchList(ps, i + 1, cs, j + 1, next, false) : null;
}

/** Object properties with `...`: each listed property must match a different one, in any order. */
function matchUnordered(ps: unknown[], cs: unknown[], bindings: Bindings, used: ReadonlySet<number> = new Set()): Bindings | null {
  if (ps.length === 0) return bindings;
  const [first, ...rest] = ps;
  for (let k = 0; k < cs.length; k++) {
    if (used.has(k)) continue;
    const next = match(first, cs[k], bindings);
    if (!next) continue;
    const result = matchUnordered(rest, cs, next, new Set([...used, k]));
    if (result) return result;
  }
  return null;
}
