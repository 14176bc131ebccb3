import { exampleFilename, filesFor, type SynthLanguage } from './lang.js';
import type { Example, SynthDetector } from './index.js';

/** A detector as an anti-pattern's `enforce.detect` entry: the ast-grep rule's keys, `fix`, and where it applies. */
export function detectorEntry(detector: SynthDetector, withFiles: boolean): Record<string, unknown> {
  const { pattern, ...constraints } = detector.rule;
  return {
    pattern,
    ...constraints,
    ...(detector.fix ? { fix: detector.fix } : {}),
    ...(withFiles ? { files: filesOf(detector.language) } : {}),
  };
}

/** JavaScript patterns are read in the TypeScript grammar too (a superset): they cover both. */
function filesOf(language: SynthLanguage): string[] {
  return language === 'javascript' ? ['**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}'] : filesFor(language);
}

/** An `enforce` block: files from the languages, one `detect` entry per detector. */
export function enforceBlock(detectors: readonly SynthDetector[]): { files: string[]; detect: Array<Record<string, unknown>> } {
  const languages = [...new Set(detectors.map((d) => d.language))];
  const single = languages.length === 1;
  return {
    files: single ? filesOf(languages[0]!) : [...new Set(languages.flatMap(filesOf))],
    detect: detectors.map((d) => detectorEntry(d, !single)),
  };
}

/** Examples as a record keeps them: code strings, with a file name when the language is not TypeScript's. */
export function exampleEntries(examples: readonly Example[]): Array<string | { code: string; filename: string }> {
  return examples.map((e) => {
    const code = e.line === undefined ? e.code.trim() : lineOf(e.code, e.line);
    return e.language === 'typescript' ? code : { code, filename: exampleFilename(e.language) };
  });
}

/** The statement an example's line starts (its line, and following lines while brackets are open). */
function lineOf(code: string, line: number): string {
  const lines = code.split('\n');
  const out: string[] = [];
  let depth = 0;
  for (let i = line - 1; i < lines.length; i++) {
    out.push(lines[i]!);
    for (const ch of lines[i]!) depth += ch === '(' || ch === '[' || ch === '{' ? 1 : ch === ')' || ch === ']' || ch === '}' ? -1 : 0;
    if (depth <= 0) break;
  }
  const indent = Math.min(...out.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length));
  return out.map((l) => l.slice(indent)).join('\n').trim();
}
