import type { SgNode } from '@ast-grep/napi';
import type { CompiledDetector } from './compile.js';
import type { Selector } from './selector.js';

/**
 * esquery selectors answered from the tree-sitter tree ast-grep already parsed, for a well-defined
 * subset where the correspondence with ESTree (oxc, typescript-estree, espree) is exact: the same
 * nodes, at the same start and end, as ESLint's no-restricted-syntax reports. Everything outside the
 * subset is left to the ESTree path (translateSelector returns undefined).
 *
 * A translation names the tree-sitter nodes to look at (a kind, and for names and keywords the exact
 * text: cheap for ast-grep to find in the walk the engine already makes) and decides each in a few
 * steps up the tree: a match (with the ESTree node's range), not a match, or `unsure` — a shape where
 * the two trees part ways (tree-sitter's `a === b!` is `(a === b)!`, a parenthesised callee or type):
 * then, as when the file's tree has a syntax error or its text a `\u` escape (ESTree decodes escaped
 * names, tree-sitter keeps them), the selector runs on the ESTree for that file as before.
 * `npm run bench:evidence` compares every translated form with esquery on oxc's and ESLint's ESTrees
 * of real repositories, node for node (start and end): 0 counterexamples.
 *
 * The subset:
 * - `DebuggerStatement`, `TSNonNullExpression`, `TSEnumDeclaration`, `TSAsExpression`, `TSAnyKeyword`,
 *   `TSUnknownKeyword`, `TSNeverKeyword` alone;
 * - `TSAsExpression[typeAnnotation.type='TSAnyKeyword']` (or Unknown, Never);
 * - `CallExpression[callee.name='N']`, `CallExpression[callee.property.name='N']`, `Identifier[name='N']`
 *   (N a plain name, not a keyword);
 * - `PropertyDefinition > TSTypeAnnotation > TSAnyKeyword` (or Unknown, Never).
 */
export type Grammar = 'TypeScript' | 'Tsx' | 'JavaScript';

/** What a found node is: its ESTree [start, end), not a match (null), or a shape the tree cannot settle. */
export type Verdict = [number, number] | null | 'unsure';

/** Nodes a translation looks at: of a kind, with exactly this text, or (escaped) with a backslash in it. */
export interface Find {
  kind: string;
  text?: string;
  escaped?: boolean;
}

export interface TreeMatcher {
  finds: Find[];
  verify(node: SgNode): Verdict;
}

/** Does a node of the find's kind, with this text, answer it? */
export function answers(find: Find, text: () => string): boolean {
  return find.escaped ? text().includes('\\') : find.text === undefined || find.text === text();
}

interface Node {
  type: string;
  [key: string]: unknown;
}

/** Expressions that bind tighter than a postfix `!`, as tree-sitter-typescript names them. */
const NON_NULL_OPERANDS = new Set(['identifier', 'this', 'super', 'member_expression', 'subscript_expression', 'call_expression', 'non_null_expression', 'parenthesized_expression', 'string', 'template_string', 'number', 'regex', 'true', 'false', 'null', 'undefined', 'array', 'object']);

/**
 * tree-sitter-typescript reads `a === b!` as `(a === b)!`: a non-null assertion whose operand binds
 * looser than a postfix `!` (anything but a name, member, call, literal…) is misread, and so is every
 * node around it (`a && b!.c.filter()` becomes a call on `(a && b)!.c`). A tree with one answers no
 * selector: the ESTree does.
 */
export function misread(nonNull: SgNode): boolean {
  // A node is asked several times in a row (the walk's damage, a translation, its verdict): answered once.
  if (nonNull !== lastMisread.node) lastMisread = { node: nonNull, misread: !NON_NULL_OPERANDS.has(String(nonNull.child(0)?.kind())) };
  return lastMisread.misread;
}

let lastMisread: { node: SgNode | undefined; misread: boolean } = { node: undefined, misread: false };

/** Where tree-sitter puts what ESTree's misread `!` applies to: the last operand (`b` of `a === b`, `c` of `x ? y : c`). */
const LAST_OPERAND: Record<string, string> = { binary_expression: 'right', ternary_expression: 'alternative', assignment_expression: 'right', augmented_assignment_expression: 'right', unary_expression: 'argument', await_expression: '', yield_expression: '' };

/** ESTree's range of a misread non-null assertion: from the operand it really applies to, to the `!`. */
function repaired(nonNull: SgNode): Verdict {
  let operand = nonNull.child(0);
  while (operand && !NON_NULL_OPERANDS.has(String(operand.kind()))) {
    const field = LAST_OPERAND[String(operand.kind())];
    if (field === undefined) return 'unsure';
    operand = field ? operand.field(field as never) : (operand.children().filter((c) => c.isNamed() && c.kind() !== 'comment').at(-1) ?? null);
  }
  return operand ? [operand.range().start.index, nonNull.range().end.index] : 'unsure';
}

/** What a tree that answers selectors must not have (TypeScript grammars: a misread non-null assertion). */
export const MISREAD = { kind: 'non_null_expression', grammars: new Set<string>(['TypeScript', 'Tsx']) };

const KEYWORD_TYPES: Record<string, string> = { TSAnyKeyword: 'any', TSUnknownKeyword: 'unknown', TSNeverKeyword: 'never' };

function rangeOf(node: SgNode): [number, number] {
  const range = node.range();
  return [range.start.index, range.end.index];
}

const same = (a: SgNode | null, b: SgNode) => a !== null && a.id() === b.id();

/** A name as an attribute compares it: esquery compares `${value}`, so `undefined`/`null` would also match a missing one. */
function plainName(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z_$][\w$]*$/.test(value) && value !== 'undefined' && value !== 'null' ? value : undefined;
}

/** `[path='value']` attributes of a compound, or undefined when some part is not a plain `=` with a literal. */
function attributesOf(parts: Node[]): Map<string, string> | undefined {
  const out = new Map<string, string>();
  for (const part of parts) {
    const value = part.value as { type?: string; value?: unknown } | undefined;
    if (part.type !== 'attribute' || part.operator !== '=' || value?.type !== 'literal' || typeof value.value !== 'string' || typeof part.name !== 'string') return undefined;
    if (out.has(part.name)) return undefined;
    out.set(part.name, value.value);
  }
  return out;
}

const whole = (kind: string): TreeMatcher => ({ finds: [{ kind }], verify: rangeOf });

/**
 * The call a callee node is the callee of: the call's verdict. A tagged template (a call in
 * tree-sitter) is TaggedTemplateExpression in ESTree; a parenthesised callee is unsure (ESTree drops
 * the parentheses, except around an optional chain, which becomes a ChainExpression).
 */
function callOf(callee: SgNode): Verdict {
  const call = callee.parent();
  if (!call) return null;
  const kind = call.kind();
  if (kind === 'parenthesized_expression') return 'unsure';
  if (kind !== 'call_expression' || !same(call.field('function'), callee)) return null;
  return call.field('arguments')?.kind() === 'template_string' ? null : rangeOf(call);
}

/** The translation of a subject type with its attributes; null: the type never occurs in this grammar. */
function subject(type: string, attributes: Map<string, string>, grammar: Grammar): TreeMatcher | null | undefined {
  const ts = grammar !== 'JavaScript';
  const keyword = KEYWORD_TYPES[type];
  if (keyword !== undefined) {
    if (attributes.size > 0) return undefined;
    return ts ? { finds: [{ kind: 'predefined_type', text: keyword }], verify: rangeOf } : null;
  }
  switch (type) {
    case 'DebuggerStatement':
      return attributes.size === 0 ? whole('debugger_statement') : undefined;
    case 'TSNonNullExpression':
      if (attributes.size > 0) return undefined;
      if (!ts) return null;
      return {
        finds: [{ kind: 'non_null_expression' }],
        verify: (node) => (misread(node) ? repaired(node) : rangeOf(node)),
      };
    case 'TSEnumDeclaration':
      if (attributes.size > 0) return undefined;
      if (!ts) return null;
      return {
        finds: [{ kind: 'enum_declaration' }],
        // `declare enum E {}` starts at `declare` in ESTree (tree-sitter: ambient_declaration > enum_declaration).
        verify: (node) => {
          const parent = node.parent();
          const [start, end] = rangeOf(node);
          return [parent?.kind() === 'ambient_declaration' ? parent.range().start.index : start, end];
        },
      };
    case 'Identifier': {
      const name = attributes.size === 1 ? plainName(attributes.get('name')) : undefined;
      if (name === undefined || KEYWORDS.has(name)) return undefined;
      const kinds = ['identifier', 'property_identifier', 'statement_identifier', 'shorthand_property_identifier', 'shorthand_property_identifier_pattern', ...(ts ? ['type_identifier'] : [])];
      return { finds: kinds.map((kind) => ({ kind, text: name })), verify: (node) => identifier(node, grammar) };
    }
    case 'TSAsExpression': {
      if (![...attributes.keys()].every((k) => k === 'typeAnnotation.type')) return undefined;
      if (!ts) return null;
      const annotation = attributes.get('typeAnnotation.type');
      if (annotation === undefined) return whole('as_expression');
      const word = KEYWORD_TYPES[annotation];
      if (!word) return undefined;
      return {
        finds: [{ kind: 'predefined_type', text: word }],
        verify: (node) => {
          let parent = node.parent();
          if (parent?.kind() === 'as_expression') return rangeOf(parent);
          // `x as (any)`: ESTree drops the parentheses of a type.
          while (parent?.kind() === 'parenthesized_type') parent = parent.parent();
          return parent?.kind() === 'as_expression' ? 'unsure' : null;
        },
      };
    }
    case 'CallExpression': {
      if (attributes.size !== 1) return undefined;
      const callee = plainName(attributes.get('callee.name'));
      if (callee !== undefined) {
        if (callee === 'import' || callee === 'super') return undefined;
        return { finds: [{ kind: 'identifier', text: callee }], verify: callOf };
      }
      const property = plainName(attributes.get('callee.property.name'));
      if (property === undefined) return undefined;
      return {
        // a.name(), a?.name(), this.#name() (a PrivateIdentifier's name has no #), a[name]() (a computed
        // member whose property is the Identifier `name`).
        finds: [
          { kind: 'property_identifier', text: property },
          { kind: 'private_property_identifier', text: `#${property}` },
          { kind: 'identifier', text: property },
        ],
        verify: (node) => {
          const member = node.parent();
          if (!member) return null;
          const kind = member.kind();
          if (kind === 'member_expression' && same(member.field('property'), node)) return callOf(member);
          if (kind === 'subscript_expression' && same(member.field('index'), node)) return callOf(member);
          return null;
        },
      };
    }
    default:
      return undefined;
  }
}

/** Words that are keywords somewhere in JS/TS (a grammar may give them tokens of their own), and meta property names. */
const KEYWORDS = new Set(
  'abstract accessor any as asserts async await bigint boolean break case catch class const constructor continue debugger declare default delete do else enum export extends false finally for from function get global if implements import in infer instanceof interface is keyof let meta module namespace never new null number object of out override package private protected public readonly return satisfies set static string super switch symbol target this throw true try type typeof undefined unique unknown using var void while with yield'.split(' '),
);

/** Parents under which a name is not ESTree's lone Identifier of the same range (two Identifiers, a typed or optional binding, a JSX name…). */
const UNSURE_NAME_PARENTS = new Set(['import_specifier', 'export_specifier', 'rest_pattern', 'index_signature', 'mapped_type_clause', 'nested_identifier', 'nested_type_identifier', 'import_alias', 'optional_parameter', 'jsx_opening_element', 'jsx_closing_element', 'jsx_self_closing_element', 'jsx_attribute', 'jsx_namespace_name']);

/**
 * An Identifier of ESTree, as tree-sitter writes the name: its range, or unsure where ESTree's Identifier
 * differs — a shorthand property (`{ a }`: key and value are both Identifiers), an import or export
 * specifier, a binding with a type annotation (`a: T` is one Identifier in ESTree), a JSX name
 * (JSXIdentifier), a qualified namespace name.
 */
function identifier(node: SgNode, grammar: Grammar): Verdict {
  const kind = String(node.kind());
  if (kind === 'shorthand_property_identifier' || kind === 'shorthand_property_identifier_pattern') return 'unsure';
  const parent = node.parent();
  if (!parent) return rangeOf(node);
  const around = String(parent.kind());
  if (UNSURE_NAME_PARENTS.has(around)) return 'unsure';
  if (around === 'required_parameter' && same(parent.field('pattern'), node)) return 'unsure';
  if ((around === 'variable_declarator' || around === 'catch_clause') && parent.field('type' as never) !== null) return 'unsure';
  if (grammar !== 'TypeScript') {
    // A JSX element's name (`<a.b.c>`): JSXIdentifiers in ESTree.
    let up: SgNode | null = parent;
    while (up && String(up.kind()) === 'member_expression') up = up.parent();
    if (up && UNSURE_NAME_PARENTS.has(String(up.kind()))) return 'unsure';
  }
  return rangeOf(node);
}

/** `PropertyDefinition > TSTypeAnnotation > K`, K a keyword type: the type annotation of a class field. */
function fieldType(parent: Node, child: TreeMatcher): TreeMatcher | undefined {
  const left = parent.left as Node | undefined;
  const right = parent.right as Node | undefined;
  if (parent.type !== 'child' || right?.type !== 'identifier' || right.value !== 'TSTypeAnnotation' || left?.type !== 'identifier' || left.value !== 'PropertyDefinition') return undefined;
  const isField = (annotation: SgNode | null) => {
    const field = annotation?.kind() === 'type_annotation' ? annotation.parent() : null;
    return field?.kind() === 'public_field_definition' && same(field.field('type'), annotation!) ? field : null;
  };
  return {
    finds: child.finds,
    verify: (node) => {
      let parent = node.parent();
      const field = isField(parent);
      if (field) {
        // An abstract field is TSAbstractPropertyDefinition, an `accessor` one AccessorProperty.
        const modifier = field.children().some((c) => !c.isNamed() && (c.kind() === 'abstract' || c.kind() === 'accessor'));
        return modifier ? null : rangeOf(node);
      }
      // `x: (any)`: ESTree drops the parentheses.
      if (parent?.kind() !== 'parenthesized_type') return null;
      while (parent?.kind() === 'parenthesized_type') parent = parent.parent();
      return isField(parent) ? 'unsure' : null;
    },
  };
}

/** The translation of a selector for one grammar: undefined outside the subset, [] when it never matches there. */
export function translateSelector(selector: Selector, grammar: Grammar): TreeMatcher[] | undefined {
  const node = selector as unknown as Node;
  if (node.type === 'identifier' || node.type === 'compound') {
    const parts = node.type === 'identifier' ? [node] : (node.selectors as Node[]);
    const [head, ...rest] = parts;
    if (head?.type !== 'identifier' || typeof head.value !== 'string') return undefined;
    const attributes = attributesOf(rest);
    if (!attributes) return undefined;
    const translated = subject(head.value, attributes, grammar);
    return translated === null ? [] : translated ? [translated] : undefined;
  }
  if (node.type === 'child') {
    const right = node.right as Node;
    if (right.type !== 'identifier' || typeof right.value !== 'string' || !(right.value in KEYWORD_TYPES)) return undefined;
    const child = subject(right.value, new Map(), grammar);
    // A TypeScript type never occurs in JavaScript, whatever its parents.
    if (child === null) return [];
    const translated = child ? fieldType(node.left as Node, child) : undefined;
    return translated ? [translated] : undefined;
  }
  return undefined;
}

const escapeRegex = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

/** The ast-grep rule that finds the nodes of one kind some finds look at. */
export function findRule(kind: string, finds: readonly Find[]): Record<string, unknown> {
  if (finds.some((f) => f.text === undefined && !f.escaped)) return { kind };
  const texts = [...new Set(finds.filter((f) => f.text !== undefined).map((f) => escapeRegex(f.text!)))];
  const alternatives = [...(texts.length > 0 ? [`^(?:${texts.join('|')})$`] : []), ...(finds.some((f) => f.escaped) ? ['\\\\'] : [])];
  return { kind, regex: alternatives.join('|') };
}

/** Names as tree-sitter's JS/TS grammars write them: one written with a `\u` escape is decoded in ESTree. */
const NAME_KINDS = ['identifier', 'property_identifier', 'private_property_identifier', 'shorthand_property_identifier', 'shorthand_property_identifier_pattern', 'statement_identifier'];
const TS_NAME_KINDS = [...NAME_KINDS, 'type_identifier'];
/** The matcher of the walk's own finds (damage, escapes): they are never verified. */
const NO_MATCHER: TreeMatcher = { finds: [], verify: () => null };

/** Expressions tree-sitter builds around a misread non-null assertion (see misread). */
const EXPRESSIONS = new Set(['binary_expression', 'member_expression', 'call_expression', 'subscript_expression', 'non_null_expression', 'unary_expression', 'ternary_expression', 'as_expression', 'satisfies_expression', 'assignment_expression', 'augmented_assignment_expression', 'await_expression', 'update_expression', 'new_expression', 'sequence_expression', 'type_assertion', 'yield_expression']);

/** The span a misread non-null assertion damages: the whole expression it is part of (up to a statement, parentheses, an argument list…). */
function damaged(nonNull: SgNode): [number, number] {
  let top = nonNull;
  for (let parent = top.parent(); parent && EXPRESSIONS.has(String(parent.kind())); parent = parent.parent()) top = parent;
  return rangeOf(top);
}

interface Candidate {
  slot: number;
  matcher: TreeMatcher;
  find: Find;
}

/**
 * Answers selectors from one tree as a walk of it returns nodes: `rules` find what the translations
 * look at (one rule per kind, with the texts asked for), `take` decides each node returned, `result`
 * gives a translation's matches in ESTree order, or undefined where the tree cannot answer exactly:
 * an `unsure` shape, a name written with a `\u` escape (ESTree decodes it; tree-sitter may even read
 * an escaped keyword as a name), or a found node or match in an expression a misread non-null
 * assertion damaged (TypeScript grammars).
 */
export class TreeWalk {
  readonly kinds = new Map<string, Candidate[]>();
  private readonly hits: Array<Array<[number, number]>>;
  private readonly found: Array<Array<[number, number]>>;
  private readonly repairs: Array<Array<[number, number]>>;
  private readonly unsure: boolean[];
  private readonly damages: Array<[number, number]> = [];
  private readonly misreads: boolean;
  private escaped = false;

  constructor(translations: ReadonlyArray<readonly TreeMatcher[]>, language: string, text: string) {
    // Plain loops: V8 optimises this for every file, inside its caller.
    this.hits = [];
    this.found = [];
    this.repairs = [];
    this.unsure = [];
    for (let slot = 0; slot < translations.length; slot++) {
      this.hits.push([]);
      this.found.push([]);
      this.repairs.push([]);
      this.unsure.push(false);
    }
    this.misreads = MISREAD.grammars.has(language) && translations.length > 0;
    if (this.misreads) this.add(-1, NO_MATCHER, { kind: MISREAD.kind });
    if (translations.length > 0 && text.includes('\\u')) {
      for (const kind of MISREAD.grammars.has(language) ? TS_NAME_KINDS : NAME_KINDS) this.add(-2, NO_MATCHER, { kind, escaped: true });
    }
    for (let slot = 0; slot < translations.length; slot++) {
      for (const matcher of translations[slot]!) for (const find of matcher.finds) this.add(slot, matcher, find);
    }
  }

  private add(slot: number, matcher: TreeMatcher, find: Find): void {
    const candidates = this.kinds.get(find.kind);
    if (candidates) candidates.push({ slot, matcher, find });
    else this.kinds.set(find.kind, [{ slot, matcher, find }]);
  }

  /** The rules that find the nodes the translations look at: one per kind, with the texts asked for. */
  rules(): Array<Record<string, unknown>> {
    return [...this.kinds].map(([kind, candidates]) => findRule(kind, candidates.map((c) => c.find)));
  }

  /** A node the walk returned, of a kind `kinds` has. */
  take(node: SgNode, candidates: readonly Candidate[]): void {
    let text: string | undefined;
    let range: [number, number] | undefined;
    for (const c of candidates) {
      if (c.slot === -1) {
        if (misread(node)) this.damages.push(damaged(node));
        continue;
      }
      // answers(), without a closure per node: the text is read once, and only if a find names one.
      const find = c.find;
      if (find.escaped || find.text !== undefined) {
        text ??= node.text();
        if (find.escaped ? !text.includes('\\') : find.text !== text) continue;
      }
      if (c.slot === -2) {
        this.escaped = true;
        continue;
      }
      if (this.unsure[c.slot]) continue;
      // A misread non-null assertion the translation repairs is ESTree's; anything else in a damaged expression is not trusted.
      const repairs = c.find.kind === MISREAD.kind && misread(node);
      if (this.misreads && !repairs) this.found[c.slot]!.push((range ??= rangeOf(node)));
      const verdict = c.matcher.verify(node);
      if (verdict === 'unsure') this.unsure[c.slot] = true;
      else if (verdict) (repairs ? this.repairs : this.hits)[c.slot]!.push(verdict);
    }
  }

  /** A translation's matches, in ESTree order (an enclosing match before those it contains), or undefined: unsure. */
  result(slot: number): Array<[number, number]> | undefined {
    if (this.unsure[slot] || this.escaped) return undefined;
    const overlaps = ([a, b]: [number, number]) => this.damages.some(([c, d]) => a < d && c < b);
    if (this.damages.length > 0 && (this.found[slot]!.some(overlaps) || this.hits[slot]!.some(overlaps))) return undefined;
    return [...this.hits[slot]!, ...this.repairs[slot]!].sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  }
}

/**
 * `import` detectors naming one module (no glob, no `names`), as importViolation reads the ESTree:
 * `import … from 'm'`, `export … from 'm'`, `import x = require('m')`, `require('m')` (one argument)
 * and `import('m')`, each reported as the whole statement or call. The module is found as a string
 * node; a file with escapes (`'\x66s'` is `fs` in ESTree) is left to the ESTree, and so are shapes
 * where the trees part ways (`require(('m'))`, `(require)('m')`; tree-sitter misreads
 * `export import x = require('m')` as a parenthesised string).
 */
export function importTree(module: string): TreeMatcher {
  const quoted = [`'${module}'`, `"${module}"`];
  const template = /[`$\\]/.test(module) ? [] : [{ kind: 'template_string', text: `\`${module}\`` }];
  const place = importPlace;
  return {
    // A string with an escape may decode to the module (`'\x66s'` is `fs`): unsure where it imports.
    finds: [...quoted.map((text) => ({ kind: 'string', text })), ...template, { kind: 'string', escaped: true }, { kind: 'template_string', escaped: true }],
    verify: (node) => {
      const verdict = place(node);
      return verdict && verdict !== 'unsure' && node.text().includes('\\') ? 'unsure' : verdict;
    },
  };
}

/** The statement or call a string imports as (importViolation's node), when it stands where a module does. */
function importPlace(node: SgNode): Verdict {
  const parent = node.parent();
  if (!parent) return null;
  switch (parent.kind()) {
    case 'import_statement':
    case 'export_statement':
      return same(parent.field('source'), node) ? rangeOf(parent) : null;
    case 'import_require_clause': {
      const statement = parent.parent();
      return statement?.kind() === 'import_statement' && statement.parent()?.kind() !== 'export_statement' ? rangeOf(statement) : 'unsure';
    }
    case 'parenthesized_expression':
      return 'unsure';
    case 'arguments': {
      const call = parent.parent();
      if (call?.kind() !== 'call_expression' || !same(call.field('arguments'), parent)) return null;
      const callee = call.field('function');
      const args = parent.children().filter((c) => c.isNamed() && c.kind() !== 'comment');
      switch (callee?.kind()) {
        case 'import':
          return same(args[0] ?? null, node) ? rangeOf(call) : null;
        case 'identifier':
          return callee.text() === 'require' && args.length === 1 ? rangeOf(call) : null;
        case 'parenthesized_expression':
          return 'unsure';
        default:
          return null;
      }
    }
    default:
      return null;
  }
}

/**
 * A selector's matches in a tree, with a walk of their own (the engine shares one walk instead):
 * undefined when the tree cannot answer exactly (a syntax error, an `unsure` shape, see TreeWalk).
 */
export function treeMatches(root: SgNode, matchers: TreeMatcher[], language: string, text: string): Array<[number, number]> | undefined {
  const config = (rule: Record<string, unknown>) => ({ rule: rule as never, language: language as never });
  if (root.find(config({ kind: 'ERROR' }))) return undefined;
  const walk = new TreeWalk([matchers], language, text);
  for (const node of root.findAll(config({ any: walk.rules() }))) walk.take(node, walk.kinds.get(String(node.kind()))!);
  return walk.result(0);
}

/** A selector's translations, made once per grammar. */
export function treeSelector(selector: Selector): (grammar: Grammar) => TreeMatcher[] | undefined {
  const made = new Map<Grammar, TreeMatcher[] | undefined>();
  return (grammar) => {
    if (!made.has(grammar)) made.set(grammar, translateSelector(selector, grammar));
    return made.get(grammar);
  };
}

/** A detector's translations in a grammar: selectors without scopes and single-module imports, where they translate. */
export function treeMatchers(detector: CompiledDetector, grammar: Grammar): TreeMatcher[] | undefined {
  if (detector.kind === 'import') return detector.tree?.(grammar);
  return detector.kind === 'selector' && !detector.scopes.inside && !detector.scopes.notInside ? detector.tree(grammar) : undefined;
}
