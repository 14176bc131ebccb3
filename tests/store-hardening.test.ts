import { readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir, tempRepo } from './helpers.js';
import { RULE } from './hardening-helpers.js';

const LOG = ['log', '--context', 'c', '--feedback', 'f', '--category', 'Testing', '--severity', 'low'];

function store(): string {
  const root = tempRepo();
  expect(cli(root, ['init']).code).toBe(0);
  return root;
}

describe('symlinks in .failures/: never read, never written through, always reported', () => {
  it('log refuses to write through a symlinked folder that leaves the repository', () => {
    const root = store();
    const outside = tempDir();
    const feedback = join(root, '.failures', 'feedback');
    rmSync(feedback, { recursive: true });
    symlinkSync(outside, feedback);
    const result = cli(root, LOG);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is a symlink, so nothing was written');
    expect(readdirSync(outside)).toEqual([]);
    const validate = cli(root, ['validate']);
    expect(validate.code).toBe(1);
    expect(validate.stdout + validate.stderr).toContain('feedback is a symlink');
  });

  it('validate reports a symlinked record; check refuses a symlinked approved rule (exit 2)', () => {
    const root = store();
    const outside = tempDir();
    writeFileSync(join(outside, 'AP-001.yaml'), RULE);
    symlinkSync(join(outside, 'AP-001.yaml'), join(root, '.failures', 'anti-patterns', 'AP-001.yaml'));
    writeFileSync(join(root, 'a.ts'), 'gateway.charge(payment);\n');
    const validate = cli(root, ['validate']);
    expect(validate.code).toBe(1);
    expect(validate.stdout + validate.stderr).toMatch(/AP-001\.yaml:1:1: error: AP-001\.yaml is a symlink/);
    const check = cli(root, ['check']);
    expect(check.code).toBe(2);
    expect(check.stderr).toContain('is a symlink');
  });
});

