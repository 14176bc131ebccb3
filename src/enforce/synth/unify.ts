import type { TNode } from './tree.js';

/**
 * The anti-unification of syntax trees (Plotkin's least general generalization, n-ary): what all the
 * trees share stays code, differing subtrees become metavariables (the same differing pair → the same
 * variable), differing runs of list items or statements become `$$$`.
 */
export type Gen =
  /** Identical in every tree: the code itself. */
  | { t: 'same'; node: TNode; texts: string[] }
  /** Differs: a single-node metavariable. */
  | { t: 'var'; name: string; nodes: TNode[] }
  /** Same kind and shape, some children differ. `parts` cover child ranges [from, to) of `ref`. */
  | { t: 'node'; ref: TNode; parts: Array<{ from: number; to: number; gen: Gen }> }
  /** A run of list items or statements that differs: `$$$NAME`; `runs`: each tree's named items there. */
  | { t: 'seq'; name: string; runs?: TNode[][] };

/** Containers whose children are a list: items may be added or removed. */
const SEQUENCES = new Set([
  'arguments', 'argument_list', 'array', 'list', 'tuple', 'object', 'dictionary', 'set', 'statement_block', 'block',
  'program', 'module', 'formal_parameters', 'parameters', 'class_body', 'named_imports', 'object_pattern',
  'array_pattern', 'expression_list', 'switch_body', 'template_string', 'jsx_element', 'type_arguments',
  'lambda_parameters', 'pattern_list', 'import_from_statement', 'subscript',
]);

export class Namer {
  private used = 0;
  private byKey = new Map<string, string>();
  /** The same tuple of differing texts gets the same name, so `$A == $A` stays a repetition. */
  single(texts: readonly string[]): string {
    const key = texts.join('\u0000');
    let name = this.byKey.get(key);
    if (!name) {
      name = this.next();
      this.byKey.set(key, name);
    }
    return name;
  }
  sequence(): string {
    return this.next();
  }
  /** A copy to try one generalization with; `adopt` keeps the names it gave. */
  fork(): Namer {
    const copy = new Namer();
    copy.used = this.used;
    copy.byKey = new Map(this.byKey);
    return copy;
  }
  adopt(other: Namer): void {
    this.used = other.used;
    this.byKey = other.byKey;
  }
  private next(): string {
    const n = this.used++;
    return n < 26 ? String.fromCharCode(65 + n) : `V${n - 25}`;
  }
}

const same = (nodes: readonly TNode[]) => nodes.every((n) => n.text === nodes[0]!.text);

/** The generalization of nodes (one per example), or null when it cannot be written as a pattern. */
export function antiUnify(nodes: readonly TNode[], namer: Namer): Gen | null {
  if (same(nodes)) return { t: 'same', node: nodes[0]!, texts: nodes.map((n) => n.text) };
  const first = nodes[0]!;
  const asVar = (): Gen | null => (nodes.every((n) => n.named) ? { t: 'var', name: namer.single(nodes.map((n) => n.text)), nodes: [...nodes] } : null);
  if (!nodes.every((n) => n.kind === first.kind && n.children.length > 0)) return asVar();
  // Same shape: as many children, the same tokens between them (named children may differ in kind).
  const shaped = nodes.every((n) => n.children.length === first.children.length && n.children.every((c, i) => (c.named ? first.children[i]!.named : !first.children[i]!.named && c.text === first.children[i]!.text)));
  if (shaped) {
    const parts: Array<{ from: number; to: number; gen: Gen }> = [];
    for (let i = 0; i < first.children.length; i++) {
      const column = nodes.map((n) => n.children[i]!);
      if (same(column)) continue;
      const gen = antiUnify(column, namer);
      if (!gen) return asVar();
      parts.push({ from: i, to: i + 1, gen });
    }
    return { t: 'node', ref: first, parts };
  }
  if (SEQUENCES.has(first.kind)) return unifySequence(nodes, namer) ?? asVar();
  return asVar();
}

function alike(a: TNode, b: TNode): boolean {
  return a.kind === b.kind && (a.named || a.text === b.text);
}

/** Lists whose items `ast-grep` never lets `$$$` match zero of (`{ a: 1, $$$, c: 2 }` misses `{ a: 1, c: 2 }`). */
const NO_EMPTY_RUN = new Set(['object', 'dictionary', 'object_pattern', 'named_imports']);

/** Lists of different lengths: a shared prefix and suffix, the differing middle as `$$$`. */
function unifySequence(nodes: readonly TNode[], namer: Namer): Gen | null {
  const lists = nodes.map((n) => n.children);
  const separated = lists.some((l) => l.some((c) => !c.named && c.text === ','));
  if (separated) {
    // Items aligned from both ends, whichever order keeps more code (`f(u, verify=False)` and
    // `f(u, data=d, verify=False)` → `f($A, $$$B, verify=False)`, not `f($$$B)`).
    const options = [unifyItems(nodes, namer.fork(), 'prefix'), unifyItems(nodes, namer.fork(), 'suffix')].filter((g): g is { gen: Gen; namer: Namer } => g !== null);
    if (options.length === 0) return null;
    const best = options.reduce((a, b) => (concreteness(b.gen) > concreteness(a.gen) ? b : a));
    namer.adopt(best.namer);
    return best.gen;
  }
  const shortest = Math.min(...lists.map((l) => l.length));
  let prefix = 0;
  while (prefix < shortest && lists.every((l) => alike(l[prefix]!, lists[0]![prefix]!))) prefix++;
  let suffix = 0;
  while (suffix < shortest - prefix && lists.every((l) => alike(l[l.length - 1 - suffix]!, lists[0]![lists[0]!.length - 1 - suffix]!))) suffix++;
  // The example with the longest middle is written out, its middle replaced by `$$$`.
  let ref = 0;
  for (let i = 1; i < lists.length; i++) if (lists[i]!.length > lists[ref]!.length) ref = i;
  const list = lists[ref]!;
  if (list.length - prefix - suffix <= 0) return null;
  if (!list.slice(prefix, list.length - suffix).some((c) => c.named)) return null;
  const parts: Array<{ from: number; to: number; gen: Gen }> = [];
  for (let i = 0; i < prefix; i++) {
    const column = lists.map((l) => l[i]!);
    if (same(column)) continue;
    const gen = antiUnify(column, namer);
    if (!gen) return null;
    parts.push({ from: i, to: i + 1, gen });
  }
  parts.push({ from: prefix, to: list.length - suffix, gen: { t: 'seq', name: namer.sequence(), runs: lists.map((l) => l.slice(prefix, l.length - suffix).filter((c) => c.named)) } });
  for (let k = suffix; k >= 1; k--) {
    const column = lists.map((l) => l[l.length - k]!);
    if (same(column)) continue;
    const gen = antiUnify(column, namer);
    if (!gen) return null;
    parts.push({ from: list.length - k, to: list.length - k + 1, gen });
  }
  return { t: 'node', ref: nodes[ref]!, parts };
}

/**
 * Comma-separated lists, by their items: a prefix and a suffix of alike items (found from the front or
 * from the back first), the rest of every list one `$$$` run between them, which ast-grep lets match no
 * item except at the end of a list or in an object.
 */
function unifyItems(nodes: readonly TNode[], namer: Namer, first: 'prefix' | 'suffix'): { gen: Gen; namer: Namer } | null {
  const items = nodes.map((n) => n.children.filter((c) => c.named));
  const shortest = Math.min(...items.map((l) => l.length));
  let prefix = 0;
  let suffix = 0;
  const growPrefix = () => {
    while (prefix < shortest - suffix && items.every((l) => alike(l[prefix]!, items[0]![prefix]!))) prefix++;
  };
  const growSuffix = () => {
    while (suffix < shortest - prefix && items.every((l) => alike(l[l.length - 1 - suffix]!, items[0]![items[0]!.length - 1 - suffix]!))) suffix++;
  };
  if (first === 'prefix') {
    growPrefix();
    growSuffix();
  } else {
    growSuffix();
    growPrefix();
  }
  const middle = (l: TNode[]) => l.length - prefix - suffix;
  // A run that would have to match nothing where ast-grep cannot: give it an item of every list.
  const emptyOk = suffix > 0 && !NO_EMPTY_RUN.has(nodes[0]!.kind);
  while (!emptyOk && items.some((l) => middle(l) === 0)) {
    if (prefix > 0 && (suffix === 0 || first === 'suffix')) prefix--;
    else if (suffix > 0) suffix--;
    else return null;
  }
  let ref = 0;
  for (let i = 1; i < items.length; i++) if (middle(items[i]!) > middle(items[ref]!)) ref = i;
  if (middle(items[ref]!) === 0) return null;
  const children = nodes[ref]!.children;
  const at = (item: TNode) => children.indexOf(item);
  const parts: Array<{ from: number; to: number; gen: Gen }> = [];
  const column = (pick: (l: TNode[]) => TNode) => {
    const nodesAt = items.map(pick);
    if (same(nodesAt)) return true;
    const gen = antiUnify(nodesAt, namer);
    if (!gen) return false;
    const index = at(pick(items[ref]!));
    parts.push({ from: index, to: index + 1, gen });
    return true;
  };
  for (let i = 0; i < prefix; i++) if (!column((l) => l[i]!)) return null;
  const refItems = items[ref]!;
  parts.push({ from: at(refItems[prefix]!), to: at(refItems[refItems.length - suffix - 1]!) + 1, gen: { t: 'seq', name: namer.sequence(), runs: items.map((l) => l.slice(prefix, l.length - suffix)) } });
  for (let k = suffix; k >= 1; k--) if (!column((l) => l[l.length - k]!)) return null;
  return { gen: { t: 'node', ref: nodes[ref]!, parts }, namer };
}

/**
 * The pattern text of a generalization, written in the layout of its reference example; `subst`
 * replaces chosen nodes of the written-out code (leaves relaxed into metavariables).
 */
export function render(gen: Gen, subst: ReadonlyMap<TNode, string> = new Map()): string {
  switch (gen.t) {
    case 'same':
      return textOf(gen.node, subst);
    case 'var':
      return `$${gen.name}`;
    case 'seq':
      return `$$$${gen.name}`;
    case 'node': {
      const { ref } = gen;
      const starts = new Map(gen.parts.map((p) => [p.from, p]));
      let out = '';
      let cursor = ref.start;
      for (let i = 0; i < ref.children.length; ) {
        const child = ref.children[i]!;
        out += sliceOf(ref, cursor, child.start);
        const part = starts.get(i);
        if (part) {
          out += render(part.gen, subst);
          cursor = ref.children[part.to - 1]!.end;
          i = part.to;
        } else {
          out += textOf(child, subst);
          cursor = child.end;
          i++;
        }
      }
      return out + sliceOf(ref, cursor, ref.end);
    }
  }
}

/** A node's code with some of its descendants replaced. */
export function textOf(node: TNode, subst: ReadonlyMap<TNode, string>): string {
  const replaced = subst.get(node);
  if (replaced !== undefined) return replaced;
  if (node.children.length === 0 || subst.size === 0) return node.text;
  let out = '';
  let cursor = node.start;
  for (const child of node.children) {
    out += sliceOf(node, cursor, child.start) + textOf(child, subst);
    cursor = child.end;
  }
  return out + sliceOf(node, cursor, node.end);
}

/** The nodes a generalization writes out as code (not covered by a metavariable), outermost first. */
export function writtenNodes(gen: Gen): TNode[] {
  switch (gen.t) {
    case 'same':
      return [gen.node];
    case 'var':
    case 'seq':
      return [];
    case 'node': {
      const out: TNode[] = [];
      const covered = new Set<number>();
      for (const part of gen.parts) {
        for (let i = part.from; i < part.to; i++) covered.add(i);
        out.push(...writtenNodes(part.gen));
      }
      gen.ref.children.forEach((c, i) => {
        if (!covered.has(i)) out.push(c);
      });
      return out;
    }
  }
}

/** Text of a node's own source between two offsets (which lie within it). */
function sliceOf(node: TNode, from: number, to: number): string {
  return node.text.slice(from - node.start, to - node.start);
}

/** Metavariables of a generalization, in order: single ones and `$$$` runs. */
export function variables(gen: Gen): Array<{ name: string; multi: boolean }> {
  const out: Array<{ name: string; multi: boolean }> = [];
  const seen = new Set<string>();
  const visit = (g: Gen) => {
    if (g.t === 'var' || g.t === 'seq') {
      if (!seen.has(g.name)) out.push({ name: g.name, multi: g.t === 'seq' });
      seen.add(g.name);
    } else if (g.t === 'node') for (const p of g.parts) visit(p.gen);
  };
  visit(gen);
  return out;
}

/** How much code a generalization keeps: named leaves written out (a bare `$A` keeps none). */
export function concreteness(gen: Gen): number {
  switch (gen.t) {
    case 'same':
      return countLeaves(gen.node);
    case 'var':
    case 'seq':
      return 0;
    case 'node': {
      let total = 0;
      let covered = 0;
      for (const part of gen.parts) {
        total += concreteness(part.gen);
        for (let i = part.from; i < part.to; i++) covered += countLeaves(gen.ref.children[i]!);
      }
      return countLeaves(gen.ref) - covered + total;
    }
  }
}

/** Values too common to anchor what several examples share on their own (`$A = False`). */
const WEAK = new Set(['true', 'false', 'null', 'none', 'undefined', 'this', 'self']);

/**
 * The named leaves a generalization writes out as code (names, literals: `charge`, `null`, `"http"`),
 * not counting those `subst` replaces: a detector's concrete anchor. Operators and keywords alone
 * (`$A && $B`, `let $A = $B`) anchor nothing: such a pattern matches any code of a shape.
 */
export function anchors(gen: Gen, subst: ReadonlyMap<TNode, string> = new Map(), kind: 'any' | 'strong' | 'names' = 'any'): number {
  // strong: a local name (`foo` in `$A(foo)`) or a constant (`False`) anchors nothing alone; names: only API names
  // (callees, properties, types, keyword arguments) anchor.
  const counts = (node: TNode) => (kind === 'names' ? node.name : kind === 'strong' ? !(node.kind === 'identifier' && !node.name) && !WEAK.has(node.kind) : true);
  const count = (node: TNode): number => (subst.has(node) ? 0 : node.children.length === 0 ? (node.named && node.text.trim() && counts(node) ? 1 : 0) : node.children.reduce((n, c) => n + count(c), 0));
  // A metavariable written twice (`$A == $A`) says the two places are the same code: that anchors too.
  const uses = new Map<string, number>();
  const visit = (g: Gen) => {
    if (g.t === 'var') uses.set(g.name, (uses.get(g.name) ?? 0) + 1);
    else if (g.t === 'node') g.parts.forEach((p) => visit(p.gen));
  };
  visit(gen);
  for (const name of subst.values()) uses.set(name, (uses.get(name) ?? 0) + 1);
  return writtenNodes(gen).reduce((n, node) => n + count(node), 0) + (kind === 'names' ? 0 : [...uses.values()].filter((n) => n > 1).length);
}

/** Metavariables a generalization writes more than once (`$A == $A`): each says two places are equal. */
export function repeated(gen: Gen): number {
  const uses = new Map<string, number>();
  const visit = (g: Gen) => {
    if (g.t === 'var') uses.set(g.name, (uses.get(g.name) ?? 0) + 1);
    else if (g.t === 'node') g.parts.forEach((p) => visit(p.gen));
  };
  visit(gen);
  return [...uses.values()].filter((n) => n > 1).length;
}

/** Tokens that say nothing on their own: brackets and separators (an operator or keyword does). */
const PUNCTUATION = new Set(['(', ')', '[', ']', '{', '}', ',', ';', '.', ':', "'", '"', '`', '?.', '']);

function countLeaves(node: TNode): number {
  if (node.children.length === 0) return node.named || !PUNCTUATION.has(node.text) ? 1 : 0;
  return node.children.reduce((sum, c) => sum + countLeaves(c), 0);
}
