/**
 * The enforcement engine as a library (for synthesis, the MCP server and other tools):
 * compile records or single detectors, run compiled rules over a file's text, apply fixes.
 *
 *   const { rules, issues } = compileRules(records);             // issues: detectors that cannot work, by path
 *   const { findings, parseError } = checkText('src/a.ts', text, rules);
 *   const fixed = applyFixes(text, findings).text;               // one pass, as ESLint's
 *   const all = fixText('src/a.ts', text, rules, result).text;    // passes until nothing is left to fix, as --fix
 *   const verdict = tryDetector({ pattern: 'gateway.charge($P)' }, 'gateway.charge(p)', 'job.py');
 */
import type { AntiPatternRecord } from '../types/records.js';
import { compileRules, type CompileIssue } from './compile.js';
import { checkText, type Finding } from './engine.js';

export { compileRules, levelOf, rulesHash, ruleIdOf, renderMessage, isStructural, type CompiledRule, type CompiledDetector, type CompileIssue, type Level } from './compile.js';
export { checkText, lineIndex, type Finding, type FileResult, type CheckOptions, type TreeCache } from './engine.js';
export { applyFixes, fixText } from './fix.js';
export { testRule, annotations, exampleFileOf, type ExampleFailure } from './selftest.js';
export { StructuralDetector, DetectorCompileError, markEllipses, type StructuralSpec, type StructuralMatch } from './structural.js';
export { astGrepLanguageOf, languageByName, LANGUAGE_NAMES, loadAstGrep } from './languages.js';
export { compileLinear, RegexError, type LinearRegex } from './linear-regex.js';
export { compileSelector, SelectorError } from './selector.js';

type Detector = NonNullable<NonNullable<AntiPatternRecord['enforce']>['detect']>[number];

/**
 * One detector against one piece of code, as a record would run it (globs ignored, as for examples):
 * why it cannot compile, or what it finds. `filename` chooses the language (example.ts by default).
 */
export function tryDetector(detector: Detector, code: string, filename = 'example.ts'): { issues: CompileIssue[]; findings: Finding[] } {
  const record: AntiPatternRecord = { id: 'TRY', name: 'try', status: 'approved', description: 'a detector tried on code', enforce: { detect: [detector] } };
  const { rules, issues } = compileRules([record]);
  if (issues.length > 0) return { issues, findings: [] };
  return { issues, findings: checkText(filename, code, rules, { ignoreGlobs: true }).findings };
}
