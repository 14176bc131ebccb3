/**
 * Turning what went wrong into what must hold: a root cause or contributing factor, written as a
 * fact about the past ("No idempotency key in payment requests", "Retry logic did not check for
 * idempotency"), becomes a constraint statement ("Payment requests must include idempotency key",
 * "Retry logic must check for idempotency"). Rule-based and deterministic; a sentence no rule reads is
 * kept as written behind "Must not recur:" rather than guessed at.
 */

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const lower = (s: string) => (/^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s);
const clean = (s: string) => s.replace(/\s+/g, ' ').replace(/^[-*•\s]+/, '').replace(/[.;:,\s]+$/, '').trim();

const RULES: Array<[RegExp, (m: RegExpMatchArray) => string]> = [
  // "No check for X" (before the next rule) → "Must check for X" (before the next rule)
  [/^(?:no|missing|lack of) (check|test|validation|verification|alert|alerting|monitoring|review|limit|timeout|lock|retry limit) (for|of|on) (.+)$/i, (m) => `Must ${verbOf(m[1]!, m[2]!)} ${lower(m[3]!)}`],
  // "No X in/for/on Y" → "Y must include X"
  [/^(?:there (?:was|were|is|are) )?(?:no|missing|lack of|absence of|without(?: an?)?) (.+?) (?:in|on|for) (?:the |all |our )?(.+)$/i, (m) => `${capital(m[2]!)} must include ${lower(m[1]!)}`],
  // "No check for X" → "Must check for X" (before "No X", which would read "Check for X is required")
  [/^(?:no|missing|lack of) (check|test|validation|verification|alert|alerting|monitoring|review|limit|timeout|lock|retry limit) (for|of|on) (.+)$/i, (m) => `Must ${verbOf(m[1]!, m[2]!)} ${lower(m[3]!)}`],
  // "No X" / "Missing X" / "Lack of X" → "X is required"
  [/^(?:there (?:was|were|is|are) )?(?:no|missing|lack of|absence of|insufficient|inadequate) (.+)$/i, (m) => `${capital(m[1]!)} is required`],
  // "X doesn't mean Y" → "Do not treat X as Y"
  [/^(.+?) (?:does not|doesn't|did not|didn't|do not|don't) (?:mean|imply|guarantee)(?: that)? (.+)$/i, (m) => `Do not treat ${lower(m[1]!)} as ${lower(m[2]!)}`],
  // "X did not / didn't / does not / failed to Y" → "X must Y"
  [/^(.+?) (?:did not|didn't|does not|doesn't|do not|don't|was not|wasn't|were not|weren't|failed to|never) (.+)$/i, (m) => `${capital(m[1]!)} must ${negatedVerb(m[2]!)}`],
  // "X without Y" → "X must have Y"
  [/^(.+?) without (.+)$/i, (m) => `${capital(m[1]!)} must not happen without ${lower(m[2]!)}`],
  // "X assumed Y" → "Do not assume Y"
  [/^(?:.+? )?assum(?:ed|es|ption(?: that)?) (.+)$/i, (m) => `Do not assume ${lower(m[1]!)}`],
  // "X triggered on / retried on any Y" → "X must not trigger on any Y"
  [/^(.+?) (?:triggered|retried|sent|fired) (on|for|per|after) (.+)$/i, (m) => `${capital(m[1]!)} must not be triggered ${m[2]} ${lower(m[3]!)}`],
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
  const text = clean(statement);
  for (const [regex, build] of RULES) {
    const match = text.match(regex);
    if (match) return clean(build(match));
  }
  return `Must not recur: ${lower(text)}`;
}

/** A root cause's sentences (a paragraph or several lines), each a claim. */
export function sentences(text: string | undefined): string[] {
  if (!text) return [];
  return text
    .split(/\n+|(?<=[.!?])\s+(?=[A-Z])/)
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
