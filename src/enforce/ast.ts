/** A node of an ESTree syntax tree, as espree, typescript-estree and ESLint give it. */
export interface AstNode {
  type: string;
  loc?: { start: { line: number; column: number }; end: { line: number; column: number } };
  range?: [number, number];
  parent?: AstNode;
  [key: string]: unknown;
}

/** A node's [start, end) offsets: `range` from espree and typescript-estree, `start`/`end` from oxc (asked without `range`, which costs an array per node). */
export function span(node: AstNode): [number, number] {
  return node.range ?? [node.start as number, node.end as number];
}

/** Keys that carry positions, tokens or back-links: never part of what code means. */
const IGNORED_KEYS = new Set(['parent', 'loc', 'range', 'start', 'end', 'raw', 'tokens', 'comments', 'leadingComments', 'trailingComments']);

export function isNode(value: unknown): value is AstNode {
  return value !== null && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string';
}

/** The keys of a node worth comparing or visiting. */
export function childKeys(node: AstNode, visitorKeys?: Record<string, readonly string[] | undefined>): readonly string[] {
  return visitorKeys?.[node.type] ?? Object.keys(node).filter((key) => !IGNORED_KEYS.has(key) && key !== 'type');
}

/** Values that parsers write differently for "nothing": false, null, undefined, []. */
function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === false || (Array.isArray(value) && value.length === 0);
}

/** Structural equality: same code whatever the whitespace, comments, quotes or trailing commas. */
export function sameCode(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isEmpty(a) && isEmpty(b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => sameCode(item, b[i]));
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    if (a instanceof RegExp || b instanceof RegExp) return String(a) === String(b);
    return false;
  }
  if (a instanceof RegExp || b instanceof RegExp) return String(a) === String(b);
  const keys = new Set([...Object.keys(a), ...Object.keys(b)].filter((k) => !IGNORED_KEYS.has(k)));
  for (const key of keys) {
    if (!sameCode((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/**
 * Visits every node depth-first, setting `parent` on the way (ESLint sets it too), so detectors can
 * look at ancestors the same way in `failures check` and in ESLint.
 */
export function walk(root: AstNode, visit: (node: AstNode) => void, visitorKeys?: Record<string, readonly string[] | undefined>): void {
  const stack: AstNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    visit(node);
    const keys = childKeys(node, visitorKeys);
    for (let k = keys.length - 1; k >= 0; k--) {
      const value = node[keys[k]!];
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--) {
          const child = value[i];
          if (isNode(child)) {
            child.parent = node;
            stack.push(child);
          }
        }
      } else if (isNode(value)) {
        value.parent = node;
        stack.push(value);
      }
    }
  }
}

/** The node's ancestors, nearest first. */
export function ancestors(node: AstNode): AstNode[] {
  const out: AstNode[] = [];
  for (let current = node.parent; current; current = current.parent) out.push(current);
  return out;
}
