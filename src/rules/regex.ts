import { regexMatches } from '../enforce/detectors.js';
import type { DetectorListeners } from './listeners.js';

/** `regex` detectors: searched in the file's text once, when ESLint starts on the file. */
export const regexListeners: DetectorListeners<'regex'> = (detector, { text, report }) => ({
  Program: () => {
    for (const m of regexMatches(detector, text)) report({ start: m.index, end: m.index + m.text.length });
  },
});
