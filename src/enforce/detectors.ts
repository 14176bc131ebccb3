import esquery from 'esquery';
import { ancestors, childKeys, type AstNode } from './ast.js';
import type { CompiledDetector, Scope } from './compile.js';
import { matchAt } from './pattern.js';
import type { ParserFamily, VisitorKeys } from './parsers.js';

type PatternDetector = Extract<CompiledDetector, { kind: 'pattern' }>;
type ImportDetector = Extract<CompiledDetector, { kind: 'import' }>;
type RegexDetector = Extract<CompiledDetector, { kind: 'regex' }>;

function esqueryOptions(visitorKeys: VisitorKeys | undefined) {
  return { visitorKeys: visitorKeys as Record<string, readonly string[]>, fallback: (node: unknown) => childKeys(node as AstNode) as string[] };
}

/** Does a node match a scope (an enclosing pattern or selector)? */
function scopeMatches(scope: Scope, node: AstNode, filename: string, visitorKeys: VisitorKeys | undefined, family: ParserFamily): boolean {
  if (scope.kind === 'pattern') {
    const pattern = scope.patterns.for(filename, family);
    return pattern !== undefined && matchAt(pattern, node) !== undefined;
  }
  return esquery.matches(node as never, scope.selector, ancestors(node) as never[], esqueryOptions(visitorKeys) as never);
}

/** `inside` and `not_inside`: the node's ancestors must (not) include a match. */
export function withinScope(
  detector: { inside?: Scope; notInside?: Scope },
  node: AstNode,
  filename: string,
  visitorKeys: VisitorKeys | undefined,
  family: ParserFamily,
): boolean {
  if (!detector.inside && !detector.notInside) return true;
  const chain = ancestors(node);
  if (detector.inside && !chain.some((a) => scopeMatches(detector.inside!, a, filename, visitorKeys, family))) return false;
  if (detector.notInside && chain.some((a) => scopeMatches(detector.notInside!, a, filename, visitorKeys, family))) return false;
  return true;
}

/** A pattern detector's verdict on one node: matches the pattern, none of its `not`s, and its scope. */
export function patternViolation(
  detector: PatternDetector,
  node: AstNode,
  filename: string,
  visitorKeys: VisitorKeys | undefined,
  family: ParserFamily,
): boolean {
  const pattern = detector.pattern.for(filename, family);
  if (!pattern || matchAt(pattern, node) === undefined) return false;
  for (const not of detector.not) {
    const compiled = not.for(filename, family);
    if (compiled && matchAt(compiled, node) !== undefined) return false;
  }
  return withinScope(detector, node, filename, visitorKeys, family);
}

/** The node types an import detector looks at. */
export const IMPORT_NODE_TYPES = ['ImportDeclaration', 'ExportNamedDeclaration', 'ExportAllDeclaration', 'ImportExpression', 'CallExpression'] as const;

function stringValue(node: unknown): string | undefined {
  const n = node as AstNode | undefined;
  if (n?.type === 'Literal' && typeof n.value === 'string') return n.value;
  if (n?.type === 'TemplateLiteral' && Array.isArray(n.expressions) && n.expressions.length === 0) {
    return ((n.quasis as Array<{ value: { cooked: string } }>)[0]?.value.cooked) ?? undefined;
  }
  return undefined;
}

function propertyName(node: AstNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'Identifier') return node.name as string;
  return stringValue(node);
}

/**
 * The node to report when `node` imports what an import detector forbids: `import`, `export … from`,
 * `require()` and `import()`. With `names`, only imports of those names (default, *, or named).
 */
export function importViolation(detector: ImportDetector, node: AstNode): AstNode | undefined {
  let source: string | undefined;
  let imported: string[] | undefined;
  switch (node.type) {
    case 'ImportDeclaration': {
      source = stringValue(node.source);
      imported = (node.specifiers as AstNode[]).map((s) =>
        s.type === 'ImportDefaultSpecifier' ? 'default' : s.type === 'ImportNamespaceSpecifier' ? '*' : (propertyName(s.imported as AstNode) ?? ''),
      );
      if (imported.length === 0) imported = undefined; // side-effect import: the whole module
      break;
    }
    case 'ExportNamedDeclaration':
      source = stringValue(node.source);
      imported = (node.specifiers as AstNode[]).map((s) => propertyName(s.local as AstNode) ?? '');
      break;
    case 'ExportAllDeclaration':
      source = stringValue(node.source);
      imported = ['*'];
      break;
    case 'ImportExpression':
      source = stringValue(node.source);
      break;
    case 'CallExpression': {
      const callee = node.callee as AstNode;
      const args = node.arguments as AstNode[];
      if (callee.type !== 'Identifier' || callee.name !== 'require' || args.length !== 1) return undefined;
      source = stringValue(args[0]);
      const declarator = node.parent;
      if (declarator?.type === 'VariableDeclarator' && (declarator.id as AstNode).type === 'ObjectPattern') {
        imported = ((declarator.id as AstNode).properties as AstNode[]).map((p) => propertyName(p.key as AstNode) ?? '');
      }
      break;
    }
    default:
      return undefined;
  }
  if (source === undefined || !detector.matches(source)) return undefined;
  if (detector.names) {
    // Without a way to tell which names are used (a whole-module require or import()), stay quiet.
    if (!imported || !imported.some((name) => detector.names!.includes(name) || name === '*')) return undefined;
  }
  return node;
}

export interface TextMatch {
  index: number;
  text: string;
}

/** At most this many findings per detector and file: enough to see a problem, bounded work. */
const MAX_REGEX_MATCHES = 1000;

/** Regex matches in a text. Patterns are checked for catastrophic backtracking when compiled. */
export function regexMatches(detector: RegexDetector, text: string): TextMatch[] {
  const regex = new RegExp(detector.regex.source, detector.regex.flags);
  const out: TextMatch[] = [];
  let match: RegExpExecArray | null;
  while ((match = regex.exec(text)) !== null && out.length < MAX_REGEX_MATCHES) {
    out.push({ index: match.index, text: match[0] });
    if (match[0].length === 0) regex.lastIndex++;
  }
  return out;
}
