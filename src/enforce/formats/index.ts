import { github } from './github.js';
import { json } from './json.js';
import { sarif } from './sarif.js';
import { stylish } from './stylish.js';
import type { ReportInput } from './types.js';

export type { ReportInput } from './types.js';
export { countErrors, countWarnings } from './types.js';

export const FORMATS = { stylish, json, sarif, github } satisfies Record<string, (input: ReportInput) => string>;
export type FormatName = keyof typeof FORMATS;
