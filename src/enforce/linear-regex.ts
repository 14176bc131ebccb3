import { createRequire } from 'node:module';
import type { RE2JS as RE2JSType } from 're2js';

type RE2JSClass = typeof RE2JSType;
let re2js: RE2JSClass | undefined;
/** re2js, loaded on first use: a hook whose regexes meet no text containing their words never needs it. */
function RE2(): RE2JSClass {
  return (re2js ??= (createRequire(import.meta.url)('re2js') as { RE2JS: RE2JSClass }).RE2JS);
}

/**
 * User regexes (regex detectors, regexes inside selectors) run on RE2 (re2js): matching takes time
 * linear in the text whatever the pattern, so no record can make `check`, the hook or ESLint hang.
 * RE2 has no backreferences or lookaround; such a regex is refused when the record is compiled.
 */
export const MAX_REGEX_LENGTH = 10_000;

export class RegexError extends Error {}

export interface LinearRegex {
  source: string;
  flags: string;
  test(text: string): boolean;
  /** Every match (at most `limit`), as UTF-16 offsets. */
  matches(text: string, limit: number): Array<{ index: number; end: number }>;
}

/**
 * JavaScript-style flags (i, m, s, u; g and y are meaningless here) onto RE2's. `lazy`: compiled on
 * first use, for a regex already known to compile (a cache says so); else a regex that does not
 * compile throws RegexError here.
 */
export function compileLinear(source: string, flags = '', options: { lazy?: boolean } = {}): LinearRegex {
  if (source.length > MAX_REGEX_LENGTH) {
    throw new RegexError(`the regex is ${source.length.toLocaleString('en')} characters long (at most ${MAX_REGEX_LENGTH.toLocaleString('en')})`);
  }
  const build = (): RE2JSType => {
    const { CASE_INSENSITIVE, MULTILINE, DOTALL } = RE2();
    let bits = 0;
    if (flags.includes('i')) bits |= CASE_INSENSITIVE;
    if (flags.includes('m')) bits |= MULTILINE;
    if (flags.includes('s')) bits |= DOTALL;
    try {
      return RE2().compile(source, bits);
    } catch (error) {
      // re2js quotes the regex with the flags it was given as a prefix (`(?m)(a`): the user never wrote those.
      const message = (error as Error).message.replace(/^error parsing regexp: /, '').replace(/`\(\?[imsU]+\)/, '`');
      throw new RegexError(`the regex does not compile on RE2 (linear-time; no backreferences or lookaround): ${message}`);
    }
  };
  let compiled = options.lazy ? undefined : build();
  const re = () => (compiled ??= build());
  // re2js is slow to warm up: a text without a word every match needs is answered without it.
  const caseless = flags.includes('i');
  const words = requiredLiterals(source, caseless);
  // Caseless, a word is looked for as RE2 folds case (K with the Kelvin sign, s with ſ): JavaScript's
  // `iu` folds by the same table, simple case folding.
  const finders = words.map((word) => (caseless ? new RegExp(escapeRegex(word), 'giu') : undefined));
  const has = (text: string, i: number) => {
    const finder = finders[i];
    if (!finder) return text.includes(words[i]!);
    finder.lastIndex = 0;
    return finder.test(text);
  };
  /** Where words[0] next occurs at or after `from` (-1: nowhere). */
  const next = (text: string, from: number) => {
    const finder = finders[0];
    if (!finder) return text.indexOf(words[0]!, from);
    finder.lastIndex = from;
    return finder.test(text) ? finder.lastIndex - words[0]!.length : -1;
  };
  const possible = (text: string) => words.every((_, i) => has(text, i));
  const scan = (text: string, offset: number, out: Array<{ index: number; end: number }>, limit: number) => {
    const matcher = re().matcher(text);
    let from = 0;
    while (out.length < limit && from <= text.length && matcher.find(from)) {
      const index = matcher.start();
      const end = matcher.end();
      out.push({ index: index + offset, end: end + offset });
      from = end > index ? end : end + 1;
    }
  };
  const oneLine = words.length > 0 && withinALine(source, flags);
  return {
    source,
    flags,
    test: (text) => possible(text) && re().matcher(text).find(),
    matches(text, limit) {
      const out: Array<{ index: number; end: number }> = [];
      if (!possible(text)) return out;
      // A match that stays within a line lies on a line holding every word: RE2 reads only those lines
      // (the same matches: `^`, `$` and \b see a line's ends as they see them in the whole text).
      if (!oneLine) {
        scan(text, 0, out, limit);
        return out;
      }
      for (let at = next(text, 0); at >= 0 && out.length < limit; ) {
        const start = text.lastIndexOf('\n', at) + 1;
        const newline = text.indexOf('\n', at);
        const end = newline < 0 ? text.length : newline;
        const line = text.slice(start, end);
        if (words.every((_, i) => has(line, i))) scan(line, start, out, limit);
        at = newline < 0 ? -1 : next(text, end + 1);
      }
      return out;
    },
  };
}

/**
 * Can no match of the regex contain a newline (or depend on the text's ends, \A \z)? Sound by refusal:
 * anything that may match \n — a negated class, \s \D \W \p, escapes naming characters, (?flags),
 * POSIX classes, \Q…\E, a newline, the s flag — answers no.
 */
export function withinALine(source: string, flags: string): boolean {
  if (flags.includes('s') || source.includes('\n') || source.includes('[^') || source.includes('(?') || source.includes('[:')) return false;
  return !/\\[sDWpPxuUnrC0-7AzQE]/.test(source);
}

/** A text as a literal in a JavaScript regex (also with the u flag). */
export const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const SPECIAL = new Set([...'\\.+*?()|[]{}^$']);
/** Escapes that match no fixed character and take no argument: they end a run of literal text. */
const CLASS_ESCAPES = new Set([...'bBdDwWsSAz']);

/**
 * Strings of two characters or more that every match of the regex contains (lowercase with
 * `caseless`), for a pre-filter. Sound by refusal: any syntax this does not fully understand (an
 * alternation, inline flags, \Q…\E, \p{…}, \x…, octal or control escapes, POSIX classes, a stray
 * brace) gives none, so no text is ever skipped that could match.
 */
export function requiredLiterals(source: string, caseless: boolean): string[] {
  const runs: string[] = [];
  let run = '';
  const end = () => {
    if (run.length >= 2) runs.push(run);
    run = '';
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1];
      if (next === undefined) return [];
      if (CLASS_ESCAPES.has(next)) end();
      else if (SPECIAL.has(next) || /[!"#%&',\-/:;<=>@_`~]/.test(next)) run += next;
      else return [];
      i += 2;
    } else if (c === '|' || c === '}' || c === ']') {
      return [];
    } else if (c === '(') {
      if (source[i + 1] === '?') return [];
      const close = skipGroup(source, i);
      if (close < 0) return [];
      end();
      i = close + 1;
    } else if (c === '[') {
      const close = skipClass(source, i);
      if (close < 0) return [];
      end();
      i = close + 1;
    } else if (c === '*' || c === '?' || c === '+' || c === '{') {
      let next = i + 1;
      if (c === '{') {
        const repeat = /^\{(\d+)(,\d*)?\}/.exec(source.slice(i));
        if (!repeat) return [];
        next = i + repeat[0].length;
      }
      // The quantified atom may occur zero times (or repeat): drop it from the run, which ends.
      run = run.slice(0, -1);
      end();
      i = next;
    } else if (c === '.' || c === '^' || c === '$') {
      end();
      i++;
    } else {
      // Under the i flag, only ASCII keeps its simple case orbit; anything else ends the run.
      if (caseless && c.charCodeAt(0) > 0x7f) end();
      else run += c;
      i++;
    }
  }
  end();
  return caseless ? runs.map((r) => r.toLowerCase()) : runs;
}

/** The index of the `]` closing the class opened at `start`, or -1 (also for POSIX classes: not understood). */
function skipClass(source: string, start: number): number {
  let i = start + 1;
  if (source[i] === '^') i++;
  if (source[i] === ']') i++;
  for (; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') return -1;
    else if (c === ']') return i;
  }
  return -1;
}

/** The index of the `)` closing the group opened at `start`, or -1. */
function skipGroup(source: string, start: number): number {
  let depth = 0;
  for (let i = start; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') {
      i = skipClass(source, i);
      if (i < 0) return -1;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}
