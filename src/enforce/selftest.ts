import type { CompiledRule } from './compile.js';
import { checkText } from './engine.js';

/** An example that does not behave: a bad one not flagged, or a good one flagged. */
export interface ExampleFailure {
  id: string;
  ruleId: string;
  /** Path of the example in the record: ['examples', 'bad', 0]. */
  path: ['examples', 'bad' | 'good', number];
  code: string;
  message: string;
}

/**
 * A rule's examples are its tests: every `examples.bad` must be flagged by its own rule and no
 * `examples.good` may be. Examples are parsed as example.ts unless they name a file; globs do not
 * apply (they scope the rule in a repository, not what it detects).
 */
export function testRule(rule: CompiledRule): ExampleFailure[] {
  const failures: ExampleFailure[] = [];
  for (const kind of ['bad', 'good'] as const) {
    (rule.record.examples?.[kind] ?? []).forEach((example, index) => {
      const code = typeof example === 'string' ? example : example.code;
      const filename = typeof example === 'string' ? 'example.ts' : (example.filename ?? 'example.ts');
      const result = checkText(filename, code, [rule], { ignoreGlobs: true });
      const path: ExampleFailure['path'] = ['examples', kind, index];
      if (result.parseError && rule.detectors.some((d) => d.kind !== 'regex')) {
        failures.push({ id: rule.id, ruleId: rule.ruleId, path, code, message: `examples.${kind}[${index}] does not parse as ${filename}: ${result.parseError.message}` });
      } else if (kind === 'bad' && result.findings.length === 0) {
        failures.push({ id: rule.id, ruleId: rule.ruleId, path, code, message: `examples.bad[${index}] is not flagged by ${rule.ruleId}` });
      } else if (kind === 'good' && result.findings.length > 0) {
        const at = result.findings[0]!;
        failures.push({ id: rule.id, ruleId: rule.ruleId, path, code, message: `examples.good[${index}] is flagged by ${rule.ruleId} at ${at.line}:${at.column} (detector ${at.detector})` });
      }
    });
  }
  return failures;
}
