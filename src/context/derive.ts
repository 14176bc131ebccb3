/**
 * Turning what went wrong into what must hold: a root cause or contributing factor, written as a
 * fact about the past ("No idempotency key in payment requests", "Retry logic did not check for
 * idempotency"), becomes a constraint statement ("Payment requests must include idempotency key",
 * "Retry logic must check for idempotency"). Rule-based and deterministic; a sentence no rule reads is
 * kept as written behind "Must not recur:" rather than guessed at.
 */

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** The first letter lower-cased, unless the first word looks like a name: MySQL, ProxySQL, Execution Environments. */
const lower = (s: string) => (/^[A-Z][a-z]+(?:[\s,.;:'’)-]|$)/.test(s) && !/^\S+ [A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s);
const clean = (s: string) =>
  s
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1') // [text](url) → text
    .replace(/(^|\W)[*_]{1,2}([^*_]+)[*_]{1,2}(?=\W|$)/g, '$1$2') // *emphasis*
    .replace(/\s+/g, ' ')
    .replace(/^[-*•\s]+/, '')
    .replace(/[.;:,\s]+$/, '')
    .trim();

/** What a narrative sentence says before its claim: "On December 15th, 2021 at 00:17 UTC, ", "The root cause was that ". */
const PREFACE = /^(?:(?:on|at|around|at around) [^,]*\d[^,]*(?:,\s*\d{4}\b[^,]*)?,\s*|(?:from|after|upon) (?:preliminary |our |further )?(?:analysis|investigation)[^,]*,\s*|(?:the )?(?:root |underlying |primary )?cause(?: of (?:the|this) (?:issue|incident|outage|problem))? (?:was|is)(?: that)?:?\s+|(?:the )?(?:issue|incident|outage|problem) was (?:caused by|due to)\s+)+/i;

/** Words after which a sentence's consequence is narrative (how long, which, that followed). */
const consequence = (text: string) => clean(text.split(/,|;|: | which | who | while | for (?:about |approx\.? |approximately |roughly |~)?\d| over (?:a|the) /)[0]!);

/** What a claim says before it turns into an explanation or its consequence ("…, because …", "… led to …", "… so we …"). */
const claim = (text: string) =>
  clean(text.split(/,\s| (?:because|since|so that|so|which|even though|although|due to|let|led|leads|caused|causes|resulted|results|allowed|allows|prevented|prevents|meant|made|triggered)\b/)[0]!);

/** A subject a rule can state a constraint about: not a subordinate clause ("Because we", "When the boundaries"), a bare pronoun or a clause cut mid-way. */
const subjectOk = (s: string) =>
  !/^(?:because|since|when|whenever|if|as|although|though|while|until|unless|due to|the reason|there|which|that|plus|and|but|or|then|so|also|leaving|triggering|causing|resulting|leading|coupled|combined)\b/i.test(s) &&
  !/^(?:this|it|that|these|those|they)$/i.test(s) &&
  !/ (?:and|or|but|also|then|that|which|who)$/i.test(s) &&
  !/ but /i.test(s);

/** Adverbs that read wrong before "must": "The cache also must not …", "The setting inadvertently must not …". */
const ADVERB = / (?:also|then|eventually|repeatedly|inadvertently|ultimately|famously|first|later|again|accidentally|unexpectedly)$/i;

/** The subject of a causal clause: the words after the last comma, when it is long. */
const causeOf = (text: string) => {
  const lastBreak = Math.max(text.lastIndexOf(', '), text.lastIndexOf('. '), text.lastIndexOf(': '));
  const part = (lastBreak >= 0 ? text.slice(lastBreak + 2) : text)
    .replace(/ (?:that|which)$/i, '') // "we deployed a change that impacted …"
    .replace(/^(?:we|they|someone|an? (?:engineer|operator|developer)|the team) (?:deployed|pushed|made|ran|released|applied|introduced|merged|shipped) /i, '')
    .replace(ADVERB, '');
  // A clause of its own ("A change was included with …") is no subject.
  if (!subjectOk(part) || / (?:was|were|is|are)(?: |$)/i.test(part)) return undefined;
  const words = part.split(' ').length;
  // A passive verb ("became corrupted", "was triggered") or a clause is no cause to name.
  if (words < 2 || words > 16 || / (?:was|were|is|are|be|been|being|became|become|got|which|that|who)$| (?:which|that|who) /i.test(part)) return undefined;
  return clean(part);
};
const CAUSAL: Record<string, string> = { caused: 'cause', impacted: 'impact', 'led to': 'lead to', 'resulted in': 'result in', triggered: 'trigger', 'took down': 'take down', 'brought down': 'bring down', broke: 'break', corrupted: 'corrupt', exhausted: 'exhaust', overloaded: 'overload' };
/** Short subjects only: "Retry logic did not check", not "The OMS collapsed when …, which was not encountered". */
const shortSubject = (s: string) => s.split(' ').length <= 10 && !/[,;:]| which | that | when /.test(s) && subjectOk(s);

const RULES: Array<[RegExp, (m: RegExpMatchArray) => string | undefined]> = [
  // "No check for X" (before the next rule) → "Must check for X" (before the next rule)
  [/^(?:no|missing|lack of) (check|test|validation|verification|alert|alerting|monitoring|review|limit|timeout|lock|retry limit)(?: (?:configured|set up|in place|set))? (for|of|on) (.+)$/i, (m) => `Must ${verbOf(m[1]!, m[2]!)} ${claim(m[3]!)}`],
  // "No X in/for/on Y" → "Y must include X"
  [/^(?:there (?:was|were|is|are) )?(?:no|missing|lack of|absence of|without(?: an?)?) (.+)$/i, (m) => {
    // What was missing, up to where the sentence turns to its consequence; "were set", "configured" left out.
    const what = claim(m[1]!).match(/^([^:]+?) (?:(?:was|were) )?(?:set |configured |defined |added |enabled |in place )?(?:in|on|for) (?:the |all |our )?([^:]+)$/i);
    if (!what || / (?:was|were|is|are|did|does|had|has)(?: |$)/i.test(`${what[1]} ${what[2]}`)) return undefined;
    return `${capital(what[2]!)} must include ${what[1]!}`;
  }],
  // "No check for X" → "Must check for X" (before "No X", which would read "Check for X is required")
  [/^(?:no|missing|lack of) (check|test|validation|verification|alert|alerting|monitoring|review|limit|timeout|lock|retry limit)(?: (?:configured|set up|in place|set))? (for|of|on) (.+)$/i, (m) => `Must ${verbOf(m[1]!, m[2]!)} ${claim(m[3]!)}`],
  // "No X" / "Missing X" / "Lack of X" → "X is required"
  [/^(?:there (?:was|were|is|are) )?(?:no|missing|lack of|absence of|insufficient|inadequate) (.+)$/i, (m) => {
    const what = claim(consequence(m[1]!)).replace(/ (?:(?:was|were) )?(?:set|configured|defined|added|enabled|in place)$/i, '');
    // "Islanding mechanisms are", "A way to check settings is": the head noun, before "to", "that", "of", "for", "around".
    const head = what.split(/ (?:to|that|of|for|in|on|around|about|with|across|between|during) /)[0]!;
    if (/ (?:was|were|is|are|did|does|had|has)(?: |$)/i.test(head)) return undefined;
    return `${capital(what)} ${/[^s]s$/i.test(head) && !/(?:is|us|ss)$/i.test(head) ? 'are' : 'is'} required`;
  }],
  // "X doesn't mean Y" → "Do not treat X as Y"
  [/^(.+?) (?:does not|doesn't|did not|didn't|do not|don't) (?:mean|imply|guarantee)(?: that)? (.+)$/i, (m) => `Do not treat ${lower(m[1]!)} as ${lower(m[2]!)}`],
  // "X did not / didn't / does not / failed to Y" → "X must Y"
  [/^(.+?) (did not|didn't|does not|doesn't|do not|don't|was not|wasn't|were not|weren't|failed to|never) (.+)$/i, (m) => {
    const subject = (m[1]!.includes(': ') ? m[1]!.slice(m[1]!.lastIndexOf(': ') + 2) : m[1]!).replace(ADVERB, '');
    if (!shortSubject(subject)) return undefined;
    const rest = claim(m[3]!);
    // "This problem never showed up before": how rare it was, not what went wrong.
    if (/^never$/i.test(m[2]!) && /\b(?:before|until)\b/i.test(m[3]!)) return undefined;
    // "was not caught" → "must be caught"; "did not check" → "must check".
    const passive = /^(?:was|were)/i.test(m[2]!);
    return `${capital(subject)} must ${passive ? `be ${rest}` : negatedVerb(rest)}`;
  }],
  // "X caused Y, which …" → "X must not cause Y" (the cause: the words after the last comma before the verb)
  [new RegExp(`^(.+?) (${Object.keys(CAUSAL).join('|')}) (.+)$`, 'i'), (m) => {
    const cause = causeOf(m[1]!);
    const effect = consequence(m[3]!);
    // "caused by …" names the cause after the verb: no rule reads it.
    return cause && effect.split(' ').length >= 2 && !/^(?:on|for|per|after|by) /i.test(m[3]!)
      ? `${capital(cause)} must not ${CAUSAL[m[2]!.toLowerCase()]} ${effect.replace(/ (?:and|or)(?: consequently| then| eventually)?$/i, '')}`
      : undefined;
  }],
  // "Y collapsed due to the absence of X" → what "absence of X" reads as
  [/^.+? (?:due to|because of|caused by) (?:the )?((?:absence|lack) of .+|missing .+|no .+)$/i, (m) => {
    const inner = constraintFrom(m[1]!);
    return inner.startsWith('Must not recur:') ? undefined : inner;
  }],
  // "X without Y" → "X must not happen without Y" ("… without issue" is no safeguard)
  [/^(.+?) without (?!(?:any |further |an? )?(?:issues?|problems?|incidents?|errors?|interruption|impact|downtime|data loss)\b)(.+)$/i, (m) => (shortSubject(m[1]!) ? `${capital(m[1]!)} must not happen without ${lower(consequence(m[2]!))}` : undefined)],
  // "X assumed Y" → "Do not assume Y"
  // ("a service that assumes AWS IAM roles" is what the service does, no assumption.)
  [/^(?:.+? )?(?<!(?:that|which|who) )assum(?:ed|ption(?: that)?|ing(?: that)?) (.+)$/i, (m) => `Do not assume ${lower(consequence(m[1]!))}`],
  // "X triggered on / retried on any Y" → "X must not trigger on any Y"
  [/^(.+?) (?:triggered|retried|sent|fired) (on|for|per|after) (.+)$/i, (m) => (shortSubject(m[1]!) ? `${capital(m[1]!)} must not be triggered ${m[2]} ${lower(m[3]!)}` : undefined)],
];

/** "check" + "for" → "check for"; "validation" + "of" → "validate". */
function verbOf(noun: string, preposition: string): string {
  const map: Record<string, string> = { validation: 'validate', verification: 'verify', alert: 'alert on', alerting: 'alert on', monitoring: 'monitor', review: 'review', limit: 'limit', timeout: 'time out', lock: 'lock', 'retry limit': 'limit retries of' };
  const verb = map[noun.toLowerCase()];
  return verb ?? `${noun.toLowerCase()} ${preposition.toLowerCase()}`;
}

/** "check for X" stays; "checked for X" → "check for X"; "be X" after was not. */
function negatedVerb(rest: string): string {
  const [first, ...others] = rest.split(' ');
  const word = first!.toLowerCase();
  const base = word.endsWith('ed') && word.length > 4 ? word.replace(/ied$/, 'y').replace(/([^aeiou])\1ed$/, '$1').replace(/ed$/, '') : word;
  return [base, ...others].join(' ');
}

/** One sentence of what went wrong → the constraint that prevents it. */
export function constraintFrom(statement: string): string {
  const text = clean(clean(statement).replace(PREFACE, ''));
  for (const [regex, build] of RULES) {
    const match = text.match(regex);
    const built = match ? build(match) : undefined;
    if (built) return capital(clean(built));
  }
  return `Must not recur: ${lower(text)}`;
}

/** A root cause's sentences (a paragraph or several lines), each a claim. */
export function sentences(text: string | undefined): string[] {
  if (!text) return [];
  const parts = text.split(/\n+|(?<=[.!?])\s+(?=[A-Z])/);
  return parts
    // "The outage resulted from three compounding factors:" introduces the claims that follow; it claims nothing itself.
    .filter((part, i) => !(/:\s*$/.test(part) && parts.slice(i + 1).some((p) => p.trim())))
    .map(clean)
    .filter((s) => s.length > 3);
}

/** A practice to include ("Idempotency key in all mutating operations") → an invariant. */
export function mustInclude(practice: string): string {
  const text = clean(practice);
  const match = text.match(/^(.+?) (?:in|on|for) (all|every|each|any) (.+)$/i);
  if (match) return `${capital(match[2]!)} ${match[3]} must include ${lower(match[1]!)}`;
  return `Must include: ${lower(text)}`;
}

/** A practice to exclude ("Blind retry on timeout") → an invariant. */
export function mustExclude(practice: string): string {
  return `Must not: ${lower(clean(practice))}`;
}
