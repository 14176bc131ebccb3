import { loadAstGrep } from '../languages.js';

/** Languages a detector can be synthesized in. */
export type SynthLanguage = 'javascript' | 'typescript' | 'tsx' | 'python';

export const SYNTH_LANGUAGES: readonly SynthLanguage[] = ['javascript', 'typescript', 'tsx', 'python'];

const ALIASES: Record<string, SynthLanguage> = {
  js: 'javascript', javascript: 'javascript', jsx: 'javascript', mjs: 'javascript', cjs: 'javascript',
  ts: 'typescript', typescript: 'typescript', mts: 'typescript', cts: 'typescript',
  tsx: 'tsx',
  py: 'python', python: 'python', pyi: 'python',
};

/** A language named on the command line (`--lang ts`), or undefined when it is not one we synthesize in. */
export function languageNamed(name: string): SynthLanguage | undefined {
  return ALIASES[name.trim().toLowerCase()];
}

/** The language of a file, from its extension (`src/a.ts` → typescript), or undefined. */
export function languageOfPath(path: string): SynthLanguage | undefined {
  const match = /\.([A-Za-z0-9]+)$/.exec(path);
  if (!match) return undefined;
  const ext = match[1]!.toLowerCase();
  return ext === 'jsx' ? 'javascript' : ALIASES[ext];
}

/** Globs of the files a language's detector applies to. */
export function filesFor(language: SynthLanguage): string[] {
  switch (language) {
    case 'javascript':
      return ['**/*.{js,jsx,mjs,cjs}'];
    case 'typescript':
      return ['**/*.{ts,mts,cts}'];
    case 'tsx':
      return ['**/*.tsx'];
    case 'python':
      return ['**/*.py'];
  }
}

/** A file name an example in this language is parsed as (the records' `examples[].filename`). */
export function exampleFilename(language: SynthLanguage): string {
  return { javascript: 'example.js', typescript: 'example.ts', tsx: 'example.tsx', python: 'example.py' }[language];
}

/** The ast-grep language id, with the engine's parsers registered (the same ast-grep `check` runs). */
export function astGrepLang(language: SynthLanguage): string {
  loadAstGrep();
  return { javascript: 'JavaScript', typescript: 'TypeScript', tsx: 'Tsx', python: 'python' }[language];
}

/** The order snippets without a path are tried in when no language is named. */
export const GUESS_ORDER: readonly SynthLanguage[] = ['javascript', 'typescript', 'python'];
