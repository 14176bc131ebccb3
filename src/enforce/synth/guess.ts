import { GUESS_ORDER, type SynthLanguage } from './lang.js';
import { parsesAs } from './tree.js';

/**
 * Words that say a snippet is Python although it also parses as JavaScript (most Python one-liners
 * do: `isinstance(value, str)`, `ctx.params["debug"] = True`): its literals, `self`, builtins a
 * JavaScript program would not call by these names.
 */
const PYTHON_WORDS = new Set([
  'True', 'False', 'None', 'self', 'cls', 'elif', 'def', 'lambda', 'nonlocal', 'except', 'isinstance', 'issubclass',
  'hasattr', 'getattr', 'setattr', 'len', 'range', 'enumerate', 'zip', 'dict', 'tuple', 'bytes', 'kwargs',
  '__init__', '__name__', '__main__', 'print', 'open', 'os', 'sys', 'pytest', 'raise', 'pass',
]);
/** And those that say JavaScript or TypeScript although it also parses as Python. */
const JS_WORDS = new Set([
  'null', 'undefined', 'this', 'const', 'let', 'var', 'function', 'new', 'typeof', 'instanceof', 'console', 'document',
  'window', 'require', 'module', 'exports', 'JSON', 'Promise', 'NaN', 'process',
]);
const JS_OPERATORS = /===|!==|=>|&&|\|\||\+\+|;\s*$/gm;

/** How much a snippet's words (outside its strings) say Python against JavaScript: > 0 Python, < 0 JavaScript. */
function pythonLean(code: string): number {
  const bare = code.replace(/("|'|`)(?:\\.|(?!\1)[^\\\n])*\1/g, '""');
  let lean = 0;
  // Names only, not properties: `fs.open(p)` and `window.print()` say nothing of the language.
  for (const [, word] of bare.matchAll(/(?<![\w$.])([A-Za-z_$][\w$]*)/g)) {
    if (PYTHON_WORDS.has(word!)) lean++;
    else if (JS_WORDS.has(word!)) lean--;
  }
  return lean - (bare.match(JS_OPERATORS)?.length ?? 0);
}

/**
 * The language of snippets no path names: among the languages they all parse in, Python when their
 * words say Python, else the first of JavaScript, TypeScript, Python (so words that say JavaScript
 * keep Python out). Undefined when they do not all parse in any of them.
 */
export function guessLanguage(codes: readonly string[]): SynthLanguage | undefined {
  const candidates = GUESS_ORDER.filter((l) => codes.every((code) => parsesAs(code, l)));
  const lean = codes.reduce((sum, code) => sum + pythonLean(code), 0);
  if (lean > 0 && candidates.includes('python')) return 'python';
  return candidates[0];
}
