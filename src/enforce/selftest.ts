import type { CompiledRule } from './compile.js';
import { checkText } from './engine.js';
import { fixText } from './fix.js';
import { extensionsOf, languageByName, languagesOfGlobs } from './languages.js';

/** An example that does not behave: a bad one not flagged, a good one flagged, a fix that gives other code. */
export interface ExampleFailure {
  id: string;
  ruleId: string;
  /** Path of the example in the record: ['examples', 'bad', 0]. */
  path: ['examples', 'bad' | 'good', number];
  code: string;
  message: string;
  /** How to fix it, when the usual hint for a bad or good example does not fit. */
  hint?: string;
  /** The line within the example's code (1-based) the failure is about, for an annotated example. */
  line?: number;
}

/**
 * The file name examples are parsed as when they give none: example.ts, or the language the rule's
 * detectors name (`language: python`, `files: ["jobs/**\/*.py"]`) when that is not TypeScript.
 */
export function exampleFileOf(rule: CompiledRule): string {
  return exampleFileOfRecord(rule.record);
}

/** The same, for an anti-pattern record not compiled (re-synthesis reads its string examples so). */
export function exampleFileOfRecord(record: CompiledRule['record']): string {
  for (const detector of record.enforce?.detect ?? []) {
    const language = (detector as { language?: string }).language;
    const named = language ? languageByName(language) : undefined;
    if (named) return `example.${extensionsOf(named)[0]}`;
  }
  const globs = [...(record.enforce?.files ?? []), ...(record.enforce?.detect ?? []).flatMap((d) => d.files ?? [])];
  const languages = languagesOfGlobs(globs);
  if (languages.length === 0 || languages.includes('TypeScript')) return 'example.ts';
  return `example.${extensionsOf(languages[0]!)[0]}`;
}

// A comment line `// ruleid: AP-001` (or #, --, a block comment, <!-- -->, ;, and JSX's {/* … */}).
const ANNOTATION = /^\s*(?:\/\/|#|--|\{?\/\*|<!--|;)\s*(ruleid|ok):\s*([\w.,\- ]+?)\s*(?:\*\/\}?|-->)?\s*$/i;
const ANNOTATION_START = /^\s*(?:\/\/|#|--|\{?\/\*|<!--|;)\s*(ruleid|ok):/i;

/**
 * Semgrep-style annotations in an example: a comment `ruleid: AP-001` says the next line must be flagged
 * by that rule, `ok: AP-001` that it must not be. Returns line → expected, for this rule only.
 */
export function annotations(code: string, id: string): Map<number, boolean> {
  const out = new Map<number, boolean>();
  const lines = code.split('\n');
  lines.forEach((line, i) => {
    const m = ANNOTATION.exec(line);
    if (!m || !m[2]!.split(/[\s,]+/).some((x) => x.toLowerCase() === id.toLowerCase())) return;
    // The annotated line is the next one that is not itself an annotation.
    let target = i + 1;
    while (target < lines.length && ANNOTATION_START.test(lines[target]!)) target++;
    out.set(target + 1, m[1]!.toLowerCase() === 'ruleid');
  });
  return out;
}

/**
 * A rule's examples are its tests: every `examples.bad` must be flagged by its own rule (and, with
 * `fixed`, its fixes must give exactly that code) and no `examples.good` may be. An example with
 * `ruleid:`/`ok:` annotations is checked line by line instead. Globs do not apply (they scope the rule in a
 * repository, not what it detects).
 */
export function testRule(rule: CompiledRule): ExampleFailure[] {
  const failures: ExampleFailure[] = [];
  const defaultFile = exampleFileOf(rule);
  for (const kind of ['bad', 'good'] as const) {
    (rule.record.examples?.[kind] ?? []).forEach((example, index) => {
      const code = typeof example === 'string' ? example : example.code;
      const filename = typeof example === 'string' ? defaultFile : (example.filename ?? defaultFile);
      const fixed = typeof example === 'string' ? undefined : (example as { fixed?: string }).fixed;
      const result = checkText(filename, code, [rule], { ignoreGlobs: true });
      const path: ExampleFailure['path'] = ['examples', kind, index];
      const fail = (message: string, hint?: string, line?: number) =>
        failures.push({ id: rule.id, ruleId: rule.ruleId, path, code, message, ...(hint ? { hint } : {}), ...(line ? { line } : {}) });
      const expected = annotations(code, rule.id);
      if (result.parseError && (result.parseError.level ?? 'error') === 'error' && rule.detectors.some((d) => d.kind !== 'regex')) {
        fail(`examples.${kind}[${index}] does not parse as ${filename}: ${result.parseError.message}`);
      } else if (expected.size > 0) {
        const flagged = new Set(result.findings.map((f) => f.line));
        for (const [line, must] of expected) {
          if (must && !flagged.has(line)) fail(`examples.${kind}[${index}] line ${line} (ruleid: ${rule.id}) is not flagged by ${rule.ruleId}`, undefined, line);
          if (!must && flagged.has(line)) fail(`examples.${kind}[${index}] line ${line} (ok: ${rule.id}) is flagged by ${rule.ruleId}`, 'narrow the detector (a `not:` pattern, `not_inside:`), or annotate the line `ruleid:` if it should be flagged', line);
        }
        for (const line of flagged) {
          if (!expected.has(line)) {
            fail(`examples.${kind}[${index}] line ${line} is flagged by ${rule.ruleId} but not annotated`, `add a comment \`ruleid: ${rule.id}\` above line ${line} if it should be flagged, else \`ok: ${rule.id}\` and narrow the detector`, line);
          }
        }
      } else if (kind === 'bad' && result.findings.length === 0) {
        fail(`examples.bad[${index}] is not flagged by ${rule.ruleId}`);
      } else if (kind === 'good' && result.findings.length > 0) {
        const at = result.findings[0]!;
        fail(`examples.good[${index}] is flagged by ${rule.ruleId} at ${at.line}:${at.column} (detector ${at.detector})`);
      }
      if (kind === 'bad' && fixed !== undefined) {
        // As `failures check --fix` writes it: in passes, so a match inside another's is fixed too.
        const after = fixText(filename, code, [rule], result, { ignoreGlobs: true }).text;
        if (after !== fixed) {
          fail(
            `examples.bad[${index}].fixed: the rule's fixes give ${JSON.stringify(after)}, not ${JSON.stringify(fixed)}`,
            'correct the detector\'s `fix:` (its $NAME and $$$NAME are the text they matched), or the example\'s `fixed:`',
          );
        }
      }
    });
  }
  return failures;
}
