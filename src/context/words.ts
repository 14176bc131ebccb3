import { stemmer } from 'stemmer';

/** Words that say nothing about what failed; kept out of matching and of the reasons shown. */
const STOP = new Set(
  `a an the and or but if then else when while of to in on at by for with from into onto over under after before
  is are was were be been being am do does did done doing have has had having it its this that these those there
  here what which who whom whose why how all any both each few more most other some such nor only own same so than
  too very can could should would will shall may might must need needs via per as about also just still yet we you
  he she they them their our your my me us i our new now like way thing things get got make made one two up out
  not no never without don t s re ve ll d m`.split(/\s+/),
);

const cache = new Map<string, string>();

/**
 * The stem of a lower-case word (payments → payment, retried → retri). Agent nouns keep a mark the
 * stemmer drops: a resolver, balancer or container is not something resolved, balanced or contained
 * ("resolved" is in every postmortem).
 */
export function stem(word: string): string {
  let stemmed = cache.get(word);
  if (stemmed === undefined) {
    stemmed = stemmer(word);
    if (/(?:er|or)s?$/.test(word) && !/(?:er|or)$/.test(stemmed) && word.length > 4) stemmed += '~er';
    cache.set(word, stemmed);
  }
  return stemmed;
}

export interface Token {
  /** The stem, what is matched. */
  stem: string;
  /** The word as written (lower case), what a reason shows. */
  word: string;
}

/** Content words of a text, stemmed: identifiers split (paymentService → payment service), stop words and numbers dropped. */
export function tokens(text: string): Token[] {
  const out: Token[] = [];
  const spaced = text.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
  for (const raw of spaced.toLowerCase().split(/[^a-z0-9]+/)) {
    if (raw.length < 2 || STOP.has(raw) || /^\d+$/.test(raw)) continue;
    out.push({ stem: stem(raw), word: raw });
  }
  return out;
}

/** The distinct stems of a text. */
export function stems(text: string): Set<string> {
  return new Set(tokens(text).map((t) => t.stem));
}

/** The content words of several texts, in order. */
export function tokensOf(texts: readonly string[]): Token[] {
  return texts.flatMap(tokens);
}

/** Stem → the words written for it, for "through which words" in reasons (into `words` when given). */
export function surfaceWords(texts: readonly string[] | readonly Token[], words = new Map<string, Set<string>>()): Map<string, Set<string>> {
  for (const item of texts) {
    for (const t of typeof item === 'string' ? tokens(item) : [item]) {
      let set = words.get(t.stem);
      if (!set) words.set(t.stem, (set = new Set()));
      set.add(t.word);
    }
  }
  return words;
}
