import type { List, ListItem, RootContent, Table } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { firstDate } from './dates.js';
import { lineOf, nodesWithin, normalizeHeading, type Section } from './sections.js';

export type ActionStatus = 'open' | 'in_progress' | 'done' | 'wont_do' | 'not_stated';

export interface ActionItem {
  action: string;
  status: ActionStatus;
  status_as_written?: string;
  owner?: string;
  due?: string;
  ticket?: string;
  section?: string;
  line: number;
}

/** Status words and marks, most specific first. Words only count where a status is written: at the start, in brackets, or after a dash at the end. */
const MARKS: Array<[ActionStatus, RegExp]> = [
  ['done', /✅|✔️?|☑️?|🟢|\[x\]/i],
  ['open', /❌|✗|✘|☐|⬜|🔴|\[ \]/],
  ['in_progress', /🚧|⏳|🟡|🔄/],
  ['in_progress', /\bPRs? (?:exists?|open(?:ed)?|raised|in review|up|created)\b|\bin[- ]progress\b|\bWIP\b|\bongoing\b|\bunderway\b|\bstarted\b/i],
  ['wont_do', /\bwon'?t (?:do|fix)\b|\bwontfix\b|\bnot planned\b|\b(?:cancell?ed|dropped|declined|rejected)\b/i],
  ['done', /\bDONE\b|\bCOMPLETED?\b|\bFIXED\b|\bRESOLVED\b/],
  ['open', /\bTODO\b|\bTO ?DO\b|\bOPEN\b|\bPENDING\b|\bNOT STARTED\b/],
];
const WORDS: Array<[ActionStatus, RegExp]> = [
  ['done', /^(?:done|completed?|complete|fixed|resolved|shipped|merged|implemented|finished|closed|deployed)$/i],
  ['open', /^(?:to ?do|open|pending|not started|not done|planned|outstanding|backlog|not yet (?:started|done)|new)$/i],
  ['in_progress', /^(?:in[- ]progress|ongoing|wip|started|underway|in review|pr exists|pr open)$/i],
  ['wont_do', /^(?:won'?t (?:do|fix)|wontfix|cancell?ed|dropped|declined|rejected|not planned)$/i],
];

/** The status an item's own text states, with the words it was read from; undefined when it says none. */
export function statusOf(text: string): { status: ActionStatus; written: string } | undefined {
  for (const [status, re] of MARKS) {
    const m = re.exec(text);
    if (!m) continue;
    // All-caps words count anywhere; mixed-case phrases only in status positions (handled below) unless a mark.
    if (re.flags.includes('i') && status !== 'in_progress' && status !== 'wont_do' && !/[^\w\s]/.test(m[0])) continue;
    if ((status === 'in_progress' || status === 'wont_do') && /\w/.test(m[0]) && !inStatusPosition(text, m.index, m[0].length) && !/^PR/i.test(m[0])) continue;
    return { status, written: m[0] };
  }
  // "Done: …", "(done)", "[Completed]", "… - done", "Status: open"
  const positions = [
    /^\s*\**\s*([A-Za-z' -]{3,20}?)\s*\**\s*[:–—-]\s/,
    /[([]\s*([A-Za-z' -]{3,20}?)\s*[)\]]/,
    /[-–—:]\s*\**([A-Za-z' -]{3,20}?)\**\s*\.?\s*$/,
    /\bstatus\s*[:=-]\s*\**([A-Za-z' -]{3,20}?)\**(?:[.,;)]|$)/i,
  ];
  for (const re of positions) {
    const m = re.exec(text);
    if (!m) continue;
    const word = m[1]!.trim();
    for (const [status, w] of WORDS) if (w.test(word)) return { status, written: m[0].trim() };
  }
  return undefined;
}

function inStatusPosition(text: string, index: number, length: number): boolean {
  const before = text.slice(0, index);
  const after = text.slice(index + length);
  return /^[\s*]*$/.test(before) || /[([]\s*$/.test(before) || /[-–—:]\s*\**$/.test(before) || /^\s*[)\]]/.test(after) || /status\s*[:=-]?\s*\**$/i.test(before);
}

/** A status a heading gives its items ("Completed", "Open items"). */
function statusOfHeading(title: string): ActionStatus | undefined {
  const text = normalizeHeading(title);
  if (/\b(completed?|done|finished|resolved|implemented|shipped|already (done|fixed))\b/.test(text)) return 'done';
  if (/\b(in progress|ongoing|underway)\b/.test(text)) return 'in_progress';
  if (/\b(open|to ?do|outstanding|pending|remaining|not (yet )?started|planned|backlog)\b/.test(text)) return 'open';
  if (/\b(won.?t do|declined|dropped|cancell?ed)\b/.test(text)) return 'wont_do';
  return undefined;
}

const TRACKER = /(?:github\.com\/[^\s)]+\/(?:issues|pull)\/\d+|gitlab\.[^\s)]+\/-\/(?:issues|merge_requests)\/\d+|atlassian\.net\/browse\/[A-Z][A-Z0-9]+-\d+|linear\.app\/[^\s)]+|\/browse\/[A-Z][A-Z0-9]+-\d+)/;

/** Action items from follow-up sections: list items, task lists and tables; sub-headings say the horizon or the status. */
export function readActions(sections: Section[], yearHint?: number): ActionItem[] {
  const items: ActionItem[] = [];
  for (const section of sections) {
    const nodes = nodesWithin(section);
    const structured = nodes.some(({ node }) => node.type === 'list' || node.type === 'table');
    for (const { node, path } of nodes) {
      const label = path.join(' › ');
      const headingStatus = [...path].reverse().map(statusOfHeading).find(Boolean);
      if (node.type === 'list') items.push(...fromList(node as List, label, headingStatus, yearHint));
      else if (node.type === 'table') items.push(...fromTable(node as Table, label, headingStatus, yearHint));
      else if (!structured && node.type === 'paragraph') items.push(...fromLines(node, label, headingStatus));
    }
  }
  return items;
}

function fromList(list: List, label: string, headingStatus: ActionStatus | undefined, yearHint?: number): ActionItem[] {
  const out: ActionItem[] = [];
  for (const item of list.children) {
    const [first, ...more] = item.children;
    const head = first && first.type !== 'list' ? toString(first).trim() : '';
    const nested = more.filter((c): c is List => c.type === 'list');
    // "Short term:" or "**Completed**" with the items nested below it.
    if (nested.length > 0 && head && isGroupLabel(head)) {
      const group = head.replace(/[:*]+\s*$/, '').trim();
      const status = statusOfHeading(group) ?? headingStatus;
      for (const inner of nested) out.push(...fromList(inner, label ? `${label} › ${group}` : group, status, yearHint));
      continue;
    }
    if (!head) continue;
    out.push(makeItem(item, head, label, headingStatus, yearHint));
  }
  return out;
}

/** A follow-up section written as lines of prose, one improvement per line ("Add more thorough testing…"). */
function fromLines(node: RootContent, label: string, headingStatus: ActionStatus | undefined): ActionItem[] {
  const start = lineOf(node as { position?: { start: { line: number } } });
  return toString(node)
    .split('\n')
    .map((text, i) => ({ text: text.trim(), line: start + i }))
    .filter(({ text }) => text.split(/\s+/).length >= 3 && !/:$/.test(text))
    .map(({ text, line }) => {
      const found = statusOf(text);
      const { status, written } = resolveStatus(found, headingStatus, label);
      return { action: cleanAction(text, found?.written), status, ...(written ? { status_as_written: written } : {}), ...ownerOf(text), ...(label ? { section: label } : {}), line };
    });
}

/**
 * An item's status: as its own text says it, else as the heading it sits under says it (the heading's
 * last part is what was written), else not stated — never a guess.
 */
function resolveStatus(found: { status: ActionStatus; written: string } | undefined, headingStatus: ActionStatus | undefined, label: string): { status: ActionStatus; written?: string } {
  if (found) return found;
  if (headingStatus) {
    const written = label.split(' › ').pop();
    return written ? { status: headingStatus, written } : { status: headingStatus };
  }
  return { status: 'not_stated' };
}

function isGroupLabel(text: string): boolean {
  return text.length <= 40 && (/:\s*$/.test(text) || text.split(/\s+/).length <= 4) && !/[.!?]$/.test(text);
}

function makeItem(item: ListItem, head: string, label: string, headingStatus: ActionStatus | undefined, yearHint?: number): ActionItem {
  const line = lineOf(item);
  const checkbox = item.checked === true || item.checked === false ? { status: item.checked ? ('done' as const) : ('open' as const), written: item.checked ? '[x]' : '[ ]' } : undefined;
  const found = checkbox ?? statusOf(head) ?? (isStruck(item) ? { status: 'done' as const, written: '~~struck through~~' } : undefined);
  const { status, written } = resolveStatus(found, headingStatus, label);
  const url = linkIn(item);
  return {
    action: cleanAction(head, written),
    status,
    ...(written ? { status_as_written: written } : {}),
    ...ownerOf(head),
    ...dueOf(head, yearHint),
    ...(ticketOf(head, url) ? { ticket: ticketOf(head, url)! } : {}),
    ...(label ? { section: label } : {}),
    line,
  };
}

function fromTable(table: Table, label: string, headingStatus: ActionStatus | undefined, yearHint?: number): ActionItem[] {
  const [header, ...rows] = table.children;
  if (!header) return [];
  const names = header.children.map((c) => toString(c).toLowerCase().trim());
  const find = (re: RegExp) => names.findIndex((n) => re.test(n));
  const owner = find(/owner|assignee|who|responsible|dri|team|assigned/);
  const due = find(/due|deadline|eta|target|by when|when|date/);
  const statusColumn = find(/status|state|done|progress|complete/);
  const ticket = find(/ticket|issue|link|jira|tracking|pr\b|reference|url/);
  let action = find(/action|item|task|description|what|title|summary|remediation|fix|follow/);
  if (action < 0 || [owner, due, statusColumn, ticket].includes(action)) {
    action = names.findIndex((_, i) => ![owner, due, statusColumn, ticket].includes(i) && !/^#|^no\.?$|^id$|priority|type/.test(names[i]!));
  }
  if (action < 0) return [];
  const out: ActionItem[] = [];
  for (const row of rows) {
    const cell = (i: number) => (i >= 0 && row.children[i] ? toString(row.children[i]!).replace(/\s+/g, ' ').trim() : '');
    const text = cell(action);
    if (!text) continue;
    const statusText = cell(statusColumn);
    const { status, written } = resolveStatus(statusText ? statusOfCell(statusText) : statusOf(text), headingStatus, label);
    const dueText = cell(due);
    const dueDate = dueText ? (firstDate(dueText, yearHint)?.date ?? dueText) : undefined;
    const ticketText = cell(ticket);
    const url = row.children[ticket] ? linkIn(row.children[ticket]!) : linkIn(row.children[action]!);
    const ticketRef = ticketOf(ticketText || text, url);
    const ownerText = cell(owner);
    out.push({
      action: cleanAction(text, undefined),
      status,
      ...(written ? { status_as_written: written } : {}),
      ...(ownerText && !/^[-–—?]+$|^(tbd|n\/a|none)$/i.test(ownerText) ? { owner: ownerText } : ownerOf(text)),
      ...(dueDate && !/^[-–—?]+$|^(tbd|n\/a)$/i.test(dueDate) ? { due: dueDate } : {}),
      ...(ticketRef ? { ticket: ticketRef } : {}),
      ...(label ? { section: label } : {}),
      line: lineOf(row),
    });
  }
  return out;
}

/** A status column's cell: the whole cell is the status ("Done", "✅", "PR exists", "In progress - Q3"). */
function statusOfCell(text: string): { status: ActionStatus; written: string } | undefined {
  const marked = statusOf(text);
  if (marked) return marked;
  const first = text.split(/[-–—,(;]/)[0]!.trim();
  for (const [status, w] of WORDS) if (w.test(first)) return { status, written: text };
  return undefined;
}

function isStruck(item: ListItem): boolean {
  const first = item.children[0];
  if (!first || first.type !== 'paragraph') return false;
  const visible = first.children.filter((c) => !(c.type === 'text' && !c.value.trim()));
  return visible.length > 0 && visible.every((c) => c.type === 'delete');
}

function linkIn(node: RootContent | ListItem | { children?: unknown[] }): string | undefined {
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const current = stack.pop() as { type?: string; url?: string; children?: unknown[] };
    if (current.type === 'link' && current.url && TRACKER.test(current.url)) return current.url;
    if (current.type === 'list') continue;
    if (current.children) stack.push(...[...current.children].reverse());
  }
  return undefined;
}

function ticketOf(text: string, url: string | undefined): string | undefined {
  if (url) return url;
  const bare = TRACKER.exec(text);
  if (bare) return bare[0].startsWith('http') ? bare[0] : `https://${bare[0]}`;
  const key = /\b(?!SEV-|CVE-|PM\d|INC-\d{4}-\d{3}\b)[A-Z][A-Z0-9]{1,9}-\d{1,6}\b/.exec(text);
  if (key) return key[0];
  const hash = /(?:^|\s)(#\d{2,7})\b/.exec(text);
  return hash?.[1];
}

function ownerOf(text: string): { owner?: string } {
  const labelled = /\b(?:owner|owners|assignee|assigned to|responsible|dri)\s*[:=-]?\s*(@?[\w.-]+(?:\s[A-Z][\w.-]+)?)/i.exec(text);
  if (labelled) return { owner: labelled[1]! };
  const mention = /(?:^|[\s(])@([A-Za-z0-9][\w.-]*[A-Za-z0-9])/.exec(text);
  if (mention) return { owner: `@${mention[1]}` };
  return {};
}

function dueOf(text: string, yearHint?: number): { due?: string } {
  const m = /\b(?:due|deadline|eta|target(?: date)?|by)\s*[:]?\s*((?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2})|(?:\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})|(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?)|(?:end of (?:q[1-4]|the (?:week|month|quarter|year)|[a-z]+)(?:\s+\d{4})?)|(?:q[1-4](?:\s+\d{4})?))/i.exec(text);
  if (!m) return {};
  return { due: firstDate(m[1]!, yearHint)?.date ?? m[1]! };
}

/** The action's words without the status marks read from them. */
function cleanAction(text: string, written: string | undefined): string {
  let out = text.replace(/\s+/g, ' ');
  if (written && !/›/.test(written)) {
    const at = out.indexOf(written);
    if (at >= 0 && (at < 3 || at + written.length > out.length - 3)) out = out.slice(0, at) + out.slice(at + written.length);
  }
  out = out.replace(/^(?:[\s✅✔☑❌✗✘☐⬜🚧⏳🟢🟡🔴:–—-]|\u{FE0F})+/u, '').replace(/\s*[-–—:]\s*$/, '').trim();
  return out || text.trim();
}
