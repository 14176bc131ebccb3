/**
 * Dates and times as people write them in postmortems: ISO, US and European numeric forms, month
 * names with or without a year, times with am/pm and a zone. Pure; no clock.
 */

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};
const MONTH = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';

export interface FoundDate {
  /** YYYY-MM-DD. */
  date: string;
  /** Offset of the match in the text. */
  index: number;
  /** The text matched. */
  text: string;
  /** True when the year was not written and came from the hint. */
  inferredYear?: boolean;
}

export interface DateIssue {
  index: number;
  text: string;
  kind: 'placeholder' | 'invalid';
}

const pad = (n: number) => String(n).padStart(2, '0');

function valid(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1 || year < 1970 || year > 2100) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const PATTERNS: Array<{ re: RegExp; read(m: RegExpExecArray, yearHint?: number): [number, number, number, boolean] | undefined }> = [
  // 2021-03-31, 2021/03/31, 2021.03.31 (also inside 2021-03-31T12:06Z)
  { re: /\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d])/g, read: (m) => [Number(m[1]), Number(m[2]), Number(m[3]), false] },
  // 31.03.2021 (European), 03/31/2021 or 31/03/2021, 01-10-2024 (US first unless impossible)
  {
    re: /\b(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?![\d])/g,
    read: (m) => {
      const a = Number(m[1]);
      const b = Number(m[3]);
      const year = m[4]!.length === 2 ? 2000 + Number(m[4]) : Number(m[4]);
      const european = m[2] === '.' || a > 12;
      return european ? [year, b, a, false] : [year, a, b, false];
    },
  },
  // 31st March 2021, 31 Mar, Wednesday 31st of March
  {
    re: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}\\.?(?:,?\\s+(\\d{4}))?\\b`, 'gi'),
    read: (m, hint) => {
      const year = m[3] ? Number(m[3]) : hint;
      return year === undefined ? undefined : [year, MONTHS[m[2]!.toLowerCase().slice(0, 3)]!, Number(m[1]), !m[3]];
    },
  },
  // March 31, 2021; Oct 3 2025; March 31st
  {
    re: new RegExp(`\\b${MONTH}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?![\\d:])(?:,?\\s+(\\d{4}))?\\b`, 'gi'),
    read: (m, hint) => {
      const year = m[3] ? Number(m[3]) : hint;
      return year === undefined ? undefined : [year, MONTHS[m[1]!.toLowerCase().slice(0, 3)]!, Number(m[2]), !m[3]];
    },
  },
];

/** Every date in the text, in order of appearance; impossible ones (2021-13-45) are issues, not dates. */
export function findDates(text: string, yearHint?: number): { dates: FoundDate[]; issues: DateIssue[] } {
  const dates: FoundDate[] = [];
  const issues: DateIssue[] = [];
  const taken: Array<[number, number]> = [];
  const overlaps = (start: number, end: number) => taken.some(([s, e]) => start < e && end > s);
  for (const { re, read } of PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const start = m.index;
      const end = start + m[0].length;
      if (overlaps(start, end)) continue;
      const parts = read(m, yearHint);
      if (!parts) continue;
      const [year, month, day, inferred] = parts;
      taken.push([start, end]);
      if (!valid(year, month, day)) {
        // "May 2021" style month-year reads as day 20 of May: only report numeric forms.
        if (/^\d/.test(m[0])) issues.push({ index: start, text: m[0], kind: 'invalid' });
        continue;
      }
      dates.push({ date: `${year}-${pad(month)}-${pad(day)}`, index: start, text: m[0], ...(inferred ? { inferredYear: true } : {}) });
    }
  }
  const placeholder = /\b(?:YYYY[-/]MM[-/]DD|DD[-/]MM[-/]YYYY|MM[-/]DD[-/]YYYY|YYYY|HH:mm|hh:mm|HH:MM|XX:XX|xx:xx)\b|\?\?:?\?\?|\?\?/g;
  for (let m = placeholder.exec(text); m; m = placeholder.exec(text)) issues.push({ index: m.index, text: m[0], kind: 'placeholder' });
  dates.sort((a, b) => a.index - b.index);
  issues.sort((a, b) => a.index - b.index);
  return { dates, issues };
}

export function firstDate(text: string, yearHint?: number): FoundDate | undefined {
  return findDates(text, yearHint).dates[0];
}

export interface FoundTime {
  /** Minutes after midnight, in the zone written. */
  minutes: number;
  zone?: string;
  text: string;
}

const TIME = /(?<![\d:])(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?\s*(am|pm|a\.m\.|p\.m\.)?(?:\s*\(?\b(UTC|GMT|Z|[ECMP][SD]T|CES?T|BST|IST|JST|AEST|AEDT|SGT|KST|UTC[+-]\d{1,2}(?::?\d{2})?)\b\)?)?/i;

/** The first clock time in the text (14:32, 7:32 PM, 12:06 UTC). */
export function findTime(text: string): (FoundTime & { index: number }) | undefined {
  const m = TIME.exec(text);
  if (!m) return undefined;
  let hours = Number(m[1]);
  const minutes = Number(m[2]);
  if (hours > 24 || minutes > 59) return undefined;
  const half = m[3]?.toLowerCase().replace(/\./g, '');
  if (half === 'pm' && hours < 12) hours += 12;
  if (half === 'am' && hours === 12) hours = 0;
  return { minutes: hours * 60 + minutes, ...(m[4] ? { zone: m[4].toUpperCase() } : {}), text: m[0], index: m.index };
}

/** The day after a YYYY-MM-DD date (for timelines that run past midnight). */
export function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The year a file name or path starts with or contains (2021-05-10-wiki.md, PM2019-008), for dates written without one. */
export function yearOf(text: string): number | undefined {
  const m = /(?:^|[^\d])((?:19|20)\d{2})(?!\d)/.exec(text);
  return m ? Number(m[1]) : undefined;
}
