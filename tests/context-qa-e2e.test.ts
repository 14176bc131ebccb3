/* eslint-disable @typescript-eslint/no-explicit-any -- reports and records are plain data read by path */
// Regression tests for the QA pass's defects in `failures context` and `failures import`, through the built CLI.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempRepo } from './helpers.js';

const SPEC = 'name: checkout-retry\ndescription: Retry payment requests to the gateway safely\nentities: [payment, retry, gateway, cache, queue]\nconstraints: []\n';

function project(): string {
  const root = tempRepo();
  expect(cli(root, ['init']).code).toBe(0);
  writeFileSync(join(root, 'spec.yaml'), SPEC);
  return root;
}

describe('failures context: output paths and dates (QA)', () => {
  it('--out naming a folder is a usage error before any work, naming the path and what to give', () => {
    const root = project();
    mkdirSync(join(root, 'somedir'));
    const result = cli(root, ['context', 'spec.yaml', '--out', 'somedir']);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/internal error|EISDIR/);
    expect(result.stderr).toContain('--out somedir: cannot write there (it is a folder)');
    expect(result.stderr).toContain('give --out a file');
    // Also with --format json, and for the default report file when a folder has its name.
    expect(cli(root, ['context', 'spec.yaml', '--format', 'json', '--out', 'somedir']).code).toBe(2);
    mkdirSync(join(root, 'checkout-retry-failures.yaml'));
    const byDefault = cli(root, ['context', 'spec.yaml']);
    expect(byDefault.code).toBe(2);
    expect(byDefault.stderr).toContain('checkout-retry-failures.yaml: cannot write there (it is a folder)');
    expect(cli(root, ['context', 'spec.yaml', '--out', '']).stderr).toContain('--out is empty');
  });

  it('--format json --out writes the JSON report to the file and says so; without --out it goes to stdout', () => {
    const root = project();
    const result = cli(root, ['context', 'spec.yaml', '--format', 'json', '--out', 'x.json']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('wrote x.json');
    const report = JSON.parse(readFileSync(join(root, 'x.json'), 'utf8'));
    expect(report.meta.manifold).toBe('checkout-retry');
    const stdout = cli(root, ['context', 'spec.yaml', '--format', 'json']);
    expect(JSON.parse(stdout.stdout)).toEqual(report);
    expect(existsSync(join(root, 'checkout-retry-failures.yaml'))).toBe(false);
  });

  it('--as-of refuses a day that does not exist, as analyze --since does', () => {
    const root = project();
    for (const day of ['2024-02-30', '2023-02-29', '2024-13-01']) {
      const result = cli(root, ['context', 'spec.yaml', '--timeframe', '12', '--as-of', day]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`--as-of ${day} is not a date`);
      expect(existsSync(join(root, 'checkout-retry-failures.yaml'))).toBe(false);
    }
    expect(cli(root, ['context', 'spec.yaml', '--timeframe', '12', '--as-of', '2024-02-29T10:00Z']).stderr).toContain('is not a day');
    expect(cli(root, ['context', 'spec.yaml', '--timeframe', '12', '--as-of', '2024-02-29']).code).toBe(0);
  });
});
