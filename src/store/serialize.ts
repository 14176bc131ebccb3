import { existsSync, readFileSync } from 'node:fs';
import { join, relative, dirname, sep } from 'node:path';
import { stringify } from 'yaml';
import type { RecordKind } from './layout.js';
import { loadSchema, schemaFile } from './schemas.js';

/**
 * The `$schema` reference editors use for a record written at `file`: the installed package's copy
 * (node_modules/failures/schemas) or, in the failures repository itself, its own schemas/ folder.
 * Undefined when neither is there; records then simply have no editor hint.
 */
export function schemaRefFor(projectRoot: string, file: string, kind: RecordKind): string | undefined {
  const candidates = [join(projectRoot, 'node_modules', 'failures', 'schemas', `${kind}.schema.json`)];
  if (isFailuresPackage(projectRoot)) candidates.push(schemaFile(kind));
  const found = candidates.find((c) => existsSync(c));
  return found ? relative(dirname(file), found).split(sep).join('/') : undefined;
}

function isFailuresPackage(projectRoot: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { name?: string }).name === 'failures';
  } catch {
    return false;
  }
}

/** The record with its keys in the schema's order, so every file reads the same way. */
function ordered(kind: RecordKind, data: Record<string, unknown>): Record<string, unknown> {
  const order = Object.keys((loadSchema(kind).properties as object | undefined) ?? {});
  const out: Record<string, unknown> = {};
  for (const key of order) if (data[key] !== undefined) out[key] = data[key];
  for (const key of Object.keys(data).sort()) if (!(key in out) && data[key] !== undefined) out[key] = data[key];
  return out;
}

/** YAML text for one or more records of a kind: several become a multi-document stream. */
export function serializeRecords(kind: RecordKind, records: Array<Record<string, unknown>>, schemaRef?: string): string {
  const header = schemaRef ? `# yaml-language-server: $schema=${schemaRef}\n` : '';
  const body = records
    .map((record) => stringify(ordered(kind, record), { lineWidth: 100, minContentWidth: 40 }))
    .join('---\n');
  return header + body;
}
