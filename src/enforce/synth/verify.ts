import { compileRules } from '../compile.js';
import { testRule } from '../selftest.js';
import type { AntiPatternRecord } from '../../types/records.js';
import { enforceBlock, exampleEntries } from './emit.js';
import type { SynthDetector } from './index.js';
import type { SynthLanguage } from './lang.js';

/** A proposed anti-pattern holding synthesized detectors and their examples, as `failures test` reads one. */
export function proposalRecord(
  detectors: readonly SynthDetector[],
  examples: { bad: ReadonlyArray<{ code: string; language: SynthLanguage }>; good: ReadonlyArray<{ code: string; language: SynthLanguage }> },
  id = 'AP-SYNTH',
): AntiPatternRecord {
  return {
    id,
    name: 'Synthesized detector',
    status: 'proposed',
    description: 'Detectors synthesized from examples',
    enforce: enforceBlock(detectors) as AntiPatternRecord['enforce'],
    examples: { bad: exampleEntries(examples.bad), good: exampleEntries(examples.good) } as AntiPatternRecord['examples'],
  };
}

/**
 * The record checked by the engine `failures check` and `failures test` run: its detectors compile in
 * their languages, every bad example is flagged and no good one. The problems, as sentences.
 */
export function checkWithEngine(record: AntiPatternRecord): string[] {
  const { rules, issues } = compileRules([record], new Map(), { statuses: [record.status] });
  const problems = issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  for (const rule of rules) for (const failure of testRule(rule)) problems.push(failure.message);
  return problems;
}
