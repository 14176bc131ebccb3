import type { SgNode } from '@ast-grep/napi';

/**
 * A pattern's fix written out for one match, as ast-grep's own fixer writes it (its
 * replacer/template.rs and indent.rs): `$X` is the text it matched, `$$$X` the text from its first to
 * its last node, a name `transform` made its text, an unbound name nothing. A multi-line value keeps
 * its lines' indentation relative to its first line, re-indented to where the fix writes it; the
 * whole replacement is then indented as the matched line is.
 */
export function expandFix(template: string, node: SgNode, text: string): string {
  let out = '';
  let at = 0;
  for (const m of template.matchAll(/\$\$\$([A-Z0-9_]+)|\$([A-Z_][A-Z0-9_]*)/g)) {
    const [, many, one] = m;
    out += template.slice(at, m.index);
    at = m.index + m[0].length;
    const indent = indentAt(template, m.index);
    if (many) {
      const nodes = node.getMultipleMatches(many);
      if (nodes.length > 0) out += reindent(text, nodes[0]!.range().start.index, nodes.at(-1)!.range().end.index, indent);
      continue;
    }
    const bound = node.getMatch(one!);
    if (bound) out += reindent(text, bound.range().start.index, bound.range().end.index, indent);
    else out += indentLines(node.getTransformed(one!) ?? '', indent);
  }
  out += template.slice(at);
  return indentLines(out, indentAt(text, node.range().start.index));
}

/** ast-grep looks this far back for the start of a line (a longer line counts as unindented). */
const LOOK_BACK = 512;

/** The spaces that start the line `offset` is on (tabs are not indentation to ast-grep). */
function indentAt(source: string, offset: number): number {
  const from = Math.max(0, offset - LOOK_BACK);
  let indent = 0;
  for (let i = offset - 1; i >= from; i--) {
    const ch = source[i];
    if (ch === '\n') return indent;
    indent = ch === ' ' ? indent + 1 : 0;
  }
  return from === 0 ? indent : 0;
}

/** Every line but the first moved right by `indent` spaces. */
function indentLines(value: string, indent: number): string {
  return indent === 0 || !value.includes('\n') ? value : value.replaceAll('\n', `\n${' '.repeat(indent)}`);
}

/** A matched slice whose lines keep their indentation relative to its own line, re-indented to `indent`. */
function reindent(text: string, start: number, end: number, indent: number): string {
  const value = text.slice(start, end);
  if (!value.includes('\n')) return value;
  const own = indentAt(text, start);
  if (own === indent) return value;
  if (own < indent) return indentLines(value, indent - own);
  const strip = ' '.repeat(own - indent);
  return value
    .split('\n')
    .map((line) => (line.startsWith(strip) ? line.slice(strip.length) : line))
    .join('\n');
}
