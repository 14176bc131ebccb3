import { join } from 'node:path';
import { parseErrorLevel, type ReportInput } from './types.js';

/** ESLint's JSON result format, so that existing tooling reads it. */
export function json({ results, root }: ReportInput): string {
  const out = results.map((result) => {
    const messages = [
      ...(result.parseError
        ? [{ ruleId: null, fatal: true, severity: parseErrorLevel(result) === 'warn' ? 1 : 2, message: result.parseError.message, line: result.parseError.line, column: result.parseError.column }]
        : []),
      ...result.findings.map((f) => ({
        ruleId: f.ruleId,
        severity: f.level === 'warn' ? 1 : 2,
        message: f.message,
        line: f.line,
        column: f.column,
        endLine: f.endLine,
        endColumn: f.endColumn,
        ...(f.fix ? { fix: f.fix } : {}),
      })),
    ];
    return {
      filePath: join(root, result.file),
      messages,
      suppressedMessages: [],
      errorCount: messages.filter((m) => m.severity === 2).length,
      fatalErrorCount: result.parseError ? 1 : 0,
      warningCount: messages.filter((m) => m.severity === 1).length,
      fixableErrorCount: result.findings.filter((f) => f.fix && f.level === 'error').length,
      fixableWarningCount: result.findings.filter((f) => f.fix && f.level === 'warn').length,
      usedDeprecatedRules: [],
    };
  });
  return `${JSON.stringify(out)}\n`;
}
