import jsyaml from 'js-yaml';

/** Anchors, aliases and tags take the careful path, where aliases are capped and every construct is checked. */
const NEEDS_CAREFUL_PATH = /(^|[\s[{,:-])[&*!][^\s]/m;
/** js-yaml reads 0b101 as a binary number; YAML 1.2's core schema (and the yaml package) as a string. */
const BINARY_NUMBER = /[\s[{,:-][-+]?0b[01_]+\s*([,\]}#]|$)/m;

/**
 * The common case, fast: a file of plain mappings, parsed by js-yaml with the YAML 1.2 core schema
 * (about ten times faster than building a yaml Document). Returns undefined whenever the careful
 * parser must look instead: a syntax error, duplicate keys, anchors or aliases, tags, an empty or
 * non-mapping document. Its result is then discarded and nothing of it is reported.
 */
/** Signed hex and octal (js-yaml: numbers; YAML 1.2 core: strings) and `+.5` (the other way round). */
const SIGNED_NUMBER = /[\s[{,:-][-+](0[xo]|\.\d)/m;

export function fastParse(text: string): Array<Record<string, unknown>> | undefined {
  if (NEEDS_CAREFUL_PATH.test(text) || BINARY_NUMBER.test(text) || SIGNED_NUMBER.test(text)) return undefined;
  let documents: unknown[];
  try {
    documents = jsyaml.loadAll(text, undefined, { schema: jsyaml.CORE_SCHEMA, json: false });
  } catch {
    return undefined;
  }
  if (documents.length === 0) return undefined;
  for (const document of documents) {
    if (document === null || typeof document !== 'object' || Array.isArray(document)) return undefined;
  }
  return documents as Array<Record<string, unknown>>;
}
