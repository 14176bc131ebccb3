import type { CompiledDetector } from '../enforce/compile.js';
import { importListeners } from './import.js';
import { mergeListeners, type DetectorContext, type Listeners, type Report } from './listeners.js';
import { patternListeners } from './pattern.js';
import { regexListeners } from './regex.js';
import { selectorListeners } from './selector.js';

export type { DetectorContext, Listeners } from './listeners.js';

/** The ESLint listeners of a rule's detectors that apply to this file: one implementation per detector kind. */
export function listenersFor(
  detectors: readonly CompiledDetector[],
  shared: Omit<DetectorContext, 'report'> & { report: (target: Parameters<Report>[0], message: string) => void },
): Listeners {
  return mergeListeners(
    detectors
      .filter((d) => d.applies(shared.filename))
      .map((d) => {
        const context: DetectorContext = { ...shared, report: (target) => shared.report(target, d.message) };
        switch (d.kind) {
          case 'pattern':
            return patternListeners(d, context);
          case 'selector':
            return selectorListeners(d, context);
          case 'import':
            return importListeners(d, context);
          case 'regex':
            return regexListeners(d, context);
        }
      }),
  );
}
