import type { CompiledRule } from '../compile.js';
import type { FileResult } from '../engine.js';

export interface ReportInput {
  /** Files with findings or parse errors; paths relative to the project root. */
  results: FileResult[];
  rules: CompiledRule[];
  /** Absolute project root, for absolute paths where a format wants them. */
  root: string;
  version: string;
  /** Fingerprints of findings, for formats that carry them (SARIF). */
  fingerprint: (file: string, finding: FileResult['findings'][number]) => string;
  color?: { red(t: string): string; yellow(t: string): string; dim(t: string): string; bold(t: string): string; underline(t: string): string };
}

export function countErrors(results: FileResult[]): number {
  return results.reduce((n, r) => n + r.findings.length + (r.parseError ? 1 : 0), 0);
}
