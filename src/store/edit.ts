import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { isMap, isPair, isScalar, isSeq, parseDocument, stringify, type Document, type Scalar, type YAMLSeq } from 'yaml';
import { FailuresError } from '../errors.js';
import { replaceFileAtomic } from './write.js';

export interface FieldChange {
  path: Array<string | number>;
  value: unknown;
}

/**
 * Replaces a record's content atomically (readers see the old bytes or the new, never a mix). Only
 * the decision commands (approve, reject, retire) edit records; everything else only adds files.
 * Also puts a record's exact bytes back after a decision that could not be completed.
 */
export function writeRecord(file: string, content: string | Buffer): void {
  replaceFileAtomic(file, content);
}

/** A record's exact bytes, to restore if a decision fails after editing it. */
export function readRecordBytes(file: string): Buffer {
  return readFileSync(file);
}

/**
 * The record's text with the changes applied as small text edits: a scalar's value is replaced where
 * it stands; a missing key is inserted as new lines at the end of its block mapping. Whatever cannot
 * be edited that way (a key missing from a flow mapping) falls back to yaml's Document API, which
 * keeps comments but may reformat; line ends and a BOM are kept either way.
 */
export function editRecordText(text: string, changes: readonly FieldChange[], file = 'the record'): string {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = bom ? text.slice(1) : text;
  const eol = body.includes('\r\n') ? '\r\n' : '\n';
  const first = parse(body, file);
  let edited: string | undefined = body;
  for (const change of changes) {
    edited = edited === undefined ? undefined : patch(edited, change, eol);
    if (edited === undefined) break;
  }
  if (edited === undefined || !applied(edited, changes)) edited = withDocumentApi(first, changes, eol);
  return bom + edited;
}

function parse(text: string, file: string): Document.Parsed {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new FailuresError(`${file} does not parse, so it was not changed: ${doc.errors[0]!.message.split('\n')[0]}`, {
      hint: 'fix the record first (`failures validate` shows where)',
    });
  }
  return doc;
}

function applied(text: string, changes: readonly FieldChange[]): boolean {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) return false;
  const data = doc.toJS() as unknown;
  return changes.every((change) => {
    let node: unknown = data;
    for (const key of change.path) node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined;
    return isDeepStrictEqual(node, change.value);
  });
}

const isPlainValue = (value: unknown) => value === null || ['string', 'number', 'boolean'].includes(typeof value);
const isPlainList = (value: unknown): value is unknown[] => Array.isArray(value) && value.every(isPlainValue);

/** One change as a text edit, or undefined when it needs the Document API. */
function patch(text: string, change: FieldChange, eol: string): string | undefined {
  if (!(isPlainValue(change.value) || isPlainList(change.value)) || change.path.some((key) => typeof key !== 'string')) return undefined;
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) return undefined;
  const existing = doc.getIn(change.path, true);
  if (isPlainList(change.value)) {
    if (isSeq(existing)) return appendToSequence(text, existing, change.value, eol);
    if (existing !== undefined) return undefined;
  } else if (isScalar(existing) && existing.range) {
    const [start, end] = existing.range;
    return text.slice(0, start) + scalarText(change.value, existing.type) + text.slice(end);
  }
  if (existing !== undefined) return undefined;
  // The deepest block mapping that exists on the path: the rest is written as new lines at its end.
  let depth = change.path.length - 1;
  while (depth > 0 && doc.getIn(change.path.slice(0, depth), true) === undefined) depth--;
  const parent = depth === 0 ? doc.contents : doc.getIn(change.path.slice(0, depth), true);
  if (!isMap(parent) || parent.flow || parent.items.length === 0) return undefined;
  const firstKey = parent.items[0]!.key as { range?: [number, number, number] } | null;
  const last = parent.items[parent.items.length - 1]!;
  const lastNode = (isPair(last) ? (last.value ?? last.key) : undefined) as { range?: [number, number, number] } | null | undefined;
  if (!firstKey?.range || !lastNode?.range) return undefined;
  const indent = firstKey.range[0] - (text.lastIndexOf('\n', firstKey.range[0] - 1) + 1);
  const lines = blockLines(change.path.slice(depth) as string[], change.value, indent);
  const end = lastNode.range[1];
  if (end > 0 && text[end - 1] === '\n') return text.slice(0, end) + lines.map((l) => l + eol).join('') + text.slice(end);
  const newline = text.indexOf('\n', end);
  if (newline < 0) return text + eol + lines.join(eol) + (text.endsWith('\n') ? eol : '');
  return text.slice(0, newline + 1) + lines.map((l) => l + eol).join('') + text.slice(newline + 1);
}

/**
 * A list that extends a sequence already in the text (the same items first): the new items as new
 * lines after its last one, at its indentation (`- id`), or, written `[a, b]`, inside its brackets.
 */
function appendToSequence(text: string, sequence: YAMLSeq, value: unknown[], eol: string): string | undefined {
  const items = sequence.items;
  if (items.length > value.length || !items.every((item, i) => isScalar(item) && item.value === value[i])) return undefined;
  const added = value.slice(items.length);
  if (added.length === 0) return text;
  const last = items[items.length - 1] as Scalar | undefined;
  if (sequence.flow) {
    const end = sequence.range?.[1];
    if (end === undefined) return undefined;
    const close = text.lastIndexOf(']', end);
    if (close < 0) return undefined;
    return text.slice(0, close) + (last ? ', ' : '') + added.map((v) => scalarText(v, undefined)).join(', ') + text.slice(close);
  }
  const first = items[0] as Scalar | undefined;
  if (!first?.range || !last?.range) return undefined;
  const lineStart = text.lastIndexOf('\n', first.range[0] - 1) + 1;
  const marker = /^(\s*-\s+)$/.exec(text.slice(lineStart, first.range[0]));
  if (!marker) return undefined;
  const lines = added.map((v) => `${marker[1]}${scalarText(v, undefined)}`);
  const newline = text.indexOf('\n', last.range[1]);
  if (newline < 0) return text + eol + lines.join(eol);
  return text.slice(0, newline + 1) + lines.map((l) => l + eol).join('') + text.slice(newline + 1);
}

function blockLines(keys: string[], value: unknown, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const key = scalarText(keys[0]!, undefined);
  if (keys.length === 1 && Array.isArray(value)) return [`${pad}${key}:`, ...value.map((item) => `${pad}  - ${scalarText(item, undefined)}`)];
  if (keys.length === 1) return [`${pad}${key}: ${scalarText(value, undefined)}`];
  return [`${pad}${key}:`, ...blockLines(keys.slice(1), value, indent + 2)];
}

/** A value as an inline YAML scalar; quoted the way the value it replaces was, where it can be. */
function scalarText(value: unknown, type: Scalar['type'] | undefined): string {
  if (typeof value === 'string') {
    if (type === 'QUOTE_DOUBLE') return JSON.stringify(value);
    if (type === 'QUOTE_SINGLE' && !value.includes('\n')) return `'${value.replaceAll("'", "''")}'`;
    const plain = stringify(value, { lineWidth: 0 }).replace(/\n$/, '');
    return plain.includes('\n') ? JSON.stringify(value) : plain;
  }
  return value === null ? 'null' : String(value);
}

function withDocumentApi(doc: Document.Parsed, changes: readonly FieldChange[], eol: string): string {
  for (const change of changes) {
    if (change.value === undefined) {
      doc.deleteIn(change.path);
      continue;
    }
    // Changing a scalar's value (not replacing its node) keeps the comment written beside it.
    const existing = doc.getIn(change.path, true);
    if (isScalar(existing) && (change.value === null || typeof change.value !== 'object')) existing.value = change.value;
    else doc.setIn(change.path, doc.createNode(change.value));
  }
  const out = doc.toString({ lineWidth: 100 });
  return eol === '\n' ? out : out.replace(/\r?\n/g, eol);
}
