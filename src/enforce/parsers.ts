import { createRequire } from 'node:module';
import type * as Espree from 'espree';
import type * as TypeScriptEstree from '@typescript-eslint/typescript-estree';
import type * as OxcParser from 'oxc-parser';
import { KEYS as JS_KEYS } from 'eslint-visitor-keys';
import { visitorKeys as TS_KEYS } from '@typescript-eslint/visitor-keys';
import type { AstNode } from './ast.js';

// The parsers load on first use: TypeScript alone takes a quarter of a second, and most runs
// (a pre-commit hook on a few files, files no rule's text occurs in) never need it.
const require = createRequire(import.meta.url);
let espreeModule: typeof Espree | undefined;
let typescriptEstree: typeof TypeScriptEstree | undefined;

/**
 * Which parsers: 'eslint' are the ones ESLint uses (espree, typescript-estree), for patterns matched
 * inside ESLint; 'fast' is oxc-parser, which gives the same ESTree/TS-ESTree shapes at a fraction of the
 * start-up and parse time, for `failures check`. 'fast' falls back to 'eslint' where oxc's native
 * binding is not available.
 */
export type ParserFamily = 'fast' | 'eslint';
let oxc: typeof OxcParser | null | undefined;
function loadOxc(): typeof OxcParser | null {
  if (oxc === undefined) {
    try {
      oxc = require('oxc-parser') as typeof OxcParser;
    } catch {
      oxc = null;
    }
  }
  return oxc;
}

/** JS files go through espree (ESLint's default parser), TS files through typescript-estree. */
export type Language = 'js' | 'ts';

export type VisitorKeys = Record<string, readonly string[] | undefined>;

const EXTENSIONS: Record<string, { language: Language; jsx: boolean; sourceType: 'module' | 'commonjs' }> = {
  '.js': { language: 'js', jsx: true, sourceType: 'module' },
  '.mjs': { language: 'js', jsx: false, sourceType: 'module' },
  '.cjs': { language: 'js', jsx: false, sourceType: 'commonjs' },
  '.jsx': { language: 'js', jsx: true, sourceType: 'module' },
  '.ts': { language: 'ts', jsx: false, sourceType: 'module' },
  '.mts': { language: 'ts', jsx: false, sourceType: 'module' },
  '.cts': { language: 'ts', jsx: false, sourceType: 'module' },
  '.tsx': { language: 'ts', jsx: true, sourceType: 'module' },
};

function extensionOf(filename: string): string {
  const match = /\.[^./\\]+$/.exec(filename);
  return match ? match[0].toLowerCase() : '';
}

/** `.d.ts`, `.d.mts`, `.d.cts`: TypeScript declarations. */
export function isDeclarationFile(filename: string): boolean {
  return /\.d\.[cm]?ts$/i.test(filename);
}

/** The language of a file that code detectors can parse, or undefined (regex detectors only). */
export function languageOf(filename: string): Language | undefined {
  return EXTENSIONS[extensionOf(filename)]?.language;
}

/** Files with the same parser key parse the same way: patterns are compiled once per key. */
export function parserKey(filename: string, family: ParserFamily = 'eslint'): string | undefined {
  const options = EXTENSIONS[extensionOf(filename)];
  return options ? `${family}:${options.language}${options.jsx ? 'x' : ''}:${options.sourceType}` : undefined;
}

export function visitorKeysFor(language: Language): VisitorKeys {
  return (language === 'ts' ? TS_KEYS : JS_KEYS) as VisitorKeys;
}

/** A file that does not parse: reported like ESLint reports it, never a crash. */
export class SyntaxFailure extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

function oxcParse(fast: typeof OxcParser, filename: string, text: string): ReturnType<typeof OxcParser.parseSync> {
  const options = EXTENSIONS[extensionOf(filename)] ?? EXTENSIONS['.ts']!;
  // Declaration files parse as declarations (ambient bodies, overloads without bodies…).
  const lang = isDeclarationFile(filename) ? 'dts' : options.language === 'ts' ? (options.jsx ? 'tsx' : 'ts') : options.jsx ? 'jsx' : 'js';
  const result = fast.parseSync(filename, text, { lang, sourceType: options.sourceType, astType: options.language, preserveParens: false });
  const error = result.errors[0];
  if (error) {
    const offset = error.labels[0]?.start ?? 0;
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    throw new SyntaxFailure(`Parsing error: ${error.message}`, line, offset - before.lastIndexOf('\n'));
  }
  return result;
}

export type ModuleRecord = ReturnType<typeof OxcParser.parseSync>['module'];

/**
 * A JS/TS file's imports and exports as oxc's module record gives them (static imports and exports
 * with their statements' offsets, dynamic imports), without building the ESTree: undefined where
 * oxc's binding is not available. Throws SyntaxFailure as parseCode does.
 */
export function parseModuleRecord(filename: string, text: string): ModuleRecord | undefined {
  const fast = languageOf(filename) ? loadOxc() : null;
  return fast ? oxcParse(fast, filename, text).module : undefined;
}

/** Parses a JS or TS file into ESTree (TS-ESTree for TS), with offsets (`span`). Throws SyntaxFailure. */
export function parseCode(filename: string, text: string, family: ParserFamily = 'eslint'): { ast: AstNode; language: Language } {
  const options = EXTENSIONS[extensionOf(filename)] ?? EXTENSIONS['.ts']!;
  const fast = family === 'fast' ? loadOxc() : null;
  if (fast) {
    const result = oxcParse(fast, filename, text);
    return { ast: result.program as unknown as AstNode, language: options.language };
  }
  try {
    if (options.language === 'ts') {
      typescriptEstree ??= require('@typescript-eslint/typescript-estree') as typeof TypeScriptEstree;
      const ast = typescriptEstree.parse(text, { loc: true, range: true, jsx: options.jsx, comment: false, errorOnUnknownASTType: false, filePath: filename });
      return { ast: ast as unknown as AstNode, language: 'ts' };
    }
    espreeModule ??= require('espree') as typeof Espree;
    const ast = espreeModule.parse(text, {
      ecmaVersion: 'latest',
      sourceType: options.sourceType,
      loc: true,
      range: true,
      ecmaFeatures: { jsx: options.jsx },
    });
    return { ast: ast as unknown as AstNode, language: 'js' };
  } catch (error) {
    const e = error as { message?: string; lineNumber?: number; column?: number; location?: { start: { line: number; column: number } } };
    const line = e.lineNumber ?? e.location?.start.line ?? 1;
    const column = e.location ? e.location.start.column + 1 : (e.column ?? 1);
    throw new SyntaxFailure(`Parsing error: ${String(e.message ?? error).split('\n')[0]}`, line, column);
  }
}
