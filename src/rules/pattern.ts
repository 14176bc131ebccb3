import { patternViolation, withinScope } from '../enforce/detectors.js';
import { matchSequence, statementLists } from '../enforce/pattern.js';
import type { DetectorListeners } from './listeners.js';

/** `pattern` detectors: listen to the node types a match can start at. */
export const patternListeners: DetectorListeners<'pattern'> = (detector, { filename, visitorKeys, report }) => {
  const pattern = detector.pattern.for(filename, 'eslint');
  if (!pattern) return {};
  if (pattern.rootTypes.includes('*statements')) {
    return {
      'Program, BlockStatement, StaticBlock, SwitchCase': (node) => {
        for (const list of statementLists(node)) {
          for (const first of matchSequence(pattern, list)) if (withinScope(detector, first, filename, visitorKeys, 'eslint')) report({ node: first });
        }
      },
    };
  }
  return Object.fromEntries(
    pattern.rootTypes.map((type) => [type, (node) => patternViolation(detector, node, filename, visitorKeys, 'eslint') && report({ node })]),
  );
};
