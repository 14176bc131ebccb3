import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Ajv2020, ValidateFunction, ErrorObject } from 'ajv/dist/2020.js';
import type { SchemaName } from './layout.js';

/** schemas/ ships beside dist/ and src/ at the package root. */
export const SCHEMAS_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));

export function schemaFile(name: SchemaName): string {
  return `${SCHEMAS_DIR}${name}.schema.json`;
}

const rawSchemas = new Map<SchemaName, Record<string, unknown>>();
export function loadSchema(name: SchemaName): Record<string, unknown> {
  let schema = rawSchemas.get(name);
  if (!schema) {
    schema = JSON.parse(readFileSync(schemaFile(name), 'utf8')) as Record<string, unknown>;
    rawSchemas.set(name, schema);
  }
  return schema;
}

/** Also used by scripts/gen-validators.js: both paths must validate alike. */
export const AJV_OPTIONS = { allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true } as const;

let ajv: Ajv2020 | undefined;
const validators = new Map<SchemaName, ValidateFunction>();

/**
 * Validators precompiled at build time (scripts/gen-validators.js → dist/store/validators.cjs), so
 * no command pays for compiling schemas; absent when running the sources, which then compile.
 */
let precompiled: Record<string, ValidateFunction> | null | undefined;
function precompiledValidator(name: SchemaName): ValidateFunction | undefined {
  if (precompiled === undefined) {
    try {
      precompiled = createRequire(import.meta.url)('./validators.cjs') as Record<string, ValidateFunction>;
    } catch {
      precompiled = null;
    }
  }
  return precompiled?.[name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())];
}

/** The validator for a schema: precompiled, or compiled once per process. */
export function validatorFor(name: SchemaName): ValidateFunction {
  let validate = validators.get(name) ?? precompiledValidator(name);
  if (validate) validators.set(name, validate);
  if (!validate) {
    // Ajv itself loads only here: with the precompiled validators of a build, commands never need it.
    if (!ajv) {
      const { Ajv2020: Ajv } = createRequire(import.meta.url)('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
      ajv = new Ajv(AJV_OPTIONS);
    }
    validate = ajv.compile(loadSchema(name));
    validators.set(name, validate);
  }
  return validate;
}

/** Validates one value; returns Ajv's errors (empty when valid). */
export function schemaErrors(name: SchemaName, value: unknown): ErrorObject[] {
  const validate = validatorFor(name);
  return validate(value) ? [] : [...(validate.errors ?? [])];
}

/** The sub-schema that describes the value at `path` of an instance (best effort: follows properties, items, local $refs). */
function subSchema(name: SchemaName, path: ReadonlyArray<string | number>): Record<string, unknown> | undefined {
  const root = loadSchema(name);
  let node: Record<string, unknown> | undefined = root;
  for (const segment of path) {
    node = unwrap(root, node);
    if (!node) return undefined;
    if (typeof segment === 'number') node = node.items as Record<string, unknown> | undefined;
    else {
      const properties = node.properties as Record<string, Record<string, unknown>> | undefined;
      // A map (`utils`, `constraints`): any key, each value of the additionalProperties schema.
      const map = typeof node.additionalProperties === 'object' ? (node.additionalProperties as Record<string, unknown>) : undefined;
      node = properties?.[segment] ?? map;
    }
  }
  // A $ref with a sibling description: the sibling is the more specific text.
  if (node && typeof node.description === 'string') return node;
  return resolveRef(root, node);
}

/** A node's own schema for stepping into it: its $ref, a lone allOf, or the mapping branch of an anyOf (a string or a rule). */
function unwrap(root: Record<string, unknown>, node: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  for (let i = 0; i < 8 && node; i++) {
    const resolved = resolveRef(root, node);
    if (resolved !== node) node = resolved;
    else if (Array.isArray(node.allOf) && node.allOf.length === 1 && !node.properties) node = node.allOf[0] as Record<string, unknown>;
    else if (Array.isArray(node.anyOf) && !node.properties) {
      const branch = (node.anyOf as Record<string, unknown>[]).find((b) => b.properties || b.items || resolveRef(root, b) !== b);
      if (!branch) return node;
      node = branch;
    } else return node;
  }
  return node;
}

function resolveRef(
  root: Record<string, unknown>,
  node: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  const ref = node?.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return node;
  let target: unknown = root;
  for (const part of ref.slice(2).split('/')) target = (target as Record<string, unknown>)[part];
  return target as Record<string, unknown>;
}

/** The schema's description of the field at `path`, for hints. */
export function describeField(name: SchemaName, path: ReadonlyArray<string | number>): string | undefined {
  const description = subSchema(name, path)?.description;
  return typeof description === 'string' ? description : undefined;
}

/** Field names a schema allows on the object at `path`, for "did you mean" hints. */
export function allowedFields(name: SchemaName, path: ReadonlyArray<string | number>): string[] {
  const root = loadSchema(name);
  const node = unwrap(root, subSchema(name, path));
  const properties = node?.properties;
  if (properties && typeof properties === 'object') return Object.keys(properties);
  // anyOf branches (a string or an object): the object branch's fields.
  const branches = (node?.anyOf as Record<string, unknown>[] | undefined) ?? [];
  return branches.flatMap((b) => Object.keys((b.properties as object | undefined) ?? {}));
}

