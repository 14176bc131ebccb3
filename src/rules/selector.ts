import { withinScope } from '../enforce/detectors.js';
import type { DetectorListeners } from './listeners.js';

/** `selector` detectors: the selector is the listener key, exactly as no-restricted-syntax uses it. */
export const selectorListeners: DetectorListeners<'selector'> = (detector, { filename, visitorKeys, report }) => ({
  [detector.source]: (node) => {
    if (withinScope(detector, node, filename, visitorKeys, 'eslint')) report({ node });
  },
});
