import { relative, sep } from 'node:path';
import { Option } from 'commander';
import type { Problem } from '../errors.js';

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
