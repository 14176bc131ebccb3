/** What a relaxed name in a synthesized detector may not be: a literal, a call, an update, an await (see synth's EFFECTS). */
export const JS_NAME = {
  not: { any: [{ regex: '^(["\'/]|\\d|(true|false|null|undefined)$)' }, ...['call_expression', 'new_expression', 'update_expression', 'assignment_expression', 'augmented_assignment_expression', 'await_expression'].map((kind) => ({ kind }))] },
};
export const PY_NAME = { not: { any: [{ regex: '^([rRbBuU]?["\']|\\d|(True|False|None)$)' }, ...['call', 'await', 'named_expression'].map((kind) => ({ kind }))] } };
