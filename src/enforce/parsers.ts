import * as espree from 'espree';
import { KEYS as JS_KEYS } from 'eslint-visitor-keys';
import { parse as parseTypeScript } from '@typescript-eslint/typescript-estree';
import { visitorKeys as TS_KEYS } from '@typescript-eslint/visitor-keys';
import type { AstNode } from './ast.js';

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

/** The language of a file that code detectors can parse, or undefined (regex detectors only). */
export function languageOf(filename: string): Language | undefined {
  return EXTENSIONS[extensionOf(filename)]?.language;
}

/** Files with the same parser key parse the same way: patterns are compiled once per key. */
export function parserKey(filename: string): string | undefined {
  const options = EXTENSIONS[extensionOf(filename)];
  return options ? `${options.language}${options.jsx ? 'x' : ''}:${options.sourceType}` : undefined;
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

/** Parses a JS or TS file as ESLint would, with locations and ranges. Throws SyntaxFailure. */
export function parseCode(filename: string, text: string): { ast: AstNode; language: Language } {
  const options = EXTENSIONS[extensionOf(filename)] ?? EXTENSIONS['.ts']!;
  try {
    if (options.language === 'ts') {
      const ast = parseTypeScript(text, { loc: true, range: true, jsx: options.jsx, comment: false, errorOnUnknownASTType: false });
      return { ast: ast as unknown as AstNode, language: 'ts' };
    }
    const ast = espree.parse(text, {
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
