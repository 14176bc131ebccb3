import { stemmer } from 'stemmer';
import { LEXICON } from './concepts.js';

/** Words that carry no meaning of their own in a correction ("you should always use …"). */
const STOP = new Set(
  `a an the and or but if then else when while of to in on at by for with without from into onto over under
  is are was were be been being am do does did done doing have has had having it its this that these those
  there here what which who whom whose why how all any both each few more most other some such no nor not
  only own same so than too very can could should would will shall may might must need needs needed use used
  using uses instead always never please make sure ensure again also just still yet via per as about get got
  we you he she they them their our your my me us i one two new now like way thing things code line lines
  file files function functions method methods class value values call calls called put let set see`.split(/\s+/),
);

/** Words kept apart from stemming: negations change meaning. */
const NEGATIONS = new Set(['not', 'no', 'never', 'without', "don't", 'dont', "doesn't", 'cannot', "can't"]);

const stemCache = new Map<string, string>();
function stem(word: string): string {
  let stemmed = stemCache.get(word);
  if (stemmed === undefined) {
    stemmed = stemmer(word);
    stemCache.set(word, stemmed);
  }
  return stemmed;
}

/** An error class, an error code or a lint rule id: the parts of a message that name the problem. */
export function isAnchor(token: string): boolean {
  return (
    /^[A-Z][A-Za-z0-9]*(Error|Exception|Warning|Fault|Failure)$/.test(token) ||
    /^[A-Z]{1,5}\d{3,5}$/.test(token) ||
    /^E[A-Z]{3,}$/.test(token) ||
    /^ERR_[A-Z0-9_]+$/.test(token) ||
    // Plugin rule ids (@typescript-eslint/no-explicit-any, react/jsx-key); a bare one (no-unused-vars) is
    // an anchor where a linter writes it, before a colon (see templateTokens).
    /^@?[a-z][\w-]*\/[a-z]+(-[a-z0-9]+)*$/.test(token)
  );
}

/** Splits identifiers into words: fooBar_baz.qux → foo bar baz qux. */
export function splitIdentifier(token: string): string[] {
  return token
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9+#]+/)
    .map((w) => w.toLowerCase())
    .filter(Boolean);
}

/** Code inside a sentence: `backticks`, calls, dotted names, decorators, _private names, snake/camel identifiers. */
const CODE_TOKEN = /`[^`]+`|@[\w.]+|\.?_\w+|\b\w+(?:\.\w+)+(?:\(\))?|\b\w+\(\)|\b[a-z]+[A-Z]\w*|\b\w+_\w+/g;

/** The shape of a code snippet, with names and values abstracted: `foo(bar, 1)` → `I(I,N)`. */
export function codeShape(code: string): string {
  return code
    .replace(/(["'`])(?:\\.|(?!\1).)*\1/g, 'S')
    .replace(/\b\d+(\.\d+)?\b/g, 'N')
    .replace(/[A-Za-z_$][\w$]*/g, 'I')
    .replace(/\s+/g, '');
}

export type Features = Map<string, number>;

function add(features: Features, key: string, weight: number): void {
  features.set(key, (features.get(key) ?? 0) + weight);
}

/** Per-word work, done once per distinct word and process (bounded, then started afresh). */
function memo<T>(compute: (word: string) => T): (word: string) => T {
  const cache = new Map<string, T>();
  return (word) => {
    let value = cache.get(word);
    if (value === undefined) {
      value = compute(word);
      if (cache.size >= 100_000) cache.clear();
      cache.set(word, value);
    }
    return value;
  };
}

/** What one token of the text adds, in order: an anchor, an HTTP verb, a private name, a known identifier. */
const tokenFeatures = memo((token: string): Array<[string, number]> => {
  const out: Array<[string, number]> = [];
  if (isAnchor(token)) out.push([`a:${token.toLowerCase()}`, 2]);
  // HTTP verbs written as such (GET, not "get the user").
  if (/^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/.test(token)) out.push(['k:http_verb', 1.5]);
  // _name and ._name are private by convention in most languages.
  if (/^\.?_[A-Za-z]/.test(token)) out.push(['k:visibility', 1.5]);
  // Whole identifiers the lexicon knows (innerHTML, select_related, time.sleep, process.env).
  const whole = token.toLowerCase().replace(/\(\)$/, '');
  const concept = whole.length > 3 && /[._A-Z]|^[a-z]+$/.test(token) ? LEXICON.words.get(whole) : undefined;
  if (concept && /[._]|[a-z][A-Z]/.test(token)) out.push([`k:${concept}`, 1.5]);
  return out;
});

/** What one word of prose (not part of a phrase) adds: its concept, its stem, and a rarer stem's character 4-grams. */
const wordFeatures = memo((word: string): Array<[string, number]> => {
  const out: Array<[string, number]> = [];
  if (NEGATIONS.has(word)) return out;
  const concept = LEXICON.words.get(word) ?? LEXICON.words.get(stem(word));
  if (concept) {
    out.push([`k:${concept}`, 1.5], [`w:${stem(word)}`, 0.5]);
    return out;
  }
  if (STOP.has(word) || word.length < 2) return out;
  const stemmed = stem(word);
  out.push([`w:${stemmed}`, 1]);
  if (stemmed.length >= 6) for (let k = 0; k + 4 <= stemmed.length; k++) out.push([`c:${stemmed.slice(k, k + 4)}`, 0.15]);
  return out;
});

/**
 * The features of a natural-language correction: concepts (synonyms and phrases normalised),
 * stemmed words, anchors (error classes, codes, rule ids, API names), code shapes of snippets and
 * character n-grams of rarer words. Weights are raw counts times the kind's weight; IDF comes later.
 */
export function textFeatures(text: string): Features {
  const features: Features = new Map();
  // Code and anchors first, then the prose around them.
  for (const match of text.matchAll(CODE_TOKEN)) {
    const raw = match[0];
    const code = raw.replace(/^`|`$/g, '');
    add(features, `a:${code.toLowerCase().replace(/\(\)$/, '')}`, 1.5);
    if (raw.startsWith('`') && /[^\w\s]/.test(code)) add(features, `s:${codeShape(code)}`, 1);
  }
  for (const token of text.split(/[\s,;:()[\]{}"'`]+/)) for (const [key, weight] of tokenFeatures(token)) add(features, key, weight);
  const words = splitIdentifier(text.replace(/`/g, ' ').replace(/n\s*\+\s*1/gi, 'n+1'));
  const used = new Array<boolean>(words.length).fill(false);
  for (let i = 0; i < words.length; i++) {
    for (const { tokens, concept } of LEXICON.phrases.get(words[i]!) ?? []) {
      if (tokens.length + i > words.length || used[i]) continue;
      if (tokens.every((t, k) => words[i + k] === t)) {
        add(features, `k:${concept}`, 1.5);
        for (let k = 0; k < tokens.length; k++) used[i + k] = true;
        break;
      }
    }
  }
  for (let i = 0; i < words.length; i++) {
    if (used[i]) continue;
    for (const [key, weight] of wordFeatures(words[i]!)) add(features, key, weight);
  }
  return features;
}
