import { isDeepStrictEqual } from 'node:util';
import { Document as YamlDocument, isMap, isScalar, isSeq, parseDocument, type Document, type Node, type YAMLMap, type YAMLSeq } from 'yaml';

/* eslint-disable @typescript-eslint/no-explicit-any -- the report is plain data shaped by its schema */

export const MERGE_SOURCE = 'failure_analysis';

/** One item merge would add, and where it comes from in the report. */
export interface MergeItem {
  section: 'constraints' | 'failure_modes' | 'solution_space.exclusions';
  /** The id (or, for exclusions, the anti-pattern id) that identifies it. */
  key: string;
  value: Record<string, unknown>;
  /** Where it is in the report (derived_constraints.from_incidents[0].generated_constraints[1]). */
  from: string;
}

/** An id the manifold already has with different content. */
export interface Clash {
  item: MergeItem;
  /** Path in the manifold of the existing item (constraints[3]). */
  path: Array<string | number>;
  existing: unknown;
}

export interface MergeResult {
  text: string;
  added: MergeItem[];
  /** Already in the manifold with the same content. */
  unchanged: MergeItem[];
  clashes: Clash[];
}

const strip = (value: Record<string, unknown>) => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)));

/** What a report asks to add: new derived constraints, newly discovered failure modes, anti-pattern prevention as exclusions. */
export function mergeItems(report: any): MergeItem[] {
  const items: MergeItem[] = [];
  const groups = report?.derived_constraints ?? {};
  for (const group of ['from_incidents', 'from_anti_patterns', 'from_ticket_patterns']) {
    (groups[group] ?? []).forEach((entry: any, i: number) => {
      (entry.generated_constraints ?? []).forEach((c: any, k: number) => {
        if (c.in_manifold && c.in_manifold !== c.id) return;
        items.push({
          section: 'constraints',
          key: c.id,
          from: `derived_constraints.${group}[${i}].generated_constraints[${k}]`,
          value: strip({
            id: c.id,
            type: c.type,
            statement: c.statement,
            rationale: c.rationale,
            violation_scenario: c.violation_scenario,
            measurement: c.measurement,
            origin: c.origin,
            _source: MERGE_SOURCE,
          }),
        });
      });
    });
  }
  (report?.enriched_failure_modes?.newly_discovered ?? []).forEach((f: any, i: number) => {
    const { status: _status, ...rest } = f;
    void _status;
    items.push({ section: 'failure_modes', key: f.id, from: `enriched_failure_modes.newly_discovered[${i}]`, value: strip({ ...rest, _source: MERGE_SOURCE }) });
  });
  (report?.anti_patterns ?? []).forEach((ap: any, i: number) => {
    const prevention = ap.prevention ?? {};
    // Without a stated prevention, the anti-pattern itself is excluded.
    const exclude = prevention.must_exclude?.length ? prevention.must_exclude : prevention.must_include?.length ? undefined : [ap.description ?? ap.name];
    items.push({
      section: 'solution_space.exclusions',
      key: ap.id,
      from: `anti_patterns[${i}]`,
      value: strip({
        anti_pattern: ap.id,
        name: ap.name,
        exclude,
        instead: prevention.must_include,
        origin: ap.linked_incidents?.length ? { incidents: ap.linked_incidents } : undefined,
        _source: MERGE_SOURCE,
      }),
    });
  });
  return items;
}

/** Does the existing item say what the new one says? Fields a person added to it since do not count. */
function sameContent(existing: unknown, value: Record<string, unknown>): boolean {
  if (!existing || typeof existing !== 'object') return false;
  return Object.entries(value).every(([k, v]) => isDeepStrictEqual((existing as any)[k], v));
}

function sequenceAt(doc: Document, path: string[]): YAMLSeq | undefined {
  const node = doc.getIn(path, true);
  return isSeq(node) ? node : undefined;
}

function ensureSequence(doc: Document, path: string[]): YAMLSeq {
  const existing = sequenceAt(doc, path);
  if (existing) {
    if (existing.items.length === 0) existing.flow = false;
    return existing;
  }
  if (path.length === 2 && !isMap(doc.getIn([path[0]!], true))) doc.set(path[0]!, doc.createNode({}));
  const seq = doc.createNode([]) as YAMLSeq;
  doc.setIn(path, seq);
  return seq;
}

/**
 * Adds a report's items to a manifold's YAML through the Document API: comments, key order and every
 * other line stay as written. Idempotent: items already there with the same content are left alone;
 * items whose id is there with other content are clashes, and then nothing is changed.
 */
export function mergeManifold(text: string, report: unknown): MergeResult {
  const doc = parseDocument(text, { uniqueKeys: true, keepSourceTokens: false });
  const plain = (doc.toJS() ?? {}) as Record<string, any>;
  const added: MergeItem[] = [];
  const unchanged: MergeItem[] = [];
  const clashes: Clash[] = [];
  const plans: Array<{ path: string[]; item: MergeItem }> = [];
  for (const item of mergeItems(report)) {
    const path = item.section.split('.');
    const list: any[] = path.reduce<any>((v, k) => (v && typeof v === 'object' ? v[k] : undefined), plain) ?? [];
    const keyOf = (x: any) => (item.section === 'solution_space.exclusions' ? x?.anti_pattern : x?.id);
    const index = Array.isArray(list) ? list.findIndex((x) => keyOf(x) === item.key) : -1;
    if (index >= 0) {
      if (sameContent(list[index], item.value)) unchanged.push(item);
      else clashes.push({ item, path: [...path, index], existing: list[index] });
      continue;
    }
    plans.push({ path, item });
  }
  if (clashes.length > 0 || plans.length === 0) return { text, added: [], unchanged, clashes };
  const expected = parseDocument(text, { uniqueKeys: true });
  for (const { path, item } of plans) {
    ensureSequence(expected, path).add(expected.createNode(item.value));
    added.push(item);
  }
  // The new items are written into the text itself, so that every other byte stays as written
  // (a folded description, a wrapped string, `key:   value`, a flow list's spacing); the Document's
  // own rendering is the fallback when the file's shape leaves no clear place for them.
  // A JSON manifold stays JSON, at its own indentation (YAML's rendering of it parses as YAML, not as JSON).
  const json = jsonText(text, doc, plans, expected.toJS());
  if (json !== undefined) return { text: json, added, unchanged, clashes };
  const spliced = splice(text, doc, plans);
  if (spliced !== undefined && isDeepStrictEqual(parseDocument(spliced, { uniqueKeys: true }).toJS(), expected.toJS())) return { text: spliced, added, unchanged, clashes };
  // Write the file as it was written: block sequences indented or not, flow collections padded or not.
  const indentSeq = !/^[A-Za-z_][\w-]*:[ \t]*\r?\n-[ \t]/m.test(text);
  const flowCollectionPadding = /:[ \t]+[[{][ \t]+[^\s\]}]/.test(text);
  return { text: expected.toString({ lineWidth: 0, indentSeq, flowCollectionPadding }), added, unchanged, clashes };
}

/**
 * The merged manifold as JSON when the file is JSON: the new items written into its text at its own
 * indentation (two spaces, four, a tab), every other byte as it was (`"entities": ["a", "b"]` stays on
 * its line); written whole, at that indentation, only when the file's shape leaves no clear place.
 */
function jsonText(text: string, doc: Document, plans: ReadonlyArray<{ path: string[]; item: MergeItem }>, merged: unknown): string | undefined {
  const body = text.replace(/^\uFEFF/, '');
  if (!body.trimStart().startsWith('{')) return undefined;
  try {
    JSON.parse(body);
  } catch {
    return undefined;
  }
  const indent = /\n([ \t]+)"/.exec(body)?.[1] ?? (body.trim().includes('\n') ? '  ' : '');
  const eol = body.includes('\r\n') ? '\r\n' : '\n';
  const spliced = indent ? spliceJson(text, doc, plans, indent, eol) : undefined;
  if (spliced !== undefined && isDeepStrictEqual(JSON.parse(spliced.replace(/^\uFEFF/, '')), merged)) return spliced;
  const out = JSON.stringify(merged, null, indent || undefined);
  return `${text.startsWith('\uFEFF') ? '\uFEFF' : ''}${out.replace(/\n/g, eol)}${/\r?\n$/.test(body) ? eol : ''}`;
}

/** A JSON manifold with the planned items inserted into its text; undefined when a target is not where it can be found. */
function spliceJson(text: string, doc: Document, plans: ReadonlyArray<{ path: string[]; item: MergeItem }>, unit: string, eol: string): string | undefined {
  const top = doc.contents;
  if (!isMap(top)) return undefined;
  const groups = byTarget(plans);
  const at = (depth: number) => unit.repeat(depth);
  /** Items of a list whose key is at `depth`, each line indented one level deeper. */
  const items = (values: readonly Record<string, unknown>[], depth: number) =>
    values.map((v) => JSON.stringify(v, null, unit).split('\n').map((line) => at(depth + 1) + line).join(eol)).join(`,${eol}`);
  const list = (values: readonly Record<string, unknown>[], depth: number) => `[${eol}${items(values, depth)}${eol}${at(depth)}]`;
  const edits: Edit[] = [];
  /** `"key": value` added after the last pair of a map that has one. */
  const appendPair = (map: YAMLMap, depth: number, pair: string) => {
    const last = map.items[map.items.length - 1]?.value as Node | null | undefined;
    if (!last?.range) return false;
    edits.push({ at: last.range[1], end: last.range[1], text: `,${eol}${at(depth)}${pair}` });
    return true;
  };
  for (const { path, values } of groups.values()) {
    const node = doc.getIn(path, true) as Node | null | undefined;
    const parentPath = path.slice(0, -1);
    const parent = (parentPath.length ? doc.getIn(parentPath, true) : top) as Node | null | undefined;
    const keyName = path[path.length - 1]!;
    if (isSeq(node) && node.items.length > 0) {
      const last = node.items[node.items.length - 1] as Node;
      if (!last.range) return undefined;
      edits.push({ at: last.range[1], end: last.range[1], text: `,${eol}${items(values, path.length)}` });
    } else if ((isSeq(node) && node.items.length === 0) || (isScalar(node) && node.value === null)) {
      if (!node.range) return undefined;
      edits.push({ at: node.range[0], end: node.range[1], text: list(values, path.length) });
    } else if (node === undefined && isMap(parent)) {
      if (!appendPair(parent, path.length, `${JSON.stringify(keyName)}: ${list(values, path.length)}`)) return undefined;
    } else if (node === undefined && parentPath.length === 1 && (parent === undefined || parent === null) && doc.getIn(parentPath) === undefined) {
      const inner = `${JSON.stringify(keyName)}: ${list(values, 2)}`;
      if (!appendPair(top, 1, `${JSON.stringify(parentPath[0])}: {${eol}${at(2)}${inner}${eol}${at(1)}}`)) return undefined;
    } else {
      return undefined;
    }
  }
  return applyEdits(text, edits);
}

interface Edit {
  at: number;
  end: number;
  text: string;
}

/** The column a node's line starts at, and where that line starts. */
function lineOf(text: string, offset: number): { start: number; column: number } {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  // A byte order mark is no column.
  const bom = start === 0 && text.startsWith('\uFEFF') ? 1 : 0;
  return { start: start + bom, column: offset - start - bom };
}

/** Block-sequence items at `indent` columns, lines joined with `eol` (no line end after the last). */
function renderItems(values: readonly Record<string, unknown>[], indent: number, indentSeq: boolean, eol: string): string {
  const body = new YamlDocument(values).toString({ lineWidth: 0, indentSeq }).replace(/\n$/, '');
  return body
    .split('\n')
    .map((line) => (line ? ' '.repeat(indent) + line : line))
    .join(eol);
}

/**
 * The text with the planned items inserted: after the last item of a block sequence (at its
 * dashes' column), in place of an empty value (`constraints:`, `constraints: []`), or as a new key
 * at the end of its map. Undefined when a target is a flow collection with items or not a list.
 */
function splice(text: string, doc: Document, plans: ReadonlyArray<{ path: string[]; item: MergeItem }>): string | undefined {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const top = doc.contents;
  if (!isMap(top) || top.flow || !top.range) return undefined;
  // How this file indents a block sequence under its key (the first one met decides; YAML's default otherwise).
  const firstSeq = /^([ \t]*)[A-Za-z_][\w-]*:[ \t]*(?:#.*)?\r?\n(?:[ \t]*(?:#.*)?\r?\n)*([ \t]*)-[ \t]/m.exec(text);
  const indentSeq = firstSeq ? firstSeq[2]!.length > firstSeq[1]!.length : true;
  const groups = byTarget(plans);
  const edits: Edit[] = [];
  const endOfLine = (offset: number) => {
    if (offset > 0 && text[offset - 1] === '\n') return offset;
    const next = text.indexOf('\n', offset);
    return next < 0 ? text.length : next + 1;
  };
  const lineEnd = (at: number) => (at === text.length && !text.endsWith('\n') ? eol : '');
  /** A new `key:` with its items, appended to a block map whose keys start at `column`. */
  const appendKey = (map: YAMLMap, column: number, lines: (indent: number) => string) => {
    const last = map.items[map.items.length - 1];
    const end = (last?.value as Node | null | undefined)?.range?.[2] ?? (last?.key as Node | undefined)?.range?.[2] ?? map.range![2];
    const at = endOfLine(end);
    edits.push({ at, end: at, text: `${lineEnd(at)}${' '.repeat(column)}${lines(column)}${eol}` });
  };
  for (const { path, values } of groups.values()) {
    const node = doc.getIn(path, true) as Node | null | undefined;
    const parentPath = path.slice(0, -1);
    const parent = (parentPath.length ? doc.getIn(parentPath, true) : top) as Node | null | undefined;
    const keyName = path[path.length - 1]!;
    if (isSeq(node) && !node.flow && node.items.length > 0) {
      const first = node.items[0] as Node;
      const last = node.items[node.items.length - 1] as Node;
      if (!first.range || !last.range) return undefined;
      const { start } = lineOf(text, first.range[0]);
      const dash = text.slice(start, first.range[0]).lastIndexOf('-');
      if (dash < 0) return undefined;
      // Nested lists as this one is written: its dashes under its key, or indented.
      const pair = isMap(parent) ? parent.items.find((p) => isScalar(p.key) && p.key.value === keyName) : undefined;
      const keyStart = (pair?.key as Node | undefined)?.range?.[0];
      const own = keyStart !== undefined && lineOf(text, keyStart).start !== start ? dash > lineOf(text, keyStart).column : indentSeq;
      const at = endOfLine(last.range[2]);
      edits.push({ at, end: at, text: `${lineEnd(at)}${renderItems(values, dash, own, eol)}${eol}` });
      continue;
    }
    if ((isSeq(node) && node.items.length === 0) || (isScalar(node) && node.value === null)) {
      // `key:`, `key: ~` or `key: []`: the items take the value's place.
      if (!node.range || !isMap(parent)) return undefined;
      const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === keyName);
      const keyNode = pair?.key as Node | undefined;
      if (!keyNode?.range) return undefined;
      const keyColumn = lineOf(text, keyNode.range[0]).column;
      let at = node.range[0];
      while (at > 0 && (text[at - 1] === ' ' || text[at - 1] === '\t')) at--;
      edits.push({ at, end: node.range[1], text: `${eol}${renderItems(values, keyColumn + (indentSeq ? 2 : 0), indentSeq, eol)}` });
      continue;
    }
    if (node !== undefined) return undefined;
    // No such key: a new one at the end of its map (solution_space made too when it is missing).
    if (isMap(parent) && !parent.flow && parent.range) {
      const firstKey = parent.items[0]?.key as Node | undefined;
      if (!firstKey?.range) return undefined;
      const column = lineOf(text, firstKey.range[0]).column;
      appendKey(parent, column, (c) => `${keyName}:${eol}${renderItems(values, c + (indentSeq ? 2 : 0), indentSeq, eol)}`);
      continue;
    }
    if (parentPath.length === 1 && (parent === undefined || parent === null)) {
      appendKey(top, 0, () => `${parentPath[0]}:${eol}  ${keyName}:${eol}${renderItems(values, 2 + (indentSeq ? 2 : 0), indentSeq, eol)}`);
      continue;
    }
    return undefined;
  }
  return applyEdits(text, edits);
}

/** The planned items grouped by the list they go to, in order. */
function byTarget(plans: ReadonlyArray<{ path: string[]; item: MergeItem }>): Map<string, { path: string[]; values: Record<string, unknown>[] }> {
  const groups = new Map<string, { path: string[]; values: Record<string, unknown>[] }>();
  for (const { path, item } of plans) {
    const key = path.join('.');
    if (!groups.has(key)) groups.set(key, { path, values: [] });
    groups.get(key)!.values.push(item.value);
  }
  return groups;
}

/** The edits made to a text: from the end, so earlier offsets hold; at one offset, the later edit first, so the earlier one ends up before it. */
function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = text;
  const ordered = edits.map((e, i) => ({ ...e, i })).sort((a, b) => b.at - a.at || b.i - a.i);
  for (const edit of ordered) out = out.slice(0, edit.at) + edit.text + out.slice(edit.end);
  return out;
}
