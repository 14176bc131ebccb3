import type { Heading, Root, RootContent, Paragraph, PhrasingContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { parse as parseToml, TomlError } from 'smol-toml';
import { unified } from 'unified';
import { parse as parseYaml, YAMLParseError } from 'yaml';

/** What a section is about, read from its heading. */
export type SectionKind =
  | 'summary'
  | 'timeline'
  | 'root_cause'
  | 'contributing'
  | 'impact'
  | 'detection'
  | 'resolution'
  | 'actions'
  | 'lessons'
  | 'five_whys'
  | 'meta'
  | 'appendix';

export interface Section {
  title: string;
  /** 1–6 for headings, 7 for a paragraph that is only bold text ("**Root cause**"), 0 for the document. */
  depth: number;
  line: number;
  /** Content before the first sub-section. */
  nodes: RootContent[];
  children: Section[];
  /** Its own kind, from its heading; undefined when the heading says nothing known. */
  ownKind?: SectionKind;
  /** Its own kind, else its parent's (Remediation › Short-term is about actions). */
  kind?: SectionKind;
  /** Start and end offsets in the document text. */
  start: number;
  end: number;
}

export interface ParsedMarkdown {
  frontMatter: Record<string, unknown>;
  root: Section;
  problems: Array<{ line: number; column: number; message: string }>;
}

const KIND_RULES: Array<[SectionKind, RegExp]> = [
  ['appendix', /\b(appendix|appendices|slack|transcript|chat log|chat history|log excerpts?|raw logs?|attachments?|references|glossary|sign[- ]?off|attendees|participants)\b/],
  ['five_whys', /\b(5|five) whys?\b/],
  ['contributing', /\b(contributing|why (it|this) (was ?n[o']t|wasn.t) caught|why (we )?didn.?t (we )?catch|factors)\b/],
  ['actions', /\b(action items?|action points?|actions$|^actions\b|follow[- ]?ups?|follow[- ]?up (items|actions|tasks)|next steps|remediations?( (plan|items|actions))?$|^remediation|corrective|preventi(ve|on)|preventing (it|this|recurrence|a repeat)|what (we are|we.re|we will|we.ll) (doing|do|change)|going forward|improvements?|review actions|to ?dos?|tasks|recommendations?|future work|(short|long|medium)[- ]term|immediate (actions|fixes|steps)|fixes and improvements|planned changes)\b/],
  ['root_cause', /\b(root[- ]?causes?|causes?|rca|why (it|this) happened|why did (it|this) happen|the (technical )?problem|technical (details|analysis|cause)|trigger(s|ing event)?|what caused)\b/],
  ['timeline', /\b(timeline|time ?line|chronology|sequence of events|events?$|incident log)\b/],
  ['impact', /\b(impact|affected|blast radius|user experience|customer experience|severity and impact)\b/],
  ['detection', /\b(detection|detected|how (we|it was) (noticed|found|discovered))\b/],
  ['resolution', /\b(resolution|recovery|mitigation|resolved|how (we|it was) (fixed|resolved)|actions taken|response|the fix|fix$|workaround)\b/],
  ['lessons', /\b(lessons?|learn(ed|ings|t)|what went (well|wrong|badly|poorly)|went well|went wrong|takeaways?|got lucky|where we got lucky|what could (be|have been) (improved|better)|reflections?|retrospective)\b/],
  ['summary', /\b(summary|overview|tl;?dr|abstract|what happened|background|description|introduction|incident$|details of the incident|issue)\b/],
  ['meta', /\b(stats|metadata|incident details|details|key (facts|information)|information|metrics|status)\b/],
];

export function kindOfHeading(title: string): SectionKind | undefined {
  const text = normalizeHeading(title);
  if (!text) return undefined;
  for (const [kind, re] of KIND_RULES) if (re.test(text)) return kind;
  return undefined;
}

/** Lower case, no emoji, numbering ("3.", "III."), or trailing colon. */
export function normalizeHeading(title: string): string {
  return title
    .toLowerCase()
    .replace(/[\u{1F000}-\u{1FFFF}\u{2600}-\u{27BF}\u{2B00}-\u{2BFF}]|\u{FE0F}/gu, ' ')
    .replace(/^[\s\d.)(ivx]*[.)]\s+/, '')
    .replace(/[*_`#:]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const processor = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml', 'toml']);

/** Markdown → front matter and a tree of sections by heading level. Never throws for bad input. */
export function parseMarkdown(text: string): ParsedMarkdown {
  const problems: ParsedMarkdown['problems'] = [];
  const tree = processor.parse(text) as Root;
  let frontMatter: Record<string, unknown> = {};
  const root: Section = { title: '', depth: 0, line: 1, nodes: [], children: [], start: 0, end: text.length };
  const stack: Section[] = [root];
  for (const node of tree.children) {
    const type = (node as { type: string }).type;
    if (type === 'yaml' || type === 'toml') {
      const value = (node as unknown as { value: string }).value;
      if (Object.keys(frontMatter).length === 0) frontMatter = readFrontMatter(type, value, node.position?.start.line ?? 1, problems);
      continue;
    }
    const heading = headingOf(node);
    if (!heading) {
      stack[stack.length - 1]!.nodes.push(node);
      continue;
    }
    while (stack.length > 1 && stack[stack.length - 1]!.depth >= heading.depth) {
      stack.pop()!.end = node.position?.start.offset ?? text.length;
    }
    const ownKind = kindOfHeading(heading.title);
    const parent = stack[stack.length - 1]!;
    const kind = ownKind ?? parent.kind;
    const section: Section = {
      title: heading.title,
      depth: heading.depth,
      line: node.position?.start.line ?? 1,
      nodes: [],
      children: [],
      ...(ownKind ? { ownKind } : {}),
      ...(kind ? { kind } : {}),
      start: node.position?.start.offset ?? 0,
      end: text.length,
    };
    parent.children.push(section);
    stack.push(section);
  }
  untitleSection(root);
  return { frontMatter, root, problems };
}

/**
 * A first heading, an H1, holding a sub-section of the kind its own words suggest ("# CoreDNS upgrade
 * issue" over "## Summary") is the document's title, not a section of that kind: its sub-sections keep
 * their own kinds.
 */
function untitleSection(root: Section): void {
  const h1 = root.children[0];
  if (h1?.depth !== 1 || !h1.ownKind || !h1.children.some((c) => c.ownKind === h1.ownKind)) return;
  delete h1.ownKind;
  delete h1.kind;
  const inherit = (section: Section, kind: SectionKind | undefined) => {
    for (const child of section.children) {
      const own = child.ownKind ?? kind;
      if (own) child.kind = own;
      else delete child.kind;
      inherit(child, own);
    }
  };
  inherit(h1, undefined);
}

/** A heading, or a paragraph that is nothing but bold text ("**Root cause:**"), which many documents use as one. */
function headingOf(node: RootContent): { title: string; depth: number } | undefined {
  if (node.type === 'heading') return { title: toString(node as Heading).trim(), depth: (node as Heading).depth };
  if (node.type !== 'paragraph') return undefined;
  const children = (node as Paragraph).children.filter((c) => !(c.type === 'text' && /^[\s:]*$/.test(c.value)));
  if (children.length !== 1 || children[0]!.type !== 'strong') return undefined;
  const title = toString(children[0] as PhrasingContent).replace(/:\s*$/, '').trim();
  if (!title || title.length > 60 || /[.!?]$/.test(title)) return undefined;
  return { title, depth: 7 };
}

function readFrontMatter(
  type: 'yaml' | 'toml',
  value: string,
  line: number,
  problems: ParsedMarkdown['problems'],
): Record<string, unknown> {
  try {
    const data = type === 'yaml' ? parseYaml(value, { maxAliasCount: 100, uniqueKeys: false }) : parseToml(value);
    if (data && typeof data === 'object' && !Array.isArray(data)) return data as Record<string, unknown>;
    if (data !== null && data !== undefined) problems.push({ line, column: 1, message: `${type.toUpperCase()} front matter is not a mapping; it was ignored` });
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const at = error.linePos?.[0];
      problems.push({ line: line + (at?.line ?? 1), column: at?.col ?? 1, message: `YAML front matter does not parse (${error.message.split('\n')[0]}); it was ignored` });
    } else if (error instanceof TomlError) {
      problems.push({ line: line + error.line, column: error.column, message: `TOML front matter does not parse (${error.message.split('\n')[0]}); it was ignored` });
    } else {
      problems.push({ line, column: 1, message: `front matter could not be read (${(error as Error).message}); it was ignored` });
    }
  }
  return {};
}

/** Every section under (and including) this one, depth first. */
export function allSections(section: Section): Section[] {
  return [section, ...section.children.flatMap(allSections)];
}

/** Sections of a kind that are not inside an appendix, outermost only (their sub-sections come with them). */
export function sectionsOfKind(root: Section, kind: SectionKind): Section[] {
  const out: Section[] = [];
  const walk = (s: Section, insideAppendix: boolean) => {
    const appendix = insideAppendix || s.ownKind === 'appendix';
    if (!appendix && s.kind === kind) {
      out.push(s);
      return;
    }
    for (const child of s.children) walk(child, appendix);
  };
  walk(root, false);
  return out;
}

/** A node's plain text with the line it starts on. */
export function lineOf(node: { position?: { start: { line: number } } }): number {
  return node.position?.start.line ?? 1;
}

/** The section's own nodes and its sub-sections' nodes, in document order, with the heading path of each. */
export function nodesWithin(section: Section, path: string[] = []): Array<{ node: RootContent; path: string[] }> {
  const here = section.depth === 0 ? path : [...path, section.title];
  return [...section.nodes.map((node) => ({ node, path: here })), ...belonging(section).flatMap((c) => nodesWithin(c, here))];
}

/**
 * Sub-sections that are part of a section: not appendices, and not sections of another kind (a
 * setext "Summary" H1 holding "Timeline" H2s does not make the timeline part of the summary).
 */
function belonging(section: Section): Section[] {
  return section.children.filter((c) => c.ownKind !== 'appendix' && (!c.ownKind || !section.kind || c.ownKind === section.kind || section.depth === 0));
}

/** Plain text of a section and its sub-sections (headings included for sub-sections), trimmed. */
export function sectionText(section: Section): string {
  const parts: string[] = section.nodes.map(blockText).filter(Boolean);
  for (const child of belonging(section)) {
    const inner = sectionText(child);
    parts.push(inner ? `${child.title}\n${inner}` : child.title);
  }
  return parts.join('\n\n').trim();
}

/** Plain text of one block: list items on their own lines, table rows as "a | b". */
export function blockText(node: RootContent): string {
  if (node.type === 'list') return node.children.map((item) => `- ${item.children.map(blockText).join('\n').trim()}`).join('\n');
  if (node.type === 'table') return node.children.map((row) => row.children.map((cell) => toString(cell).trim()).join(' | ')).join('\n');
  if (node.type === 'code') return node.value;
  if (node.type === 'html' || node.type === 'thematicBreak' || node.type === 'definition') return '';
  if (node.type === 'blockquote') return node.children.map(blockText).join('\n');
  return toString(node).trim();
}
