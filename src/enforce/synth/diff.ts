import { parsePatch } from 'diff';
import { languageOfPath, type SynthLanguage } from './lang.js';
import { codeOfChange, ExampleError, statementOf, type Example } from './tree.js';

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
    // A file the fix deletes has no corrected code: its first statement is not the mistake.
    if (change.after === undefined && change.before !== undefined) {
      out.skipped.push({ path: change.path, reason: 'deleted: no corrected code to tell the mistake by' });
      continue;
    }
    const beforeLines = change.before?.split('\n') ?? [];
    const afterLines = change.after?.split('\n') ?? [];
    let used = false;
    for (const hunk of change.hunks) {
      const removed = hunk.removed.find((n) => meaningful(beforeLines[n - 1]));
      const added = hunk.added.find((n) => meaningful(afterLines[n - 1]));
      if (removed !== undefined && change.before !== undefined) {
        used = true;
        out.bad.push({ code: change.before, language: lang, line: removed, label: `${change.path}:${removed} (before)` });
      }
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
    const deleted = patch.newFileName === '/dev/null';
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
      changes.push({ path, before: strip(before), ...(deleted ? {} : { after: strip(after) }), hunks: [{ removed, added }] });
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

/** Examples of a fix commit as a feedback record keeps them: code and the file it comes from. */
export interface FixExamples {
  bad: Array<{ code: string; filename: string }>;
  good: Array<{ code: string; filename: string }>;
  /** The files the examples come from. */
  paths: string[];
  skipped: Array<{ path: string; reason: string }>;
}

/**
 * A fix commit's files (texts before and after, `git diff -U0`) → examples: per hunk, the statement of
 * the first removed line of code is bad and that of the first added line good (see `codeOfChange`).
 */
export function fixExamples(files: ReadonlyArray<{ path: string; before?: string; after?: string; diff: string }>): FixExamples {
  const out: FixExamples = { bad: [], good: [], paths: [], skipped: [] };
  for (const file of files) {
    const language = languageOfPath(file.path);
    if (!language) {
      out.skipped.push({ path: file.path, reason: 'not a language synthesis reads (JavaScript, TypeScript, Python)' });
      continue;
    }
    const { bad, good } = examplesFromChanges([{ path: file.path, ...(file.before !== undefined ? { before: file.before } : {}), ...(file.after !== undefined ? { after: file.after } : {}), hunks: hunksOf(file.diff) }], language);
    let used = false;
    const paired = new Set<Example>();
    const attempt = (make: () => void) => {
      try {
        make();
      } catch (error) {
        if (!(error instanceof ExampleError)) throw error;
        out.skipped.push({ path: `${file.path}:${error.line}`, reason: `${error.message}: not used as an example` });
      }
    };
    for (const b of bad) {
      // The good example of the same hunk, when it has one.
      const g = good.find((x) => sameHunk(b, x, file.diff));
      if (g) paired.add(g);
      attempt(() => {
        const code = codeOfChange(b, g);
        out.bad.push({ code: code.bad, filename: file.path });
        if (code.good) out.good.push({ code: code.good, filename: file.path });
        used = true;
      });
    }
    // Code only added (a line moved elsewhere): good code too.
    for (const g of good) if (!paired.has(g) && used) attempt(() => out.good.push({ code: statementOf(g), filename: file.path }));
    if (used) out.paths.push(file.path);
    else if (!out.skipped.some((s) => s.path.startsWith(file.path))) out.skipped.push({ path: file.path, reason: 'no code removed' });
  }
  return out;
}

/** Do a bad line (before) and a good line (after) come from the same hunk of a `-U0` diff? */
function sameHunk(bad: Example, good: Example, diff: string): boolean {
  return hunksOf(diff).some((h) => h.removed.includes(bad.line!) && h.added.includes(good.line!));
}
