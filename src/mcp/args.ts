import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { FailuresError } from '../errors.js';

let ajv: Ajv2020 | undefined;
const validators = new Map<string, ValidateFunction>();

/**
 * A tool call's arguments checked against the tool's input schema before anything runs, so a
 * malformed call is refused whole (and never writes). Compiled on first use: `initialize` stays fast.
 */
export function checkArguments(tool: string, schema: object, args: Record<string, unknown>): Record<string, unknown> {
  let validate = validators.get(tool);
  if (!validate) {
    ajv ??= new Ajv2020({ allErrors: true, strict: false });
    validate = ajv.compile(schema);
    validators.set(tool, validate);
  }
  if (validate(args)) return args;
  const problems = (validate.errors ?? []).map((e) => {
    const where = e.instancePath ? `argument '${e.instancePath.slice(1).replaceAll('/', '.')}'` : 'the arguments';
    if (e.keyword === 'additionalProperties') return `unknown argument '${String(e.params.additionalProperty)}'`;
    if (e.keyword === 'required') return `missing required argument '${String(e.params.missingProperty)}'`;
    if (e.keyword === 'enum') return `${where} must be one of ${(e.params.allowedValues as unknown[]).join(', ')}`;
    return `${where} ${e.message ?? 'is invalid'}`;
  });
  throw new FailuresError(`${tool}: ${[...new Set(problems)].join('; ')}; nothing was done`, {
    hint: `the tool's input schema (tools/list) names every argument and its type`,
  });
}
