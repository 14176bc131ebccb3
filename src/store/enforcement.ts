import { readFileSync } from 'node:fs';
import { closest, type Problem } from '../errors.js';
import { compileRules, MESSAGE_PLACEHOLDERS, rulesHash, type CompiledRule } from '../enforce/compile.js';
import type { IncidentRecord } from '../types/records.js';
import { loadStore, recordsOf, type Store } from './read.js';
import { testRule } from '../enforce/selftest.js';
import { VERSION } from '../version.js';

export interface Enforcement {
  store: Store;
  rules: CompiledRule[];
  /** Record problems plus detectors that cannot be compiled, each at its line in the record. */
  problems: Problem[];
  /** Changes whenever what is enforced changes: for ESLint's cache and the check cache. */
  hash: string;
  /** Incidents by id (messages quote their impact). */
  incidents: Map<string, IncidentRecord>;
}

/** What enforcement reads: not the feedback, which may be thousands of files a hook does not need. */
export const ENFORCEMENT_KINDS = ['config', 'anti-pattern', 'incident', 'baseline'] as const;
/** Where those live in .failures/, as git pathspecs relative to the project directory. */
export const ENFORCEMENT_PATHS = ['.failures/config.yaml', '.failures/baseline.yaml', '.failures/anti-patterns', '.failures/incidents'];

const NOT_ENFORCED = new Set(['proposed', 'rejected', 'retired']);

/**
 * The problems that mean an approved rule cannot be enforced as written: an anti-pattern file that
 * does not parse or does not validate (unless it is plainly not approved), or a detector that does
 * not compile. `check` and the hook stop on these (exit 2): a rule that cannot load never passes
 * silently.
 */
export function blockingProblems(enforcement: Enforcement): Problem[] {
  const statusOf = new Map<string, unknown>();
  for (const record of enforcement.store.records) {
    if (record.kind === 'anti-pattern') statusOf.set(record.file, (record.data as { status?: unknown } | null)?.status);
  }
  return enforcement.problems.filter((p) => {
    if (p.severity !== 'error') return false;
    if (p.rule === 'detector') return true;
    if (!/[\\/]anti-patterns[\\/]/.test(p.file)) return false;
    return !NOT_ENFORCED.has(statusOf.get(p.file) as string);
  });
}

/** The approved anti-patterns of a project, compiled into rules, with every reason one may not work. */
export function loadEnforcement(root: string, options: { statuses?: readonly string[]; validate?: boolean } = {}): Enforcement {
  return compileEnforcement(loadStore(root, { kinds: ENFORCEMENT_KINDS }), options);
}

/** What enforcement reads, without compiling it: check compiles only when its cache does not answer. */
export function loadEnforcementStore(root: string): Store {
  return loadStore(root, { kinds: ENFORCEMENT_KINDS });
}

/** The hash compileEnforcement would give this store, without compiling. */
export function enforcementHash(store: Store): string {
  const incidents = new Map<string, IncidentRecord>(recordsOf(store, 'incident').map((r) => [r.id, r.data]));
  return rulesHash(recordsOf(store, 'anti-pattern').map((r) => r.data), { incidents, levels: store.config.levels, version: VERSION });
}

/** The same from a store already read (validate reads everything anyway). */
export function compileEnforcement(store: Store, options: { statuses?: readonly string[]; validate?: boolean } = {}): Enforcement {
  const antiPatterns = recordsOf(store, 'anti-pattern');
  const incidents = new Map<string, IncidentRecord>(recordsOf(store, 'incident').map((r) => [r.id, r.data]));
  const levels = store.config.levels;
  const { rules, issues } = compileRules(
    antiPatterns.map((r) => r.data),
    incidents,
    { levels, ...(options.statuses ? { statuses: options.statuses } : {}), ...(options.validate === false ? { validate: false } : {}) },
  );
  const problems = [...store.problems];
  for (const issue of issues) {
    const record = antiPatterns.find((r) => r.id === issue.id)!;
    const at = record.locate(issue.path);
    problems.push({
      file: record.file,
      line: at.line,
      column: at.column,
      path: issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, ''),
      message: issue.message,
      ...(issue.fix ? { fix: issue.fix } : {}),
      severity: 'error',
      rule: 'detector',
    });
  }
  problems.push(...placeholderProblems(antiPatterns));
  return { store, rules, problems, incidents, hash: rulesHash(antiPatterns.map((r) => r.data), { incidents, levels, version: VERSION }) };
}

/**
 * Where line `line` of an example's code is in the record: exact for a block scalar (`code: |`), whose
 * lines follow its indicator line one for one; else the example itself.
 */
function exampleLine(record: ReturnType<typeof recordsOf<'anti-pattern'>>[number], path: ReadonlyArray<string | number>, line: number): { line: number; column: number } {
  const example = (record.data.examples as Record<string, unknown[]> | undefined)?.[path[1] as string]?.[path[2] as number];
  const codePath = typeof example === 'object' && example !== null ? [...path, 'code'] : [...path];
  const at = record.locate(codePath);
  let text: string;
  try {
    text = readFileSync(record.file, 'utf8');
  } catch {
    return at;
  }
  const indicator = text.split('\n')[at.line - 1]?.slice(at.column - 1) ?? '';
  if (!/^[|>][-+0-9]*\s*(#.*)?$/.test(indicator.trimEnd())) return at;
  const target = text.split('\n')[at.line - 1 + line] ?? '';
  return { line: at.line + line, column: target.length - target.trimStart().length + 1 };
}

const PLACEHOLDERS: readonly string[] = MESSAGE_PLACEHOLDERS;

/** A `{nmae}` in a message is printed as written in every finding: a warning (it blocks nothing), with the placeholder meant. */
function placeholderProblems(antiPatterns: ReturnType<typeof recordsOf<'anti-pattern'>>): Problem[] {
  const problems: Problem[] = [];
  for (const record of antiPatterns) {
    const enforce = record.data.enforce;
    const messages: Array<[Array<string | number>, string | undefined]> = [
      [['enforce', 'message'], enforce?.message],
      ...(enforce?.detect ?? []).map((d, i): [Array<string | number>, string | undefined] => [['enforce', 'detect', i, 'message'], d.message]),
    ];
    for (const [path, message] of messages) {
      for (const m of message?.matchAll(/\{(\w+)\}/g) ?? []) {
        if (PLACEHOLDERS.includes(m[1]!)) continue;
        const at = record.locate(path);
        const guess = closest(m[1]!, PLACEHOLDERS);
        problems.push({
          file: record.file,
          line: at.line,
          column: at.column,
          path: path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, ''),
          message: `the message's {${m[1]}} is no placeholder: findings would show it as written`,
          fix: `${guess ? `did you mean {${guess}}? ` : ''}placeholders: ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`,
          severity: 'warning',
          rule: 'detector',
        });
      }
    }
  }
  return problems;
}

/**
 * Runs every approved anti-pattern against its own examples (`ids` limits it), and returns each
 * misbehaving example as a problem at its line in the record.
 */
export function selfTestProblems(enforcement: Enforcement, ids?: readonly string[]): { tested: number; problems: Problem[] } {
  const records = new Map(recordsOf(enforcement.store, 'anti-pattern').map((r) => [r.id, r]));
  const rules = ids?.length ? enforcement.rules.filter((r) => ids.includes(r.id)) : enforcement.rules;
  const problems: Problem[] = [];
  for (const rule of rules) {
    const record = records.get(rule.id)!;
    for (const failure of testRule(rule)) {
      const at = failure.line ? exampleLine(record, failure.path, failure.line) : record.locate(failure.path);
      problems.push({
        file: record.file,
        line: at.line,
        column: at.column,
        path: `${failure.path[0]}.${failure.path[1]}[${failure.path[2]}]`,
        message: failure.message,
        fix:
          failure.hint ??
          (failure.path[1] === 'bad'
            ? 'make a detector match this code, or correct the example (examples are parsed as example.ts unless they give a filename; globs do not apply)'
            : 'narrow the detector (a `not:` pattern, `not_inside:`), or correct the example'),
        severity: 'error',
        rule: 'self-test',
      });
    }
  }
  return { tested: rules.length, problems };
}
