import type { ErrorObject } from 'ajv';
import { closest, type Problem } from '../errors.js';
import { allowedFields, describeField } from './schemas.js';
import { positionOf, type ParsedDocument, type ParsedFile } from './parse.js';
import type { SchemaName } from './layout.js';

export type FieldPath = Array<string | number>;

/** `origin.incidents[0]` for display. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  return path.reduce<string>((out, segment) => (typeof segment === 'number' ? `${out}[${segment}]` : out ? `${out}.${segment}` : segment), '');
}

/** Ajv's JSON pointer as path segments, with array indexes as numbers. */
export function pointerToPath(pointer: string, value: unknown): FieldPath {
  if (!pointer) return [];
  const path: FieldPath = [];
  let current: unknown = value;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    const key = Array.isArray(current) ? Number(segment) : segment;
    path.push(key);
    current = current === null || typeof current !== 'object' ? undefined : (current as Record<string | number, unknown>)[key];
  }
  return path;
}

function valueAt(value: unknown, path: FieldPath): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** `'extreme'`, `42`, `a list`, … as a user would describe what they wrote. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `'${value.length > 60 ? value.slice(0, 57) + '...' : value}'`;
  return `${typeof value} ${String(value)}`;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  null: 'empty',
};

/** Semgrep's rule keys, and what a detector here calls them. */
const SEMGREP_KEYS: Record<string, string> = {
  patterns: '`all:` (a list of rules every match satisfies)',
  'pattern-either': '`any:` (a list of rules, one of which matches)',
  'pattern-not': '`not:`',
  'pattern-inside': '`inside:`',
  'pattern-not-inside': '`not_inside:`',
  'pattern-regex': 'a `regex:` detector (text), or `regex:` inside `rule:` (the node\'s text)',
  'metavariable-regex': '`constraints: { X: { regex: … } }`',
  'metavariable-pattern': '`constraints: { X: { pattern: … } }`',
  languages: '`language:` (one)',
};

/** One schema error in words: the field, what is wrong with what was written, and the fix. */
export interface SchemaIssue {
  path: FieldPath;
  message: string;
  fix?: string;
  /** The problem is the key itself (an unknown field), not its value. */
  atKey: boolean;
}

/**
 * Turns Ajv's errors into issues a person can act on. Errors that only restate a more specific one
 * (anyOf/oneOf branches) are dropped, and repeats are merged.
 */
export function describeSchemaErrors(schema: SchemaName, errors: ErrorObject[], value: unknown): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const seen = new Set<string>();
  for (const error of simplify(errors)) {
    const issue = describeError(schema, error, errors, value);
    const key = `${formatPath(issue.path)}:${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

/** Schema errors of one YAML document as problems at their line and column. */
export function schemaProblems(schema: SchemaName, errors: ErrorObject[], parsed: ParsedFile, document: ParsedDocument): Problem[] {
  return describeSchemaErrors(schema, errors, document.value).map((issue) => {
    const at = positionOf(parsed, document, issue.path, { key: issue.atKey });
    return {
      file: parsed.file,
      line: at.line,
      column: at.column,
      path: formatPath(issue.path),
      message: issue.message,
      ...(issue.fix ? { fix: issue.fix } : {}),
      severity: 'error' as const,
      rule: 'schema',
    };
  });
}

function describeError(schema: SchemaName, error: ErrorObject, errors: ErrorObject[], value: unknown): SchemaIssue {
  const path = pointerToPath(error.instancePath, value);
  const field = formatPath(path) || 'the record';
  const actual = valueAt(value, path);
  const params = error.params as Record<string, unknown>;
  let message: string;
  let fix: string | undefined;
  switch (error.keyword) {
    case 'required': {
      const missing = String(params.missingProperty);
      const fullPath = [...path, missing];
      const description = describeField(schema, fullPath);
      return { path, message: `missing required field '${formatPath(fullPath)}'`, fix: `add \`${missing}:\`${description ? ` — ${description}` : ''}`, atKey: false };
    }
    case 'additionalProperties': {
      const extra = String(params.additionalProperty);
      const allowed = allowedFields(schema, path);
      const guess = closest(extra, allowed);
      const inDetector = schema === 'anti-pattern' && path[0] === 'enforce' && path[1] === 'detect';
      // Keys of a Semgrep rule, or an ast-grep rule file pasted whole: say what they are called here.
      const semgrep = inDetector ? SEMGREP_KEYS[extra] : undefined;
      const pasted = schema === 'anti-pattern' && path.length === 0 && ['rule', 'language', 'utils', 'constraints', 'fix'].includes(extra);
      return {
        path: [...path, extra],
        message: `unknown field '${formatPath([...path, extra])}'`,
        fix: semgrep
          ? `\`${extra}\` is Semgrep's; here (ast-grep's rule keys) write ${semgrep}`
          : pasted
            ? `an ast-grep rule goes in a detector: enforce: { detect: [ { rule: …, language: … } ] } (its utils, constraints and fix beside rule:)`
            : guess
              ? `did you mean '${guess}'?`
              : `allowed fields here: ${allowed.join(', ')}; prefix your own fields with x- (x-${extra})`,
        atKey: true,
      };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      message = `${field} must be one of ${allowed.join(', ')}; got ${describeValue(actual)}`;
      // A typo (`aproved`, `High`) is the usual cause: name the value meant, as for unknown fields.
      const guess = typeof actual === 'string' ? closest(actual, allowed) : undefined;
      if (guess) fix = `did you mean '${guess}'?`;
      break;
    }
    case 'const':
      message = `${field} must be ${String(params.allowedValue)}; got ${describeValue(actual)}`;
      break;
    case 'type': {
      const expected = String(params.type).split(',').map((t) => TYPE_NAMES[t] ?? t).join(' or ');
      message = `${field} must be ${expected}; got ${describeValue(actual)}`;
      if (typeof actual === 'string' && params.type === 'integer' && /^\d+$/.test(actual)) fix = `remove the quotes: ${actual}`;
      // `files: "src/**/*.ts"`, `bad: "eval(x)"`: one item written without the list around it;
      // `entities: payment, retry`: a list written as one string.
      if (params.type === 'array' && (typeof actual === 'string' || (actual !== null && typeof actual === 'object'))) {
        const key = path.at(-1);
        const items = typeof actual === 'string' && !/[()[\]{}"']/.test(actual) ? actual.split(/\s*,\s*/).filter(Boolean) : [];
        fix =
          items.length > 1
            ? `write it as a list: [${items.join(', ')}]`
            : typeof actual === 'string'
              ? `write it as a list: ${String(key)}: [${JSON.stringify(actual)}]`
              : `write it as a list: put "- " before the item under ${String(key)}:`;
      }
      break;
    }
    case 'anyOf': {
      // A key that only goes with some kinds of detector (`language` on a regex): name the key, not "another shape".
      const dependent = /\/dependentSchemas\/([^/]+)\/anyOf$/.exec(error.schemaPath);
      const needs = oneOfRequiredKeys(error);
      if (dependent && needs.length > 0) {
        const key = dependent[1]!;
        return {
          path: [...path, key],
          message: `'${formatPath([...path, key])}' goes with an ast-grep rule (${needs.join(', ')}), and this detector has none`,
          fix: `remove \`${key}:\` from this detector, or write the detector as an ast-grep rule`,
          atKey: true,
        };
      }
      // Every branch failed at this very value: name the shapes that would be accepted.
      const expected = [...new Set(errors.filter((e) => e.instancePath === error.instancePath && e.keyword === 'type').map((e) => String(e.params.type)))];
      message = `${field} must be ${expected.map((t) => TYPE_NAMES[t] ?? t).join(' or ') || 'another shape'}; got ${describeValue(actual)}`;
      break;
    }
    case 'oneOf': {
      const keys = oneOfRequiredKeys(error);
      if (keys.length > 0) {
        const present = keys.filter((k) => actual !== null && typeof actual === 'object' && k in actual);
        message = `${field} needs exactly one of ${keys.join(', ')}; ${present.length === 0 ? 'it has none' : `it has ${present.join(' and ')}`}`;
        const structural = present.filter((k) => ['pattern', 'kind', 'rule', 'all', 'any', 'matches'].includes(k));
        // `kind: x` with `regex: …` is an ast-grep rule (the node's text); at a detector's top level `regex` is a text detector.
        if (present.includes('regex') && structural.length > 0 && !present.includes('rule')) {
          fix = `for ast-grep's regex on the node's text, put both under \`rule:\` (rule: { ${structural[0]}: …, regex: … }); a \`regex\` beside them is a text detector of its own: split it into its own item`;
        } else if (present.length > 1) fix = 'split it into one item per kind';
      } else {
        message = `${field} must match exactly one of the allowed shapes`;
      }
      break;
    }
    case 'dependentRequired':
      message = `${formatPath([...path, String(params.property)])} needs '${String(params.missingProperty)}' beside it`;
      break;
    case 'pattern':
    case 'format':
      message = `${field} ${describeValue(actual)} is not in the expected form`;
      break;
    case 'minLength':
      message = `${field} must not be empty`;
      break;
    case 'minItems':
      message = `${field} needs at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`;
      break;
    case 'uniqueItems':
      message = `${field} lists the same item twice (items ${Number(params.j) + 1} and ${Number(params.i) + 1})`;
      fix = 'remove the repeated item';
      break;
    case 'minimum':
    case 'maximum':
      message = `${field} must be ${error.keyword === 'minimum' ? '≥' : '≤'} ${String(params.limit)}; got ${describeValue(actual)}`;
      break;
    default:
      message = `${field} ${error.message ?? 'is invalid'}`;
  }
  fix ??= describeField(schema, path);
  return { path, message, ...(fix ? { fix } : {}), atKey: false };
}

/** The keys of a oneOf whose branches each only require one key ("exactly one of"); Ajv's verbose mode gives the branches. */
function oneOfRequiredKeys(oneOf: ErrorObject): string[] {
  const branches = oneOf.schema;
  if (!Array.isArray(branches)) return [];
  const requiredOnly = branches.every((b: Record<string, unknown>) => Array.isArray(b.required) && Object.keys(b).length === 1);
  return requiredOnly ? branches.flatMap((b: { required: string[] }) => b.required) : [];
}

/**
 * Drops errors that a more specific error already explains: branch errors inside a oneOf or anyOf
 * (the wrapper is reported instead, unless the value matched a branch's type and failed deeper).
 */
function simplify(errors: ErrorObject[]): ErrorObject[] {
  const wrappers = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  // An unknown key in the branch whose type the value has (a mapping with `stopby:`) is the mistake, not
  // "must be a string": that branch got past its type check, so its error says more than "wrong shape".
  const explains = (error: ErrorObject, wrapper: ErrorObject) => {
    if (error.keyword !== 'additionalProperties' || error.instancePath !== wrapper.instancePath) return false;
    const branch = `${wrapper.schemaPath}/${error.schemaPath.slice(wrapper.schemaPath.length + 1).split('/')[0]}/`;
    return !errors.some((e) => e.keyword === 'type' && e.instancePath === wrapper.instancePath && e.schemaPath.startsWith(branch));
  };
  return errors.filter((error) => {
    for (const wrapper of wrappers) {
      if (error === wrapper) continue;
      const inside = error.schemaPath.startsWith(wrapper.schemaPath + '/');
      if (!inside) continue;
      const deeper = error.instancePath.length > wrapper.instancePath.length;
      // A deeper error means the value had the right shape and one of its parts is wrong: keep it.
      if (!deeper && !explains(error, wrapper)) return false;
    }
    if (error.keyword === 'anyOf') {
      // Some branch got further than the type check: its deeper errors say more than "wrong shape".
      return !errors.some(
        (e) => e.schemaPath.startsWith(error.schemaPath + '/') && (e.instancePath.length > error.instancePath.length || explains(e, error)),
      );
    }
    return true;
  });
}
