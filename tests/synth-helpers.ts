/** What a relaxed name in a synthesized detector may be: a name or a path of names (see synth's PATHS). */
export const JS_NAME = { any: ['identifier', 'member_expression', 'subscript_expression', 'this'].map((kind) => ({ kind })) };
export const PY_NAME = { any: ['identifier', 'attribute', 'subscript'].map((kind) => ({ kind })) };
