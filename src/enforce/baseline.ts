import { createHash } from 'node:crypto';
import type { CompiledRule } from './compile.js';
import type { FileResult, Finding } from './engine.js';
import type { BaselineRecord } from '../types/records.js';

export type BaselineEntry = BaselineRecord['entries'][number];

/**
 * The matched code with whitespace dropped (kept as one space only between two word characters), so
 * re-indenting or re-wrapping keeps the fingerprint.
 */
export function normalise(code: string): string {
  return code.trim().replace(/\s+/g, (space, offset: number, text: string) =>
    /\w/.test(text[offset - 1] ?? '') && /\w/.test(text[offset + space.length] ?? '') ? ' ' : '',
  );
}

function hash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);
}

/**
 * Fingerprints for a file's findings: rule + file + normalised code + occurrence index among equal
 * ones. Line numbers are not part of it, so code moving within or between lines keeps its entry.
 */
export function fingerprints(file: string, findings: readonly Finding[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const code = normalise(f.code);
    const key = `${f.ruleId}\0${code}`;
    const index = seen.get(key) ?? 0;
    seen.set(key, index + 1);
    return hash(f.ruleId, file, code, String(index));
  });
}

/** Drops findings the baseline knows; returns what is left, and how many were known. */
export function applyBaseline(results: FileResult[], entries: readonly BaselineEntry[]): { results: FileResult[]; baselined: number } {
  if (entries.length === 0) return { results, baselined: 0 };
  const known = new Set(entries.map((e) => e.fingerprint));
  let baselined = 0;
  const out = results.map((result) => {
    const prints = fingerprints(result.file, result.findings);
    const findings = result.findings.filter((_, i) => {
      const hit = known.has(prints[i]!);
      if (hit) baselined++;
      return !hit;
    });
    return { ...result, findings };
  });
  return { results: out, baselined };
}

/** Entries for every finding, sorted by file, rule and line: what `failures baseline` writes. */
export function baselineEntries(results: readonly FileResult[]): BaselineEntry[] {
  const entries: BaselineEntry[] = [];
  for (const result of results) {
    const prints = fingerprints(result.file, result.findings);
    result.findings.forEach((f, i) => entries.push({ rule: f.ruleId, file: result.file, fingerprint: prints[i]!, line: f.line, code: normalise(f.code).slice(0, 200) }));
  }
  return entries.sort((a, b) => a.file.localeCompare(b.file) || a.rule.localeCompare(b.rule) || (a.line ?? 0) - (b.line ?? 0));
}

/**
 * `baseline --prune`: keeps only entries still found; never adds. An entry whose file is gone is kept only
 * where check would still apply it (its code found in a renamed file, as applyBaselineAcrossRenames
 * claims it), and then under the file's new path; the entries of a deleted file are dropped.
 */
export function pruneBaseline(
  entries: readonly BaselineEntry[],
  current: FileResult[],
  checkedFiles: ReadonlySet<string>,
  gone: (file: string) => boolean = () => false,
): BaselineEntry[] {
  const entryOf = new Map<Finding, BaselineEntry>();
  for (const result of current) {
    const prints = fingerprints(result.file, result.findings);
    result.findings.forEach((f, i) => entryOf.set(f, { rule: f.ruleId, file: result.file, fingerprint: prints[i]!, line: f.line, code: normalise(f.code).slice(0, 200) }));
  }
  const still = new Set([...entryOf.values()].map((e) => e.fingerprint));
  const orphans = [...new Set(entries.map((e) => e.file))].filter((file) => !checkedFiles.has(file) && gone(file));
  const kept = entries.filter((e) => (orphans.includes(e.file) ? false : !checkedFiles.has(e.file) ? true : still.has(e.fingerprint)));
  if (orphans.length === 0) return kept;
  const remaining = applyBaseline(current, entries).results;
  const moved = claimOrphans(remaining, entries, orphans, () => true).map(({ result, finding }) => entryOf.get(remaining[result]!.findings[finding]!)!);
  const known = new Set(kept.map((e) => e.fingerprint));
  return [...kept, ...moved.filter((e) => !known.has(e.fingerprint))].sort(
    (a, b) => a.file.localeCompare(b.file) || a.rule.localeCompare(b.rule) || (a.line ?? 0) - (b.line ?? 0),
  );
}

/** The seed's occurrences_in_codebase shape, per anti-pattern. */
export function occurrences(entries: readonly BaselineEntry[], rules: readonly CompiledRule[]) {
  return rules
    .map((rule) => ({
      anti_pattern: rule.id,
      name: rule.name,
      occurrences_in_codebase: entries
        .filter((e) => e.rule === rule.ruleId)
        .map((e) => ({ file: e.file, line: e.line, code: e.code, risk: `${(rule.severity ?? 'unrated').toUpperCase()} - ${rule.description}` })),
    }))
    .filter((r) => r.occurrences_in_codebase.length > 0);
}

/**
 * The baseline, applied so that moved code keeps its entries: a finding is known if its fingerprint
 * is, or if it would be under the path its file had before a rename — the staged rename git
 * detected (the hook), or, in the working tree, any baselined file that no longer exists (a rename
 * already committed while baseline.yaml still names the old path).
 */
export function applyBaselineAcrossRenames(
  results: FileResult[],
  entries: readonly BaselineEntry[],
  renames: ReadonlyMap<string, string>,
  gone: (file: string) => boolean,
  /** Which files may take an orphan's entries (the hook: files HEAD already holds, not ones the commit adds). */
  mayClaim: (file: string) => boolean = () => true,
): { results: FileResult[]; baselined: number } {
  const first = applyBaseline(results, entries);
  if (renames.size > 0) {
    const known = new Set(entries.map((e) => e.fingerprint));
    let baselined = first.baselined;
    const out = first.results.map((result) => {
      const before = renames.get(result.file);
      if (before === undefined || result.findings.length === 0) return result;
      const prints = fingerprints(before, result.findings);
      const findings = result.findings.filter((_, i) => !known.has(prints[i]!));
      baselined += result.findings.length - findings.length;
      return { ...result, findings };
    });
    return { results: out, baselined };
  }
  const orphans = [...new Set(entries.map((e) => e.file))].filter(gone);
  if (orphans.length === 0) return first;
  const claimed = new Set(claimOrphans(first.results, entries, orphans, mayClaim).map((c) => `${c.result}:${c.finding}`));
  const out = first.results.map((result, r) => (result.findings.length === 0 ? result : { ...result, findings: result.findings.filter((_, i) => !claimed.has(`${r}:${i}`)) }));
  return { results: out, baselined: first.baselined + claimed.size };
}

/**
 * The findings (by result and finding index) that take the entries of files no longer there. An
 * orphan's entry is claimed once, by the file whose path is most like the old one: a renamed file
 * takes its old entries, but a second file with the same code (a copy, new code written like the old)
 * is new — else every copy of a violation would pass while baseline.yaml names the old path.
 */
function claimOrphans(
  results: readonly FileResult[],
  entries: readonly BaselineEntry[],
  orphans: readonly string[],
  mayClaim: (file: string) => boolean,
): Array<{ result: number; finding: number }> {
  const unclaimed = new Set(entries.filter((e) => orphans.includes(e.file)).map((e) => e.fingerprint));
  const candidates: Array<{ print: string; result: number; finding: number; likeness: number; file: string }> = [];
  results.forEach((result, r) => {
    if (result.findings.length === 0 || !mayClaim(result.file)) return;
    for (const orphan of orphans) {
      fingerprints(orphan, result.findings).forEach((print, i) => {
        if (unclaimed.has(print)) candidates.push({ print, result: r, finding: i, likeness: commonPrefix(orphan, result.file), file: result.file });
      });
    }
  });
  candidates.sort((a, b) => b.likeness - a.likeness || a.file.localeCompare(b.file) || a.finding - b.finding);
  const claimed: Array<{ result: number; finding: number }> = [];
  const taken = new Set<string>();
  for (const c of candidates) {
    const key = `${c.result}:${c.finding}`;
    if (!unclaimed.has(c.print) || taken.has(key)) continue;
    unclaimed.delete(c.print);
    taken.add(key);
    claimed.push({ result: c.result, finding: c.finding });
  }
  return claimed;
}

function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}
