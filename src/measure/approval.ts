import { parse } from 'yaml';

/**
 * When a record approved by hand (no review.approved_at) was approved, from its committed versions,
 * oldest first: the first commit of the run, up to the newest, in which its status is approved — not
 * the last commit that touched it (a detector added weeks later would move the approval, and every rate
 * measured around it). The newest commit when no committed version is approved yet. UTC, to the
 * second, as `failures approve` writes approved_at.
 */
export function approvedSince(versions: ReadonlyArray<{ date: string; text: string | undefined }>): string | undefined {
  let since: string | undefined;
  for (const { date, text } of versions) {
    if (statusOf(text) === 'approved') since ??= date;
    else since = undefined;
  }
  const at = since ?? versions.at(-1)?.date;
  return at === undefined || Number.isNaN(Date.parse(at)) ? at : new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function statusOf(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return (parse(text) as { status?: unknown } | null)?.status;
  } catch {
    return undefined;
  }
}
