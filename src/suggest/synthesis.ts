import type { Example } from '../enforce/synth/index.js';
import { GUESS_ORDER, languageOfPath, type SynthLanguage } from '../enforce/synth/lang.js';
import { parsesAs } from '../enforce/synth/tree.js';
import type { FeedbackRecord } from '../types/records.js';

/** Code quoted in a sentence: `backticks`. */
export function codeIn(text: string | undefined): string[] {
  return [...(text ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!.trim()).filter(Boolean);
}

/** The language of a snippet: from a file name, else the first language it parses in (JS, TS, Python). */
function languageOf(code: string, filename: string | undefined): SynthLanguage | undefined {
  const named = filename ? languageOfPath(filename) : undefined;
  if (named) return parsesAs(code, named) ? named : undefined;
  return GUESS_ORDER.find((l) => parsesAs(code, l));
}

/**
 * The code examples of a pattern's entries, where they already are: what `--fix` recorded
 * (examples.bad/good), and backticked code in the context (bad) and feedback (good), its language from
 * the entry's file or guessed. Code that parses in no language is left out; duplicates once.
 */
export function examplesOfEntries(entries: readonly FeedbackRecord[]): { bad: Example[]; good: Example[] } {
  const out = { bad: [] as Example[], good: [] as Example[] };
  const seen = new Set<string>();
  const add = (kind: 'bad' | 'good', code: string, filename: string | undefined, label: string) => {
    const language = languageOf(code, filename);
    const key = `${kind}\u0000${language}\u0000${code.replace(/\s+/g, ' ')}`;
    if (!language || seen.has(key)) return;
    seen.add(key);
    out[kind].push({ code, language, label });
  };
  for (const entry of entries) {
    for (const kind of ['bad', 'good'] as const) {
      (entry.examples?.[kind] ?? []).forEach((e, i) => add(kind, e.code, e.filename, `${entry.id} examples.${kind}[${i}]`));
    }
    for (const code of codeIn(entry.context)) add('bad', code, entry.file, `${entry.id} context`);
    for (const code of codeIn(entry.feedback)) add('good', code, entry.file, `${entry.id} feedback`);
  }
  return out;
}
