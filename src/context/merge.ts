import { isMap, isSeq, parseDocument, type Document, type YAMLSeq } from 'yaml';

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

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a as object).sort();
    const kb = Object.keys(b as object).sort();
    return deepEqual(ka, kb) && ka.every((k) => deepEqual((a as any)[k], (b as any)[k]));
  }
  return false;
}

/** Does the existing item say what the new one says? Fields a person added to it since do not count. */
function sameContent(existing: unknown, value: Record<string, unknown>): boolean {
  if (!existing || typeof existing !== 'object') return false;
  return Object.entries(value).every(([k, v]) => deepEqual((existing as any)[k], v));
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
  for (const { path, item } of plans) {
    ensureSequence(doc, path).add(doc.createNode(item.value));
    added.push(item);
  }
  // Write the file as it was written: block sequences indented or not, flow collections padded or not.
  const indentSeq = !/^[A-Za-z_][\w-]*:[ \t]*\r?\n-[ \t]/m.test(text);
  const flowCollectionPadding = /:[ \t]+[[{][ \t]+[^\s\]}]/.test(text);
  return { text: doc.toString({ lineWidth: 0, indentSeq, flowCollectionPadding }), added, unchanged, clashes };
}
