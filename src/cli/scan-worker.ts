import { parentPort, workerData } from 'node:worker_threads';
import { compileRules, type Level } from '../enforce/compile.js';
import { checkText, type FileResult } from '../enforce/engine.js';
import type { AntiPatternRecord, IncidentRecord } from '../types/records.js';

/** What a scan worker is given: the records to compile (they are known to compile) and its share of the files. */
export interface WorkerInput {
  records: AntiPatternRecord[];
  incidents: Array<[string, IncidentRecord]>;
  levels: Record<string, Level>;
  files: Array<{ file: string; text: string }>;
}

const input = workerData as WorkerInput;
const { rules } = compileRules(input.records, new Map(input.incidents), { levels: input.levels, validate: false });
const results: Array<FileResult | null> = input.files.map(({ file, text }) => {
  const result = checkText(file, text, rules);
  return result.findings.length > 0 || result.parseError ? result : null;
});
parentPort!.postMessage(results);
