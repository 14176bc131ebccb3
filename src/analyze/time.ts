/**
 * Milliseconds since the epoch of a record's ISO 8601 time. A time written without a zone (the seed's
 * log writes `2025-01-08T10:30:00`; JUnit reports write their suite timestamps so) is read as UTC, as
 * a date alone already is: the same records give the same windows, weeks and rates on every machine,
 * whatever its time zone. NaN when the text is no date.
 */
export function timeOf(timestamp: string): number {
  const text = timestamp.trim();
  const zoneless = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text);
  return Date.parse(zoneless ? `${text.replace(' ', 'T')}Z` : text);
}
