import esquery from 'esquery';
import { childKeys, walk, type AstNode } from './ast.js';
import type { CompiledDetector, CompiledRule } from './compile.js';
import { importViolation, IMPORT_NODE_TYPES, patternViolation, regexMatches, withinScope } from './detectors.js';
import { parseCode, languageOf, visitorKeysFor, SyntaxFailure } from './parsers.js';
import { matchSequence, statementLists } from './pattern.js';
import { readSuppressions } from './suppress.js';

/** One violation, in ESLint's terms (1-based lines and columns; end exclusive like ESLint's). */
export interface Finding {
  ruleId: string;
  /** The anti-pattern's id (AP-001). */
  id: string;
  /** Index of the detector in enforce.detect. */
  detector: number;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The offending code, as written. */
  code: string;
}

export interface FileResult {
  /** Repository-relative path with forward slashes. */
  file: string;
  findings: Finding[];
  /** The file did not parse: reported like ESLint does, never a crash. */
  parseError?: { message: string; line: number; column: number };
}

/** Offsets of line starts, to turn a text index into a line and column. */
function lineIndex(text: string): (index: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (index) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: index - starts[lo]! + 1 };
  };
}

/**
 * Runs rules on one file's text: regex detectors on any file; code detectors on JS/TS, parsing the
 * file once for all rules and only when some detector's required text occurs in it.
 */
export function checkText(file: string, text: string, rules: readonly CompiledRule[], options: { ignoreGlobs?: boolean } = {}): FileResult {
  const active: Array<{ rule: CompiledRule; detector: CompiledDetector }> = [];
  for (const rule of rules) {
    for (const detector of rule.detectors) {
      if (options.ignoreGlobs ? detector.reads(file) : detector.applies(file)) active.push({ rule, detector });
    }
  }
  if (active.length === 0) return { file, findings: [] };
  const position = lineIndex(text);
  const findings: Finding[] = [];
  const report = (rule: CompiledRule, detector: CompiledDetector, start: number, end: number) => {
    const from = position(start);
    const to = position(end);
    findings.push({
      ruleId: rule.ruleId,
      id: rule.id,
      detector: detector.index,
      message: detector.message,
      line: from.line,
      column: from.column,
      endLine: to.line,
      endColumn: to.column,
      code: text.slice(start, end),
    });
  };

  const code: typeof active = [];
  for (const entry of active) {
    if (entry.detector.kind === 'regex') {
      for (const m of regexMatches(entry.detector, text)) report(entry.rule, entry.detector, m.index, m.index + m.text.length);
    } else if (entry.detector.literals.every((literal) => text.includes(literal))) {
      code.push(entry);
    }
  }

  let parseError: FileResult['parseError'];
  if (code.length > 0 && languageOf(file)) {
    try {
      const { ast, language } = parseCode(file, text, 'fast');
      runCodeDetectors(ast, file, visitorKeysFor(language), code, (rule, detector, node) => report(rule, detector, node.range![0], node.range![1]));
    } catch (error) {
      if (!(error instanceof SyntaxFailure)) throw error;
      parseError = { message: error.message, line: error.line, column: error.column };
    }
  }

  const suppressions = readSuppressions(text);
  const kept = findings.filter((f) => !suppressions.isSuppressed(f.ruleId, f.line));
  kept.sort((a, b) => a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));
  return parseError ? { file, findings: kept, parseError } : { file, findings: kept };
}

function runCodeDetectors(
  ast: AstNode,
  file: string,
  visitorKeys: Record<string, readonly string[] | undefined>,
  active: Array<{ rule: CompiledRule; detector: CompiledDetector }>,
  report: (rule: CompiledRule, detector: CompiledDetector, node: AstNode) => void,
): void {
  const byType = new Map<string, typeof active>();
  const sequences: typeof active = [];
  for (const entry of active) {
    const d = entry.detector;
    const types: readonly string[] =
      d.kind === 'pattern' ? (d.pattern.for(file, 'fast')?.rootTypes ?? []) : d.kind === 'import' ? IMPORT_NODE_TYPES : [];
    for (const type of types) {
      if (type === '*statements') sequences.push(entry);
      else byType.set(type, [...(byType.get(type) ?? []), entry]);
    }
  }
  walk(
    ast,
    (node) => {
      for (const { rule, detector } of byType.get(node.type) ?? []) {
        if (detector.kind === 'pattern' && patternViolation(detector, node, file, visitorKeys, 'fast')) report(rule, detector, node);
        if (detector.kind === 'import') {
          const hit = importViolation(detector, node);
          if (hit) report(rule, detector, hit);
        }
      }
      for (const { rule, detector } of sequences) {
        if (detector.kind !== 'pattern') continue;
        const pattern = detector.pattern.for(file, 'fast');
        if (!pattern) continue;
        for (const list of statementLists(node)) {
          for (const first of matchSequence(pattern, list)) if (withinScope(detector, first, file, visitorKeys, 'fast')) report(rule, detector, first);
        }
      }
    },
    visitorKeys,
  );
  // Selectors after the walk, which has set every node's parent for the ancestry they may test.
  for (const { rule, detector } of active) {
    if (detector.kind !== 'selector') continue;
    const options = { visitorKeys, fallback: (n: unknown) => childKeys(n as AstNode) };
    for (const node of esquery.match(ast as never, detector.selector, options as never) as unknown as AstNode[]) {
      if (withinScope(detector, node, file, visitorKeys, 'fast')) report(rule, detector, node);
    }
  }
}
