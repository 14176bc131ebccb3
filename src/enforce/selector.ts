import { createRequire } from 'node:module';
import type Esquery from 'esquery';
import { compileLinear, RegexError } from './linear-regex.js';
import { closest } from '../errors.js';

/**
 * esquery, through require: imported as an ES module, Node would first scan its 36 KB of minified
 * CommonJS for its exports (cjs-module-lexer, long enough for V8 to optimise the scanner).
 */
export const esquery = createRequire(import.meta.url)('esquery') as typeof Esquery;

/**
 * esquery selectors, as ESLint's no-restricted-syntax reads them, made safe to run on anyone's
 * records: regexes inside them run on RE2 (linear time), `:has` nests at most MAX_HAS_DEPTH deep
 * (each level multiplies the work by the size of the tree), and the text a file must contain for a
 * match is derived only where it is certain.
 */
export type Selector = ReturnType<typeof esquery.parse>;

export const MAX_HAS_DEPTH = 3;
export const MAX_SELECTOR_LENGTH = 10_000;

export class SelectorError extends Error {}

interface Node {
  type: string;
  [key: string]: unknown;
}

function children(node: Node): Node[] {
  const out: Node[] = [];
  for (const key of ['selectors', 'left', 'right', 'selector']) {
    const value = node[key];
    if (Array.isArray(value)) out.push(...(value as Node[]));
    else if (value && typeof value === 'object' && typeof (value as Node).type === 'string') out.push(value as Node);
  }
  return out;
}

function hasDepth(node: Node): number {
  const below = Math.max(0, ...children(node).map(hasDepth));
  return node.type === 'has' ? below + 1 : below;
}

export interface CompiledSelector {
  selector: Selector;
  source: string;
  /** Contains a regex: ESLint must not compile it itself (it would run it on V8's backtracking engine). */
  hasRegex: boolean;
  /** Identifier names every match needs in the file (from `[….name='x']` in parts every match must have). */
  literals: string[];
  /**
   * Node types every match needs in the file's ESTree: each clause names types one of which must
   * exist (the subject's type, types named by `[….type='X']`, by `:has(…)`, by the other parts of
   * `A > B`, `A B`, `A ~ B`, `A + B`). See evidence.ts.
   */
  requires: string[][];
}

/** Parses and secures a selector; throws SelectorError with what is wrong. */
export function compileSelector(source: string): CompiledSelector {
  if (source.length > MAX_SELECTOR_LENGTH) throw new SelectorError(`the selector is ${source.length.toLocaleString('en')} characters long (at most ${MAX_SELECTOR_LENGTH.toLocaleString('en')})`);
  let selector: Selector;
  try {
    // ESLint reads a final `:exit` as "on leaving the node" (the same nodes): no-restricted-syntax accepts it.
    selector = esquery.parse(source.replace(/:exit$/u, ''));
  } catch (error) {
    throw new SelectorError(`the selector does not parse: ${(error as Error).message.split('\n')[0]}`);
  }
  const depth = hasDepth(selector as unknown as Node);
  if (depth > MAX_HAS_DEPTH) throw new SelectorError(`:has is nested ${depth} deep (at most ${MAX_HAS_DEPTH}): each level multiplies the time by the size of the file`);
  checkNodeTypes(selector as unknown as Node);
  let hasRegex = false;
  const stack: Node[] = [selector as unknown as Node];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const value = node.value as { type?: string; value?: unknown } | undefined;
    if (node.type === 'attribute' && value?.type === 'regexp' && value.value instanceof RegExp) {
      hasRegex = true;
      const original = value.value;
      let linear;
      try {
        linear = compileLinear(original.source, original.flags);
      } catch (error) {
        throw new SelectorError(error instanceof RegexError ? `in the selector, ${error.message}` : String(error));
      }
      value.value = { test: (text: unknown) => linear.test(String(text)), source: original.source, flags: original.flags };
    }
    stack.push(...children(node));
  }
  return { selector, source, hasRegex, literals: requiredNames(selector as unknown as Node), requires: requiredTypes(selector as unknown as Node) };
}

let knownTypes: ReadonlySet<string> | undefined;

/** Every ESTree node type a JS/TS file can hold (ESTree, JSX and typescript-eslint's TS nodes), loaded on first use. */
function nodeTypes(): ReadonlySet<string> {
  if (!knownTypes) {
    const require = createRequire(import.meta.url);
    const ts = require('@typescript-eslint/visitor-keys') as { visitorKeys: Record<string, unknown> };
    const js = require('eslint-visitor-keys') as { KEYS: Record<string, unknown> };
    knownTypes = new Set([...Object.keys(ts.visitorKeys), ...Object.keys(js.KEYS)]);
  }
  return knownTypes;
}

const CLASSES = ['statement', 'declaration', 'pattern', 'expression', 'function'];

/**
 * A node type no JS/TS tree has (`CallExpresion`), a `[….type='…']` naming one, or an unknown `:class`
 * can never match: the rule would pass silently forever. esquery compares types without case, so does this.
 */
function checkNodeTypes(root: Node): void {
  const types = nodeTypes();
  const lower = new Set([...types].map((t) => t.toLowerCase()));
  const unknown = (type: string, where: string) => {
    const guess = closest(type, types);
    return new SelectorError(
      `${where} \`${type}\` is not an ESTree node type, so the selector can never match${guess ? `: did you mean \`${guess}\`?` : ''}`,
    );
  };
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'identifier' && !lower.has(String(node.value).toLowerCase())) throw unknown(String(node.value), 'the node type');
    if (node.type === 'class' && String(node.name).toLowerCase() === 'exit') {
      throw new SelectorError('`:exit` names an ESLint listener and may only end the whole selector (`CallExpression:exit`); drop it here');
    }
    if (node.type === 'class' && !CLASSES.includes(String(node.name).toLowerCase())) {
      throw new SelectorError(`\`:${String(node.name)}\` is not an esquery class: use one of ${CLASSES.map((c) => `:${c}`).join(', ')}`);
    }
    if (node.type === 'attribute' && (node.operator === '=' || node.operator === '!=') && /(^|\.)type$/.test(String(node.name ?? ''))) {
      const value = node.value as { type?: string; value?: unknown } | undefined;
      if (value?.type === 'literal' && typeof value.value === 'string' && !types.has(value.value)) throw unknown(value.value, `in [${String(node.name)}…],`);
    }
    stack.push(...children(node));
  }
}

/**
 * The node types a selector's matches need, as clauses (all must hold; a clause holds when one of its
 * types exists). Sound by refusal: a part this does not understand requires nothing.
 */
export function requiredTypes(node: Node): string[][] {
  switch (node.type) {
    case 'identifier':
      return [[String(node.value)]];
    case 'compound':
      return (node.selectors as Node[]).flatMap(requiredTypes);
    case 'child':
    case 'descendant':
    case 'sibling':
    case 'adjacent':
      return [...requiredTypes(node.left as Node), ...requiredTypes(node.right as Node)];
    case 'has':
    case 'matches': {
      // One of the alternatives holds: each needs its first clause at least, so their union is needed.
      const alternatives = (node.selectors as Node[]).map(requiredTypes);
      if (alternatives.length === 1) return alternatives[0]!;
      if (alternatives.length === 0 || alternatives.some((a) => a.length === 0)) return [];
      return [[...new Set(alternatives.map((a) => a[0]!).flat())]];
    }
    case 'attribute': {
      // `[path.type='X']`: the node at the path is an ESTree node of type X.
      const value = node.value as { type?: string; value?: unknown } | undefined;
      const path = String(node.name ?? '');
      if (node.operator === '=' && value?.type === 'literal' && typeof value.value === 'string' && /(^|\.)type$/.test(path)) return [[value.value]];
      return [];
    }
    default:
      return [];
  }
}

const ANCESTRY_FREE = new Set(['identifier', 'attribute', 'compound', 'wildcard', 'matches', 'not']);
const ancestryNeeded = new WeakMap<object, boolean>();

/**
 * Does matching the selector look at a node's ancestors (`A > B`, `A B`, siblings, `:nth-child`,
 * `.field`, `:expression`…)? When it does not, esquery is given none to build.
 */
export function needsAncestry(selector: Selector): boolean {
  let answer = ancestryNeeded.get(selector);
  if (answer === undefined) {
    const visit = (node: Node): boolean => !ANCESTRY_FREE.has(node.type) || children(node).some(visit);
    ancestryNeeded.set(selector, (answer = visit(selector as unknown as Node)));
  }
  return answer;
}

/** Names compared with `=` on a `name` attribute, in parts of the selector every match must have. */
function requiredNames(node: Node): string[] {
  switch (node.type) {
    case 'compound':
      return (node.selectors as Node[]).flatMap(requiredNames);
    case 'child':
    case 'descendant':
    case 'sibling':
    case 'adjacent':
      return [...requiredNames(node.left as Node), ...requiredNames(node.right as Node)];
    case 'has': {
      const alternatives = node.selectors as Node[];
      return alternatives.length === 1 ? requiredNames(alternatives[0]!) : [];
    }
    case 'attribute': {
      const value = node.value as { type?: string; value?: unknown } | undefined;
      const path = String(node.name ?? '');
      if (node.operator === '=' && value?.type === 'literal' && typeof value.value === 'string' && /(^|\.)name$/.test(path) && /^[A-Za-z_$][\w$]+$/.test(value.value)) {
        return [value.value];
      }
      return [];
    }
    default:
      return [];
  }
}
