import { importViolation, IMPORT_NODE_TYPES } from '../enforce/detectors.js';
import type { DetectorListeners } from './listeners.js';

/** `import` detectors: import, export … from, require() and import(). */
export const importListeners: DetectorListeners<'import'> = (detector, { report }) =>
  Object.fromEntries(
    IMPORT_NODE_TYPES.map((type) => [
      type,
      (node) => {
        const hit = importViolation(detector, node);
        if (hit) report({ node: hit });
      },
    ]),
  );
