import type { Problem } from '../errors.js';

/** One parsed line of an import, with where it came from. */
export interface ImportedLine {
  line: number;
  /** The line's fields, with the seed's aliases mapped to record fields. */
  fields: Record<string, unknown>;
  /** Column of each field's key in the line, for messages that point at it. */
  columns: Record<string, number>;
}

/** Deeper than this is no feedback entry (and would exhaust the stack of whatever walks it). */
const MAX_DEPTH = 32;

/** Whether a parsed JSON value nests deeper than `max`, found without recursion. */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Names other tools and the seed's scripts use for record fields. */
const ALIASES: Record<string, string> = { session_id: 'session', antiPattern: 'anti_pattern', sameAs: 'same_as' };

/**
 * The seed's logs/feedback.jsonl: one JSON object per line, blank lines allowed. Every bad line is
 * reported with its line and column; the caller writes nothing unless there are none.
 */
export function parseJsonl(file: string, text: string): { lines: ImportedLine[]; problems: Problem[] } {
  const lines: ImportedLine[] = [];
  const problems: Problem[] = [];
  const raw = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  raw.forEach((source, index) => {
    const line = index + 1;
    if (source.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch (error) {
      const position = /position (\d+)/.exec((error as Error).message);
      problems.push({
        file,
        line,
        column: position ? Number(position[1]) + 1 : 1,
        path: '',
        message: `not valid JSON: ${(error as Error).message.replace(/ in JSON at position \d+.*$/, '')}`,
        fix: 'each line must be one complete JSON object, such as {"type": "mistake", "context": "…", …}',
        severity: 'error',
        rule: 'jsonl',
      });
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      problems.push({
        file,
        line,
        column: 1,
        path: '',
        message: 'each line must be a JSON object',
        fix: 'write one {"type": …, "context": …} object per line',
        severity: 'error',
        rule: 'jsonl',
      });
      return;
    }
    if (nestedDeeperThan(value, MAX_DEPTH)) {
      problems.push({ file, line, column: 1, path: '', message: `the object nests more than ${MAX_DEPTH} levels deep`, fix: 'a feedback entry is a flat object of short fields: write it flat', severity: 'error', rule: 'jsonl' });
      return;
    }
    if ('id' in value) {
      problems.push({
        file,
        line,
        column: source.indexOf('"id"') + 1 || 1,
        path: 'id',
        message: 'id is assigned by failures when an entry is written; a line cannot choose its own (ids must stay unique)',
        fix: 'remove "id" from the line (keep it as "x-id" to remember where it came from)',
        severity: 'error',
        rule: 'jsonl',
      });
      return;
    }
    const fields: Record<string, unknown> = {};
    const columns: Record<string, number> = {};
    for (const [key, fieldValue] of Object.entries(value)) {
      const name = ALIASES[key] ?? key;
      fields[name] = fieldValue;
      const at = source.indexOf(JSON.stringify(key));
      columns[name] = at >= 0 ? at + 1 : 1;
    }
    lines.push({ line, fields, columns });
  });
  return { lines, problems };
}
