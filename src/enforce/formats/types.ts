import type { CompiledRule } from '../compile.js';
import type { FileResult } from '../engine.js';

export interface ReportInput {
  /** Files with findings or parse errors; paths relative to the project root. */
  results: FileResult[];
  rules: CompiledRule[];
  /** Absolute project root, for absolute paths where a format wants them. */
  root: string;
  version: string;
  /** An absolute https address about the tool (package.json's repository), for formats that link it (SARIF); none: omitted. */
  informationUri?: string;
  /** Fingerprints of findings, for formats that carry them (SARIF). */
  fingerprint: (file: string, finding: FileResult['findings'][number]) => string;
  /** The text of a checked file, for formats that carry fixes as regions (SARIF). */
  texts?: (file: string) => string | undefined;
  color?: { red(t: string): string; yellow(t: string): string; dim(t: string): string; bold(t: string): string; underline(t: string): string };
}

/** A parse error blocks unless the parser recovered (a .d.ts, a language ast-grep reads tolerantly). */
export function parseErrorLevel(result: FileResult): 'error' | 'warn' | undefined {
  return result.parseError ? (result.parseError.level ?? 'error') : undefined;
}

export function countErrors(results: FileResult[]): number {
  return results.reduce((n, r) => n + r.findings.filter((f) => f.level === 'error').length + (parseErrorLevel(r) === 'error' ? 1 : 0), 0);
}

export function countWarnings(results: FileResult[]): number {
  return results.reduce((n, r) => n + r.findings.filter((f) => f.level === 'warn').length + (parseErrorLevel(r) === 'warn' ? 1 : 0), 0);
}
