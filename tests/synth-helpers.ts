/** What a relaxed name in a synthesized detector may not be: a literal of the language (see synth's LITERALS). */
const not = (kinds: string[]) => ({ not: { any: kinds.map((kind) => ({ kind })) } });
export const JS_NAME = not(['string', 'number', 'true', 'false', 'null', 'undefined', 'regex']);
export const PY_NAME = not(['string', 'concatenated_string', 'integer', 'float', 'true', 'false', 'none']);
