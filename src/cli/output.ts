import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { Option } from 'commander';
import { FailuresError, type Problem } from '../errors.js';
import { impossibleDate } from '../store/dates.js';

type Stream = { isTTY?: boolean; write(text: string): unknown };

/** FORCE_COLOR decides when set (0 or false turns color off); else NO_COLOR (non-empty) turns it off; else a TTY gets color. */
export function colorEnabled(stream: Stream, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR) return false;
  return stream.isTTY === true;
}

export interface Palette {
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
  underline(text: string): string;
}

export function palette(stream: Stream): Palette {
  const on = colorEnabled(stream);
  const wrap = (open: number, close: number) => (text: string) => (on ? `\u001b[${open}m${text}\u001b[${close}m` : text);
  return { red: wrap(31, 39), yellow: wrap(33, 39), green: wrap(32, 39), dim: wrap(2, 22), bold: wrap(1, 22), underline: wrap(4, 24) };
}

/** A path as the user should see it: relative to where they stand, with forward slashes. */
export function displayPath(file: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, file);
  return (rel === '' ? '.' : rel).split(sep).join('/');
}

/** `file:line:col: error: message [rule]` plus an indented fix, the form editors and terminals link. */
export function formatProblems(problems: Problem[], stream: Stream, cwd?: string): string {
  const c = palette(stream);
  return problems
    .map((p) => {
      const level = p.severity === 'error' ? c.red('error') : c.yellow('warning');
      const head = `${c.bold(`${displayPath(p.file, cwd)}:${p.line}:${p.column}`)}: ${level}: ${p.message} ${c.dim(`[${p.rule}]`)}`;
      return p.fix ? `${head}\n    ${c.dim('fix:')} ${p.fix}` : head;
    })
    .join('\n');
}

export function problemsAsJson(problems: Problem[], cwd?: string): object[] {
  return problems.map((p) => ({
    file: displayPath(p.file, cwd),
    line: p.line,
    column: p.column,
    path: p.path,
    severity: p.severity,
    rule: p.rule,
    message: p.message,
    ...(p.fix ? { fix: p.fix } : {}),
  }));
}

export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}

/** Invalid anti-patterns and broken detectors are not enforced: said once, on stderr, and the rest goes on. */
export function warnAboutAntiPatterns(problems: Problem[]): void {
  const errors = problems.filter((p) => p.severity === 'error' && (p.file.includes('anti-patterns') || p.rule === 'detector'));
  if (errors.length === 0) return;
  process.stderr.write(
    `${palette(process.stderr).yellow('warning:')} ${plural(errors.length, 'problem')} in anti-patterns: what they affect is not enforced.\n${formatProblems(errors, process.stderr)}\n`,
  );
}

/**
 * Records that do not validate are left out of what a command reads: said once, on stderr, with how to
 * see them, so a result never silently rests on fewer records than the folder holds.
 */
export function warnAboutInvalidRecords(problems: Problem[]): void {
  const errors = problems.filter((p) => p.severity === 'error').length;
  if (errors === 0) return;
  process.stderr.write(`${palette(process.stderr).yellow('warning:')} ${plural(errors, 'problem')} in .failures/; invalid records are left out (run \`failures validate\`)\n`);
}

/** config.yaml decides what a command computes (thresholds, categories, levels): an invalid one stops it (exit 2). */
export function refuseInvalidConfig(problems: Problem[], storeDir: string, what: string): void {
  const config = resolve(storeDir, 'config.yaml');
  const errors = problems.filter((p) => p.severity === 'error' && resolve(p.file) === config);
  if (errors.length === 0) return;
  throw new FailuresError(`.failures/config.yaml is invalid, so ${what}:\n${formatProblems(errors, process.stderr)}`, {
    hint: 'fix config.yaml at the line and column shown (`failures validate` lists every problem)',
  });
}

/**
 * Writes a report or diff the user named. A path that cannot be written (no such folder, a folder,
 * no permission) is the user's mistake: exit 2 with the path and the fix, never an internal error.
 */
export function writeOutputFile(path: string, text: string, flag: string): void {
  // `-` is stdout, as for --diff -: a file named "-" is never what was meant.
  if (path === '-') {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(resolve(process.cwd(), path), text);
  } catch (error) {
    throw outputFileError(path, flag, error);
  }
}

/** Checks, before anything is computed or written, that `path` can be written as a file. */
export function checkOutputFile(path: string, flag: string): void {
  const file = resolve(process.cwd(), path);
  let problem: string | undefined;
  try {
    if (statSync(file).isDirectory()) problem = 'EISDIR';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') problem = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    else if (!existsSync(dirname(file))) problem = 'ENOENT';
  }
  if (problem) throw outputFileError(path, flag, Object.assign(new Error(problem), { code: problem }));
}

/**
 * analyze's outputs, checked before any work: the report and the diff go outside .failures/ (records
 * change only through review) to files that can be written, and a --branch must be new.
 */
export async function checkAnalyzeOutputs(root: string, storeDir: string, outputs: { out?: string | undefined; diff?: string | undefined; branch?: string | undefined; outDefault?: boolean }): Promise<void> {
  for (const [flag, value] of [['--out', outputs.out], ['--diff', outputs.diff], ['--branch', outputs.branch]] as const) {
    if (value === '') throw new FailuresError(`${flag} is empty`, { hint: `give ${flag} a ${flag === '--branch' ? 'branch name' : 'file name'}, or leave it out` });
  }
  if (outputs.out === '-' && outputs.diff === '-') throw new FailuresError('--out - and --diff - both write to stdout', { hint: 'write one of them to a file: --diff proposals.diff' });
  for (const [flag, path] of [['--out', outputs.out === '-' ? undefined : outputs.out], ['--diff', outputs.diff === '-' ? undefined : outputs.diff]] as const) {
    if (!path) continue;
    if (relative(storeDir, resolve(process.cwd(), path)).split(sep)[0] !== '..') {
      throw new FailuresError(`${path} is inside .failures/, which analyze never writes`, { hint: 'write the report or diff elsewhere; records change only through review' });
    }
    checkOutputFile(path, flag);
  }
  // Both written to one file, the diff would replace the report (or the report the diff), each announced as written.
  if (outputs.out && outputs.diff && outputs.diff !== '-' && resolve(process.cwd(), outputs.out) === resolve(process.cwd(), outputs.diff)) {
    throw new FailuresError(`--diff ${outputs.diff} is also the report's file (--out${outputs.outDefault ? ', by default' : ''}): one would overwrite the other`, {
      hint: outputs.outDefault ? `give --diff another file name (the report is written to ${outputs.out} unless --out names another)` : 'give --out and --diff different files',
    });
  }
  if (outputs.branch) await (await import('../git/branch.js')).checkNewBranch(root, outputs.branch);
}

function outputFileError(path: string, flag: string, error: unknown): FailuresError {
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  const why = code === 'ENOENT' ? `the folder ${dirname(path)} does not exist` : code === 'EISDIR' ? 'it is a folder' : code;
  return new FailuresError(`${flag} ${path}: cannot write there (${why})`, {
    hint: `give ${flag} a file in a folder that exists and that you can write to`,
  });
}

/** A date flag (`--since 2025-01-01`): ISO 8601 and a day that exists; `Date.parse` alone takes `1` and `2025-02-30`. */
export function dateOption(flag: string, value: string): string {
  const impossible = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(value) ? impossibleDate(value) : 'it is not an ISO 8601 date';
  if (impossible || Number.isNaN(Date.parse(value))) {
    throw new FailuresError(`${flag} ${value === '' ? "''" : value} is not a date${impossible && impossible !== 'it is not an ISO 8601 date' ? `: ${impossible}` : ''}`, { hint: `use ISO 8601, e.g. ${flag} 2025-01-01` });
  }
  return value;
}

/** `--format text|json`, the same on every command that has it. */
export function formatOption(description = 'output format'): Option {
  return new Option('--format <format>', description).choices(['text', 'json']).default('text');
}

/**
 * `failures check | head`: once the reader has gone (EPIPE), further output is dropped quietly and
 * the command still ends with its own exit code — no stack, and no pass where there were findings.
 */
let pipesWatched = false;
export function quietOnBrokenPipe(): void {
  if (pipesWatched) return;
  pipesWatched = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      stream.write = (() => true) as typeof stream.write;
    });
  }
}

/**
 * What a commit's or diff's files gave no example, said briefly: a change that also touches many records
 * or documents must not bury the answer under one line per file.
 */
export function skippedSummary(skipped: ReadonlyArray<{ path: string; reason: string }>, label: string, shown = 3): string {
  const byReason = new Map<string, string[]>();
  for (const s of skipped) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s.path]);
  let out = '';
  for (const [reason, paths] of byReason) {
    if (paths.length === 1) out += `${label} ${paths[0]}: ${reason}\n`;
    else out += `${label} ${paths.length} files: ${reason} (${paths.slice(0, shown).join(', ')}${paths.length > shown ? `, … ${paths.length - shown} more` : ''})\n`;
  }
  return out;
}

/** The ids the record files of a folder are named by (`AP-004.yaml` → AP-004), whether or not they parse. */
export function recordFileIds(dir: string): string[] {
  try {
    return readdirSync(dir).flatMap((name) => (/\.ya?ml$/.test(name) ? [name.replace(/\.ya?ml$/, '')] : []));
  } catch {
    return [];
  }
}
