import { createRequire } from 'node:module';
import type * as AstGrep from '@ast-grep/napi';

/**
 * The languages `pattern` detectors read, through ast-grep: its built-in JavaScript, TypeScript and
 * TSX, and the `@ast-grep/lang-*` packages (prebuilt tree-sitter parsers) for the rest. Loaded on first
 * use, so commands that never match code never load a native module.
 */
const require = createRequire(import.meta.url);

export type AstGrepModule = typeof AstGrep;

interface LanguageInfo {
  /** ast-grep's name for it. */
  name: string;
  extensions: string[];
  /** The `@ast-grep/lang-*` package, for languages ast-grep does not build in. */
  package?: string;
  /** What ast-grep writes instead of `$` for metavariables where `$` is not valid in an identifier. */
  expando: string;
  /** JavaScript's family: `...` in a pattern means "any sequence" (ESLint-era records) unless it is spread. */
  js?: boolean;
  aliases?: string[];
}

const LANGUAGES: LanguageInfo[] = [
  { name: 'JavaScript', extensions: ['js', 'mjs', 'cjs', 'jsx'], expando: '$', js: true, aliases: ['js', 'jsx', 'javascript'] },
  { name: 'TypeScript', extensions: ['ts', 'mts', 'cts'], expando: '$', js: true, aliases: ['ts', 'typescript'] },
  { name: 'Tsx', extensions: ['tsx'], expando: '$', js: true, aliases: ['tsx'] },
  { name: 'Html', extensions: ['html', 'htm'], expando: 'z', aliases: ['html'] },
  { name: 'Css', extensions: ['css'], expando: '_', aliases: ['css'] },
  { name: 'python', extensions: ['py', 'pyi'], package: '@ast-grep/lang-python', expando: 'µ', aliases: ['py', 'python'] },
  { name: 'go', extensions: ['go'], package: '@ast-grep/lang-go', expando: 'µ', aliases: ['go', 'golang'] },
  { name: 'java', extensions: ['java'], package: '@ast-grep/lang-java', expando: '$', aliases: ['java'] },
  { name: 'ruby', extensions: ['rb', 'rbw', 'gemspec', 'rake'], package: '@ast-grep/lang-ruby', expando: 'µ', aliases: ['rb', 'ruby'] },
  { name: 'rust', extensions: ['rs'], package: '@ast-grep/lang-rust', expando: 'µ', aliases: ['rs', 'rust'] },
  { name: 'csharp', extensions: ['cs'], package: '@ast-grep/lang-csharp', expando: 'µ', aliases: ['cs', 'c#', 'csharp'] },
  { name: 'kotlin', extensions: ['kt', 'kts', 'ktm'], package: '@ast-grep/lang-kotlin', expando: 'µ', aliases: ['kt', 'kotlin'] },
  { name: 'php', extensions: ['php'], package: '@ast-grep/lang-php', expando: '$', aliases: ['php'] },
];

const BY_EXTENSION = new Map<string, LanguageInfo>();
const BY_ALIAS = new Map<string, LanguageInfo>();
for (const language of LANGUAGES) {
  for (const ext of language.extensions) BY_EXTENSION.set(ext, language);
  for (const alias of [language.name.toLowerCase(), ...(language.aliases ?? [])]) BY_ALIAS.set(alias, language);
}

/** The languages a pattern is tried in when a detector names neither a language nor files: JS and TS. */
export const JS_FAMILY = ['TypeScript', 'Tsx', 'JavaScript'] as const;

export const LANGUAGE_NAMES = [...BY_ALIAS.keys()].sort();

export function extensionOf(filename: string): string {
  const base = filename.slice(filename.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}

/** The ast-grep language of a file, by its extension; undefined when no parser reads it. */
export function astGrepLanguageOf(filename: string): string | undefined {
  // Every detector asks about the file being checked, several times: answered once per file.
  if (filename !== last.file) last = { file: filename, language: BY_EXTENSION.get(extensionOf(filename))?.name };
  return last.language;
}

let last: { file: string | undefined; language: string | undefined } = { file: undefined, language: undefined };

/** A user's language name (`python`, `py`, `TypeScript`…) as ast-grep names it. */
export function languageByName(name: string): string | undefined {
  return BY_ALIAS.get(name.toLowerCase())?.name;
}

export function languageInfo(name: string): LanguageInfo {
  return LANGUAGES.find((l) => l.name === name)!;
}

export function extensionsOf(name: string): string[] {
  return languageInfo(name).extensions;
}

export function isJsFamily(name: string): boolean {
  return languageInfo(name).js === true;
}

/** Languages whose extensions a list of globs names (`**\/*.py`, `src/**\/*.{js,ts}`). */
export function languagesOfGlobs(globs: readonly string[]): string[] {
  const out = new Set<string>();
  for (const glob of globs) {
    for (const m of glob.matchAll(/\.(?:\{([\w,]+)\}|(\w+))(?=$|[},])/g)) {
      for (const ext of (m[1] ?? m[2]!).split(',')) {
        const language = BY_EXTENSION.get(ext.toLowerCase());
        if (language) out.add(language.name);
      }
    }
  }
  return [...out];
}

let astGrep: AstGrepModule | undefined;
let dynamicRegistered = false;
const registered = new Set<string>();

/**
 * ast-grep; for `language` outside its built-in ones (JavaScript, TypeScript, Tsx, Html, Css), or
 * when no language is given, with every installed language package registered. ast-grep takes one
 * registration of all dynamic languages (a second call is ignored or replaces the first), so it is
 * made once, on the first need: checking JS/TS alone never loads the other parsers.
 */
export function loadAstGrep(language?: string): AstGrepModule {
  astGrep ??= require('@ast-grep/napi') as AstGrepModule;
  if (!dynamicRegistered && (language === undefined || LANGUAGES.find((l) => l.name === language)?.package !== undefined || !LANGUAGES.some((l) => l.name === language))) {
    registerDynamicLanguages(astGrep);
  }
  return astGrep;
}

function registerDynamicLanguages(napi: AstGrepModule): void {
  dynamicRegistered = true;
  const dynamic: Record<string, unknown> = {};
  for (const language of LANGUAGES) {
    if (!language.package) continue;
    try {
      const registration = require(language.package) as { libraryPath: string };
      // Resolves the prebuilt parser now, so a missing one means "not installed", not a crash later.
      void registration.libraryPath;
      dynamic[language.name] = registration;
      registered.add(language.name);
    } catch {
      // The package (or its prebuilt parser for this platform) is not there: that language is not read.
    }
  }
  napi.registerDynamicLanguage(dynamic as Parameters<AstGrepModule['registerDynamicLanguage']>[0]);
}

/** Can this machine parse the language (its package and prebuilt parser are installed)? */
export function isAvailable(name: string): boolean {
  const language = languageInfo(name);
  if (!language.package) return true;
  loadAstGrep();
  return registered.has(name);
}
