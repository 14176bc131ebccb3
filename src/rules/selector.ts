import type { DetectorListeners } from './listeners.js';

/** `selector` detectors: the selector is the listener key, exactly as no-restricted-syntax uses it. */
export const selectorListeners: DetectorListeners<'selector'> = (detector, { report }) => ({
  [detector.source]: (node) => report({ node }),
});
