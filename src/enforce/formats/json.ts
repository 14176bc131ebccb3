import { join } from 'node:path';
import type { ReportInput } from './types.js';

/** ESLint's JSON result format, so that existing tooling reads it. */
export function json({ results, root }: ReportInput): string {
  const out = results.map((result) => {
    const messages = [
      ...(result.parseError
        ? [{ ruleId: null, fatal: true, severity: 2, message: result.parseError.message, line: result.parseError.line, column: result.parseError.column }]
        : []),
      ...result.findings.map((f) => ({
        ruleId: f.ruleId,
        severity: 2,
        message: f.message,
        line: f.line,
        column: f.column,
        endLine: f.endLine,
        endColumn: f.endColumn,
      })),
    ];
    return {
      filePath: join(root, result.file),
      messages,
      suppressedMessages: [],
      errorCount: messages.length,
      fatalErrorCount: result.parseError ? 1 : 0,
      warningCount: 0,
      fixableErrorCount: 0,
      fixableWarningCount: 0,
      usedDeprecatedRules: [],
    };
  });
  return `${JSON.stringify(out)}\n`;
}
