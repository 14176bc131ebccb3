import { createHash } from 'node:crypto';
import type { List } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { IncidentRecord, PostmortemRecord } from '../../types/records.js';
import { readActions, type ActionItem } from './actions.js';
import { findDates, yearOf } from './dates.js';
import { allSections, blockText, lineOf, nodesWithin, parseMarkdown, sectionsOfKind, sectionText, type Section, type SectionKind } from './sections.js';
import { readTimeline } from './timeline.js';
import { entitiesOf, errorTypesOf, systemsOf } from './vocabulary.js';

export type IncidentDraft = Omit<IncidentRecord, 'incident_id' | 'source'>;
export type PostmortemDraft = Omit<PostmortemRecord, 'id' | 'incident' | 'source'>;

/** One incident read from a document (a document may hold several). */
export interface ImportedIncident {
  /** Line where it starts in the document. */
  line: number;
  /** 1-based, only when the document holds several incidents. */
  part?: number;
  /** The document's own id (PM2019-008, INC-2024-089), when it states one. */
  ownId?: string;
  /** sha256 of the incident's text: the same text imports to the same records. */
  fingerprint: string;
  rootCauseFrom?: 'section' | 'summary' | 'title' | 'field';
  incident: IncidentDraft;
  postmortem: PostmortemDraft;
}

export interface ImportNote {
  line: number;
  column: number;
  message: string;
  severity: 'error' | 'warning';
}

export interface PostmortemParse {
  incidents: ImportedIncident[];
  notes: ImportNote[];
  /** Set when the document is not imported, with why. */
  skip?: { line: number; reason: string };
}

const MAX_TEXT = 4000;
const CORE_KINDS: SectionKind[] = ['timeline', 'root_cause', 'impact', 'actions', 'resolution', 'summary', 'lessons', 'contributing', 'five_whys', 'detection'];

/**
 * A postmortem document (markdown, optional YAML or TOML front matter) → incidents with their
 * postmortems. Takes the best reading and says what it could not read; never throws for bad input.
 * `name` is the file's name (dates and ids in it help when the text has none).
 */
export function parsePostmortem(name: string, text: string): PostmortemParse {
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (!source.trim()) return { incidents: [], notes: [], skip: { line: 1, reason: 'the file is empty' } };
  if (source.includes('\u0000')) return { incidents: [], notes: [], skip: { line: 1, reason: 'a binary file, not markdown' } };
  const guard = beyondLimits(source);
  if (guard) return { incidents: [], notes: [], skip: guard };
  let parsedMarkdown: ReturnType<typeof parseMarkdown>;
  try {
    parsedMarkdown = parseMarkdown(source);
  } catch (error) {
    if (error instanceof RangeError) return { incidents: [], notes: [], skip: { line: 1, reason: 'nested too deeply for the markdown parser' } };
    throw error;
  }
  const { frontMatter, root, problems } = parsedMarkdown;
  const notes: ImportNote[] = problems.map((p) => ({ ...p, severity: 'warning' }));
  const docTitle = titleOf(frontMatter, root, name);
  // The year for dates written without one: stated in front matter, the file name, the title, or the first full date of the text.
  const body = allSections(root).flatMap((s) => [s.title, ...s.nodes.map(blockText)]).join('\n').slice(0, 3000);
  const yearHint =
    yearOf(String(frontMatter.date instanceof Date ? frontMatter.date.toISOString() : (frontMatter.date ?? ''))) ??
    yearOf(name.replace(/^.*[\\/]/, '')) ??
    yearOf(docTitle) ??
    yearOf(findDates(body).dates.find((d) => !d.inferredYear)?.date ?? '');

  const parts = incidentParts(root);
  const incidents: ImportedIncident[] = [];
  if (parts) {
    parts.forEach((part, i) => {
      const scope = rekind({ ...part, depth: 0, title: '' }, undefined);
      const title = stripTitle(part.title) || `${docTitle} (${i + 1})`;
      const fragment = source.slice(part.start, part.end);
      incidents.push(read(scope, { frontMatter: {}, title, name, yearHint, fingerprintOf: fragment, line: part.line, part: i + 1, notes, source: fragment }));
    });
  } else {
    incidents.push(read(root, { frontMatter, title: docTitle, name, yearHint, fingerprintOf: source, line: 1, notes, source }));
  }

  const kinds = new Set(allSections(root).map((s) => s.ownKind).filter(Boolean));
  const hasCore = CORE_KINDS.some((k) => kinds.has(k)) || typeof frontMatter.summary === 'string';
  const prose = allSections(root).flatMap((s) => s.nodes.map(blockText)).join(' ');
  // A short note is still an incident when it says something failed ("a bad BGP config severed …, which resulted in a global outage").
  // ("… hit the integer limit, leaving the service in read-only mode", "… did not propagate fully. Web dynos could not be started",
  // "Azure published a breaking change …", "… contained credentials granting access to … backups": icco/postmortems' short notes.)
  const failureWords =
    /\b(outage|incident|fail\w*|errors?|down(time)?|broke\w*|breaking|caus\w*|root cause|impact\w*|degrad\w*|crash\w*|lost|loss|unavailab\w*|bug|attack\w*|compromis\w*|disrupt\w*|expir\w*|leak\w*|corrupt\w*|read-only|stuck|stall\w*|hung|overload\w*|exhaust\w*|overflow\w*|time[ds]? ?out|delet\w*|misconfigur\w*|expos\w*|credentials|(?:could|did|was|were) not|couldn't|didn't|cannot|can't|unable)\b/i;
  if (!hasCore && (prose.length < 40 || (prose.length < 200 && !failureWords.test(`${docTitle} ${prose}`)))) {
    return { incidents: [], notes, skip: { line: 1, reason: 'no postmortem content: no summary, timeline, root cause, impact or action items, and no text that says what failed' } };
  }
  if (prose.replace(/\s+/g, '').length < 20 && typeof frontMatter.summary !== 'string') {
    return { incidents: [], notes, skip: { line: 1, reason: 'headings with no text under them (a template?)' } };
  }
  const placeholder = /\[(?:INCIDENT|TITLE|NAME|BRIEF)[^\]]*\]|<<\s*[A-Z_ ]+\s*>>|\{\{\s*\w+\s*\}\}|^\s*\[?Title\]?\s*$|\byyyy\b|\bdd[- ]mm\b|\bmm[- ]dd\b/i;
  if (placeholder.test(docTitle) || /^(post[- ]?mortem )?template$/i.test(docTitle.trim())) {
    return { incidents: [], notes, skip: { line: 1, reason: `a template, not a postmortem (title '${docTitle}')` } };
  }
  return { incidents, notes };
}

/** Postmortems are pages, not data dumps: beyond these the markdown parser's time grows too fast (measured: 400 nested list levels take seconds). */
export const LIMITS = { bytes: 2_000_000, indent: 160, quoteDepth: 64 } as const;

/** Why a document is beyond what the parser is given, with the line; undefined when it is fine. */
function beyondLimits(source: string): { line: number; reason: string } | undefined {
  if (source.length > LIMITS.bytes) return { line: 1, reason: `too large for a postmortem (${(source.length / 1e6).toFixed(1)} MB; the limit is ${LIMITS.bytes / 1e6} MB)` };
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const indent = /^[ \t]*/.exec(line)![0].replace(/\t/g, '    ').length;
    if (indent > LIMITS.indent && /^[ \t]*(?:[-*+]|\d{1,9}[.)])\s/.test(line)) {
      return { line: i + 1, reason: `a list nested more than ${LIMITS.indent / 2} levels deep` };
    }
    if (/^(?:[ \t]*>){64}/.test(line)) return { line: i + 1, reason: `quotes nested more than ${LIMITS.quoteDepth} levels deep` };
  }
  return undefined;
}

interface ReadContext {
  frontMatter: Record<string, unknown>;
  title: string;
  name: string;
  yearHint?: number;
  fingerprintOf: string;
  line: number;
  part?: number;
  notes: ImportNote[];
  source: string;
}

function read(scope: Section, ctx: ReadContext): ImportedIncident {
  const fm = ctx.frontMatter;
  const fields = keyValues(scope);
  const field = (re: RegExp) => fields.find((f) => re.test(f.key));
  const fmString = (...keys: string[]) => {
    for (const key of keys) {
      const value = fm[key];
      if (value instanceof Date) return value.toISOString();
      if (typeof value === 'string' || typeof value === 'number') return String(value).trim() || undefined;
    }
    return undefined;
  };

  // Timeline first: its dates are the best reading of when the impact began.
  const timeline = readTimeline(sectionsOfKind(scope, 'timeline'), ctx.yearHint);
  const noted = new Set<number>();
  for (const issue of timeline.issues) {
    if (noted.has(issue.line)) continue;
    noted.add(issue.line);
    ctx.notes.push({
      line: issue.line,
      column: 1,
      severity: 'warning',
      message: issue.kind === 'placeholder' ? `placeholder '${issue.text}' in the timeline: the entry is kept as written, without a time` : `'${issue.text}' is not a real date: the entry is kept as written, without a date`,
    });
  }

  const summarySections = sectionsOfKind(scope, 'summary');
  let summary = summarySections.map(sectionText).filter(Boolean).join('\n\n');
  if (!summary) summary = fmString('summary', 'description', 'tldr', 'abstract') ?? introText(scope);
  summary = cap(summary);

  const date = dateOf(scope, ctx, fmString, field, timeline.entries, summary);

  let rootCauseFrom: ImportedIncident['rootCauseFrom'];
  let rootCause = cap(sectionsOfKind(scope, 'root_cause').map(sectionText).filter(Boolean).join('\n\n'));
  if (rootCause) rootCauseFrom = 'section';
  const rootField = field(/^(root cause|cause|rca)$/);
  if (!rootCause && rootField) {
    rootCause = rootField.value;
    rootCauseFrom = 'field';
  }
  if (!rootCause) {
    const causal = /\b(root cause|caused by|due to|because|as a result of|triggered by|the cause|stemmed from|resulted from|led to)\b/i;
    // No root-cause section: the cause sits in the summary (the sentence that says why, else its first).
    const sentence = sentences(summary).find((s) => causal.test(s)) ?? sentences(summary)[0];
    if (sentence) {
      rootCause = sentence;
      rootCauseFrom = 'summary';
    } else if (/\b(due to|caused by|because of|after)\b/i.test(ctx.title)) {
      rootCause = ctx.title;
      rootCauseFrom = 'title';
    }
  }

  const contributing = sectionsOfKind(scope, 'contributing').flatMap(itemsOf);
  const lessons = sectionsOfKind(scope, 'lessons').flatMap(itemsOf);
  const impactText = cap(sectionsOfKind(scope, 'impact').map(sectionText).filter(Boolean).join('\n\n'));
  const resolutionText = cap(sectionsOfKind(scope, 'resolution').map(sectionText).filter(Boolean).join('\n\n'));
  const fiveWhys = readFiveWhys(sectionsOfKind(scope, 'five_whys'), ctx.title);
  const actions = readActions(sectionsOfKind(scope, 'actions'), ctx.yearHint);

  const severity = severityOf(fmString, field, ctx.title, summary);
  const detection = field(/time to (detect|detection|notice|acknowledge)|^ttd$|^mttd$|detection (delay|time)|time to detection/)?.value;
  const resolution = field(/time to (recover|recovery|resolve|resolution|mitigat|restore|fix)|^ttr$|^ttm$|^mttr$|resolution time|total (impact )?duration|^duration$|outage duration|downtime|time to resolution|impact duration/)?.value;
  const customer =
    field(/affected (customers|users|teams|accounts|clients)|(customers|users|teams) (affected|impacted)|customer impact|user impact|^impact$/)?.value ??
    sentences(impactText || summary).find((s) => /\b\d[\d,.]*\s*(%\s*of\s*)?(?:of\s+)?(?:our\s+)?(customers|users|teams|accounts|merchants|clients|requests|orders|payments|organi[sz]ations|projects|sites|people|wallets|nodes)\b/i.test(s));
  const financial = field(/financial|cost|revenue|refunds?/)?.value ?? sentences(`${impactText}\n${summary}`).find((s) => /[$€£]\s?\d|\b\d[\d,.]*\s?(USD|EUR|GBP|dollars)\b/.test(s));

  const everything = cap(sectionText({ ...scope, nodes: scope.nodes }), 50_000);
  const systems = systemsOf(everything, [fm.systems, fm.services, fm.service, fm.product, fm.components, field(/^(affected )?(services?|systems?|components?)( affected| impacted)?$/)?.value]);
  const entities = entitiesOf(everything, [fm.keywords, fm.tags, fm.entities, fm.categories]);
  const errorTypes = errorTypesOf(`${ctx.title}\n${summary}\n${rootCause}\n${impactText}`);

  const incident: IncidentDraft = {
    title: ctx.title,
    ...(date ? { date } : {}),
    ...(severity ? { severity } : {}),
    ...(summary ? { summary } : {}),
    ...(entities.length ? { entities } : {}),
    ...(systems.length ? { systems } : {}),
    ...(errorTypes.length ? { error_types: errorTypes } : {}),
    ...(timeline.entries.length ? { timeline: timeline.entries.map((e) => e.text) } : {}),
    ...(rootCause ? { root_cause: rootCause } : {}),
    ...(contributing.length ? { contributing_factors: contributing } : {}),
    ...(resolutionText ? { resolution: { immediate: resolutionText } } : {}),
    ...(detection ? { detection_time: detection } : {}),
    ...(resolution ? { resolution_time: resolution } : {}),
    ...(impactText ? { impact: impactText } : {}),
    ...(customer ? { customer_impact: customer } : {}),
    ...(financial ? { financial_impact: financial } : {}),
    ...(lessons.length ? { lesson: lessons[0]! } : {}),
    ...(fmString('url', 'link') ? { url: fmString('url', 'link')! } : {}),
  };
  const postmortem: PostmortemDraft = {
    title: ctx.title,
    ...(summary ? { summary } : {}),
    ...(fiveWhys.length ? { five_whys: fiveWhys } : {}),
    ...(actions.length ? { action_items: actions.map(toRecordItem) } : {}),
    ...(lessons.length ? { lessons } : {}),
  };
  const ownId = ownIdOf(fmString, field, ctx.name, ctx.title);
  return {
    line: ctx.line,
    ...(ctx.part ? { part: ctx.part } : {}),
    ...(ownId ? { ownId } : {}),
    fingerprint: createHash('sha256').update(ctx.fingerprintOf.replace(/[ \t]+$/gm, '').trim()).digest('hex'),
    ...(rootCauseFrom ? { rootCauseFrom } : {}),
    incident,
    postmortem,
  };
}

function toRecordItem(item: ActionItem): NonNullable<PostmortemRecord['action_items']> extends infer T ? (T extends Array<infer I> ? I : never) : never {
  return item;
}

/** Sections that each read as a whole incident (a timeline, a cause, an impact…) under one container: several incidents in one document. */
function incidentParts(root: Section): Section[] | undefined {
  // Outermost first: the document, then its sections ("Incident Timeline" › one H3 per incident).
  for (const container of allSections(root)) {
    if (container.ownKind === 'appendix') continue;
    const parts = container.children.filter((child) => {
      if (child.ownKind && child.ownKind !== 'summary' && child.ownKind !== 'meta') return false;
      const kinds = new Set(allSections(child).slice(1).map((s) => s.ownKind).filter((k): k is SectionKind => !!k && CORE_KINDS.includes(k)));
      return kinds.size >= 2 && (kinds.has('timeline') || kinds.has('root_cause') || kinds.has('impact'));
    });
    if (parts.length >= 2) return parts;
  }
  return undefined;
}

/** The section with kinds recomputed as if it were a document of its own. */
function rekind(section: Section, parentKind: SectionKind | undefined): Section {
  const kind = section.depth === 0 ? undefined : (section.ownKind ?? parentKind);
  const out: Section = { ...section, children: [] };
  delete out.kind;
  if (kind) out.kind = kind;
  out.children = section.children.map((c) => rekind(c, kind));
  return out;
}

function titleOf(fm: Record<string, unknown>, root: Section, name: string): string {
  if (typeof fm.title === 'string' && fm.title.trim()) return stripTitle(fm.title);
  const h1 = allSections(root).find((s) => s.depth === 1 && !s.ownKind) ?? root.children.find((s) => s.depth <= 6 && s.line <= 3 && !s.ownKind);
  if (h1 && stripTitle(h1.title)) return stripTitle(h1.title);
  const base = name.replace(/^.*[\\/]/, '').replace(/\.(md|markdown|mdx|txt)$/i, '');
  const fromName = base.replace(/^[A-Za-z]{2,6}-?\d{4}-\d{1,5}\s*-\s*/, '').replace(/^\d{4}-\d{2}-\d{2}[-_ ]?/, '').replace(/[-_]+/g, ' ').trim();
  // A name made of words, not a generated one (00b7f759-21f8-… or doc-12).
  const wordy = (fromName.match(/[A-Za-z]{3,}/g) ?? []).length >= 2 && !/^[0-9a-f]{8} [0-9a-f]{4}/i.test(fromName);
  if (fromName && wordy && !/^(readme|index)$/i.test(fromName)) return fromName;
  // Else the first sentence of the text (without front matter).
  const prose = allSections(root).flatMap((s) => s.nodes.map(blockText)).find((t) => t.trim());
  const sentence = prose?.replace(/\s+/g, ' ').split(/(?<=[.!?])\s/)[0]?.trim();
  if (sentence) return sentence.length > 100 ? `${sentence.slice(0, 99).replace(/\s+\S*$/, '')}…` : sentence.replace(/\.$/, '');
  return fromName || base;
}

function stripTitle(title: string): string {
  return title
    .replace(/^\s*(?:post[- ]?mortem|incident(?: report| review| postmortem| retrospective)?|pm|rca)\s*(?:report)?\s*[:\-–—|]\s*/i, '')
    .replace(/[.\s]+$/, '')
    .trim();
}

/** The text before the first heading (and under a lone H1), for documents without a summary section. */
function introText(scope: Section): string {
  const nodes = [...scope.nodes];
  const h1 = scope.children.find((c) => c.depth === 1);
  if (h1 && scope.children.length === 1) nodes.push(...h1.nodes);
  return nodes
    .filter((n) => n.type === 'paragraph' || n.type === 'blockquote')
    .map(blockText)
    .filter((t) => t && !/^[\w /()-]{1,30}:\s/.test(t))
    .slice(0, 3)
    .join('\n\n');
}

interface Field {
  key: string;
  value: string;
  line: number;
}

/** "Severity: SEV2", "**Time to detection:** 5 minutes", two-column tables: the document's stated facts. */
function keyValues(scope: Section): Field[] {
  const out: Field[] = [];
  const skip = new Set<SectionKind>(['actions', 'appendix', 'lessons', 'five_whys']);
  const visit = (section: Section) => {
    if (section.ownKind === 'appendix' || (section.kind && skip.has(section.kind))) return;
    for (const node of section.nodes) {
      if (node.type === 'table') {
        for (const row of node.children) {
          if (row.children.length === 2) push(toString(row.children[0]!), toString(row.children[1]!), lineOf(row));
        }
        continue;
      }
      const lines: Array<[string, number]> =
        node.type === 'list' ? (node as List).children.map((i) => [toString(i.children[0] ?? { type: 'text', value: '' }), lineOf(i)]) : node.type === 'paragraph' ? toString(node).split('\n').map((l, i) => [l, lineOf(node) + i]) : [];
      for (const [text, line] of lines) {
        const m = /^\s*([A-Za-z][A-Za-z0-9 /()&'’.-]{1,40}?)\s*[:：]\s+(.+)$/.exec(text);
        if (m) push(m[1]!, m[2]!, line);
      }
    }
    for (const child of section.children) visit(child);
  };
  const push = (key: string, value: string, line: number) => {
    const k = key.toLowerCase().replace(/[*_]/g, '').replace(/\s+/g, ' ').trim();
    // "5 hours 26 minutes (10:45 - 16:11 UTC)": the figure, without the range it was computed from.
    const v = value.replace(/\s+/g, ' ').replace(/\s*\([^()]*\d{1,2}:\d{2}[^()]*\)\s*$/, '').trim();
    // "?", "N/A", "TBD", "-": the document does not say.
    if (/^(\?+|n\/?a|tbd|tbc|unknown|none|-+|–|—|\.\.\.|…)$/i.test(v)) return;
    if (k && v && k.length <= 40) out.push({ key: k, value: v, line });
  };
  visit(scope);
  return out;
}

function dateOf(
  scope: Section,
  ctx: ReadContext,
  fmString: (...keys: string[]) => string | undefined,
  field: (re: RegExp) => Field | undefined,
  timeline: Array<{ date?: string }>,
  summary: string,
): string | undefined {
  const candidates: Array<string | undefined> = [
    fmString('incident_date', 'incident_start_time', 'start_time', 'start', 'started', 'started_at', 'impact_start', 'date'),
    field(/^(incident )?(date|day)( of incident)?( \(utc\))?$|^start(ed)?( time| date)?( \(utc\))?$|^date ?\/ ?time|^when$|^occurred|^began|^impact start|^incident start/)?.value,
    timeline.find((e) => e.date)?.date,
    ctx.title,
    summary.slice(0, 600),
    ctx.name,
    // Never when the document was published, created or fetched (source_published_at): that is not when the incident began,
    // and an incident dated by its write-up lands in the wrong --timeframe. No date in the document's own words: none.
  ];
  for (const candidate of candidates) {
    if (!candidate) continue;
    const found = findDates(candidate, ctx.yearHint);
    if (found.dates[0]) return found.dates[0].date;
  }
  // Last, the earliest day the text itself writes out in full (year included: "October 4, 2021" further down).
  const text = allSections(scope)
    .flatMap((s) => [s.title, ...s.nodes.map(blockText)])
    .join('\n')
    .slice(0, 50_000);
  const written = findDates(text)
    .dates.filter((d) => !d.inferredYear)
    .map((d) => d.date)
    .sort();
  return written[0];
}

function severityOf(fmString: (...keys: string[]) => string | undefined, field: (re: RegExp) => Field | undefined, title: string, summary: string): string | undefined {
  const stated = fmString('severity', 'sev', 'priority', 'level') ?? field(/^(incident )?(severity|sev)( level)?$|^impact level$/)?.value;
  if (stated && !/^(tbd|n\/a|unknown|\?+|-+|sev\?)$/i.test(stated)) return stated.length > 80 ? stated.slice(0, 80) : stated;
  const priority = field(/^priority$/)?.value;
  if (priority && /^p\d\b/i.test(priority)) return priority;
  const token = /\b(SEV[- ]?[0-5]|Sev[- ]?[0-5]|sev[- ]?[0-5])\b/.exec(`${title}\n${summary.slice(0, 400)}`);
  return token?.[1];
}

function ownIdOf(fmString: (...keys: string[]) => string | undefined, field: (re: RegExp) => Field | undefined, name: string, title: string): string | undefined {
  const human = /^[A-Za-z]{2,8}[-_]?\d{1,4}(?:[-_.]\d{1,6})*$/;
  const isPlaceholder = (s: string) => /yyyy|nnn|xxx|\?\?/i.test(s);
  for (const value of [fmString('incident_id', 'id', 'incident', 'postmortem_id'), field(/^(incident )?(id|number|#)$|^incident id$/)?.value]) {
    if (value && human.test(value) && !isPlaceholder(value)) return value;
  }
  for (const text of [name.replace(/^.*[\\/]/, ''), title]) {
    const m = /^([A-Za-z]{2,6}-?\d{4}-\d{1,5}|(?:INC|PM|SEC|OPS)-\d{2,6})(?![\d])/.exec(text);
    if (m && !isPlaceholder(m[1]!)) return m[1]!;
  }
  return undefined;
}

/** Items of a section: top-level list items (group labels open into their nested items), else paragraphs. */
function itemsOf(section: Section): string[] {
  const out: string[] = [];
  const nodes = nodesWithin(section).map((n) => n.node);
  const lists = nodes.filter((n): n is List => n.type === 'list');
  const fromList = (list: List) => {
    for (const item of list.children) {
      const [first, ...more] = item.children;
      const head = first && first.type !== 'list' ? toString(first).replace(/\s+/g, ' ').trim() : '';
      const nested = more.filter((c): c is List => c.type === 'list');
      if (nested.length > 0 && (!head || (head.length <= 40 && /:$|^\S+( \S+){0,3}$/.test(head)))) nested.forEach(fromList);
      else if (head) out.push(head);
    }
  };
  if (lists.length > 0) lists.forEach(fromList);
  else for (const node of nodes) if (node.type === 'paragraph') out.push(toString(node).replace(/\s+/g, ' ').trim());
  return out.filter(Boolean).map((s) => cap(s, 1000));
}

function readFiveWhys(sections: Section[], title: string): NonNullable<PostmortemRecord['five_whys']> {
  const items = sections.flatMap(itemsOf);
  const out: NonNullable<PostmortemRecord['five_whys']> = [];
  let previous = title;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!.replace(/^\s*(\d+[.)]|why\s*\d*\s*[:.)-])\s*/i, '');
    const m = /^(.*?\?)\s*(?:[-–—:]\s*)?(?:because[,:]?\s*)?(.*)$/i.exec(item);
    if (m && m[2]) {
      out.push({ why: m[1]!.trim(), because: m[2]!.trim() });
      previous = m[2]!.trim();
    } else if (m && items[i + 1] && /^because\b/i.test(items[i + 1]!)) {
      const because = items[i + 1]!.replace(/^because[,:]?\s*/i, '').trim();
      out.push({ why: m[1]!.trim(), because });
      previous = because;
      i++;
    } else {
      const because = item.replace(/^because[,:]?\s*/i, '').trim();
      if (because) out.push({ why: previous, because });
      previous = because || previous;
    }
  }
  return out.filter((w) => w.why && w.because);
}

/** A day written with a full stop before its month (European style: "Monday 3. February 2020") ends no sentence. */
const DAY_BEFORE_MONTH = /(?<![\d.])\d{1,2}\.$/;
const MONTH_FIRST = /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b/i;

/** Sentences, and list items or lines as their own. */
function sentences(text: string): string[] {
  return text
    .split(/\n\s*\n|\n(?=\s*(?:[-*+]|\d+[.)])\s)/)
    .map((block) => block.replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '').replace(/\s+/g, ' '))
    .flatMap((block) =>
      block.split(/(?<=[.!?])\s+(?=[A-Z0-9"'(])/).reduce<string[]>((out, part) => {
        const last = out.length - 1;
        if (last >= 0 && DAY_BEFORE_MONTH.test(out[last]!) && MONTH_FIRST.test(part)) out[last] += ` ${part}`;
        else out.push(part);
        return out;
      }, []),
    )
    .map((s) => s.trim())
    .filter(Boolean);
}

function cap(text: string, max = MAX_TEXT): string {
  const trimmed = text.trim();
  return trimmed.length > max ? `${trimmed.slice(0, max - 1).trimEnd()}…` : trimmed;
}
