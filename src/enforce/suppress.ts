import type { SgNode } from '@ast-grep/napi';
import { lineIndex } from './lines.js';
/**
 * Suppression comments, read from the text so they work in any language:
 * - ESLint's own for failures rules: `eslint-disable-next-line failures/ap-001`, `eslint-disable-line`,
 *   and `eslint-disable` … `eslint-enable` blocks (rules of other plugins in them are ignored, not errors);
 * - `failures-ignore AP-001 -- reason` in any comment syntax (#, //, /* *\/, --, <!-- -->): the line it
 *   is on and the next line.
 */
export interface Suppressions {
  isSuppressed(ruleId: string, line: number): boolean;
}

const ESLINT_DIRECTIVE = /(?:\/\/|\/\*|#|--|<!--)\s*eslint-(disable-next-line|disable-line|disable|enable)(?:[ \t]+([^\n]*?))?\s*(?:\*\/|-->|$)/;
const FAILURES_IGNORE = /failures-ignore[ \t]+([A-Za-z0-9_.,\- \t]+?)(?:[ \t]+--[ \t].*|[ \t]*\*\/.*|[ \t]*-->.*)?$/;

function ruleList(text: string | undefined): string[] | 'all' {
  if (!text) return 'all';
  const rules = text
    .split(' -- ')[0]!
    .split(',')
    .map((r) => r.trim().toLowerCase())
    .filter(Boolean);
  return rules.length === 0 ? 'all' : rules;
}

export type Range = [number, number];

const COMMENT_KINDS = ['comment', 'line_comment', 'block_comment', 'multiline_comment', 'doc_comment'];
const STRING_KINDS = [
  'string',
  'template_string',
  'string_literal',
  'interpreted_string_literal',
  'raw_string_literal',
  'character_literal',
  'char_literal',
  'encapsed_string',
  'heredoc',
  'verbatim_string_literal',
  'raw_string',
  'text_block',
  // JSX text (`<p>http://…</p>`) is text people read, as a string is, not code.
  'jsx_text',
];
const validKinds = new Map<string, string[]>();

/** The node kinds of a list this language has (ast-grep refuses a kind its grammar lacks). */
function kindsOf(root: SgNode, language: string, candidates: string[], tag: string): string[] {
  const key = `${tag}:${language}`;
  let kinds = validKinds.get(key);
  if (!kinds) {
    kinds = candidates.filter((kind) => {
      try {
        root.find({ rule: { kind } });
        return true;
      } catch {
        return false;
      }
    });
    validKinds.set(key, kinds);
  }
  return kinds;
}

/** Rust's regex::escape: the text as a literal in an ast-grep regex. */
function literal(text: string): string {
  return text.replace(/[\\.+*?()|[\]{}^$#&\-~]/g, '\\$&');
}

/**
 * Ranges of the nodes of these kinds; with `containing`, only of those whose text holds one of these
 * texts (a node holding a match of a text holds the text): far fewer nodes to hand to JavaScript.
 */
function rangesOf(root: SgNode, kinds: string[], containing?: readonly string[]): Range[] {
  if (kinds.length === 0) return [];
  // A lone surrogate would not reach ast-grep as written: then every node is taken.
  const regex = containing && !containing.some((t) => /[\uD800-\uDFFF]/.test(t)) ? [...new Set(containing)].map(literal).join('|') : undefined;
  return root.findAll({ rule: { any: kinds.map((kind) => (regex === undefined ? { kind } : { kind, regex })) } }).map((n) => {
    const range = n.range();
    return [range.start.index, range.end.index] as Range;
  });
}

/** The comment kinds of a language's grammar. */
export function commentKinds(root: SgNode, language: string): string[] {
  return kindsOf(root, language, COMMENT_KINDS, 'comment');
}

/** The string kinds of a language's grammar. */
export function stringKinds(root: SgNode, language: string): string[] {
  return kindsOf(root, language, STRING_KINDS, 'string');
}

/** Where the comments of a parsed file are (UTF-16 offsets); with `containing`, those holding one of these texts. */
export function commentRanges(root: SgNode, language: string, containing?: readonly string[]): Range[] {
  return rangesOf(root, kindsOf(root, language, COMMENT_KINDS, 'comment'), containing);
}

/** Code inside a string: `${…}` of a JS template, `{…}` of a Python f-string, `#{…}` in Ruby, `${…}` in Kotlin, `{…}` in C#. */
const SUBSTITUTION_KINDS = ['template_substitution', 'interpolation', 'interpolated_expression', 'interpolated_identifier'];

/**
 * Where the string literals of a parsed file are; with `containing`, those holding one of these texts.
 * The code of a template's substitutions (`${process.env.X}`) is not string: those parts are left out.
 */
export function stringRanges(root: SgNode, language: string, containing?: readonly string[]): Range[] {
  const ranges = rangesOf(root, kindsOf(root, language, STRING_KINDS, 'string'), containing);
  const holeKinds = kindsOf(root, language, SUBSTITUTION_KINDS, 'substitution');
  if (holeKinds.length === 0 || ranges.length === 0) return ranges;
  const holes = rangesOf(root, holeKinds, containing);
  if (holes.length === 0) return ranges;
  return ranges.flatMap(([start, end]) => {
    const out: Range[] = [];
    let from = start;
    for (const [a, b] of holes.filter(([a, b]) => start <= a && b <= end).sort((x, y) => x[0] - y[0])) {
      if (a < from) continue;
      out.push([from, a]);
      from = b;
    }
    out.push([from, end]);
    return out;
  });
}

/** A comment's text without its markers (//, /* *\/, #, --, <!-- -->). */
function commentBody(comment: string): string {
  return comment
    .replace(/^(\/\/+|\/\*+|#+|--|<!--)/, '')
    .replace(/(\*+\/|-->)$/, '')
    .trim();
}

const DIRECTIVE = /^eslint-(disable-next-line|disable-line|disable|enable)(?:\s+([\s\S]*))?$/;

/**
 * Suppressions from real comments only (`comments`: their ranges in a parsed file), read with ESLint's
 * grammar: a directive is the first word of the comment. Without `comments` (a file no parser reads),
 * any line is looked at, as before. `eslintDirectives: false` inside ESLint, which applies its own.
 */
export function readSuppressions(text: string, options: { eslintDirectives?: boolean; comments?: readonly Range[] } = {}): Suppressions {
  if (!options.comments) return readLineSuppressions(text, options);
  const eslintDirectives = options.eslintDirectives ?? true;
  if (!text.includes('eslint-') && !text.includes('failures-ignore')) return { isSuppressed: () => false };
  const position = lineIndex(text);
  const lineOf = (index: number) => position(index).line;
  const lines = new Map<number, Array<string[] | 'all'>>();
  const add = (line: number, rules: string[] | 'all') => lines.set(line, [...(lines.get(line) ?? []), rules]);
  const events: Array<{ line: number; kind: 'disable' | 'enable'; rules: string[] | 'all' }> = [];
  for (const [start, end] of options.comments) {
    const raw = text.slice(start, end);
    const body = commentBody(raw);
    const first = lineOf(start);
    const last = lineOf(end);
    const m = eslintDirectives ? DIRECTIVE.exec(body) : null;
    if (m) {
      const rules = ruleList(m[2]?.replace(/\s+/g, ' '));
      if (m[1] === 'disable-next-line') add(last + 1, rules);
      else if (m[1] === 'disable-line') add(first, rules);
      else events.push({ line: first, kind: m[1] as 'disable' | 'enable', rules });
    }
    const ignore = /(?:^|\s)failures-ignore\s+([A-Za-z0-9_.,\- \t]+?)(?:\s+--\s.*)?$/.exec(body.split('\n')[0]!);
    if (ignore) {
      const ids = ignore[1]!.split(/[\s,]+/).filter(Boolean).map((id) => `failures/${id.toLowerCase()}`);
      add(first, ids);
      add(last + 1, ids);
    }
  }
  return fromEvents(lines, events);
}

function fromEvents(lines: Map<number, Array<string[] | 'all'>>, events: Array<{ line: number; kind: 'disable' | 'enable'; rules: string[] | 'all' }>): Suppressions {
  const blocks: Array<{ rules: string[] | 'all'; from: number; to: number }> = [];
  const open: Array<{ rules: string[] | 'all'; from: number }> = [];
  for (const event of events) {
    if (event.kind === 'disable') open.push({ rules: event.rules, from: event.line });
    else {
      const enabled = event.rules;
      for (let k = open.length - 1; k >= 0; k--) {
        const block = open[k]!;
        if (enabled === 'all' || block.rules === 'all' || block.rules.some((r) => enabled.includes(r))) {
          blocks.push({ ...block, to: event.line });
          open.splice(k, 1);
        }
      }
    }
  }
  for (const block of open) blocks.push({ ...block, to: Number.MAX_SAFE_INTEGER });
  const covers = (rules: string[] | 'all', ruleId: string) => rules === 'all' || rules.includes(ruleId);
  return {
    isSuppressed(ruleId, line) {
      if ((lines.get(line) ?? []).some((rules) => covers(rules, ruleId))) return true;
      return blocks.some((b) => line >= b.from && line <= b.to && covers(b.rules, ruleId));
    },
  };
}

/** Files no parser reads: a directive anywhere on a line after a comment marker. */
function readLineSuppressions(text: string, options: { eslintDirectives?: boolean }): Suppressions {
  const eslintDirectives = options.eslintDirectives ?? true;
  const lines = new Map<number, Array<string[] | 'all'>>();
  const events: Array<{ line: number; kind: 'disable' | 'enable'; rules: string[] | 'all' }> = [];
  const add = (line: number, rules: string[] | 'all') => lines.set(line, [...(lines.get(line) ?? []), rules]);
  if (!text.includes('eslint-') && !text.includes('failures-ignore')) return { isSuppressed: () => false };
  text.split('\n').forEach((source, i) => {
    const line = i + 1;
    if (eslintDirectives && source.includes('eslint-')) {
      const m = ESLINT_DIRECTIVE.exec(source);
      if (m) {
        const rules = ruleList(m[2]);
        if (m[1] === 'disable-next-line') add(line + 1, rules);
        else if (m[1] === 'disable-line') add(line, rules);
        else events.push({ line, kind: m[1] as 'disable' | 'enable', rules });
      }
    }
    if (source.includes('failures-ignore')) {
      const m = FAILURES_IGNORE.exec(source);
      if (m) {
        const ids = m[1]!.split(/[\s,]+/).filter(Boolean).map((id) => `failures/${id.toLowerCase()}`);
        add(line, ids);
        add(line + 1, ids);
      }
    }
  });
  return fromEvents(lines, events);
}
