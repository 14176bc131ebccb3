import { createRequire } from 'node:module';
import type { Document, LineCounter, YAMLError } from 'yaml';
import type { Position, Problem } from '../errors.js';

type YamlModule = typeof import('yaml');
let yamlModule: YamlModule | undefined;

/**
 * The yaml package, loaded on first use (about 20 ms): a check whose records all come from a cache
 * (or parse on the fast path) never needs it. The same module instance as `import 'yaml'` (its CommonJS build).
 */
export function yaml(): YamlModule {
  return (yamlModule ??= createRequire(import.meta.url)('yaml') as YamlModule);
}

/** Aliases beyond this count are refused: a "billion laughs" file must not exhaust memory. */
export const MAX_ALIAS_COUNT = 100;

export interface ParsedDocument {
  /** The document as plain data; undefined when it could not be converted. */
  value: unknown;
  doc: Document.Parsed;
}

/** One YAML file: its documents and where each node sits, for messages that point at a line and column. */
export interface ParsedFile {
  file: string;
  documents: ParsedDocument[];
  problems: Problem[];
  lineCounter: LineCounter;
}

const YAML_FIXES: Record<string, string> = {
  DUPLICATE_KEY: 'remove or rename one of the two keys: YAML keeps only one, so one value would be lost silently',
  BAD_INDENT: 'indent the nested lines with spaces, consistently, under their parent key',
  TAB_AS_INDENT: 'indent with spaces: YAML does not allow tabs for indentation',
  MISSING_CHAR: 'close the quote, bracket or brace that was opened',
  MULTILINE_IMPLICIT_KEY: 'a key must fit on one line: quote the value or use a block scalar (|) for multi-line text; if the next line is a key of its own, indent it exactly like the keys beside it',
  BLOCK_AS_IMPLICIT_KEY: 'quote the value: plain text cannot contain ": " or start a { } mapping (code patterns usually need quotes); if the next line is a key of its own, indent it exactly like the keys beside it',
  BAD_DQ_ESCAPE: 'in double quotes a backslash starts an escape: double it ("\\\\d+"), or use single quotes (\'\\d+\'), where a backslash is itself',
  UNEXPECTED_TOKEN: 'quote values that contain YAML punctuation such as ": ", " #", or a leading *, &, !, @, `, [ or { (name: "[WIP] Retry without key")',
};

/** Hints for messages whose code is shared by unrelated mistakes (MISSING_CHAR is also a mis-indented line). */
const MESSAGE_FIXES: Array<[RegExp, string]> = [
  [/^Sequence item without - indicator/, 'this line is indented differently from the lines around it: give a key the same indentation as the keys beside it (e.g. `fix:` under `pattern:`), or start a list item with "- "'],
  [/^Implicit map keys need to be followed by map values/, 'write the key as `key: value`, or indent this line under the key it belongs to'],
];

/** The lines (1-based) of the merge-conflict markers git leaves in a file (`<<<<<<<`, `=======`, `>>>>>>>`). */
export function conflictMarkerLines(text: string): number[] {
  return text.split('\n').flatMap((line, i) => (/^(<{7}|={7}|>{7})(\s|$)/.test(line) ? [i + 1] : []));
}

/**
 * A merge conflict git left in a file, one problem per conflict (at its `<<<<<<<` line): the YAML
 * parser would report each marker as a puzzle about keys and quotes instead. None without markers.
 */
export function conflictProblems(file: string, text: string): Problem[] {
  const markers = conflictMarkerLines(text);
  if (markers.length === 0) return [];
  const lines = text.split('\n');
  const starts = markers.filter((line) => lines[line - 1]!.startsWith('<<<<<<<'));
  return (starts.length > 0 ? starts : [markers[0]!]).map((start) => {
    const end = markers.find((line) => line > start && lines[line - 1]!.startsWith('>>>>>>>'));
    return {
      file,
      line: start,
      column: 1,
      path: '',
      message: `YAML: unresolved merge conflict${end ? ` (lines ${start}–${end})` : ''}: git's <<<<<<< / ======= / >>>>>>> markers are still in the file`,
      fix: 'resolve it: keep the lines of the side that is right (both sides\' items, for a list), delete the marker lines, then git add the file',
      severity: 'error' as const,
      rule: 'yaml',
    };
  });
}

/**
 * Parses YAML text with a fresh LineCounter (a shared one gives wrong lines), unique keys and an alias cap.
 * Never throws for bad input: every error becomes a Problem with its line and column.
 */
export function parseYaml(file: string, text: string): ParsedFile {
  const { LineCounter, parseAllDocuments } = yaml();
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: true, strict: true });
  const problems: Problem[] = [];
  const documents: ParsedDocument[] = [];
  const docs = Array.isArray(parsed) ? parsed : [];
  for (const doc of docs) {
    for (const error of doc.errors) problems.push(yamlProblem(file, error, 'error'));
    for (const warning of doc.warnings) problems.push(yamlProblem(file, warning, 'warning'));
    let value: unknown;
    if (doc.errors.length === 0) {
      try {
        value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      } catch (error) {
        const at = doc.range ? lineCounter.linePos(doc.range[0]) : { line: 1, col: 1 };
        problems.push({
          file,
          line: at.line,
          column: at.col,
          path: '',
          message: `the document could not be read: ${(error as Error).message}`,
          fix: `use at most ${MAX_ALIAS_COUNT} aliases (*name) per document; write the values out instead`,
          severity: 'error',
          rule: 'yaml',
        });
      }
    }
    documents.push({ value, doc });
  }
  return { file, documents, problems, lineCounter };
}

function yamlProblem(file: string, error: YAMLError, severity: 'error' | 'warning'): Problem {
  const at = error.linePos?.[0] ?? { line: 1, col: 1 };
  const message = error.message.split(' at line ')[0]!.split('\n')[0]!;
  // `name: [WIP` or `description: {x`: YAML read a list or map that never ends, and says so where it gave up.
  const unclosed = /end with an? ([\]}])/.exec(message);
  const fix = unclosed
    ? `close the ${unclosed[1] === ']' ? '[' : '{'} opened above this line with ${unclosed[1]}, or quote the value if the bracket is text (name: "[WIP] Retry")`
    : (MESSAGE_FIXES.find(([pattern]) => pattern.test(message))?.[1] ?? YAML_FIXES[error.code]);
  return { file, line: at.line, column: at.col, path: '', message: `YAML: ${message}`, ...(fix ? { fix } : {}), severity, rule: 'yaml' };
}

/**
 * Where the value at `path` (or, with `key`, its key) sits in the document. Falls back to the
 * nearest existing ancestor, so a missing field points at the object that should hold it.
 */
export function positionOf(
  parsed: ParsedFile,
  document: ParsedDocument,
  path: ReadonlyArray<string | number>,
  options: { key?: boolean } = {},
): Position {
  for (let depth = path.length; depth >= 0; depth--) {
    const prefix = path.slice(0, depth);
    const wantKey = options.key === true && depth === path.length && depth > 0;
    const offset = wantKey ? keyOffset(document.doc, prefix) : valueOffset(document.doc, prefix);
    if (offset !== undefined) {
      const { line, col } = parsed.lineCounter.linePos(offset);
      return { line, column: col };
    }
  }
  return { line: 1, column: 1 };
}

function valueOffset(doc: Document.Parsed, path: ReadonlyArray<string | number>): number | undefined {
  const node = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (node && typeof node === 'object' && 'range' in node && Array.isArray(node.range)) return node.range[0] as number;
  return undefined;
}

function keyOffset(doc: Document.Parsed, path: ReadonlyArray<string | number>): number | undefined {
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  const { isMap, isPair, isScalar } = yaml();
  if (!isMap(parent)) return undefined;
  const name = path[path.length - 1];
  for (const pair of parent.items) {
    if (isPair(pair) && isScalar(pair.key) && pair.key.value === name) return pair.key.range?.[0];
  }
  return undefined;
}
