import { parseErrorLevel, type ReportInput } from './types.js';

const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** GitHub Actions workflow commands: each finding becomes an annotation on the pull request. */
export function github({ results }: ReportInput): string {
  const lines: string[] = [];
  for (const result of results) {
    const file = escapeProperty(result.file);
    if (result.parseError) {
      lines.push(`::${parseErrorLevel(result) === 'warn' ? 'warning' : 'error'} file=${file},line=${result.parseError.line},col=${result.parseError.column},title=Parsing error::${escapeData(result.parseError.message)}`);
    }
    for (const f of result.findings) {
      lines.push(
        `::${f.level === 'warn' ? 'warning' : 'error'} file=${file},line=${f.line},col=${f.column},endLine=${f.endLine},endColumn=${f.endColumn},title=${escapeProperty(f.ruleId)}::${escapeData(f.message)}`,
      );
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
