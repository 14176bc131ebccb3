import type { SgNode } from '@ast-grep/napi';
import { loadAstGrep } from '../languages.js';
import { astGrepLang, type SynthLanguage } from './lang.js';

/** A code example to learn from: the code, its language, and optionally where in it the example is. */
export interface Example {
  code: string;
  language: SynthLanguage;
  /** The example is the statement starting on this line (1-based) of `code`, not all of it. */
  line?: number;
  /** With `line`: the example is the outermost code starting at this column (1-based) of that line. */
  column?: number;
  /** Where the example came from, for messages (`--bad 2`, `a.ts:14`). */
  label?: string;
}

/** A plain copy of an ast-grep node: cheap to compare, with UTF-16 offsets into the example's code. */
export interface TNode {
  kind: string;
  named: boolean;
  text: string;
  start: number;
  end: number;
  children: TNode[];
  parent?: TNode;
  /** In a position that names an API (a callee, a property, a type, a keyword argument's name). */
  name: boolean;
  /** 0-based column where the node starts. */
  column: number;
}

/** An example parsed: its focus node (what the detector must flag) and where that lies. */
export interface ParsedExample {
  example: Example;
  index: number;
  root: SgNode;
  focus: TNode;
  /** The node kinds around the focus, nearest first (within the example). */
  ancestors: string[];
  /**
   * The scopes (loops, catch, try, if, with) between the focus and the statement the example is, when
   * the focus was narrowed to where bad and good code differ: the example's own context.
   */
  context: string[];
  /** Where the example is in its code: the statement on its line, or all of a snippet (UTF-16 offsets). */
  region: { start: number; end: number };
  /** The statement on the example's line (all of a snippet): how far `region` may grow when widened. */
  statement: { start: number; end: number };
  /** Where narrowed against a good example of the same shape: that example's code in the same place. */
  counterpart?: TNode;
}

/** Statements that give code a context worth keeping: loops, error handling, conditions. */
export const SCOPE_KINDS = new Set([
  'for_statement', 'for_in_statement', 'while_statement', 'do_statement', 'catch_clause', 'try_statement', 'if_statement',
  'with_statement', 'except_clause', 'finally_clause', 'finally_clause', 'switch_statement', 'lambda', 'arrow_function',
]);

/**
 * Statements that say where a value goes: kept as context when an example is given at a column inside
 * one (a finding reported on the value, not the statement).
 */
export const DESTINATIONS = new Set(['return_statement', 'throw_statement', 'raise_statement', 'yield_expression', 'yield']);

export class ExampleError extends Error {
  constructor(
    message: string,
    readonly example: Example,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

const NAME_KINDS = new Set(['property_identifier', 'type_identifier', 'predefined_type', 'shorthand_property_identifier', 'statement_identifier']);
const CALL_KINDS = new Set(['call_expression', 'call', 'new_expression', 'decorator']);
const WRAPPERS = new Set(['expression_statement', 'parenthesized_expression']);

function copy(node: SgNode, parent: TNode | undefined, inName: boolean): TNode {
  const range = node.range();
  const kind = node.kind() as string;
  const out: TNode = { kind, named: node.isNamed(), text: node.text(), start: range.start.index, end: range.end.index, children: [], parent, name: inName || NAME_KINDS.has(kind), column: range.start.column };
  const field = (name: string) => (node.field as unknown as (n: string) => SgNode | null)(name);
  const callee = CALL_KINDS.has(kind) ? (field('function') ?? field('constructor')) : null;
  const calleeStart = callee ? callee.range().start.index : -1;
  const keyword = kind === 'keyword_argument' ? field('name') : null;
  const keywordStart = keyword ? keyword.range().start.index : -1;
  for (const child of node.children()) {
    if (child.kind() === 'comment') continue;
    const start = child.range().start.index;
    const isName = out.name || (callee !== null && start === calleeStart && child.kind() === callee.kind()) || (keyword !== null && start === keywordStart);
    out.children.push(copy(child, out, isName));
  }
  return out;
}

/** The first syntax error in a tree, as a line and column (1-based), or undefined. */
function syntaxError(root: SgNode): { line: number; column: number } | undefined {
  const error = root.find({ rule: { any: [{ kind: 'ERROR' }] } } as never);
  if (error) {
    // An error that runs to the end of the code is unfinished code: point where it stops (`foo(` → 1:5).
    const { start, end } = error.range();
    const at = end.index >= root.text().trimEnd().length ? end : start;
    return { line: at.line + 1, column: at.column + 1 };
  }
  // A missing token (`f(a`) leaves no ERROR node but a zero-width leaf.
  const missing = (function find(node: SgNode): SgNode | undefined {
    for (const child of node.children()) {
      const r = child.range();
      if (r.start.index === r.end.index && child.isLeaf() && child.kind() !== 'string_fragment') return child;
      const inner = find(child);
      if (inner) return inner;
    }
    return undefined;
  })(root);
  return missing ? { line: missing.range().start.line + 1, column: missing.range().start.column + 1 } : undefined;
}

/** Removes the wrappers ast-grep removes from a pattern: a lone statement around an expression. */
export function unwrap(node: TNode): TNode {
  let current = node;
  for (;;) {
    const named = current.children.filter((c) => c.named);
    if (WRAPPERS.has(current.kind) && named.length === 1 && current.kind !== 'parenthesized_expression') current = named[0]!;
    else return current;
  }
}

function statementsOf(root: TNode): TNode[] {
  return root.children.filter((c) => c.named);
}

/**
 * Parses an example and finds its focus: the statement on `line` when given, the only statement of a
 * snippet, or (several statements) the first one that no good example contains verbatim.
 */
export function parseExample(example: Example, index: number, avoid: ReadonlySet<string> = new Set()): ParsedExample {
  const root = loadAstGrep().parse(astGrepLang(example.language) as never, example.code).root();
  const error = syntaxError(root);
  // A snippet must parse whole; in a whole file (an example given by its line) only the example must.
  if (error && (example.line === undefined || error.line === example.line)) throw new ExampleError(`does not parse as ${example.language}`, example, error.line, error.column);
  const tree = copy(root, undefined, false);
  let focus: TNode | undefined;
  if (example.line !== undefined) {
    const lineStart = lineOffset(example.code, example.line);
    const firstChar = example.column !== undefined ? lineStart + example.column - 1 : lineStart + (/^\s*/.exec(example.code.slice(lineStart))![0].length);
    focus = outermostAt(tree, firstChar) ?? (example.column !== undefined ? outermostAt(tree, lineStart + (/^\s*/.exec(example.code.slice(lineStart))![0].length)) : undefined);
    if (!focus) throw new ExampleError(`no code starts on line ${example.line}`, example, example.line, 1);
  } else {
    const statements = statementsOf(tree);
    if (statements.length === 0) throw new ExampleError('is empty (no code)', example, 1, 1);
    focus = statements.find((s) => !avoid.has(normalize(s.text))) ?? statements[0]!;
  }
  const region = example.line !== undefined ? { start: focus.start, end: focus.end } : { start: 0, end: example.code.length };
  let statement = region;
  if (example.line !== undefined && example.column !== undefined) {
    const lineStart = lineOffset(example.code, example.line);
    const whole = outermostAt(tree, lineStart + (/^\s*/.exec(example.code.slice(lineStart))![0].length));
    if (whole && whole !== focus && whole.start <= focus.start && whole.end >= focus.end) {
      // The code at the column, in the statement on its line: the loops, `finally` or `catch` between
      // them are its context, as for an example narrowed to where it differs from a good one.
      statement = { start: whole.start, end: whole.end };
      const at = withFocus({ example, index, root, focus: whole, ancestors: [], context: [], region: statement, statement }, unwrap(focus));
      // Where the value goes, when the statement shows it (`return JSON.parse(s)` with `JSON.parse(s)` flagged).
      const destination = at.focus.parent && DESTINATIONS.has(at.focus.parent.kind) ? [at.focus.parent.kind] : [];
      return { ...at, region, context: [...destination, ...at.context, ...scopesAround(whole)] };
    }
  }
  const parsed = withFocus({ example, index, root, focus, ancestors: [], context: [], region, statement }, unwrap(focus));
  return example.line === undefined ? parsed : { ...parsed, context: [...parsed.context, ...scopesAround(focus)] };
}

const OWNERS = /^(function_declaration|function_definition|method_definition|function_expression|arrow_function|function|lambda|class_body|program|module)$/;

/**
 * The loops, `try`/`catch`/`finally`, conditions and `with` statements a statement given by its line
 * sits in, within its function: the context the example shows it in (`return` in a `finally`).
 */
function scopesAround(node: TNode): string[] {
  const out: string[] = [];
  let inBody = true;
  for (let p = node.parent; p && !OWNERS.test(p.kind); p = p.parent) {
    if (SCOPE_KINDS.has(p.kind) && inBody) out.push(p.kind);
    inBody = /_statement$|^block$|^statement_block$|_clause$/.test(p.kind) || inBody;
  }
  return out;
}

/** The example with another focus inside it (its ancestors and context recomputed). */
export function withFocus(parsed: ParsedExample, focus: TNode): ParsedExample {
  const ancestors: string[] = [];
  for (let p = focus.parent; p; p = p.parent) ancestors.push(p.kind);
  const context: string[] = [];
  // A scope counts when the code is in its body (a statement in a loop), not in its header (an if's condition).
  let inBody = /_statement$|^block$|^statement_block$/.test(focus.kind);
  for (let p = focus.parent; p && p !== parsed.focus.parent; p = p.parent) {
    if (SCOPE_KINDS.has(p.kind) && inBody) context.push(p.kind);
    if (/_statement$|^block$|^statement_block$/.test(p.kind)) inBody = true;
  }
  return { ...parsed, focus, ancestors, context: parsed.focus === focus ? parsed.context : [...context, ...parsed.context] };
}

const LISTS = new Set(['object', 'array', 'dictionary', 'list', 'tuple', 'set', 'string', 'template_string', 'template_substitution', 'arguments', 'argument_list', 'keyword_argument', 'formal_parameters', 'parameters', 'statement_block', 'block', 'pair', 'subscript', 'type_arguments', 'string_fragment', 'else_clause']);

/**
 * The smallest pattern-able node of `bad` where it differs from `good` (same shape above it), with the
 * node of `good` in the same place; undefined when they are the same code.
 */
export function differingNode(bad: TNode, good: TNode): [TNode, TNode] | undefined {
  if (bad.text === good.text) return undefined;
  let b = bad;
  let g = good;
  for (;;) {
    if (b.kind !== g.kind || b.children.length !== g.children.length || b.children.some((c, i) => c.kind !== g.children[i]!.kind || (!c.named && c.text !== g.children[i]!.text))) break;
    const differing = b.children.map((c, i) => i).filter((i) => b.children[i]!.text !== g.children[i]!.text);
    if (differing.length !== 1) break;
    const i = differing[0]!;
    b = b.children[i]!;
    g = g.children[i]!;
  }
  while (b !== bad && b.parent && g.parent && (b.children.length === 0 || b.name || !b.named || LISTS.has(b.kind) || WRAPPERS.has(b.kind))) {
    b = b.parent;
    g = g.parent;
  }
  return [b, g];
}

/**
 * A node inside `bad` (not bad itself) of the kind of `good`, the one sharing the most leaves with it,
 * standing as code of its own there (a statement, a declaration: the call a loop makes that the good
 * example makes outside one). An operand is not (`foo.bar` in `foo && foo.bar` against `foo?.bar`):
 * there the whole bad code is the mistake.
 */
export function containedLike(bad: TNode, good: TNode): TNode | undefined {
  const goodLeaves = new Set([...descendants(good)].filter((n) => n.children.length === 0).map((n) => n.text));
  let best: { node: TNode; score: number } | undefined;
  for (const node of descendants(bad)) {
    if (node === bad || node.kind !== good.kind || !standsAlone(node)) continue;
    const leaves = [...descendants(node)].filter((n) => n.children.length === 0 && n.named);
    const callee = leaves.find((n) => n.name);
    if (callee && !goodLeaves.has(callee.text)) continue;
    const score = leaves.filter((n) => goodLeaves.has(n.text)).length;
    if (score > 0 && (!best || score > best.score)) best = { node, score };
  }
  return best?.node;
}

/** Is the node a statement, or the whole of one (behind `;` or parentheses), or a declaration's value? */
function standsAlone(node: TNode): boolean {
  let p = node.parent;
  while (p && WRAPPERS.has(p.kind)) p = p.parent;
  return !p || /(_statement|^block|^statement_block|^program|^module|_clause|^variable_declarator)$/.test(p.kind);
}

/** Code with its whitespace collapsed, for comparing examples. */
export function normalize(code: string): string {
  return code.replace(/\s+/g, ' ').replace(/\s*;\s*$/, '').trim();
}

function lineOffset(code: string, line: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = code.indexOf('\n', offset);
    if (next === -1) return code.length;
    offset = next + 1;
  }
  return offset;
}

/** The outermost named node (not the whole file) that starts at this offset. */
function outermostAt(node: TNode, offset: number): TNode | undefined {
  for (const child of node.children) {
    // (A Python block starts where its first statement does: the statement is meant, not the block.)
    if (child.start === offset && child.named && child.kind !== 'block') return child;
    if (child.start <= offset && offset < child.end) return outermostAt(child, offset);
  }
  return undefined;
}

/** Every node below (and including) a node, in source order. */
export function* descendants(node: TNode): Generator<TNode> {
  yield node;
  for (const child of node.children) yield* descendants(child);
}

/** Does this code parse in this language without a syntax error? */
export function parsesAs(code: string, language: SynthLanguage): boolean {
  return syntaxErrorIn(code, language) === undefined;
}

/** Where code first fails to parse in a language (1-based), or undefined when it parses. */
export function syntaxErrorIn(code: string, language: SynthLanguage): { line: number; column: number } | undefined {
  return syntaxError(loadAstGrep().parse(astGrepLang(language) as never, code).root());
}

/** The nearest loop, try, if or with statement around an example's line, within its function. */
function scopeOf(parsed: ParsedExample): TNode | undefined {
  for (let p = parsed.focus.parent; p; p = p.parent) {
    if (/^(function_declaration|function_definition|method_definition|class_body|arrow_function|function_expression)$/.test(p.kind)) return undefined;
    if (SCOPE_KINDS.has(p.kind) && p.kind !== 'lambda') {
      return p.parent && /^(catch_clause|except_clause|finally_clause|else_clause|elif_clause)$/.test(p.kind) ? p.parent : p;
    }
  }
  return undefined;
}

/** The statement on an example's line, dedented. */
export function statementOf(example: Example): string {
  return statementText(parseExample(example, 0));
}

function statementText(parsed: ParsedExample): string {
  const code = parsed.example.code;
  const start = parsed.region.start;
  return dedentAt(code.slice(start, parsed.region.end), start - (code.lastIndexOf('\n', start - 1) + 1));
}

/**
 * The code of a fix's changed lines, as a feedback record keeps it: each line's statement; but when the
 * bad line sits in a loop, try, if or with statement that the good line is not in (the fix moved the
 * code out), the bad code is that whole scope (up to 20 lines), since the scope is the mistake.
 */
export function codeOfChange(bad: Example, good: Example | undefined): { bad: string; good?: string } {
  const b = parseExample(bad, 0);
  const g = good ? parseExample(good, 1) : undefined;
  const scope = scopeOf(b);
  const goodScope = g ? scopeOf(g) : undefined;
  const moved = scope && (!goodScope || goodScope.kind !== scope.kind) && scope.text.split('\n').length <= 20;
  return { bad: moved ? dedentAt(scope.text, scope.column) : statementText(b), ...(g ? { good: statementText(g) } : {}) };
}

function dedentAt(text: string, column: number): string {
  if (column === 0 || !text.includes('\n')) return text;
  const prefix = new RegExp(`^[ \\t]{0,${column}}`);
  return text.split('\n').map((line, i) => (i === 0 ? line : line.replace(prefix, ''))).join('\n');
}
