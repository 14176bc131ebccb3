import type { AstNode } from './ast.js';
import type { CompiledDetector } from './compile.js';
import type { ModuleRecord } from './parsers.js';

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

/**
 * Can a file's imports be read from oxc's module record, exactly as importViolation reads its ESTree?
 * Not when the record may lack some: `require` (calls and `import x = require()`), imports inside
 * `declare module "m" { … }`, `export {} from "m"` (no entry to carry the module), or `\u` escapes
 * (an escaped keyword). Sound by refusal: such a file takes the ESTree.
 */
export function recordSuffices(text: string): boolean {
  return !/\brequire\b|\\u|\bmodule\s*(?:["'`]|\/[*/])|\bexport\s*(?:type\s*)?\{(?:\s|\/\*[\s\S]*?\*\/|\/\/[^\n]*\n)*\}/.test(text);
}

/** A dynamic import's argument as ESTree's stringValue reads it: a plain string, not a string (undefined), or unsure. */
function requested(code: string): string | undefined | 'unsure' {
  const quoted = /^(["'])([^"'\\\n\r]*)\1$/.exec(code) ?? /^(`)([^`\\$]*)`$/.exec(code);
  if (quoted) return quoted[2];
  return /^[\w$.]+$/.test(code) ? undefined : 'unsure';
}

/**
 * Import detectors' findings from oxc's module record (see recordSuffices): the same statements
 * importViolation reports on the ESTree — `import`, `export … from`, `import()` — with their offsets;
 * undefined when a dynamic import's argument is not plainly a string or a name (then the ESTree decides).
 */
export function importViolationsFromRecord(detectors: readonly ImportDetector[], module: ModuleRecord, text: string): Array<{ detector: ImportDetector; start: number; end: number }> | undefined {
  const statements: Array<{ start: number; end: number; source: string | undefined; imported: string[] | undefined }> = [];
  for (const s of module.staticImports) {
    const names = s.entries.map((e) => (e.importName.kind === 'Default' ? 'default' : e.importName.kind === 'NamespaceObject' ? '*' : (e.importName.name ?? '')));
    statements.push({ start: s.start, end: s.end, source: s.moduleRequest.value, imported: names.length === 0 ? undefined : names });
  }
  for (const s of module.staticExports) {
    const from = s.entries.filter((e) => e.moduleRequest);
    if (from.length === 0) continue;
    const all = from.some((e) => e.importName.kind === 'All' || e.importName.kind === 'AllButDefault');
    statements.push({ start: s.start, end: s.end, source: from[0]!.moduleRequest!.value, imported: all ? ['*'] : from.map((e) => e.importName.name ?? '') });
  }
  for (const d of module.dynamicImports) {
    const source = requested(text.slice(d.moduleRequest.start, d.moduleRequest.end));
    if (source === 'unsure') return undefined;
    statements.push({ start: d.start, end: d.end, source, imported: undefined });
  }
  const out: Array<{ detector: ImportDetector; start: number; end: number }> = [];
  for (const statement of statements) {
    for (const detector of detectors) {
      if (statement.source === undefined || !detector.matches(statement.source)) continue;
      if (detector.names && (!statement.imported || !statement.imported.some((name) => detector.names!.includes(name) || name === '*'))) continue;
      out.push({ detector, start: statement.start, end: statement.end });
    }
  }
  return out;
}

/** At most this many findings per detector and file: enough to see a problem, bounded work. */
const MAX_REGEX_MATCHES = 1000;

/** Regex matches in a text, on RE2: linear time whatever the regex. */
export function regexMatches(detector: RegexDetector, text: string): Array<{ index: number; end: number }> {
  return detector.regex.matches(text, MAX_REGEX_MATCHES);
}
