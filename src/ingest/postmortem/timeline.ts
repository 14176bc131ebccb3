import type { List, RootContent, Table } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { findDates, findTime, nextDay } from './dates.js';
import { lineOf, nodesWithin, type Section } from './sections.js';

export interface TimelineEntry {
  /** As written: "2021-03-31 12:06 - Certificates expire". */
  text: string;
  line: number;
  /** The day it happened, when the entry or a date line before it says (past midnight rolls over). */
  date?: string;
  /** Minutes after midnight, in the zone written. */
  minutes?: number;
  zone?: string;
}

export interface TimelineResult {
  entries: TimelineEntry[];
  /** Date issues (placeholders, impossible dates) with their line. */
  issues: Array<{ line: number; text: string; kind: 'placeholder' | 'invalid' }>;
}

/** A line that starts with a clock time or a date (optionally bold, bulleted or bracketed). */
const LEADING = /^[\s>*_[(-]*(?:\d{1,2}:\d{2}|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|T[+-]?\d|\?\?|HH:mm|XX:XX)/i;

/**
 * Timeline entries from timeline sections: list items, table rows, and paragraph or code lines that
 * start with a time or a date. A line holding only a date sets the day for the entries after it.
 */
export function readTimeline(sections: Section[], yearHint?: number): TimelineResult {
  const raw: Array<{ text: string; line: number }> = [];
  for (const section of sections) {
    // A date in the heading ("Timeline (PST) 01/16/2024") is context, not an entry.
    const headingDate = findDates(section.title, yearHint).dates[0]?.date;
    if (headingDate) raw.push({ text: section.title, line: section.line });
    for (const { node } of nodesWithin(section)) collect(node, raw);
  }
  const entries: TimelineEntry[] = [];
  const issues: TimelineResult['issues'] = [];
  let day: string | undefined;
  let lastMinutes: number | undefined;
  for (const { text, line } of raw) {
    const found = findDates(text, yearHint);
    for (const issue of found.issues) issues.push({ line, text: issue.text, kind: issue.kind });
    const time = findTime(text);
    const leadingDate = found.dates.find((d) => d.index < 40);
    const rest = text
      .replace(leadingDate?.text ?? '', '')
      .replace(time?.text ?? '', '')
      .replace(/^[\s\-–—:|,.*()[\]]+/, '')
      .replace(/\b(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b,?/i, '')
      .trim();
    if (leadingDate) {
      if (leadingDate.date !== day) lastMinutes = undefined;
      day = leadingDate.date;
    }
    // A line that is only a date (or the timeline's own heading) sets the day.
    if (!rest || rest.length < 3 || sections.some((s) => s.title === text)) continue;
    if (time && day && !leadingDate && lastMinutes !== undefined && time.minutes + 6 * 60 < lastMinutes) {
      // 23:50 then 00:10 with no new date: the timeline ran past midnight.
      day = nextDay(day);
    }
    if (time) lastMinutes = time.minutes;
    entries.push({
      text,
      line,
      ...(day ? { date: day } : {}),
      ...(time ? { minutes: time.minutes } : {}),
      ...(time?.zone ? { zone: time.zone } : {}),
    });
  }
  return { entries, issues };
}

function collect(node: RootContent, out: Array<{ text: string; line: number }>): void {
  if (node.type === 'list') {
    for (const item of (node as List).children) {
      const [first, ...more] = item.children;
      const head = first ? toString(first).trim() : '';
      const nested = more.filter((c): c is List => c.type === 'list');
      // "**01-10-2024**" with the day's events nested below it: the date line, then each event.
      const dateOnly = nested.length > 0 && LEADING.test(head) && head.replace(/[\d\-/.:,\s*]|(st|nd|rd|th)\b/gi, '').length < 12;
      if (head) out.push({ text: oneLine(head), line: lineOf(item) });
      if (dateOnly) for (const list of nested) collect(list, out);
    }
    return;
  }
  if (node.type === 'table') {
    const [header, ...rows] = (node as Table).children;
    const names = header?.children.map((c) => toString(c).toLowerCase()) ?? [];
    const looksLikeHeader = names.some((n) => /time|date|when|utc|timestamp|day|hour/.test(n));
    for (const row of looksLikeHeader ? rows : (node as Table).children) {
      const cells = row.children.map((c) => oneLine(toString(c))).filter(Boolean);
      if (cells.length > 0) out.push({ text: cells.join(' - '), line: lineOf(row) });
    }
    return;
  }
  if (node.type === 'paragraph' || node.type === 'code' || node.type === 'blockquote') {
    const text = node.type === 'code' ? node.value : node.type === 'blockquote' ? node.children.map((c) => toString(c)).join('\n') : toString(node);
    const start = lineOf(node) + (node.type === 'code' ? 1 : 0);
    let current: { text: string; line: number } | undefined;
    text.split('\n').forEach((lineText, i) => {
      const trimmed = lineText.trim();
      if (!trimmed) return;
      if (LEADING.test(trimmed)) {
        current = { text: oneLine(trimmed), line: start + i };
        out.push(current);
      } else if (current) {
        current.text = `${current.text} ${oneLine(trimmed)}`;
      }
    });
  }
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
