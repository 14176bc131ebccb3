import type { CompiledDetector, CompiledRule } from '../enforce/compile.js';
import { checkText, type TreeCache } from '../enforce/engine.js';
import { importListeners } from './import.js';
import { mergeListeners, type DetectorContext, type Listeners, type Report } from './listeners.js';
import { selectorListeners } from './selector.js';

export type { DetectorContext, Listeners, TextFix } from './listeners.js';

/** Selectors ESLint can run itself: no regex in them (ESLint would run it on a backtracking engine), no scope. */
function native(d: CompiledDetector): boolean {
  return d.kind === 'import' || (d.kind === 'selector' && !d.hasRegex && !d.scopes.inside && !d.scopes.notInside);
}

/**
 * The ESLint listeners of a rule's detectors that apply to this file: selectors and imports on ESLint's
 * own tree; patterns (ast-grep), regexes and secured selectors through the same engine as
 * `failures check`, on the file's text, once per file.
 */
export function listenersFor(
  rule: CompiledRule,
  shared: Omit<DetectorContext, 'report'> & { report: (target: Parameters<Report>[0], message: string, fix?: Parameters<Report>[1]) => void; trees?: TreeCache },
): Listeners {
  const applying = rule.detectors.filter((d) => d.applies(shared.filename));
  const listeners: Listeners[] = applying.filter(native).map((d) => {
    const context: DetectorContext = { ...shared, report: (target, fix) => shared.report(target, d.message, fix) };
    return d.kind === 'import' ? importListeners(d, context) : selectorListeners(d as Extract<CompiledDetector, { kind: 'selector' }>, context);
  });
  const viaEngine = applying.filter((d) => !native(d));
  if (viaEngine.length > 0) {
    listeners.push({
      Program: () => {
        const result = checkText(shared.filename, shared.text, [{ ...rule, detectors: viaEngine }], { eslintDirectives: false, ...(shared.trees ? { trees: shared.trees } : {}) });
        for (const f of result.findings) {
          shared.report({ loc: { start: { line: f.line, column: f.column - 1 }, end: { line: f.endLine, column: f.endColumn - 1 } } }, f.message, f.fix);
        }
      },
    });
  }
  return mergeListeners(listeners);
}
