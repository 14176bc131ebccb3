import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers.js';
import { validatorFor } from '../src/store/schemas.js';
import type { SchemaName } from '../src/store/layout.js';

const names = readdirSync(join(REPO, 'schemas'))
  .filter((f) => f.endsWith('.schema.json'))
  .map((f) => f.replace('.schema.json', '') as SchemaName);

/** Every property schema under `properties`, with its path. */
function properties(node: unknown, path: string, out: Array<[string, Record<string, unknown>]> = []) {
  if (Array.isArray(node)) node.forEach((n, i) => properties(n, `${path}[${i}]`, out));
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (record.properties && typeof record.properties === 'object') {
      for (const [key, value] of Object.entries(record.properties)) out.push([`${path}.${key}`, value as Record<string, unknown>]);
    }
    for (const [key, value] of Object.entries(record)) properties(value, `${path}/${key}`, out);
  }
  return out;
}

describe('schemas', () => {
  it('ships every record kind the issue names', () => {
    expect(names.sort()).toEqual(
      ['anti-pattern', 'baseline', 'config', 'constraint', 'failure-context-report', 'failure-mode', 'feedback', 'incident', 'manifold', 'postmortem', 'ticket', 'ticket-pattern'].sort(),
    );
  });

  it.each(names)('%s compiles under strict Ajv', (name) => {
    expect(() => validatorFor(name)).not.toThrow();
  });

  it.each(names)('%s describes every field', (name) => {
    const schema = JSON.parse(readFileSync(join(REPO, 'schemas', `${name}.schema.json`), 'utf8'));
    const undocumented = properties(schema, name).filter(([, p]) => typeof p.description !== 'string' || p.description.length < 3);
    expect(undocumented.map(([path]) => path)).toEqual([]);
  });

  it('keeps the seed field names', () => {
    const fields = (name: string) => Object.keys(JSON.parse(readFileSync(join(REPO, 'schemas', `${name}.schema.json`), 'utf8')).properties);
    expect(fields('feedback')).toEqual(expect.arrayContaining(['timestamp', 'type', 'context', 'feedback', 'category', 'severity']));
    expect(fields('incident')).toEqual(expect.arrayContaining(['incident_id', 'root_cause', 'contributing_factors', 'timeline', 'financial_impact']));
    expect(fields('postmortem')).toEqual(expect.arrayContaining(['five_whys', 'action_items', 'systemic_issues']));
    expect(fields('anti-pattern')).toEqual(
      expect.arrayContaining(['pattern_signature', 'prevention', 'example_bad_code', 'example_good_code', 'occurrences_in_codebase', 'enforce', 'examples']),
    );
  });

  it('generated TypeScript types match the schemas', () => {
    const result = spawnSync(process.execPath, [join(REPO, 'scripts', 'gen-types.js'), '--check'], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('accepts the seed\'s postmortem action items in both shapes', () => {
    const validate = validatorFor('postmortem');
    expect(validate({ id: 'PM-1', incident: 'INC-1', action_items: { completed: ['a'], incomplete: ['b'] } })).toBe(true);
    expect(validate({ id: 'PM-1', incident: 'INC-1', action_items: [{ action: 'b', status: 'open', owner: 'x', type: 'prevent' }] })).toBe(true);
    expect(validate({ id: 'PM-1', incident: 'INC-1', action_items: [{ action: 'b', status: 'later' }] })).toBe(false);
  });

  it('requires exactly one kind per detector', () => {
    const validate = validatorFor('anti-pattern');
    const record = (detect: unknown[]) => ({ id: 'AP-1', name: 'n', status: 'proposed', description: 'd', enforce: { detect } });
    expect(validate(record([{ pattern: 'f($X)', not: 'f(1)' }, { selector: 'CallExpression' }, { import: 'x' }, { regex: 'a', flags: 'i' }]))).toBe(true);
    expect(validate(record([{ pattern: 'f()', selector: 'CallExpression' }]))).toBe(false);
    expect(validate(record([{ message: 'nothing to detect' }]))).toBe(false);
    expect(validate(record([{ selector: 'X', not: 'f()' }]))).toBe(false);
  });
});

describe('precompiled validators (dist/store/validators.cjs)', () => {
  it('validate exactly as the runtime-compiled ones', async () => {
    const { createRequire } = await import('node:module');
    const precompiled = createRequire(import.meta.url)(join(REPO, 'dist', 'store', 'validators.cjs')) as Record<string, (v: unknown) => boolean>;
    const samples: Array<[SchemaName, unknown]> = [
      ['feedback', { id: 'fb-1', timestamp: '2025-01-08T10:30:00', type: 'mistake', context: 'c', category: 'Testing', severity: 'high' }],
      ['feedback', { id: 'fb-1', timestamp: 'yesterday', type: 'blunder', context: '', category: 'Testing', severity: 'high', extra: 1 }],
      ['anti-pattern', { id: 'AP-1', name: 'n', status: 'approved', description: 'd', enforce: { detect: [{ pattern: 'f()', selector: 'X' }] } }],
      ['postmortem', { id: 'PM-1', incident: 'INC-1', action_items: { completed: ['a'] } }],
    ];
    for (const [name, value] of samples) {
      const runtime = validatorFor(name);
      const compiled = precompiled[name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())]!;
      expect(compiled(value)).toBe(runtime(value));
      expect(JSON.stringify((compiled as unknown as { errors: unknown }).errors ?? null)).toBe(JSON.stringify(runtime.errors ?? null));
    }
  });
});
