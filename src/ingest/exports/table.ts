import { parse } from 'csv-parse/sync';

export interface Row {
  /** Line where the row starts (1-based). */
  line: number;
  /** Normalised column name → values (several for repeated columns, as Jira's Labels, Component/s). */
  values: Map<string, string[]>;
  /** The row's text as read, for the fingerprint. */
  raw: string;
  /** Normalised column name → the name as written in the export's header (CSV). */
  headers?: Map<string, string>;
  /** Date columns whose value could not be read as a date ("Created '21/mars/24 14:14'"). */
  unreadDates?: string[];
}

export interface Table {
  /** Normalised column names, in order. */
  columns: string[];
  /** Column names as written. */
  headers: string[];
  rows: Row[];
}

/** "Issue key" → issue_key, "Component/s" → component_s, "Created time" → created_time. */
export function normalizeColumn(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** A CSV (or TSV) export with a header row. Throws { line, message } when it does not parse. */
export function readTable(input: string): Table {
  // Line ends as editors count them: csv-parse counts a quoted "\r\n" (Jira's multi-line descriptions, an
  // Excel save) as two lines, which shifted every later row's line and text (its fingerprint).
  const text = input.replace(/\r\n?/g, '\n');
  const firstLine = text.replace(/^\uFEFF/, '').split('\n', 1)[0] ?? '';
  const delimiter = (firstLine.match(/\t/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? '\t' : firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // relax_quotes: a quote inside an unquoted cell (`Fix the "save" button`) is text, as Excel and Sheets read it.
    records = parse(text, { bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, info: true, relax_quotes: true }) as unknown as typeof records;
  } catch (error) {
    const e = error as Error & { lines?: number; code?: string };
    const open = e.code === 'CSV_QUOTE_NOT_CLOSED' ? unclosedQuote(text, delimiter) : undefined;
    if (open) {
      throw Object.assign(
        new Error(`the CSV does not parse: the quote opened here is never closed, so the rest of the file would be one cell (close it with a " before the next ${delimiter === '\t' ? 'tab' : `'${delimiter}'`}, or write a quote inside a quoted cell as "")`),
        open,
      );
    }
    throw Object.assign(new Error(`the CSV does not parse: ${e.message.replace(/^Invalid Record Length: /, '')}`), { line: e.lines ?? 1 });
  }
  const [header, ...body] = records;
  if (!header) return { columns: [], headers: [], rows: [] };
  const headers = header.record.map((h) => h.trim());
  const columns = headers.map(normalizeColumn);
  const lines = text.split('\n');
  const named = new Map(columns.map((c, i) => [c, headers[i]!]));
  let previousEnd = header.info.lines;
  const rows: Row[] = body.map(({ record, info }) => {
    const values = new Map<string, string[]>();
    record.forEach((value, i) => {
      const column = columns[i];
      if (!column || !value.trim()) return;
      const list = values.get(column) ?? [];
      list.push(value.trim());
      values.set(column, list);
    });
    let start = previousEnd + 1;
    // Blank lines before the row (skipped by the parser) are not where it starts.
    while (start < info.lines && !lines[start - 1]!.trim()) start++;
    previousEnd = info.lines;
    return { line: start, values, raw: lines.slice(start - 1, info.lines).join('\n'), headers: named };
  });
  return { columns, headers, rows };
}

/** The first value of the first of these columns that the row has. */
export function cell(row: Row, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = row.values.get(name)?.[0];
    if (value) return value;
  }
  return undefined;
}

/** Every value of these columns (repeated columns, and comma-separated lists in one cell). */
export function cells(row: Row, ...names: string[]): string[] {
  const out: string[] = [];
  for (const name of names) for (const value of row.values.get(name) ?? []) out.push(...value.split(/\s*[,;]\s*/).filter(Boolean));
  return [...new Set(out)];
}

/** Where the quoted cell that never closes begins (1-based line and column), reading quotes as RFC 4180 does. */
function unclosedQuote(text: string, delimiter: string): { line: number; column: number } | undefined {
  let line = 1;
  let lineStart = 0;
  let open: { line: number; column: number } | undefined;
  let cellStart = true;
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const c = text[i]!;
    if (open) {
      if (c === '"') {
        if (text[i + 1] === '"') i++;
        else open = undefined;
      } else if (c === '\n') {
        line++;
        lineStart = i + 1;
      }
      continue;
    }
    if (c === '"' && cellStart) open = { line, column: i - lineStart + 1 };
    if (c === '\n') {
      line++;
      lineStart = i + 1;
    }
    cellStart = c === delimiter || c === '\n';
  }
  return open;
}
