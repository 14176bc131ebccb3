import type { SgNode } from '@ast-grep/napi';
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
 * - `CallExpression[callee.name='N']`, `CallExpression[callee.property.name='N']` (N a plain name);
 * - `PropertyDefinition > TSTypeAnnotation > TSAnyKeyword` (or Unknown, Never).
 */
export type Grammar = 'TypeScript' | 'Tsx' | 'JavaScript';

/** What a found node is: its ESTree [start, end), not a match (null), or a shape the tree cannot settle. */
export type Verdict = [number, number] | null | 'unsure';

export interface TreeMatcher {
  /** The nodes to look at: tree-sitter kind, and exact text where given. */
  finds: Array<{ kind: string; text?: string }>;
  verify(node: SgNode): Verdict;
  /** A text this matches is left to the ESTree (escapes ESTree decodes). */
  unsureText?: RegExp;
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
  return !NON_NULL_OPERANDS.has(String(nonNull.child(0)?.kind()));
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
        verify: (node) => (misread(node) ? 'unsure' : rangeOf(node)),
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

/** The ast-grep rule that finds nodes the translations look at: of a kind, with one of the texts when given. */
export function findRule(kind: string, texts?: readonly string[]): Record<string, unknown> {
  return texts === undefined ? { kind } : { kind, regex: `^(?:${texts.map(escapeRegex).join('|')})$` };
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
  return {
    finds: [...quoted.map((text) => ({ kind: 'string', text })), ...template],
    unsureText: /\\(?:[ux0-7\r\n\u2028\u2029])/,
    verify: (node) => {
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
    },
  };
}

/**
 * A selector's matches in a tree, with a traversal of their own (the engine shares one walk instead):
 * undefined when the tree cannot answer exactly (a syntax error, an `unsure` shape).
 */
export function treeMatches(root: SgNode, matchers: TreeMatcher[], language: string, text: string): Array<[number, number]> | undefined {
  if (text.includes('\\u') || matchers.some((m) => m.unsureText?.test(text))) return undefined;
  const config = (rule: Record<string, unknown>) => ({ rule: rule as never, language: language as never });
  if (root.find(config({ kind: 'ERROR' }))) return undefined;
  if (MISREAD.grammars.has(language) && root.findAll(config({ kind: MISREAD.kind })).some(misread)) return undefined;
  const out: Array<[number, number]> = [];
  for (const matcher of matchers) {
    for (const node of root.findAll(config({ any: matcher.finds.map((f) => findRule(f.kind, f.text === undefined ? undefined : [f.text])) }))) {
      const verdict = matcher.verify(node);
      if (verdict === 'unsure') return undefined;
      if (verdict) out.push(verdict);
    }
  }
  return out;
}

/** A selector's translations, made once per grammar. */
export function treeSelector(selector: Selector): (grammar: Grammar) => TreeMatcher[] | undefined {
  const made = new Map<Grammar, TreeMatcher[] | undefined>();
  return (grammar) => {
    if (!made.has(grammar)) made.set(grammar, translateSelector(selector, grammar));
    return made.get(grammar);
  };
}
