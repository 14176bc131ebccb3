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

/**
 * The parts of a mixed-case word (paymentService → payment, Service), or none when it is not one or when
 * a part would be a single letter: then it is a name written in mixed case (DDoS, iOS), not two words.
 */
function camelParts(word: string): string[] {
  const parts = word.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').split(' ');
  return parts.length > 1 && parts.every((p) => p.length > 1) ? parts : [];
}

/**
 * Content words of a text, stemmed: stop words and numbers dropped. A mixed-case word counts whole and
 * by its parts (MySQL → mysql, sql; CoreDNS → coredns, core, dns; paymentService → paymentservice,
 * payment, service), so it matches the name as people type it in lower case as well as its words.
 */
export function tokens(text: string): Token[] {
  const out: Token[] = [];
  const push = (raw: string) => {
    if (raw.length < 2 || STOP.has(raw) || /^\d+$/.test(raw)) return;
    out.push({ stem: stem(raw), word: raw });
  };
  for (const written of text.split(/[^A-Za-z0-9]+/)) {
    push(written.toLowerCase());
    if (/[a-z0-9][A-Z]/.test(written)) for (const part of camelParts(written)) push(part.toLowerCase());
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
