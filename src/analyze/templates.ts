/**
 * Templates for machine messages (log lines, test failures, lint messages), in the spirit of Brain
 * (Yu et al. 2023) and Drain (He et al. 2017): generic masks only, then variable detection by
 * position. Messages of one token count are compared position by position; a position is a variable
 * when it takes many values (or only values that carry digits), constant words never merge, and
 * messages too short to tell group exactly. No per-system settings.
 */

export const WILDCARD = '<*>';

/** Generic masks, applied inside a token so its constant part stays (`rhost=<IP>`, `blk_<NUM>`). */
const MASKS: Array<[RegExp, string]> = [
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<UUID>'],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, '<URL>'],
  [/\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g, '<TS>'],
  [/\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, '<TS>'],
  [/(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?(?![\w.])/g, '<IP>'],
  [/\b(?:[0-9a-f]{2}:){5}[0-9a-f]{2}\b/gi, '<MAC>'],
  // Host names: dotted names that end in a top-level domain (a Java package starts with one instead).
  [/\b(?:[a-z0-9][\w-]*\.){2,}(?:com|net|org|edu|gov|mil|io|info|biz|[a-z]{2})(?::\d{1,5})?\b(?![.\w])/gi, '<HOST>'],
  [/\b[a-z0-9][\w-]*\.(?:com|net|org|edu|gov|io)(?::\d{1,5})?\b(?![.\w])/gi, '<HOST>'],
  [/\b0x[0-9a-f]+\b/gi, '<HEX>'],
  // Paths: at least two segments, with a slash (absolute, relative or Windows).
  [/(?:[A-Za-z]:)?(?:\/|\.{1,2}\/|\\)?(?:[\w.@$~+-]+[/\\])+[\w.@$~+-]*(?::\d+){0,2}/g, '<PATH>'],
  // Long hex strings (hashes, ids) that hold a digit and a letter.
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<HEX>'],
  // Numbers not glued to letters (SOCKS5 and utf8 stay words), with sign, decimals and units.
  [/(?<![A-Za-z\d])[-+]?\d+(?:[.,]\d+)*(?:ms|s|kb|mb|gb|b|%)?(?![A-Za-z\d])/gi, '<NUM>'],
];

/** Masks in the token, and the token's shape: does it carry a value (a digit or a mask)? */
export function maskToken(token: string): string {
  // Every mask needs a digit, a slash, a dot or a colon: plain words skip them all.
  if (!/[\d/\\.:]/.test(token)) return token;
  let out = masked.get(token);
  if (out !== undefined) return out;
  out = token;
  for (const [regex, mask] of MASKS) out = out.replace(regex, mask);
  // Tokens recur (a path, a port, an exit code): each distinct one is masked once per process.
  if (masked.size >= MASKED_LIMIT) masked.clear();
  masked.set(token, out);
  return out;
}
const masked = new Map<string, string>();
const MASKED_LIMIT = 200_000;

/** Dates written with month names ("Fri Jul  1 07:57:30 2005", "Jul 1, 2005 7:57:30 AM"): one timestamp. */
const NAMED_DATE =
  /\b(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?(?:\s+\d{4})?(?:\s+\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*[AP]M)?)?(?:\s+\d{4})?\b/g;

/** A quantity written with its unit as a separate word ("1.16 KB", "3 sec"): one value. */
const QUANTITY = /(?<![\w.])\d+(?:\.\d+)?\s+(?:[KMGT]i?B|bytes?|ms|sec|secs|seconds?|min|mins|minutes?|hours?|days?)\b/g;

/**
 * A machine message as tokens: split at whitespace; quoted values are split into their words (so
 * `"GET /a"` and `"POST /b"` differ by their verb, not by being quoted); masks inside tokens.
 */
export function logTokens(message: string): string[] {
  const tokens: string[] = [];
  let text = message;
  // Dates and quantities need a digit; the cheap test first.
  if (/\d/.test(text)) text = text.replace(NAMED_DATE, '<TS>').replace(QUANTITY, '<NUM>');
  // A quoted value of one word is a value ('user_id'); a quoted phrase keeps its words ("GET /a HTTP/1.1").
  if (/["'`]/.test(text)) text = text.replace(/(["'`])[^\s"'`]{1,200}\1/g, (_, q: string) => `${q}<STR>${q}`);
  // Punctuation stays with its token: `(<NUM>)` and `<NUM>` are different shapes of a line.
  for (const raw of text.trim().split(/\s+/)) if (raw) tokens.push(maskToken(raw));
  return tokens;
}

/** Does a token carry a value: a digit, or a mask? */
const hasValue = (token: string) => /\d|<[A-Z]+>/.test(token);

export interface TemplateGroup {
  template: string[];
  members: number[];
}

/** A position with at least this many values in a group is a variable. */
const MANY = 3;
/** …and when its values are not few words repeated over and over: at least one value per RATIO messages. */
const RATIO = 4;

/**
 * Groups messages by template. Identical token sequences are one group; sequences of one length are
 * then grouped around their most frequent shared words (Brain's "longest common pattern"): in each
 * such group a position is a variable when it takes many values or only values with digits;
 * the other positions are constant and split the group by their words.
 * Near-linear: each message is visited a constant number of times per pass.
 */
export function groupTemplates(items: ReadonlyArray<{ index: number; tokens: string[]; key?: string }>): TemplateGroup[] {
  interface Unique {
    tokens: string[];
    members: number[];
  }
  const exact = new Map<string, Unique>();
  for (const { index, tokens, key: given } of items) {
    // The caller may have joined the tokens already (the same key, `tokens.join('\u0000')`).
    const key = given ?? tokens.join('\u0000');
    const u = exact.get(key);
    if (u) u.members.push(index);
    else exact.set(key, { tokens, members: [index] });
  }
  const byLength = new Map<number, Unique[]>();
  for (const u of exact.values()) {
    const list = byLength.get(u.tokens.length);
    if (list) list.push(u);
    else byLength.set(u.tokens.length, [u]);
  }
  const out: TemplateGroup[] = [];
  for (const [length, uniques] of [...byLength.entries()].sort((a, b) => a[0] - b[0])) {
    if (uniques.length === 1 || length < 2) {
      for (const u of uniques) out.push({ template: [...u.tokens], members: [...u.members] });
      continue;
    }
    // Frequency of each word at each position, counted over messages.
    const freq: Array<Map<string, number>> = Array.from({ length }, () => new Map());
    for (const u of uniques) u.tokens.forEach((t, p) => freq[p]!.set(t, (freq[p]!.get(t) ?? 0) + u.members.length));
    // Each message's root: the positions whose words share the frequency most of its words share.
    const roots = new Map<string, Unique[]>();
    for (const u of uniques) {
      const byFreq = new Map<number, number[]>();
      u.tokens.forEach((t, p) => {
        const f = freq[p]!.get(t)!;
        const list = byFreq.get(f);
        if (list) list.push(p);
        else byFreq.set(f, [p]);
      });
      let bestF = -1;
      let best: number[] = [];
      for (const [f, positions] of byFreq) {
        if (positions.length > best.length || (positions.length === best.length && f > bestF)) {
          bestF = f;
          best = positions;
        }
      }
      const key = best.map((p) => `${p}=${u.tokens[p]}`).join('\u0000');
      const list = roots.get(key);
      if (list) list.push(u);
      else roots.set(key, [u]);
    }
    for (const group of roots.values()) out.push(...splitByConstants(group, length));
  }
  return mergeBySkeleton(out)
    .map((g) => ({ template: g.template, members: g.members.sort((a, b) => a - b) }))
    .sort((a, b) => a.members[0]! - b.members[0]!);
}

function splitByConstants(group: Array<{ tokens: string[]; members: number[] }>, length: number): TemplateGroup[] {
  const variable: boolean[] = [];
  for (let p = 0; p < length; p++) {
    const values = new Set(group.map((u) => u.tokens[p]!));
    const n = group.reduce((sum, u) => sum + u.members.length, 0);
    variable.push(values.size > 1 && ([...values].every(hasValue) || (values.size >= MANY && values.size * RATIO >= n)));
  }
  const parts = new Map<string, TemplateGroup>();
  for (const u of group) {
    const key = u.tokens.map((t, p) => (variable[p] ? '' : t)).join('\u0000');
    const part = parts.get(key);
    if (part) {
      part.members.push(...u.members);
      part.template = part.template.map((t, p) => (t === u.tokens[p] ? t : WILDCARD));
    } else {
      parts.set(key, { template: [...u.tokens], members: [...u.members] });
    }
  }
  return [...parts.values()];
}

/**
 * Templates whose constant words are the same, in the same order, are one template even when their
 * values take a different number of tokens ("0 bytes sent" / "1190 bytes (1.16 KB) sent"). Only
 * values differ between them: constant words never merge. A skeleton needs two words to say anything.
 */
function mergeBySkeleton(groups: TemplateGroup[]): TemplateGroup[] {
  const merged = new Map<string, TemplateGroup>();
  const out: TemplateGroup[] = [];
  const sorted = [...groups].sort((a, b) => b.members.length - a.members.length || a.members[0]! - b.members[0]!);
  for (const group of sorted) {
    // Punctuation alone (an empty "()" where another line has a value) is no word either.
    const words = group.template.filter((t) => t !== WILDCARD && !hasValue(t) && /[A-Za-z]/.test(t)).filter((t, i, all) => i === 0 || all[i - 1] !== t);
    if (words.length < 2) {
      out.push(group);
      continue;
    }
    const key = words.join('\u0000');
    const into = merged.get(key);
    if (!into) {
      const copy = { template: [...group.template], members: [...group.members] };
      merged.set(key, copy);
      out.push(copy);
    } else if (into.template.length === group.template.length) {
      into.template = into.template.map((t, p) => (t === group.template[p] ? t : WILDCARD));
      into.members.push(...group.members);
    } else {
      into.members.push(...group.members);
    }
  }
  return out;
}

/** How an entry was recorded by a person, rather than imported from a tool's report. */
const BY_HAND = new Set(['cli', 'interactive', 'jsonl']);

/**
 * Is an entry a machine's message, to be grouped by template? Every entry imported from a report
 * (JUnit, ESLint, Vitest/Jest, logs…) and every entry without a correction is; a person's
 * correction (an entry with `feedback`, logged by hand) is grouped by meaning instead.
 */
export function isMachineMessage(entry: { feedback?: string; source?: { format?: string } }): boolean {
  const format = entry.source?.format;
  if (format && !BY_HAND.has(format)) return true;
  return !entry.feedback?.trim();
}

export function templateText(template: readonly string[]): string {
  return template.join(' ');
}
