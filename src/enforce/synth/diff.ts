import { parsePatch } from 'diff';
import { languageOfPath, type SynthLanguage } from './lang.js';
import type { Example } from './tree.js';

/** One changed file of a fix: its path, its text before and after, and the changed lines. */
export interface FileChange {
  path: string;
  before?: string;
  after?: string;
  hunks: Array<{ removed: number[]; added: number[] }>;
}

export interface DiffExamples {
  bad: Example[];
  good: Example[];
  /** Files skipped, and why (a language we do not synthesize in, nothing removed). */
  skipped: Array<{ path: string; reason: string }>;
}

const meaningful = (line: string | undefined) => line !== undefined && line.trim() !== '' && !/^\s*(\/\/|#|\*|\/\*)/.test(line);

/**
 * Examples from a fix: in each hunk, the first removed line of code is a bad example and the first
 * added one a good example, each given as a line of its whole file (before and after the fix) so it
 * parses with its surroundings; the language comes from the path (or `language` when given).
 */
export function examplesFromChanges(changes: readonly FileChange[], language?: SynthLanguage): DiffExamples {
  const out: DiffExamples = { bad: [], good: [], skipped: [] };
  for (const change of changes) {
    const lang = language ?? languageOfPath(change.path);
    if (!lang) {
      out.skipped.push({ path: change.path, reason: 'not a language synthesis reads (JavaScript, TypeScript, Python)' });
      continue;
    }
    const beforeLines = change.before?.split('\n') ?? [];
    const afterLines = change.after?.split('\n') ?? [];
    let used = false;
    for (const hunk of change.hunks) {
      const removed = hunk.removed.find((n) => meaningful(beforeLines[n - 1]));
      const added = hunk.added.find((n) => meaningful(afterLines[n - 1]));
      if (removed === undefined || change.before === undefined) continue;
      used = true;
      out.bad.push({ code: change.before, language: lang, line: removed, label: `${change.path}:${removed} (before)` });
      if (added !== undefined && change.after !== undefined) out.good.push({ code: change.after, language: lang, line: added, label: `${change.path}:${added} (after)` });
    }
    if (!used) out.skipped.push({ path: change.path, reason: 'no code removed' });
  }
  return out;
}

const stripPrefix = (name: string | undefined) => (name ?? '').replace(/^[ab]\//, '').replace(/\t.*$/, '');

/**
 * Examples from a unified diff alone (`failures synth --from-diff`): each hunk's old side (context and
 * removed lines) and new side (context and added lines) stand in for the files.
 */
export function examplesFromDiff(diffText: string, language?: SynthLanguage): DiffExamples {
  const changes: FileChange[] = [];
  for (const patch of parsePatch(diffText)) {
    const path = stripPrefix(patch.newFileName && patch.newFileName !== '/dev/null' ? patch.newFileName : patch.oldFileName);
    for (const hunk of patch.hunks) {
      const before: string[] = [];
      const after: string[] = [];
      const removed: number[] = [];
      const added: number[] = [];
      for (const line of hunk.lines) {
        const text = line.slice(1);
        if (line.startsWith('-')) removed.push(before.push(text));
        else if (line.startsWith('+')) added.push(after.push(text));
        else if (line.startsWith(' ')) {
          before.push(text);
          after.push(text);
        }
      }
      const indent = commonIndent([...before, ...after]);
      const strip = (lines: string[]) => lines.map((l) => l.slice(indent)).join('\n');
      changes.push({ path, before: strip(before), after: strip(after), hunks: [{ removed, added }] });
    }
  }
  return examplesFromChanges(changes, language);
}

function commonIndent(lines: string[]): number {
  const widths = lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length);
  return widths.length ? Math.min(...widths) : 0;
}

/** The changed line numbers of a `git diff -U0` of one file, per hunk. */
export function hunksOf(diffText: string): Array<{ removed: number[]; added: number[] }> {
  const out: Array<{ removed: number[]; added: number[] }> = [];
  for (const patch of parsePatch(diffText)) {
    for (const hunk of patch.hunks) {
      const removed: number[] = [];
      const added: number[] = [];
      let oldLine = hunk.oldStart;
      let newLine = hunk.newStart;
      for (const line of hunk.lines) {
        if (line.startsWith('-')) removed.push(oldLine++);
        else if (line.startsWith('+')) added.push(newLine++);
        else if (line.startsWith(' ')) {
          oldLine++;
          newLine++;
        }
      }
      out.push({ removed, added });
    }
  }
  return out;
}
