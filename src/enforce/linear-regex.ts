import { RE2JS } from 're2js';

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

/** JavaScript-style flags (i, m, s, u; g and y are meaningless here) onto RE2's. */
export function compileLinear(source: string, flags = ''): LinearRegex {
  if (source.length > MAX_REGEX_LENGTH) {
    throw new RegexError(`the regex is ${source.length.toLocaleString('en')} characters long (at most ${MAX_REGEX_LENGTH.toLocaleString('en')})`);
  }
  let bits = 0;
  if (flags.includes('i')) bits |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) bits |= RE2JS.MULTILINE;
  if (flags.includes('s')) bits |= RE2JS.DOTALL;
  let re: RE2JS;
  try {
    re = RE2JS.compile(source, bits);
  } catch (error) {
    const message = (error as Error).message.replace(/^error parsing regexp: /, '');
    throw new RegexError(`the regex does not compile on RE2 (linear-time; no backreferences or lookaround): ${message}`);
  }
  return {
    source,
    flags,
    test: (text) => re.matcher(text).find(),
    matches(text, limit) {
      const out: Array<{ index: number; end: number }> = [];
      const matcher = re.matcher(text);
      let from = 0;
      while (out.length < limit && from <= text.length && matcher.find(from)) {
        const index = matcher.start();
        const end = matcher.end();
        out.push({ index, end });
        from = end > index ? end : end + 1;
      }
      return out;
    },
  };
}
