import { describe, expect, it } from 'vitest';
import { RE2JS } from 're2js';
import { withinALine, compileLinear, requiredLiterals } from '../src/enforce/linear-regex.js';

/** Every match as RE2 alone finds them, scanning the whole text. */
function reference(re: ReturnType<typeof RE2JS.compile>, text: string): Array<{ index: number; end: number }> {
  const out: Array<{ index: number; end: number }> = [];
  const matcher = re.matcher(text);
  let from = 0;
  while (from <= text.length && matcher.find(from)) {
    out.push({ index: matcher.start(), end: matcher.end() });
    from = matcher.end() > matcher.start() ? matcher.end() : matcher.end() + 1;
  }
  return out;
}

describe('requiredLiterals (the pre-filter before RE2)', () => {
  it('finds the words every match contains', () => {
    expect(requiredLiterals('\\btodo\\b', true)).toEqual(['todo']);
    expect(requiredLiterals('process\\.env\\.[A-Z_]+', false)).toEqual(['process.env.']);
    expect(requiredLiterals('console\\.(log|warn)\\(', false)).toEqual(['console.']);
    expect(requiredLiterals('FIXME:?\\s+\\w+', false)).toEqual(['FIXME']);
    expect(requiredLiterals('colou?r', false)).toEqual(['colo']);
    expect(requiredLiterals('ab{0,2}cd', false)).toEqual(['cd']);
    expect(requiredLiterals('AKIA[0-9A-Z]{16}', false)).toEqual(['AKIA']);
  });

  it('gives none for syntax it does not fully understand', () => {
    for (const source of ['todo|fixme', '(?i)todo', '\\Qa.b\\E', '\\x41BC', '\\p{Greek}abc', '[[:alpha:]]abc', 'ab}', 'a{,2}bc', '\\nfoo']) {
      expect(requiredLiterals(source, false), source).toEqual([]);
    }
  });

  it('a lazy regex compiles on first use; an eager one says at once why it cannot', () => {
    expect(() => compileLinear('(a)\\1')).toThrow(/does not compile on RE2/);
    const lazy = compileLinear('(a)\\1', '', { lazy: true });
    expect(() => lazy.test('aa')).toThrow(/does not compile on RE2/);
  });

  it('never changes what matches: the same matches as RE2 alone', () => {
    const sources = ['\\btodo\\b', 'TODO', 'task', 'class\\s+\\w+', 'colou?r', 'a+b*c', '[kK]ey', 'é+té', 'x\\.y', '(ab)+cd', 'za{2}'];
    const texts = ['// todo: x', 'ToDo', 'TASK and ta\u212Ak', 'ſtate TAſK', 'class  Foo', 'color colour', 'aac abbc', 'key Key', 'ééété', 'x.y xzy', 'ababcd', 'zaa zaaa', ''];
    for (const source of sources) {
      for (const flags of ['', 'i']) {
        const re = RE2JS.compile(source, flags ? RE2JS.CASE_INSENSITIVE : 0);
        for (const [compiled, text] of [compileLinear(source, flags), compileLinear(source, flags, { lazy: true })].flatMap((c) => texts.map((t) => [c, t] as const))) {
          const expected = reference(re, text);
          expect(compiled.matches(text, 100), `/${source}/${flags} on ${JSON.stringify(text)}`).toEqual(expected);
          expect(compiled.test(text)).toBe(expected.length > 0);
        }
      }
    }
  });

  it('reading only the lines that hold a match\'s words finds the same matches (line-by-line regexes)', () => {
    const sources = ['\\btodo\\b', '^todo', 'todo$', 'fix(me)?\\b', 'a.b', '\\bx\\w+y', '^\\s*// todo', 'todo\\s+later', '[^x]todo'];
    const texts = ['todo\ntodo x\r\n  todo\n', 'x todo\n// todo later\nfixme fix\n', 'atodo todo\n\ntodo', 'axb\na\nb\naxxb', 'xfoo_y\nx\ny', '  // todo\n// todo', 'todo\nlater', 'ſtodo\nTODO\n\u212Aey'];
    for (const source of sources) {
      for (const flags of ['m', 'im']) {
        const re = RE2JS.compile(source, RE2JS.MULTILINE | (flags.includes('i') ? RE2JS.CASE_INSENSITIVE : 0));
        const compiled = compileLinear(source, flags);
        for (const text of texts) {
          expect(compiled.matches(text, 100), `/${source}/${flags} on ${JSON.stringify(text)}`).toEqual(reference(re, text));
        }
      }
    }
    expect(withinALine('\\btodo\\b', 'im')).toBe(true);
    for (const source of ['todo\\s+x', 'a[^b]c', '(?s)a.b', 'a\\nb', 'a\\x0ab', '\\Atodo', 'a[[:space:]]b', 'a\\Db']) expect(withinALine(source, 'm'), source).toBe(false);
    expect(withinALine('a.b', 'ms')).toBe(false);
  });
});
