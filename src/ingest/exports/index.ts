import { createHash } from 'node:crypto';
import { registry, remember, type IdRegistry } from '../ids.js';
import type { ExportReader, ImportInput, ImportPlan, PlannedKind, Registries } from '../plan.js';
import { findDates, findTime } from '../postmortem/dates.js';
import { cell, cells, normalizeColumn, readTable, type Row } from './table.js';

/**
 * Incident exports (PagerDuty, Opsgenie, incident.io, FireHydrant; CSV or JSON) → incidents, and
 * ticket exports (Jira CSV, Zendesk and Freshdesk CSV, GitHub issues JSON) → tickets. Told apart by
 * their columns or keys, as each tool names them. Pure.
 */

interface Mapped {
  id: string;
  data: Record<string, unknown>;
}

interface Format {
  name: string;
  kind: Extract<PlannedKind, 'incident' | 'ticket'>;
  /** True when the columns (or keys) are this tool's. */
  matches(columns: Set<string>): boolean;
  /** `leftOut`: a row this export holds by design that is no record (counted, not an error). */
  map(row: Row): Mapped | { error: string; leftOut?: boolean };
}

const has = (columns: Set<string>, ...names: string[]) => names.some((n) => columns.has(n));

/** ISO 8601 from what exports write: ISO, epoch milliseconds, Jira's 21/Mar/24 2:14 PM, 2024-03-15 14:32:00. */
export function isoDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d{12,13}$/.test(trimmed)) return new Date(Number(trimmed)).toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(trimmed) && !Number.isNaN(Date.parse(trimmed))) {
    return new Date(trimmed).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  const jira = /^(\d{1,2})\/([A-Za-z]{3})\/(\d{2,4})(?:\s+(\d{1,2}):(\d{2})\s*(AM|PM)?)?/i.exec(trimmed);
  const date = jira ? findDates(`${jira[1]} ${jira[2]} ${jira[3]!.length === 2 ? `20${jira[3]}` : jira[3]}`).dates[0]?.date : findDates(trimmed).dates[0]?.date;
  if (!date) return undefined;
  const time = findTime(trimmed);
  if (!time) return date;
  const hh = String(Math.floor(time.minutes / 60)).padStart(2, '0');
  const mm = String(time.minutes % 60).padStart(2, '0');
  return `${date}T${hh}:${mm}${time.zone === 'UTC' || time.zone === 'Z' || time.zone === 'GMT' ? 'Z' : ''}`;
}

/**
 * The first of these date columns the row has, as ISO 8601. A value no reading understands (a Jira
 * export in another language: 21/mars/24) is noted on the row, to be said, not dropped in silence.
 */
function dateCell(row: Row, ...names: string[]): string | undefined {
  const name = names.find((n) => row.values.get(n)?.[0]);
  if (!name) return undefined;
  const value = row.values.get(name)![0]!;
  const date = isoDate(value);
  if (!date) (row.unreadDates ??= []).push(`${row.headers?.get(name) ?? name} '${value}'`);
  return date;
}

function minutes(seconds: string | undefined): string | undefined {
  if (!seconds || !/^\d+(\.\d+)?$/.test(seconds)) return undefined;
  const m = Math.round(Number(seconds) / 60);
  return m >= 120 ? `${(m / 60).toFixed(1).replace(/\.0$/, '')} hours` : `${m} minutes`;
}

function cleanId(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z]+/, '').replace(/-+$/, '');
}

const compact = (record: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)));

const FORMAT_NAMES: Record<string, string> = {
  firehydrant: 'a FireHydrant',
  'incident-io': 'an incident.io',
  opsgenie: 'an Opsgenie',
  pagerduty: 'a PagerDuty',
  jira: 'a Jira',
  freshdesk: 'a Freshdesk',
  zendesk: 'a Zendesk',
  'github-issues': 'a GitHub issues',
};

const FORMATS: Format[] = [
  {
    name: 'firehydrant',
    kind: 'incident',
    matches: (c) => has(c, 'current_milestone', 'milestones', 'incident_url') && has(c, 'name'),
    map(row) {
      const number = cell(row, 'number', 'incident_number', 'id');
      const title = cell(row, 'name');
      if (!number || !title) return { error: 'a FireHydrant incident needs number and name' };
      return {
        id: cleanId(`FH-${number}`),
        data: compact({
          title,
          date: dateCell(row, 'started_at', 'created_at'),
          severity: cell(row, 'severity', 'severity_slug', 'severity_name'),
          summary: cell(row, 'summary', 'description'),
          status: cell(row, 'current_milestone', 'milestone'),
          systems: cells(row, 'services', 'services_name', 'impacts_impact_name', 'functionalities'),
          customer_impact: cell(row, 'customer_impact_summary'),
          tags: cells(row, 'tag_list', 'tags'),
          url: cell(row, 'incident_url'),
        }),
      };
    },
  },
  {
    name: 'incident-io',
    kind: 'incident',
    matches: (c) => has(c, 'reference') && has(c, 'name') && has(c, 'severity', 'severity_name', 'incident_status_name', 'status', 'reported_at', 'permalink'),
    map(row) {
      const reference = cell(row, 'reference');
      const title = cell(row, 'name');
      if (!reference || !title) return { error: 'an incident.io incident needs reference and name' };
      return {
        id: cleanId(reference),
        data: compact({
          title,
          date: dateCell(row, 'reported_at', 'created_at', 'created'),
          severity: cell(row, 'severity_name', 'severity'),
          summary: cell(row, 'summary'),
          status: cell(row, 'incident_status_name', 'status'),
          systems: cells(row, 'affected_services', 'services'),
          url: cell(row, 'permalink', 'url'),
        }),
      };
    },
  },
  {
    name: 'opsgenie',
    kind: 'incident',
    matches: (c) => has(c, 'tinyid', 'tiny_id') || (has(c, 'alias') && has(c, 'message')),
    map(row) {
      const tiny = cell(row, 'tinyid', 'tiny_id', 'id');
      const title = cell(row, 'message');
      if (!tiny || !title) return { error: 'an Opsgenie record needs tinyId (or id) and message' };
      return {
        id: cleanId(`OG-${tiny}`),
        data: compact({
          title,
          date: dateCell(row, 'createdat', 'created_at'),
          severity: cell(row, 'priority'),
          summary: cell(row, 'description'),
          status: cell(row, 'status'),
          systems: cells(row, 'impactedservices', 'impacted_services', 'source', 'entity'),
          tags: cells(row, 'tags'),
        }),
      };
    },
  },
  {
    name: 'pagerduty',
    kind: 'incident',
    matches: (c) => has(c, 'incident_number') && has(c, 'urgency', 'service_name', 'service_summary', 'escalation_policy_name', 'html_url', 'created_on', 'created_at'),
    map(row) {
      const number = cell(row, 'incident_number');
      const title = cell(row, 'title', 'description', 'summary', 'incident_title');
      if (!number || !title) return { error: 'a PagerDuty incident needs incident_number and title (or description)' };
      const created = dateCell(row, 'created_on', 'created_at');
      const resolved = dateCell(row, 'resolved_on', 'resolved_at');
      return {
        id: cleanId(`PD-${number}`),
        data: compact({
          title: title.replace(/^\[#\d+\]\s*/, ''),
          date: created,
          severity: cell(row, 'priority_summary', 'priority_name', 'priority'),
          status: cell(row, 'status'),
          systems: cells(row, 'service_name', 'service_summary'),
          timeline: [created ? `${created} - triggered` : undefined, resolved ? `${resolved} - resolved` : undefined].filter(Boolean),
          resolution_time: minutes(cell(row, 'seconds_to_resolve')),
          tags: cells(row, 'urgency').map((u) => `urgency:${u}`),
          url: cell(row, 'html_url'),
        }),
      };
    },
  },
  {
    name: 'jira',
    kind: 'ticket',
    matches: (c) => has(c, 'issue_key', 'key') && has(c, 'summary') && has(c, 'issue_type', 'status', 'created', 'issue_id'),
    map(row) {
      const key = cell(row, 'issue_key', 'key');
      const title = cell(row, 'summary');
      if (!key || !title) return { error: 'a Jira issue needs Issue key and Summary' };
      return {
        id: cleanId(key),
        data: compact({
          title,
          created: dateCell(row, 'created'),
          updated: dateCell(row, 'updated'),
          resolved: dateCell(row, 'resolved'),
          status: cell(row, 'status'),
          priority: cell(row, 'priority'),
          ticket_type: cell(row, 'issue_type'),
          components: cells(row, 'component_s', 'components'),
          tags: cells(row, 'labels'),
          body: cell(row, 'description'),
        }),
      };
    },
  },
  {
    name: 'freshdesk',
    kind: 'ticket',
    matches: (c) => has(c, 'ticket_id') && has(c, 'subject') && has(c, 'created_time', 'agent', 'source', 'last_updated_time'),
    map(row) {
      const id = cell(row, 'ticket_id');
      const title = cell(row, 'subject');
      if (!id || !title) return { error: 'a Freshdesk ticket needs Ticket ID and Subject' };
      return {
        id: cleanId(`FD-${id}`),
        data: compact({
          title,
          created: dateCell(row, 'created_time'),
          updated: dateCell(row, 'last_updated_time'),
          resolved: dateCell(row, 'resolved_time', 'closed_time'),
          status: cell(row, 'status'),
          priority: cell(row, 'priority'),
          ticket_type: cell(row, 'type'),
          components: cells(row, 'product', 'group'),
          tags: cells(row, 'tags'),
          body: cell(row, 'description'),
        }),
      };
    },
  },
  {
    name: 'zendesk',
    kind: 'ticket',
    matches: (c) => has(c, 'subject') && has(c, 'id', 'ticket_id') && has(c, 'requester', 'requested', 'submitter', 'requester_id', 'organization'),
    map(row) {
      const id = cell(row, 'id', 'ticket_id');
      const title = cell(row, 'subject');
      if (!id || !title) return { error: 'a Zendesk ticket needs ID and Subject' };
      return {
        id: cleanId(`ZD-${id}`),
        data: compact({
          title,
          created: dateCell(row, 'requested', 'created_at', 'created'),
          updated: dateCell(row, 'updated', 'updated_at'),
          resolved: dateCell(row, 'solved', 'solved_at'),
          status: cell(row, 'status'),
          priority: cell(row, 'priority'),
          ticket_type: cell(row, 'type'),
          components: cells(row, 'group', 'group_name', 'brand'),
          // Zendesk tags hold no spaces: its exports separate them with spaces ("billing refund" is two tags).
          tags: [...new Set(cells(row, 'tags').flatMap((t) => t.split(/\s+/)))],
          body: cell(row, 'description'),
          url: cell(row, 'url'),
        }),
      };
    },
  },
  {
    name: 'github-issues',
    kind: 'ticket',
    matches: (c) => has(c, 'number') && has(c, 'title') && has(c, 'state') && has(c, 'url', 'html_url'),
    map(row) {
      const number = cell(row, 'number');
      const title = cell(row, 'title');
      if (!number || !title) return { error: 'a GitHub issue needs number and title' };
      if (cell(row, 'pull_request_url', 'pull_request_html_url')) return { error: "pull requests, not issues (GitHub's issues API lists both)", leftOut: true };
      const url = cell(row, 'html_url', 'url') ?? '';
      const repo = /github\.com\/[^/]+\/([^/]+)\/issues\//.exec(url)?.[1];
      return {
        id: cleanId(repo ? `GH-${repo}-${number}` : `GH-${number}`),
        data: compact({
          title,
          created: dateCell(row, 'createdat', 'created_at'),
          updated: dateCell(row, 'updatedat', 'updated_at'),
          resolved: dateCell(row, 'closedat', 'closed_at'),
          status: cell(row, 'state')?.toLowerCase(),
          tags: cells(row, 'labels', 'labels_name'),
          body: cell(row, 'body'),
          url: url || undefined,
        }),
      };
    },
  },
];

/** The export reader planImport uses: CSV/TSV by header, JSON by keys; undefined for anything else (markdown). */
export const exportReader: ExportReader = (input: ImportInput) => {
  const trimmed = input.text.replace(/^\uFEFF/, '').trimStart();
  const isJson = /\.json$/i.test(input.source) || ((trimmed.startsWith('{') || trimmed.startsWith('[')) && !/\.(md|markdown|mdx|txt)$/i.test(input.source));
  const isCsv = /\.(csv|tsv)$/i.test(input.source);
  if (!isJson && !isCsv) return undefined;
  return (plan, regs) => {
    let rows: Row[];
    let columns: Set<string>;
    try {
      ({ rows, columns } = isJson ? jsonRows(trimmed, input.text) : csvRows(input.text));
    } catch (error) {
      const { line = 1, column, noList } = error as { line?: number; column?: number; noList?: boolean };
      // package.json, tsconfig.json met in a folder walk: configuration, not an export that failed.
      if (noList && input.walked) {
        plan.skipped.push({ source: input.source, reason: 'JSON files that hold no list of records (configuration, not exports)', kind: 'left-out' });
        return;
      }
      plan.skipped.push({ source: input.source, reason: (error as Error).message, line, ...(column ? { column } : {}), kind: 'unreadable' });
      return;
    }
    const format = FORMATS.find((f) => f.matches(columns));
    // Nothing to tell the format by: said as such, not as columns that "match no known export".
    if (!format && trimmed === '') {
      plan.skipped.push({ source: input.source, line: 1, kind: 'unreadable', reason: 'the file is empty' });
      return;
    }
    if (!format && rows.length === 0) {
      const what = isJson ? 'JSON with no items' : `a CSV with a header line and no rows (columns: ${[...columns].slice(0, 8).join(', ')}${columns.size > 8 ? ', …' : ''})`;
      plan.skipped.push({ source: input.source, line: 1, kind: 'unreadable', reason: `${what}: nothing to import (export again with the incidents or tickets in it)` });
      return;
    }
    if (!format) {
      const shown = [...columns].slice(0, 8).join(', ');
      plan.skipped.push({
        source: input.source,
        line: 1,
        kind: 'unreadable',
        reason: `${isJson ? 'JSON' : 'a CSV'} whose ${isJson ? 'keys' : 'columns'} (${shown}${columns.size > 8 ? ', …' : ''}) match no known export: PagerDuty (incident_number), Opsgenie (tinyId, message), incident.io (reference, name), FireHydrant (name, current_milestone), Jira (Issue key, Summary), Zendesk (ID, Subject, Requester), Freshdesk (Ticket ID, Subject), GitHub issues (number, title, state, url)`,
      });
      return;
    }
    // A known export with no rows (a filter that matched nothing) is said, not passed over in silence.
    if (rows.length === 0) plan.notes.push({ source: input.source, line: 1, column: 1, message: `${FORMAT_NAMES[format.name] ?? format.name} export with no ${format.kind === 'incident' ? 'incidents' : 'tickets'} in it: nothing to import` });
    planRows(input, format, rows, plan, regs);
  };
};

function planRows(input: ImportInput, format: Format, rows: Row[], plan: ImportPlan, regs: Registries): void {
  const reg: IdRegistry = regs[format.kind];
  const seenInFile = registry([]);
  // Rows with a date no reading understands: the first few named, the rest counted (a whole export in another language is one cause).
  let undated = 0;
  let moreAt = 0;
  for (const row of rows) {
    const mapped = format.map(row);
    if ('error' in mapped) {
      plan.skipped.push(
        mapped.leftOut
          ? { source: input.source, line: row.line, kind: 'left-out', reason: mapped.error }
          : { source: input.source, line: row.line, kind: 'unreadable', reason: `row skipped: ${mapped.error}` },
      );
      continue;
    }
    const fingerprint = createHash('sha256').update(row.raw.trim()).digest('hex');
    const key = mapped.id.toLowerCase();
    if (seenInFile.taken.has(key)) {
      plan.skipped.push({ source: input.source, line: row.line, kind: 'unreadable', reason: `${mapped.id} appears twice in this file; the first row was kept` });
      continue;
    }
    remember(seenInFile, { id: mapped.id });
    plan.documents++;
    if (reg.taken.has(key)) {
      const same = reg.byFingerprint.get(fingerprint);
      // Taken by a row of another file of this same run (two overlapping exports): named, since nothing "exists" yet.
      const earlier = same ? undefined : plan.records.find((r) => r.kind === format.kind && r.id.toLowerCase() === key);
      plan.skipped.push(
        earlier
          ? { source: input.source, line: row.line, kind: 'unreadable', reason: `${mapped.id} is also at ${earlier.source}:${earlier.line} with other content, and that row is imported in this run; records are never overwritten (import the files one at a time to see both, or keep one row)` }
          : same
          ? { source: input.source, line: row.line, kind: 'imported', reason: `already imported as ${same.id}` }
          : { source: input.source, line: row.line, kind: 'changed', reason: `${mapped.id} already exists and differs from this row; records are never overwritten (edit it by hand, or delete it and import again)` },
      );
      continue;
    }
    remember(reg, { id: mapped.id, file: input.recordedFile, fingerprint });
    if (row.unreadDates && ++undated === 4) moreAt = row.line;
    if (row.unreadDates && undated <= 3) {
      const what = row.unreadDates.join(', ');
      plan.notes.push({ source: input.source, line: row.line, column: 1, message: `${mapped.id}: ${what} ${row.unreadDates.length === 1 ? 'is not a date' : 'are not dates'} this import reads, so the record has no such date (write it as 2024-03-21 14:14, or export with English month names)` });
    }
    // A title is one line: a cell with a line break in it broke every listing that prints titles (gaps, similar, context).
    if (typeof mapped.data.title === 'string') mapped.data.title = mapped.data.title.replace(/\s+/g, ' ').trim();
    const idField = format.kind === 'incident' ? 'incident_id' : 'id';
    plan.records.push({
      kind: format.kind,
      id: mapped.id,
      data: { [idField]: mapped.id, ...mapped.data, source: { file: input.recordedFile, line: row.line, format: `${format.name}-${/^\s*[[{]/.test(input.text) ? 'json' : 'csv'}`, fingerprint } },
      source: input.source,
      line: row.line,
    });
  }
  if (undated > 3) plan.notes.push({ source: input.source, line: moreAt, column: 1, message: `${undated - 3} more rows from here on have dates this import cannot read (as above)` });
}

function csvRows(text: string): { rows: Row[]; columns: Set<string> } {
  const table = readTable(text);
  return { rows: table.rows, columns: new Set(table.columns) };
}

/** A JSON export: an array of records, or an object holding one ({incidents: […]}, {data: […]}, {issues: […]}). */
function jsonRows(trimmed: string, original: string): { rows: Row[]; columns: Set<string> } {
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message);
    // The position is in the text without its BOM and leading blank lines: placed back in the file as written.
    const before = position ? original.slice(0, Number(position[1]) + original.length - trimmed.length).split('\n') : undefined;
    throw Object.assign(new Error(`the JSON does not parse: ${(error as Error).message}`), before ? { line: before.length, column: before[before.length - 1]!.length + 1 } : { line: 1 });
  }
  let list: unknown[] | undefined;
  let listKey: string | undefined;
  if (Array.isArray(value)) list = value;
  else if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    listKey = ['incidents', 'data', 'issues', 'tickets', 'alerts', 'results'].find((k) => Array.isArray(object[k]));
    list = listKey ? (object[listKey] as unknown[]) : undefined;
  }
  if (!list) throw Object.assign(new Error('the JSON holds no list of records (an array, or an object with incidents, data, issues or tickets)'), { line: 1, noList: true });
  const columns = new Set<string>();
  const rows: Row[] = [];
  const lines = objectLines(original, listKey);
  let n = 0;
  for (const item of list) {
    if (!item || typeof item !== 'object' || Array.isArray(item)) continue;
    const values = new Map<string, string[]>();
    flatten(item as Record<string, unknown>, '', values, 0);
    for (const key of values.keys()) columns.add(key);
    // The record's line: where its `{` is (gh's output puts an object such as author before any plain value).
    rows.push({ line: lines[n++] ?? 1, values, raw: JSON.stringify(item) });
  }
  return { rows, columns };
}

/** The line of each object in the export's list (the top-level array, or the array under `key` of the top-level object), in order. */
function objectLines(text: string, key: string | undefined): number[] {
  const out: number[] = [];
  let line = 1;
  let depth = 0;
  let listDepth = key === undefined ? 1 : -1;
  let inString = false;
  let string = '';
  let lastKey: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') string += text[++i] ?? '';
      else if (c === '"') {
        inString = false;
        if (depth === 1) lastKey = string;
      } else string += c;
      continue;
    }
    if (c === '\n') line++;
    else if (c === '"') {
      inString = true;
      string = '';
    } else if (c === '{' || c === '[') {
      if (c === '{' && depth === listDepth) out.push(line);
      if (c === '[' && depth === 1 && listDepth === -1 && key !== undefined && lastKey === key) listDepth = 2;
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth === 1 && listDepth === 2) listDepth = -2;
    } else if (c === ',' && depth === 1) lastKey = undefined;
  }
  return out;
}

/** {service: {summary: "x"}} → service_summary; [{name: "bug"}] → the names; depth-limited. */
function flatten(object: Record<string, unknown>, prefix: string, out: Map<string, string[]>, depth: number): void {
  for (const [rawKey, value] of Object.entries(object)) {
    const key = normalizeColumn(prefix ? `${prefix}_${rawKey}` : rawKey);
    if (value === null || value === undefined || value === '') continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      out.set(key, [typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : String(value)]);
    } else if (Array.isArray(value)) {
      const names = value
        .map((v) => (v && typeof v === 'object' ? ((v as Record<string, unknown>).name ?? (v as Record<string, unknown>).summary ?? (v as Record<string, unknown>).title) : v))
        .filter((v): v is string | number => typeof v === 'string' || typeof v === 'number')
        .map(String);
      if (names.length > 0) out.set(key, names);
    } else if (typeof value === 'object' && depth < 2) {
      flatten(value as Record<string, unknown>, key, out, depth + 1);
      const named = (value as Record<string, unknown>).name ?? (value as Record<string, unknown>).summary;
      if (typeof named === 'string' && !out.has(key)) out.set(key, [named]);
    }
  }
}
