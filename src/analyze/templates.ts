import { isAnchor } from './text.js';

export interface TemplateGroup {
  template: string[];
  members: number[];
}

const WILDCARD = '<*>';

/**
 * Groups log-like messages by template, Drain-style: identical masked token sequences are one
 * template; templates of the same length, first token and anchors then merge when most positions
 * agree (differing positions become <*>). Work is proportional to the number of messages times the
 * templates in their bucket, never all pairs of messages.
 */
export function groupByTemplate(items: Array<{ index: number; tokens: string[] }>, similarity = 0.6): TemplateGroup[] {
  const exact = new Map<string, TemplateGroup & { key: string }>();
  for (const { index, tokens } of items) {
    const key = tokens.join(' ');
    const group = exact.get(key);
    if (group) group.members.push(index);
    else exact.set(key, { key, template: [...tokens], members: [index] });
  }
  const buckets = new Map<string, TemplateGroup[]>();
  const ordered = [...exact.values()].sort((a, b) => b.members.length - a.members.length || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const group of ordered) {
    const anchors = group.template.filter(isAnchor).sort().join(',');
    const bucketKey = `${group.template.length}|${group.template[0] ?? ''}|${anchors}`;
    const bucket = buckets.get(bucketKey) ?? [];
    buckets.set(bucketKey, bucket);
    const target = bucket.find((candidate) => mergeable(candidate.template, group.template, similarity));
    if (target) {
      target.template = target.template.map((t, i) => (t === group.template[i] ? t : WILDCARD));
      target.members.push(...group.members);
    } else {
      bucket.push({ template: [...group.template], members: [...group.members] });
    }
  }
  return [...buckets.values()].flat().map((g) => ({ template: g.template, members: g.members.sort((a, b) => a - b) }));
}

function mergeable(a: string[], b: string[], similarity: number): boolean {
  // Short messages differ in their few words for a reason ("connection refused" / "connection reset").
  if (a.length < 4) return false;
  let same = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) same++;
    else if (isAnchor(a[i]!) || isAnchor(b[i]!)) return false;
  }
  const differing = a.length - same;
  return same / a.length >= similarity && differing <= Math.max(1, Math.floor(a.length * 0.4));
}

export function templateText(template: string[]): string {
  return template.join(' ');
}
