import type { SgNode } from '@ast-grep/napi';
import { escapeRegex } from '../linear-regex.js';
import type { ParsedExample } from './tree.js';

/**
 * An ast-grep rule object (pattern, kind, regex, inside, has, not, all, any, stopBy…); at its top level
 * also `constraints` on its metavariables (`{ A: { kind: identifier } }`), kept beside it when run.
 */
export type AstRule = { [key: string]: unknown };

/**
 * The rule's matches in an example that touch its region (`overlap`, for good examples: any flag there
 * is wrong) or start in it (`start`, for bad ones: a finding is reported where it starts, as rule tests
 * check it); null when ast-grep rejects the rule.
 */
export function matchesIn(parsed: ParsedExample, rule: AstRule, mode: 'overlap' | 'start' = 'overlap'): SgNode[] | null {
  let found: SgNode[];
  // `constraints` (what a metavariable may be) sit beside the rule, as in a detector and in ast-grep's config.
  const { constraints, ...astRule } = rule;
  try {
    found = parsed.root.findAll({ rule: astRule, ...(constraints ? { constraints } : {}) } as never);
  } catch {
    return null;
  }
  const { start, end } = parsed.region;
  return found.filter((m) => {
    const r = m.range();
    return mode === 'start' ? r.start.index >= start && r.start.index < end : r.start.index < end && r.end.index > start;
  });
}

/** Does a rule flag every bad example and no good one? The failures, by example index. */
export function separates(rule: AstRule, bad: readonly ParsedExample[], good: readonly ParsedExample[]): { valid: boolean; missed: number[]; flagged: number[] } {
  const missed: number[] = [];
  const flagged: number[] = [];
  for (const b of bad) {
    const hits = matchesIn(b, rule, 'start');
    if (hits === null) return { valid: false, missed: bad.map((x) => x.index), flagged: [] };
    if (hits.length === 0) missed.push(b.index);
  }
  for (const g of good) if ((matchesIn(g, rule) ?? []).length > 0) flagged.push(g.index);
  return { valid: true, missed, flagged };
}

/** A rule that matches a leaf of this kind and text. */
export function leafRule(kind: string, text: string): AstRule {
  return { kind, regex: `^${escapeRegex(text)}$` };
}

/**
 * An ast-grep pattern: code, or (for a fragment that does not parse alone: an object's `key: value`, a
 * keyword argument) the fragment inside code that parses, and the kind of the fragment to match.
 */
export type Pattern = string | { context: string; selector: string };

/** Combines a pattern with constraints into one rule: `inside`, `has`, `not` (several → `all`/`any`). */
export function buildRule(pattern: Pattern, constraints: readonly Constraint[]): AstRule {
  const rule: AstRule = { pattern };
  const all: AstRule[] = [];
  const nots: AstRule[] = [];
  for (const c of constraints) {
    if (c.type === 'not') nots.push(c.rule);
    else if (rule[c.type] === undefined) rule[c.type] = c.rule;
    else all.push({ [c.type]: c.rule });
  }
  if (nots.length === 1) rule.not = nots[0];
  else if (nots.length > 1) rule.not = { any: nots };
  if (all.length) rule.all = all;
  return rule;
}

export interface Constraint {
  type: 'inside' | 'has' | 'not';
  rule: AstRule;
  /** For messages: what the constraint says. */
  describe: string;
}
