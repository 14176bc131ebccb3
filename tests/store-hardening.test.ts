import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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


describe('usage mistakes are exit 2 with a message, never a crash or a hang', () => {
  it('check -o into a folder that does not exist', () => {
    const root = store();
    const result = cli(root, ['check', '-o', '/nonexistent/x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot write the report to /nonexistent/x: ENOENT');
  });

  it('init --root /dev/null, a file, /proc', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), 'x');
    for (const root of ['/dev/null', join(dir, 'file'), '/proc', '/proc/x/y']) {
      const started = Date.now();
      const result = cli(dir, ['init', '--root', root]);
      expect(result.code, root).toBe(2);
      expect(result.stderr).not.toContain('internal error');
      expect(Date.now() - started).toBeLessThan(10_000);
    }
  });

  it('config.yaml as a folder or a FIFO', () => {
    const root = store();
    const config = join(root, '.failures', 'config.yaml');
    rmSync(config);
    mkdirSync(config);
    const folder = cli(root, ['validate']);
    expect(folder.code).toBe(1);
    expect(folder.stdout + folder.stderr).toContain('config.yaml is not a regular file');
    rmSync(config, { recursive: true });
    expect(spawnSync('mkfifo', [config]).status).toBe(0);
    const fifo = cli(root, ['validate']);
    expect(fifo.code).toBe(1);
    expect(fifo.stdout + fifo.stderr).toContain('config.yaml is not a regular file');
    const log = cli(root, LOG);
    expect(log.code).toBe(2);
    expect(log.stderr).toContain('config.yaml is not a regular file');
  });
});
