import { countErrors, countWarnings, parseErrorLevel, type ReportInput } from './types.js';

const plain = (t: string) => t;

/** ESLint's default look: a block per file, aligned columns, a summary line. */
export function stylish({ results, color }: ReportInput): string {
  const c = color ?? { red: plain, yellow: plain, dim: plain, bold: plain, underline: plain };
  const blocks: string[] = [];
  for (const result of results) {
    const rows: string[][] = [];
    if (result.parseError) rows.push([`${result.parseError.line}:${result.parseError.column}`, parseErrorLevel(result) === 'warn' ? 'warning' : 'error', result.parseError.message, '']);
    for (const f of result.findings) rows.push([`${f.line}:${f.column}`, f.level === 'warn' ? 'warning' : 'error', f.message, f.ruleId]);
    if (rows.length === 0) continue;
    const width = [0, 1].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
    const lines = rows.map(([at, level, message, rule]) => `  ${c.dim(at!.padEnd(width[0]!))}  ${level === 'warning' ? c.yellow(level.padEnd(width[1]!)) : c.red(level!.padEnd(width[1]!))}  ${message}  ${c.dim(rule!)}`.trimEnd());
    blocks.push(`${c.underline(result.file)}\n${lines.join('\n')}`);
  }
  const errors = countErrors(results);
  const warnings = countWarnings(results);
  const total = errors + warnings;
  if (total === 0) return '';
  const fixable = results.reduce((n, r) => n + r.findings.filter((f) => f.fix).length, 0);
  const paint = errors > 0 ? c.red : c.yellow;
  const summary = `✖ ${total} problem${total === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'})`;
  const fixes = fixable > 0 ? `\n  ${fixable} ${fixable === 1 ? 'problem is' : 'problems are'} fixable with \`failures check --fix\`.` : '';
  return `\n${blocks.join('\n\n')}\n\n${paint(c.bold(summary))}${fixes}\n`;
}
