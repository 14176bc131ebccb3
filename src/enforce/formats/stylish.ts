import { countErrors, type ReportInput } from './types.js';

const plain = (t: string) => t;

/** ESLint's default look: a block per file, aligned columns, a summary line. */
export function stylish({ results, color }: ReportInput): string {
  const c = color ?? { red: plain, yellow: plain, dim: plain, bold: plain, underline: plain };
  const blocks: string[] = [];
  for (const result of results) {
    const rows: string[][] = [];
    if (result.parseError) rows.push([`${result.parseError.line}:${result.parseError.column}`, 'error', result.parseError.message, '']);
    for (const f of result.findings) rows.push([`${f.line}:${f.column}`, 'error', f.message, f.ruleId]);
    if (rows.length === 0) continue;
    const width = [0, 1].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
    const lines = rows.map(([at, level, message, rule]) => `  ${c.dim(at!.padEnd(width[0]!))}  ${c.red(level!.padEnd(width[1]!))}  ${message}  ${c.dim(rule!)}`.trimEnd());
    blocks.push(`${c.underline(result.file)}\n${lines.join('\n')}`);
  }
  const total = countErrors(results);
  if (total === 0) return '';
  return `\n${blocks.join('\n\n')}\n\n${c.red(c.bold(`✖ ${total} problem${total === 1 ? '' : 's'} (${total} error${total === 1 ? '' : 's'}, 0 warnings)`))}\n`;
}
