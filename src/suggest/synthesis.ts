import type { Example } from '../enforce/synth/index.js';
import { guessLanguage } from '../enforce/synth/guess.js';
import { languageOfPath, type SynthLanguage } from '../enforce/synth/lang.js';
import { parsesAs } from '../enforce/synth/tree.js';
import type { FeedbackRecord } from '../types/records.js';

/** Code quoted in a sentence: `backticks`. */
export function codeIn(text: string | undefined): string[] {
  return [...(text ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!.trim()).filter(Boolean);
}

/** Words before a quoted snippet that make it the code to change ("replace `any` with", "instead of `var`", "avoid `eval`"). */
const BEFORE_BAD = /(?:\breplac(?:e|ing)|\binstead of|\brather than|\bnot|\bavoid(?:ing)?|\b(?:don'?t|do not|never|stop)(?: (?:use|call|write|using|calling|writing))?|\bremove|\bdrop|\bno|\bover)\s*$/i;
/** Words after one that do the same ("`var` → `let`", "`==` should be `===`"). */
const AFTER_BAD = /^\s*(?:→|->|=>|should be\b|must be\b|becomes\b)/i;

/**
 * The code a correction quotes, told apart: what it says to change (bad) and the rest (good, what to
 * write). "Replace `any` with `unknown`" quotes both.
 */
export function codeOfCorrection(text: string | undefined): { bad: string[]; good: string[] } {
  const out = { bad: [] as string[], good: [] as string[] };
  const source = text ?? '';
  for (const m of source.matchAll(/`([^`]+)`/g)) {
    const code = m[1]!.trim();
    if (!code) continue;
    const before = source.slice(Math.max(0, m.index - 30), m.index).split(/[.;:!?]\s/).pop()!;
    const after = source.slice(m.index + m[0].length, m.index + m[0].length + 20);
    out[BEFORE_BAD.test(before) || AFTER_BAD.test(after) ? 'bad' : 'good'].push(code);
  }
  return out;
}

/** The language of a snippet: from a file name, else guessed from its words among those it parses in. */
function languageOf(code: string, filename: string | undefined): SynthLanguage | undefined {
  const named = filename ? languageOfPath(filename) : undefined;
  if (named) return parsesAs(code, named) ? named : undefined;
  return guessLanguage([code]);
}

/**
 * The code examples of a pattern's entries, where they already are: what `--fix` recorded
 * (examples.bad/good), and backticked code in the context (bad) and feedback (good, but bad where the
 * correction says to change it: "replace `any` with `unknown`"), its language from
 * the entry's file or guessed from its words. Code that parses in no language is left out; duplicates once.
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
    const quoted = codeOfCorrection(entry.feedback);
    for (const code of quoted.bad) add('bad', code, entry.file, `${entry.id} feedback`);
    for (const code of quoted.good) add('good', code, entry.file, `${entry.id} feedback`);
  }
  return out;
}
