// The public LogHub benchmark (github.com/logpai/loghub, 16 systems × 2,000 labeled lines): reading it
// and scoring a grouping with the standard grouping accuracy (GA, Zhu et al. 2019).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const LOGHUB_DIR = process.env.FAILURES_LOGHUB ?? '/work/data/loghub';

/** One CSV row per line (RFC 4180 quoting); the header's names as keys. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...body] = rows;
  return body.filter((r) => r.length === header.length).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

/** The systems found under `dir`: [{ system, lines: [{ content, event }] }], or [] when it is absent. */
export function loadLoghub(dir = LOGHUB_DIR) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((system) => join(dir, system, `${system}_2k.log_structured.csv`))
    .filter(existsSync)
    .map((file) => ({
      system: file.split('/').at(-2),
      lines: parseCsv(readFileSync(file, 'utf8')).map((r) => ({ content: r.Content, event: r.EventId })),
    }));
}

/** Grouping accuracy: the share of lines whose predicted group holds exactly the lines of their true group. */
export function groupingAccuracy(truth, predicted) {
  const members = (labels) => {
    const groups = new Map();
    labels.forEach((label, i) => (groups.get(label) ?? groups.set(label, []).get(label)).push(i));
    return groups;
  };
  const t = members(truth);
  const p = members(predicted);
  let exact = 0;
  for (const group of p.values()) {
    const label = truth[group[0]];
    if (t.get(label).length === group.length && group.every((i) => truth[i] === label)) exact += group.length;
  }
  return truth.length ? exact / truth.length : 1;
}
