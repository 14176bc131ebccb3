import { basename, relative, sep } from 'node:path';
import { closest, type Problem } from '../errors.js';
import type { Config } from './config.js';
import { isInsideRepository } from './config.js';
import { DATE_FIELDS, impossibleDate } from './dates.js';
import { idField, KIND_LABEL, type RecordKind } from './layout.js';
import type { FieldPath } from './messages.js';
import { formatPath } from './messages.js';
import type { LoadedRecord } from './read.js';

/** A field holding ids of other records, and the kinds those ids may name. */
interface Reference {
  from: RecordKind;
  /** Path to the field; '*' stands for every item of a list. */
  path: Array<string>;
  to: RecordKind[];
}

const REFERENCES: Reference[] = [
  { from: 'anti-pattern', path: ['origin', 'incidents', '*'], to: ['incident'] },
  { from: 'anti-pattern', path: ['origin', 'postmortems', '*'], to: ['postmortem'] },
  { from: 'anti-pattern', path: ['origin', 'feedback', '*'], to: ['feedback'] },
  { from: 'anti-pattern', path: ['origin', 'tickets', '*'], to: ['ticket-pattern', 'ticket'] },
  { from: 'constraint', path: ['origin', 'incidents', '*'], to: ['incident'] },
  { from: 'constraint', path: ['origin', 'postmortems', '*'], to: ['postmortem'] },
  { from: 'constraint', path: ['origin', 'anti_patterns', '*'], to: ['anti-pattern'] },
  { from: 'constraint', path: ['origin', 'tickets', '*'], to: ['ticket-pattern', 'ticket'] },
  { from: 'failure-mode', path: ['origin', 'incidents', '*'], to: ['incident'] },
  { from: 'failure-mode', path: ['origin', 'anti_patterns', '*'], to: ['anti-pattern'] },
  { from: 'failure-mode', path: ['origin', 'tickets', '*'], to: ['ticket-pattern', 'ticket'] },
  { from: 'postmortem', path: ['incident'], to: ['incident'] },
  { from: 'postmortem', path: ['action_items', '*', 'anti_pattern'], to: ['anti-pattern'] },
  { from: 'feedback', path: ['anti_pattern'], to: ['anti-pattern'] },
  { from: 'feedback', path: ['same_as'], to: ['feedback'] },
  { from: 'ticket', path: ['pattern'], to: ['ticket-pattern'] },
];

/** Fields whose values must come from config.yaml's vocabulary. */
const VOCABULARY: Array<{ kind: RecordKind; field: 'category' | 'severity'; list: 'categories' | 'severities' }> = [
  { kind: 'feedback', field: 'category', list: 'categories' },
  { kind: 'feedback', field: 'severity', list: 'severities' },
  { kind: 'anti-pattern', field: 'category', list: 'categories' },
  { kind: 'anti-pattern', field: 'severity', list: 'severities' },
];

/**
 * Checks that span records: duplicate ids, ids that do not match their file name, references to
 * records that do not exist, and categories or severities that config.yaml does not list.
 */
export function crossCheck(records: LoadedRecord[], config: Config, dir: string, unreadable: ReadonlySet<string> = new Set()): Problem[] {
  const problems: Problem[] = [];
  // Each id's first record, and the lists of those used more than once (no list per id: 100,000 of them).
  const byId = new Map<string, LoadedRecord>();
  const reused = new Map<string, LoadedRecord[]>();
  for (const record of records) {
    if (!record.id) continue;
    const seen = byId.get(record.id);
    if (seen === undefined) byId.set(record.id, record);
    else {
      const list = reused.get(record.id);
      if (list) list.push(record);
      else reused.set(record.id, [seen, record]);
    }
  }
  const withId = (id: string): LoadedRecord[] => reused.get(id) ?? (byId.has(id) ? [byId.get(id)!] : []);
  const where = (r: LoadedRecord) => {
    const at = r.locate([idField(r.kind)!]);
    return `${relative(dir, r.file)}:${at.line}:${at.column}`;
  };

  for (const id of byId.keys()) {
    const list = reused.get(id);
    if (!list) continue;
    for (const record of list) {
      const others = list.filter((r) => r !== record).map(where);
      problems.push(
        at(record, [idField(record.kind)!], `duplicate id ${id}: also used by ${others.join(', ')}`, 'duplicate-id', {
          fix: `ids must be unique (two branches may both have created ${id}): give one record a new id${nextFreeHint(id, byId)}, rename its file to match, and update references to it`,
        }),
      );
    }
  }

  for (const record of records) {
    const field = idField(record.kind);
    if (!field || !record.id) continue;
    const stem = fileName(record.file).replace(/\.ya?ml$/, '');
    const expected = record.kind === 'feedback' && record.index > 0 ? `${stem}-${record.index + 1}` : stem;
    const batchFirst = record.kind === 'feedback' && record.index === 0 && record.id === `${stem}-1`;
    if (record.id !== expected && !batchFirst) {
      problems.push(
        at(record, [field], `${field} '${record.id}' does not match the file name ${basename(record.file)}`, 'id-mismatch', {
          fix:
            record.kind === 'feedback'
              ? `a feedback entry's id is its file name without .yaml (or, in a batch, the file name plus -N for the N-th entry): use ${expected}`
              : // Renaming onto a file that another record already holds would overwrite it.
                withId(record.id).some((other) => other !== record && other.kind === record.kind)
                ? `set ${field} to ${stem} (the file name): ${record.id} is already ${withId(record.id).filter((other) => other !== record && other.kind === record.kind).map(where).join(', ')}`
                : `rename the file to ${record.id}.yaml, or set ${field} to ${stem}`,
        }),
      );
    }
  }

  // One pass over the records, each checked against the references of its kind, in REFERENCES order.
  const byKind = new Map<RecordKind, LoadedRecord[]>();
  for (const record of records) (byKind.get(record.kind) ?? byKind.set(record.kind, []).get(record.kind)!).push(record);
  for (const reference of REFERENCES) {
    for (const record of byKind.get(reference.from) ?? []) {
      for (const { path, value } of valuesAt(record.data, reference.path)) {
        if (typeof value !== 'string') continue;
        const targets = withId(value).filter((r) => reference.to.includes(r.kind));
        if (targets.length > 0 || unreadable.has(value) || unreadable.has(value.replace(/-\d+$/, ''))) continue;
        const wanted = reference.to.map((k) => KIND_LABEL[k]).join(' or ');
        const known = records.filter((r) => reference.to.includes(r.kind)).map((r) => r.id);
        const guess = closest(value, known);
        problems.push(
          at(record, path, `${formatPath(path)} refers to ${wanted} '${value}', which does not exist`, 'reference', {
            fix: guess ? `did you mean '${guess}'?` : `create the ${wanted} record first, or correct the id`,
          }),
        );
      }
    }
  }

  for (const { kind, field, list } of VOCABULARY) {
    const allowed = config[list];
    for (const record of records) {
      if (record.kind !== kind || !record.valid) continue;
      const value = (record.data as unknown as Record<string, unknown>)[field];
      if (typeof value !== 'string' || allowed.includes(value)) continue;
      const guess = closest(value, allowed);
      problems.push(
        at(record, [field], `${field} must be one of ${allowed.join(', ')}; got '${value}'`, 'vocabulary', {
          fix: `${guess ? `did you mean '${guess}'? ` : ''}Use one of them, or add '${value}' to ${list} in .failures/config.yaml`,
        }),
      );
    }
  }
  for (const record of records) {
    for (const path of DATE_FIELDS[record.kind] ?? []) {
      const value = valuesAt(record.data, [...path])[0]?.value;
      const why = typeof value === 'string' ? impossibleDate(value) : undefined;
      if (why) problems.push(at(record, [...path], `${formatPath([...path])} '${value}' is not a real date: ${why}`, 'schema', { fix: 'write an ISO 8601 date that exists, e.g. 2025-01-31T14:05:00Z' }));
    }
  }

  const configRecord = records.find((r) => r.kind === 'config');
  const skills = (configRecord?.data as { skills?: Record<string, unknown> } | undefined)?.skills ?? {};
  for (const [category, path] of Object.entries(skills)) {
    if (typeof path === 'string' && !isInsideRepository(path)) {
      problems.push(at(configRecord!, ['skills', category], `skills.${category} '${path}' leaves the repository`, 'schema', { fix: 'skill documents are repository-relative paths such as docs/skills/testing.md' }));
    }
  }
  return problems;
}

/** basename, without its checks and trailing-slash handling, for 100,000 record paths (never folders). */
const fileName = (file: string) => (sep === '/' ? file.slice(file.lastIndexOf('/') + 1) : basename(file));

function at(record: LoadedRecord, path: FieldPath, message: string, rule: string, extra: { fix?: string }): Problem {
  const position = record.locate(path);
  return { file: record.file, line: position.line, column: position.column, path: formatPath(path), message, ...extra, severity: 'error', rule };
}

/** Every value at a path with '*' wildcards, with its concrete path. */
function valuesAt(data: unknown, pattern: string[], prefix: FieldPath = []): Array<{ path: FieldPath; value: unknown }> {
  if (pattern.length === 0) return [{ path: prefix, value: data }];
  if (data === null || typeof data !== 'object') return [];
  const [head, ...rest] = pattern as [string, ...string[]];
  if (head === '*') {
    return Array.isArray(data) ? data.flatMap((item, i) => valuesAt(item, rest, [...prefix, i])) : [];
  }
  if (!(head in data)) return [];
  return valuesAt((data as Record<string, unknown>)[head], rest, [...prefix, head]);
}

/** " (AP-006 is free)" for ids ending in a number. */
function nextFreeHint(id: string, byId: Map<string, unknown>): string {
  const match = /^(.*?)(\d+)$/.exec(id);
  if (!match) return '';
  const [, prefix, digits] = match as unknown as [string, string, string];
  for (let n = Number(digits) + 1; n < Number(digits) + 10_000; n++) {
    const candidate = prefix + String(n).padStart(digits.length, '0');
    if (!byId.has(candidate)) return ` (${candidate} is free)`;
  }
  return '';
}
