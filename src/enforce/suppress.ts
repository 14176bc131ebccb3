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

const ESLINT_DIRECTIVE = /eslint-(disable-next-line|disable-line|disable|enable)(?:[ \t]+([^\n]*?))?\s*(?:\*\/|-->|$)/;
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

/** `eslintDirectives: false` inside ESLint, which applies its own directives (and reports unused ones). */
export function readSuppressions(text: string, options: { eslintDirectives?: boolean } = {}): Suppressions {
  const eslintDirectives = options.eslintDirectives ?? true;
  const lines = new Map<number, Array<string[] | 'all'>>();
  const blocks: Array<{ rules: string[] | 'all'; from: number; to: number }> = [];
  const open: Array<{ rules: string[] | 'all'; from: number }> = [];
  const add = (line: number, rules: string[] | 'all') => lines.set(line, [...(lines.get(line) ?? []), rules]);
  if (!text.includes('eslint-') && !text.includes('failures-ignore')) return { isSuppressed: () => false };
  const all = text.split('\n');
  all.forEach((source, i) => {
    const line = i + 1;
    if (eslintDirectives && source.includes('eslint-')) {
      const m = ESLINT_DIRECTIVE.exec(source);
      if (m) {
        const rules = ruleList(m[2]);
        if (m[1] === 'disable-next-line') add(line + 1, rules);
        else if (m[1] === 'disable-line') add(line, rules);
        else if (m[1] === 'disable') open.push({ rules, from: line });
        else if (m[1] === 'enable') {
          const enabled = rules;
          for (let k = open.length - 1; k >= 0; k--) {
            const block = open[k]!;
            if (enabled === 'all' || block.rules === 'all' || block.rules.some((r) => enabled.includes(r))) {
              blocks.push({ ...block, to: line });
              open.splice(k, 1);
            }
          }
        }
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
  for (const block of open) blocks.push({ ...block, to: Number.MAX_SAFE_INTEGER });
  const covers = (rules: string[] | 'all', ruleId: string) => rules === 'all' || rules.includes(ruleId);
  return {
    isSuppressed(ruleId, line) {
      if ((lines.get(line) ?? []).some((rules) => covers(rules, ruleId))) return true;
      return blocks.some((b) => line >= b.from && line <= b.to && covers(b.rules, ruleId));
    },
  };
}
