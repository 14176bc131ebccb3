import type { Finding } from './engine.js';

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
