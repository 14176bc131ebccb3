import type { AstNode } from './ast.js';
import type { CompiledDetector } from './compile.js';

type ImportDetector = Extract<CompiledDetector, { kind: 'import' }>;
type RegexDetector = Extract<CompiledDetector, { kind: 'regex' }>;

/** The node types an import detector looks at. */
export const IMPORT_NODE_TYPES = ['ImportDeclaration', 'ExportNamedDeclaration', 'ExportAllDeclaration', 'ImportExpression', 'CallExpression', 'TSImportEqualsDeclaration'] as const;

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
    case 'TSImportEqualsDeclaration': {
      // import x = require('m'): the whole module, like a require().
      const reference = node.moduleReference as AstNode | undefined;
      if (reference?.type !== 'TSExternalModuleReference') return undefined;
      source = stringValue(reference.expression);
      break;
    }
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

/** At most this many findings per detector and file: enough to see a problem, bounded work. */
const MAX_REGEX_MATCHES = 1000;

/** Regex matches in a text, on RE2: linear time whatever the regex. */
export function regexMatches(detector: RegexDetector, text: string): Array<{ index: number; end: number }> {
  return detector.regex.matches(text, MAX_REGEX_MATCHES);
}
