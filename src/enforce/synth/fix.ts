import { escapeRegex } from '../linear-regex.js';
import type { SgNode } from '@ast-grep/napi';
import type { SynthDetector } from './index.js';
import { matchesIn } from './match.js';
import { normalize, type ParsedExample } from './tree.js';


/** The metavariables of a pattern: `$A` and `$$$B`. */
function metavariables(pattern: string): Array<{ name: string; multi: boolean }> {
  const out = new Map<string, boolean>();
  for (const m of pattern.matchAll(/(\$\$\$)?\$?([A-Z][A-Z0-9_]*)/g)) {
    if (!m[0].startsWith('$')) continue;
    out.set(m[2]!, Boolean(m[1]));
  }
  return [...out].map(([name, multi]) => ({ name, multi }));
}

/** What each metavariable bound in one match: its code as written. */
function bindings(match: SgNode, vars: ReturnType<typeof metavariables>): Map<string, string> | null {
  const out = new Map<string, string>();
  const source = match.getRoot().root().text();
  for (const v of vars) {
    if (v.multi) {
      const nodes = match.getMultipleMatches(v.name);
      out.set(`$$$${v.name}`, nodes.length ? source.slice(nodes[0]!.range().start.index, nodes[nodes.length - 1]!.range().end.index) : '');
    } else {
      const node = match.getMatch(v.name);
      if (!node) return null;
      out.set(`$${v.name}`, node.text());
    }
  }
  return out;
}

/**
 * Each occurrence of `value` in the pattern as the bad code spells it (metavariables replaced by what
 * they bound), in order: whether it comes from the metavariable `name` (true) or from the pattern's own
 * text or another metavariable (false). In `function $A() { return JSON.parse($B) }` bound to `parse`,
 * the function's name is $A's and the `parse` of `JSON.parse` is the pattern's own.
 */
function roles(pattern: string, name: string, value: string, bound: ReadonlyMap<string, string>, word: RegExp): boolean[] {
  const out: boolean[] = [];
  const count = (text: string) => (text.match(word) ?? []).length;
  let last = 0;
  for (const m of pattern.matchAll(/\$\$\$[A-Z][A-Z0-9_]*|\$[A-Z][A-Z0-9_]*/g)) {
    out.push(...Array<boolean>(count(pattern.slice(last, m.index))).fill(false));
    const own = m[0] === name;
    out.push(...Array<boolean>(own ? 1 : count(bound.get(m[0]) ?? '')).fill(own));
    last = m.index + m[0].length;
  }
  out.push(...Array<boolean>(count(pattern.slice(last))).fill(false));
  return out;
}

function apply(template: string, bound: ReadonlyMap<string, string>): string {
  return template.replace(/\$\$\$[A-Z][A-Z0-9_]*|\$[A-Z][A-Z0-9_]*/g, (name) => bound.get(name) ?? name);
}

/**
 * A `fix` when the good examples show the correction as a rewrite of the bad ones: a template made
 * from one good example by putting the metavariables back where the bad code's bindings appear, kept
 * only when it turns every bad example of the detector into one of the good examples.
 */
export function proposeFix(detector: SynthDetector, bad: readonly ParsedExample[], good: readonly ParsedExample[]): string | undefined {
  // A fragment's pattern (`{ context, selector }`) gets no fix: what it would replace is the fragment alone.
  if (typeof detector.rule.pattern !== 'string') return undefined;
  const pattern = detector.rule.pattern;
  const vars = metavariables(pattern);
  if (vars.length === 0 || good.length === 0) return undefined;
  const matched: Array<{ bound: Map<string, string>; text: string; kind: string; counterpart?: string }> = [];
  for (const b of bad) {
    const match = (matchesIn(b, detector.rule, 'start') ?? [])[0];
    const bound = match && bindings(match, vars);
    if (!match || !bound) return undefined;
    matched.push({ bound, text: match.text(), kind: match.kind() as string, ...(b.counterpart ? { counterpart: normalize(b.counterpart.text) } : {}) });
  }
  // What a bad example should have become: the good code in the same place, or a good example of the same kind.
  // (Code flagged for its context, a call inside a loop, is moved rather than rewritten: no fix from unrelated good code.)
  const counterparts = bad.flatMap((b) => (b.counterpart ? [b.counterpart] : []));
  const unrelated = bad.some((b) => b.context.length > 0) ? [] : good.map((g) => g.focus);
  const targets = [...counterparts, ...(counterparts.length ? [] : unrelated)].filter((t) => matched.some((m) => m.kind === t.kind));
  const goodTexts = new Set(targets.map((t) => normalize(t.text)));
  for (const { bound, text } of matched) {
    targets: for (const t of targets) {
      const target = t.text;
      if (normalize(target) === normalize(text)) continue;
      let template = target;
      const byLength = [...bound].filter(([, value]) => value.trim().length > 0).sort((a, b) => b[1].length - a[1].length);
      let used = 0;
      for (const [name, value] of byLength) {
        const word = /^\w/.test(value) ? '\\b' : '';
        const wordEnd = /\w$/.test(value) ? '\\b' : '';
        const re = new RegExp(`${word}${escapeRegex(value)}${wordEnd}`, 'g');
        const found = template.match(re)?.length ?? 0;
        if (found === 0) continue;
        // Where the bad code also spells the value in the pattern's own text, only the metavariable's
        // places become it, in order; when the good code has another number of them, which is which is a guess.
        const placed = roles(pattern, name, value, bound, re);
        if (placed.includes(false) && placed.length !== found) continue targets;
        let at = 0;
        template = template.replace(re, (written) => (placed.includes(false) && !placed[at++] ? written : name));
        used++;
      }
      if (used === 0) continue;
      // Bad code fixed in the same place must become exactly that; with no pair at all, every bad
      // example must become one of the good ones.
      // (A bad example is paired with the most similar good one, which may be another example's fix: one
      // exact pair is enough, and the template must change every bad example.)
      const paired = matched.filter((m) => m.counterpart !== undefined);
      const ok = paired.length
        ? paired.some((m) => normalize(apply(template, m.bound)) === m.counterpart) && matched.every((m) => normalize(apply(template, m.bound)) !== normalize(m.text))
        : matched.every((m) => goodTexts.has(normalize(apply(template, m.bound))));
      if (ok) return template;
    }
  }
  return undefined;
}
