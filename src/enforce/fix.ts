import type { CompiledRule } from './compile.js';
import { checkText, type CheckOptions, type FileResult, type Finding } from './engine.js';

/**
 * Applies the fixes of a file's findings to its text, as ESLint does in one pass: in order, skipping
 * a fix that overlaps one already applied (a second `--fix` run picks it up).
 */
export function applyFixes(text: string, findings: readonly Finding[]): { text: string; applied: number } {
  const fixes = findings
    .filter((f) => f.fix)
    .map((f) => f.fix!)
    .sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  let out = '';
  let at = 0;
  let applied = 0;
  for (const fix of fixes) {
    const [start, end] = fix.range;
    if (start < at || end > text.length) continue;
    out += text.slice(at, start) + fix.text;
    at = end;
    applied++;
  }
  return { text: out + text.slice(at), applied };
}

/** ESLint's limit: fixes that overlap (a match inside another's) wait for the next pass, up to 10. */
const PASSES = 10;

/**
 * A file's text with every fix its rules offer, in passes as ESLint's --fix: `result` is the check of
 * the fixed text (what remains), `applied` the fixes made.
 */
export function fixText(file: string, text: string, rules: readonly CompiledRule[], first: FileResult, options: CheckOptions = {}): { text: string; applied: number; result: FileResult } {
  let current = first;
  let applied = 0;
  for (let pass = 0; pass < PASSES && current.findings.some((f) => f.fix); pass++) {
    const step = applyFixes(text, current.findings);
    if (step.applied === 0 || step.text === text) break;
    applied += step.applied;
    text = step.text;
    current = checkText(file, text, rules, options);
  }
  return { text, applied, result: current };
}
