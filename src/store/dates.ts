/** Fields that hold an ISO 8601 date or time, per record kind. */
export const DATE_FIELDS: Readonly<Record<string, ReadonlyArray<readonly string[]>>> = {
  feedback: [['timestamp']],
  'anti-pattern': [['review', 'proposed_at'], ['review', 'approved_at'], ['review', 'rejected_at'], ['review', 'retired_at']],
  incident: [['date']],
  postmortem: [['date']],
};

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(?:Z|([+-])(\d{2}):?(\d{2}))?/;

/**
 * Why a date-time string names no real moment (`2025-13-45T99:99:99`), or undefined when it does
 * (or is not shaped like an ISO date at all: the schema's pattern reports that).
 */
export function impossibleDate(value: string): string | undefined {
  const match = ISO.exec(value);
  if (!match) return undefined;
  const number = (i: number) => (match[i] === undefined ? undefined : Number(match[i]));
  const [y, mo, d, h, mi, s, oh, om] = [number(1), number(2), number(3), number(4), number(5), number(6), number(8), number(9)];
  const year = y!;
  const month = mo!;
  if (month < 1 || month > 12) return `month ${String(month).padStart(2, '0')} does not exist`;
  const days = [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  if (d! < 1 || d! > days) return `day ${String(d).padStart(2, '0')} does not exist in ${year}-${String(month).padStart(2, '0')}`;
  if (h !== undefined && h > 23) return `hour ${h} does not exist`;
  if (mi !== undefined && mi > 59) return `minute ${mi} does not exist`;
  if (s !== undefined && s > 60) return `second ${s} does not exist`;
  if (oh !== undefined && (oh > 14 || om! > 59)) return `time zone offset ${match[7]}${match[8]}:${match[9]} does not exist`;
  return undefined;
}
