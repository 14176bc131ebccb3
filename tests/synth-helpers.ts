/** What a relaxed name in a synthesized detector may not be: a literal of the language (see synth's LITERALS). */
export const JS_NAME = { not: { regex: '^(["\'/]|\\d|(true|false|null|undefined)$)' } };
export const PY_NAME = { not: { regex: '^([rRbBuU]?["\']|\\d|(True|False|None)$)' } };
