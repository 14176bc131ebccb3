import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Problem } from '../errors.js';
import { encodingOf } from '../encoding.js';
import { jsonPosition } from './json-locate.js';
import { parseJsonl, type ImportedLine } from './jsonl.js';

/** The import formats `failures log --from` understands, told apart by content. */
export type ImportFormat = 'jsonl' | 'junit' | 'eslint' | 'vitest' | 'jest';

export interface ImportResult {
  format: ImportFormat;
  entries: ImportedLine[];
  problems: Problem[];
}

/**
 * Reads a CI report or a feedback log into entry fields. Test reports become failures (the caller files
 * them under Testing unless told otherwise) awaiting their correction (no `feedback`); every failed or
 * errored test and every lint message is one entry. A malformed or truncated report is a problem, and the caller writes nothing.
 */
/** The severities an ESLint error and warning are recorded with: config.yaml's, not always low/medium/high. */
export interface SeverityLevels {
  error: string;
  warning: string;
}

export function parseImport(file: string, text: string, levels: SeverityLevels = { error: 'medium', warning: 'low' }): ImportResult {
  try {
    return parseByContent(file, text, levels);
  } catch (error) {
    // A report shaped in a way no parser here foresaw is still the input's problem, never a crash.
    const message = error instanceof Error ? error.message : String(error);
    return { format: 'jsonl', entries: [], problems: [problem(file, 1, 1, `the report could not be read: ${message}`, 'pass the complete, unmodified report written by the test runner or linter')] };
  }
}

/**
 * The text of a report file: UTF-8 (with or without a BOM). UTF-16 and UTF-32 (PowerShell's `>`
 * writes UTF-16) and binary files are problems with a fix, never garbled entries.
 */
export function decodeReport(file: string, bytes: Uint8Array): { text: string; problem?: undefined } | { text?: undefined; problem: Problem } {
  const kind = encodingOf(bytes);
  const name = file.split(/[\\/]/).pop();
  if (kind === 'utf-16') {
    return {
      problem: problem(file, 1, 1, 'the file is UTF-16, not UTF-8 text', `convert it to UTF-8 first, e.g. iconv -f UTF-16 -t UTF-8 ${name} > report-utf8 (PowerShell: Out-File -Encoding utf8)`),
    };
  }
  if (kind === 'binary') {
    return {
      problem: problem(file, 1, 1, 'the file is binary (or UTF-32), not UTF-8 text', `pass the report the test runner or linter wrote (JUnit XML, ESLint JSON, Vitest or Jest JSON, a JSONL log); if it is UTF-32 text, convert it first: iconv -f UTF-32 -t UTF-8 ${name} > report-utf8`),
    };
  }
  return { text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') };
}

function parseByContent(file: string, text: string, levels: SeverityLevels): ImportResult {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  // A run that crashed before writing its report leaves an empty file: say so, not "not JSON".
  if (trimmed === '') return { format: 'jsonl', entries: [], problems: [problem(file, 1, 1, 'the file is empty: no report was written into it (did the test run or lint stop before writing it?)', 'pass the report once the tool has written it; a run in which nothing failed still writes a report, which imports as nothing to record')] };
  if (trimmed.startsWith('<')) return parseJunit(file, text);
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      // Several lines of JSON objects: the seed's JSONL log. Otherwise a report that does not parse.
      if (firstLineIsJson(trimmed)) return jsonl(file, text);
      return { format: trimmed.startsWith('[') ? 'eslint' : 'jest', entries: [], problems: [jsonProblem(file, text, error as Error)] };
    }
    if (Array.isArray(value)) return parseEslint(file, value, text.replace(/^\uFEFF/, ''), levels);
    if (value && typeof value === 'object' && 'testResults' in value) return parseJestLike(file, value as JestReport, text.replace(/^\uFEFF/, ''));
    // One JSON document over several lines that is neither: Mocha, RSpec, … reports, not a JSONL log.
    if (trimmed.trimEnd().includes('\n')) {
      return {
        format: 'jest',
        entries: [],
        problems: [problem(file, 1, 1, 'this JSON is not a report failures reads', 'pass ESLint JSON (eslint -f json), a Vitest or Jest JSON report (--reporter=json / --json), JUnit XML (most runners write it), or a JSONL log')],
      };
    }
  }
  return jsonl(file, text);
}

function firstLineIsJson(text: string): boolean {
  try {
    JSON.parse(text.split('\n', 1)[0]!);
    return true;
  } catch {
    return false;
  }
}

function jsonl(file: string, text: string): ImportResult {
  // A feedback log's lines say what went wrong; JSON lines that never do are another tool's stream
  // (`go test -json`, Dart's JSON reporter): one problem naming it, not "context is required" per line.
  if (!/"(?:context|feedback)"\s*:/.test(text)) {
    const first = text.replace(/^\uFEFF/, '').trimStart().split('\n', 1)[0] ?? '';
    const tool = /"Action"\s*:/.test(first) && /"(?:Package|Time)"\s*:/.test(first)
      ? { what: '`go test -json` output', fix: 'pass JUnit XML instead: gotestsum --junitfile report.xml, or go test -v 2>&1 | go-junit-report > report.xml' }
      : /"protocolVersion"\s*:/.test(first) && /"runnerVersion"\s*:/.test(first)
        ? { what: "Dart's JSON test reporter output", fix: 'pass JUnit XML instead: dart test --reporter json | tojunit > report.xml (package junitreport)' }
        : undefined;
    return {
      format: 'jsonl',
      entries: [],
      problems: [
        problem(
          file,
          1,
          1,
          tool
            ? `this is ${tool.what}, not a feedback log: no line has a "context" or "feedback"`
            : firstLineIsJson(first)
              ? 'these JSON lines are not a feedback log: no line has a "context" or "feedback"'
              : // A CSV export or a plain log: not JSON at all, whatever its name.
                'this is neither a report failures reads nor a JSONL feedback log: its first line is not JSON (a CSV or a plain log?)',
          tool?.fix ??
            (firstLineIsJson(first)
              ? 'pass a JSONL feedback log (one {"context": …, "feedback": …, "category": …} per line), or a report failures reads: JUnit XML, ESLint JSON, Vitest or Jest JSON'
              : 'turn each line into a JSON object, {"timestamp": …, "context": "the message", "category": …, "severity": …}, one per line, and import that; or pass JUnit XML, ESLint JSON, Vitest or Jest JSON'),
        ),
      ],
    };
  }
  const { lines, problems } = parseJsonl(file, text);
  return { format: 'jsonl', entries: lines, problems };
}

function problem(file: string, line: number, column: number, message: string, fix: string): Problem {
  return { file, line, column, path: '', message, fix, severity: 'error', rule: 'import' };
}

function jsonProblem(file: string, text: string, error: Error): Problem {
  const position = /position (\d+)/.exec(error.message);
  const offset = position ? Number(position[1]) : text.length;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const truncated = /Unexpected end|Unterminated/.test(error.message) || offset >= text.trimEnd().length - 1;
  return problem(
    file,
    line,
    offset - before.lastIndexOf('\n'),
    `${truncated ? 'the report ends early (truncated?)' : 'not valid JSON'}: ${error.message.replace(/ in JSON at position \d+.*$/, '')}`,
    'pass the complete report written by the test runner or linter (ESLint: -f json; Vitest/Jest: --reporter=json / --json)',
  );
}

/** The first line of a failure that says what went wrong: not blank, not a stack frame. */
export function firstMeaningfulLine(text: string | undefined): string | undefined {
  if (!text) return undefined;
  for (const raw of text.split('\n')) {
    // eslint-disable-next-line no-control-regex -- ANSI colour codes from test runners
    const line = raw.replace(/\u001b\[[0-9;]*m/g, '').trim();
    if (!line || /^at\s/.test(line) || /^File ".*", line \d+/.test(line) || /^[-=~^]+$/.test(line)) continue;
    return line.length > 300 ? `${line.slice(0, 297)}...` : line;
  }
  return undefined;
}

/** file:line from the first stack frame that points into the project (not node_modules, not node:). */
export function locationFromStack(text: string | undefined): { file?: string; line?: number } {
  if (!text) return {};
  // A JVM stack names each frame's class: the first frame outside the JDK and the test and assertion
  // libraries is where the test failed (TestNG's `at org.testng.Assert.fail(Assert.java:99)` is not).
  for (const match of text.matchAll(/^\s*at\s+([\w$.]+)[^(\n]*\(([^\s():]+\.(?:java|kt|scala|groovy)):(\d+)\)/gm)) {
    if (!JVM_LIBRARY.test(match[1]!)) return { file: match[2]!, line: Number(match[3]) };
  }
  for (const match of text.matchAll(/(?:\(|\s|^)((?:[A-Za-z]:)?[^\s():]+\.[A-Za-z]{1,5}):(\d+)(?::\d+)?\)?/gm)) {
    const path = match[1]!;
    if (path.includes('node_modules') || path.startsWith('node:') || path.startsWith('internal/')) continue;
    return { file: path.replace(/^file:\/\//, ''), line: Number(match[2]) };
  }
  return {};
}

/** Frames of the JVM, its languages' runtimes, test runners and assertion libraries. */
const JVM_LIBRARY = /^(?:java|javax|jdk|sun|com\.sun|kotlin|kotlinx|scala|groovy|org\.codehaus\.groovy|junit|org\.junit|org\.testng|org\.hamcrest|org\.assertj|org\.mockito|org\.opentest4j|org\.apache\.maven\.surefire|org\.gradle|org\.spockframework|io\.kotest|org\.jetbrains|com\.google\.common\.truth)\./;

interface XmlNode {
  [key: string]: unknown;
}

function asArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function textOf(node: unknown): string | undefined {
  if (node === undefined || node === null) return undefined;
  if (typeof node === 'string') return node;
  if (typeof node === 'object') {
    const n = node as XmlNode;
    const parts = [n['#text'], ...asArray(n['#cdata'] as string | string[])].filter((p): p is string => typeof p === 'string');
    return parts.length > 0 ? parts.join('') : undefined;
  }
  return String(node);
}

/** JUnit XML (Surefire, pytest, Jest, Vitest, Gradle…): each failed or errored test case is one entry. */
function parseJunit(file: string, text: string): ImportResult {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    // Elements still open at the end: the report was cut off (a killed test run, a full disk).
    const open = /^Invalid '\[(.*)\]' found\.?$/s.exec(msg);
    if (open) {
      const names = open[1]!.split(',').map((n) => `<${n.trim().replace(/^"|"$/g, '')}>`);
      const lines = text.trimEnd().split('\n');
      return {
        format: 'junit',
        entries: [],
        problems: [problem(file, lines.length, lines[lines.length - 1]!.length + 1, `the report ends early (truncated?): ${names.join(', ')} never closed`, 'pass the complete JUnit XML report written by the test runner')],
      };
    }
    return {
      format: 'junit',
      entries: [],
      problems: [problem(file, line, col, `not well-formed XML: ${msg}`, 'pass the complete JUnit XML report written by the test runner')],
    };
  }
  const doctype = /<!DOCTYPE/i.exec(text);
  if (doctype) {
    const before = text.slice(0, doctype.index);
    return {
      format: 'junit',
      entries: [],
      problems: [problem(file, before.split('\n').length, doctype.index - before.lastIndexOf('\n'), 'a JUnit report has no <!DOCTYPE>: entities are not expanded here', 'remove the DOCTYPE declaration (test runners do not write one)')],
    };
  }
  // Entities are not expanded (no DOCTYPE, no entity bombs), but the five predefined ones and
  // character references are text: `&apos;`, `&#10;` read as `'` and a newline, as in any XML reader.
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    textNodeName: '#text',
    parseTagValue: false,
    parseAttributeValue: false,
    processEntities: false,
    cdataPropName: '#cdata',
    tagValueProcessor: (_name, value) => decodeXml(value),
    attributeValueProcessor: (_name, value) => decodeXml(value),
    maxNestedTags: MAX_NESTED_TAGS,
  });
  let document: XmlNode;
  try {
    document = parser.parse(text) as XmlNode;
  } catch (error) {
    const message = (error as Error).message;
    const nested = /nested/i.test(message);
    return {
      format: 'junit',
      entries: [],
      problems: [problem(file, 1, 1, nested ? `the XML nests more than ${MAX_NESTED_TAGS} elements deep: not a JUnit report` : `the XML could not be read: ${message}`, 'pass the JUnit XML report written by the test runner')],
    };
  }
  const roots = [...asArray(document.testsuites as XmlNode | XmlNode[]), ...asArray(document.testsuite as XmlNode | XmlNode[])];
  if (roots.length === 0) {
    // .NET's own formats are common in CI: name them, and the JUnit logger that replaces them.
    const other = 'TestRun' in document
      ? { what: 'a Visual Studio TRX report (dotnet test --logger trx)', fix: 'write JUnit XML instead: dotnet test --logger junit (package JunitXml.TestLogger), or convert it with trx2junit' }
      : 'test-run' in document || 'test-results' in document
        ? { what: 'an NUnit XML report', fix: 'write JUnit XML instead: dotnet test --logger junit (package JunitXml.TestLogger), or nunit3-console --result=junit.xml;transform=nunit3-junit.xslt' }
        : 'assemblies' in document
          ? { what: 'an xUnit.net XML report', fix: 'write JUnit XML instead: dotnet test --logger junit (package JunitXml.TestLogger)' }
          : undefined;
    return {
      format: 'junit',
      entries: [],
      problems: [problem(file, 1, 1, other ? `this is ${other.what}, not JUnit XML: no <testsuites> or <testsuite>` : 'this XML is not a JUnit report: no <testsuites> or <testsuite>', other?.fix ?? 'pass a JUnit XML report')],
    };
  }
  const entries: ImportedLine[] = [];
  const lineOf = testcaseLines(text);
  // Depth first, in document order, without recursion: nesting is bounded by the parser, not the stack.
  const stack: XmlNode[] = [...roots].reverse();
  while (stack.length > 0) {
    const suite = stack.pop()!;
    if (!suite || typeof suite !== 'object') continue;
    stack.push(...asArray(suite.testsuite as XmlNode | XmlNode[]).reverse());
    for (const testcase of asArray(suite.testcase as XmlNode | XmlNode[])) {
      if (!testcase || typeof testcase !== 'object') continue;
      // Every case takes its line, passing or skipped: a failing case named like an earlier one
      // (TestNG writes a skipped and a failed `testVersionStrings`) is then found at its own line.
      const line = lineOf(String(testcase['@name'] ?? ''));
      const failures = [...asArray(testcase.failure as XmlNode | XmlNode[] | string), ...asArray(testcase.error as XmlNode | XmlNode[] | string)];
      if (failures.length === 0) continue;
      const failure = failures[0]!;
      const attributes = typeof failure === 'object' ? (failure as XmlNode) : {};
      const body = textOf(failure);
      const message = firstMeaningfulLine(attributes['@message'] as string | undefined) ?? firstMeaningfulLine(body) ?? String(attributes['@type'] ?? 'failed');
      const classname = String(testcase['@classname'] ?? suite['@name'] ?? '');
      const name = String(testcase['@name'] ?? '');
      const test = [classname, name].filter(Boolean).join(' > ');
      const reportedLine = String(testcase['@line'] ?? '').trim();
      const location = testcase['@file'] ? { file: String(testcase['@file']), ...(/^[1-9]\d*$/.test(reportedLine) ? { line: Number(reportedLine) } : {}) } : locationFromStack(body);
      const fields: Record<string, unknown> = {
        context: `${test}: ${message}`,
        ...location,
        source: { format: 'junit', test },
      };
      const timestamp = junitTimestamp(suite['@timestamp']);
      if (timestamp) fields.timestamp = timestamp;
      entries.push({ line, fields, columns: {} });
    }
  }
  return { format: 'junit', entries, problems: [] };
}

const MAX_NESTED_TAGS = 200;

/**
 * A suite's `timestamp` as a record's: ISO 8601 as written, `… UTC`/`… GMT` (TestNG's
 * JUnitReportReporter writes `2021-03-07T10:36:56 UTC`) as `…Z`, and anything else left out — a
 * report's metadata never refuses the failures it carries.
 */
function junitTimestamp(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim().replace(/\s*(?:UTC|GMT)$/i, 'Z');
  return /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(text) ? text : undefined;
}

/**
 * The line of each `<testcase name="…">`, found in one pass: a name's occurrences are handed out in
 * document order (the order cases are visited), so 20,000 cases cost one scan, not 20,000.
 */
function testcaseLines(text: string): (name: string) => number {
  const lines = new Map<string, number[]>();
  const pattern = /<testcase\b[^>]*?\bname\s*=\s*(["'])(.*?)\1/gs;
  let line = 1;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    for (let i = text.indexOf('\n', last); i >= 0 && i < match.index; i = text.indexOf('\n', i + 1)) line++;
    last = match.index;
    const name = decodeXml(match[2]!);
    const list = lines.get(name) ?? [];
    list.push(line);
    lines.set(name, list);
  }
  return (name) => lines.get(name)?.shift() ?? 1;
}

function decodeXml(text: string): string {
  return text.replace(/&(?:(lt|gt|amp|quot|apos)|#(\d{1,7})|#x([\da-f]{1,6}));/gi, (whole, e: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (e) return ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[e.toLowerCase()] ?? whole;
    const code = Number.parseInt(dec ?? hex!, dec ? 10 : 16);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
  });
}

interface EslintFile {
  filePath?: unknown;
  messages?: Array<{ ruleId?: string | null; message?: string; line?: number; severity?: number; fatal?: boolean }>;
}

/** ESLint's JSON output (-f json): each message is one entry. */
function parseEslint(file: string, value: unknown[], text: string, levels: SeverityLevels): ImportResult {
  const at = (path: Array<string | number>, message: string, fix: string) => {
    const { line, column } = jsonPosition(text, path);
    return problem(file, line, column, message, fix);
  };
  const entries: ImportedLine[] = [];
  const problems: Problem[] = [];
  value.forEach((item, index) => {
    const result = item as EslintFile;
    if (!result || typeof result !== 'object' || typeof result.filePath !== 'string' || !Array.isArray(result.messages)) {
      problems.push(at([index], `item ${index + 1} is not an ESLint result ({filePath, messages})`, 'pass the output of `eslint -f json`'));
      return;
    }
    for (const [position, message] of result.messages.entries()) {
      if (!message || typeof message !== 'object') {
        problems.push(at([index, 'messages', position], `item ${index + 1}, messages[${position}] is not an ESLint message ({ruleId, message, line, …})`, 'pass the unmodified output of `eslint -f json`'));
        continue;
      }
      const rule = message.ruleId ?? (message.fatal ? 'parse-error' : 'eslint');
      entries.push({
        line: 1,
        columns: {},
        fields: {
          context: `${String(rule)}: ${typeof message.message === 'string' ? message.message : ''}`.trim(),
          file: result.filePath,
          ...(message.line ? { line: message.line } : {}),
          severity: message.severity === 2 || message.fatal ? levels.error : levels.warning,
          source: { format: 'eslint', rule },
        },
      });
    }
  });
  return { format: 'eslint', entries, problems };
}

interface JestReport {
  testResults?: Array<{
    name?: string;
    message?: string;
    status?: string;
    assertionResults?: Array<{ fullName?: string; title?: string; ancestorTitles?: string[]; status?: string; failureMessages?: string[]; location?: { line?: number } | null; meta?: unknown }>;
  }>;
  startTime?: number;
}

/** Vitest's and Jest's JSON reports (the same shape): each failed test is one entry; a file that failed to run is one too. */
function parseJestLike(file: string, report: JestReport, text: string): ImportResult {
  const at = (path: Array<string | number>, message: string, fix: string) => {
    const { line, column } = jsonPosition(text, path);
    return problem(file, line, column, message, fix);
  };
  if (!Array.isArray(report.testResults)) {
    return { format: 'jest', entries: [], problems: [at(['testResults'], 'testResults is not a list: not a Vitest or Jest JSON report', 'pass the output of `vitest --reporter=json` or `jest --json`')] };
  }
  const shapeProblems: Problem[] = [];
  report.testResults.forEach((suite, i) => {
    if (!suite || typeof suite !== 'object') shapeProblems.push(at(['testResults', i], `testResults[${i}] is not a test file result (an object)`, 'pass the unmodified output of `vitest --reporter=json` or `jest --json`'));
    else if (suite.assertionResults !== undefined && !Array.isArray(suite.assertionResults)) shapeProblems.push(at(['testResults', i, 'assertionResults'], `testResults[${i}].assertionResults is not a list`, 'pass the unmodified output of `vitest --reporter=json` or `jest --json`'));
    else (suite.assertionResults ?? []).forEach((a, j) => {
      if (!a || typeof a !== 'object') shapeProblems.push(at(['testResults', i, 'assertionResults', j], `testResults[${i}].assertionResults[${j}] is not a test result (an object)`, 'pass the unmodified output of `vitest --reporter=json` or `jest --json`'));
    });
  });
  const start = report.startTime;
  const date = typeof start === 'number' && Number.isFinite(start) ? new Date(start) : undefined;
  if (start !== undefined && (!date || Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1970 || date.getUTCFullYear() > 9999)) {
    shapeProblems.push(at(['startTime'], `startTime ${JSON.stringify(start)} is not a time (milliseconds since 1970)`, 'pass the unmodified report; its startTime is Date.now() when the run began'));
  }
  if (shapeProblems.length > 0) return { format: 'jest', entries: [], problems: shapeProblems };
  const vitest = report.testResults.some((r) => (r.assertionResults ?? []).some((a) => 'meta' in a));
  const format: ImportFormat = vitest ? 'vitest' : 'jest';
  const entries: ImportedLine[] = [];
  const timestamp = date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined;
  for (const suite of report.testResults) {
    const failed = (suite.assertionResults ?? []).filter((a) => a.status === 'failed');
    for (const assertion of failed) {
      const test = assertion.fullName ?? [...(assertion.ancestorTitles ?? []), assertion.title ?? ''].join(' > ');
      const failure = (assertion.failureMessages ?? []).join('\n');
      const message = firstMeaningfulLine(failure) ?? 'failed';
      const location = assertion.location?.line && suite.name ? { file: suite.name, line: assertion.location.line } : { ...(suite.name ? { file: suite.name } : {}), ...locationFromStack(failure) };
      entries.push({
        line: 1,
        columns: {},
        fields: { context: `${test}: ${message}`, ...location, ...(timestamp ? { timestamp } : {}), source: { format, test } },
      });
    }
    if (failed.length === 0 && suite.status === 'failed' && suite.message) {
      entries.push({
        line: 1,
        columns: {},
        fields: { context: `${suite.name ?? 'test file'}: ${firstMeaningfulLine(suite.message) ?? 'failed to run'}`, ...(suite.name ? { file: suite.name } : {}), ...(timestamp ? { timestamp } : {}), source: { format, test: suite.name ?? '' } },
      });
    }
  }
  return { format, entries, problems: [] };
}
