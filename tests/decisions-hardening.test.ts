import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cli, git, GIT_ENV, tempRepo } from './helpers.js';

/** A proposed anti-pattern written the way people write YAML: CRLF, a BOM, flow sequences, comments. */
const PROPOSED = [
  '\uFEFF# Found in review, twice.',
  'id: AP-001',
  'name: Charge without idempotency   # short name',
  'status: proposed # lifecycle',
  'category: Architecture',
  'severity: high',
  'description: Charging without an idempotency key',
  'pattern_signature: [a, "b c",   d]',
  '# the detector',
  'enforce:',
  '  files: ["**/*.ts"]',
  '  detect:',
  '    - pattern: gateway.charge($PAYMENT)',
  'examples: { bad: ["gateway.charge(payment)"], good: ["gateway.charge(payment, key)"] }',
  'review:',
  "  proposed_at: '2025-01-10T09:00:00Z'",
  '# trailing comment',
  '',
].join('\r\n');

function repo(): { root: string; file: string } {
  const root = tempRepo();
  mkdirSync(join(root, '.failures', 'anti-patterns'), { recursive: true });
  const file = join(root, '.failures', 'anti-patterns', 'AP-001.yaml');
  writeFileSync(file, PROPOSED);
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'proposed');
  return { root, file };
}

const clean = (root: string) => git(root, 'status', '--porcelain').trim();

describe('decisions are all or nothing', () => {
  it('without a git identity: refused before editing, nothing changed; then it works', () => {
    const { root, file } = repo();
    const result = cli(root, ['approve', 'AP-001', '--force'], { env: { GIT_AUTHOR_NAME: '', GIT_COMMITTER_NAME: '', HOME: root, XDG_CONFIG_HOME: root } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('git does not know who you are');
    expect(readFileSync(file, 'utf8')).toBe(PROPOSED);
    expect(clean(root)).toBe('');
    expect(cli(root, ['approve', 'AP-001', '--force']).code).toBe(0);
    expect(git(root, 'log', '-1', '--format=%s')).toContain('enforce AP-001');
  });

  it('with a held index.lock: refused before editing', () => {
    const { root, file } = repo();
    writeFileSync(join(root, '.git', 'index.lock'), '');
    const result = cli(root, ['approve', 'AP-001', '--force']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('index.lock');
    expect(readFileSync(file, 'utf8')).toBe(PROPOSED);
  });

  it('a commit that fails (a refusing hook) puts the exact bytes and the index back', () => {
    const { root, file } = repo();
    writeFileSync(join(root, '.git', 'hooks', 'pre-commit'), '#!/bin/sh\necho "no commits today" >&2\nexit 1\n');
    chmodSync(join(root, '.git', 'hooks', 'pre-commit'), 0o755);
    const result = cli(root, ['retire', 'AP-001', '--reason', 'x']);
    expect(result.code).toBe(2); // proposed: cannot be retired
    const approve = cli(root, ['approve', 'AP-001', '--force']);
    expect(approve.code).toBe(2);
    expect(approve.stderr).toContain('no commits today');
    expect(approve.stderr).toContain('put back');
    expect(readFileSync(file)).toEqual(Buffer.from(PROPOSED));
    expect(clean(root)).toBe('');
    expect(git(root, 'log', '-1', '--format=%s').trim()).toBe('proposed');
  });

  it('a decision interrupted after its edit (kill -9) is completed by running it again', () => {
    const { root, file } = repo();
    // --no-commit leaves exactly what a kill between the edit and the commit leaves; staged, too.
    expect(cli(root, ['approve', 'AP-001', '--force', '--no-commit']).code).toBe(0);
    git(root, 'add', '-A');
    const edited = readFileSync(file, 'utf8');
    const retry = cli(root, ['approve', 'AP-001', '--force']);
    expect(retry.code, retry.stderr).toBe(0);
    expect(retry.stderr).toContain('interrupted');
    expect(readFileSync(file, 'utf8')).toBe(edited);
    expect(clean(root)).toBe('');
    expect(git(root, 'log', '-1', '--format=%s')).toContain('enforce AP-001');
    // Anything else changed by hand is not a decision to complete.
    writeFileSync(file, edited.replace('severity: high', 'severity: low'));
    expect(cli(root, ['approve', 'AP-001']).stderr).toContain('already approved');
  });
});

describe('a decision killed with -9 mid-commit', () => {
  it('leaves a state the next run names (the lock) and then completes', async () => {
    const { root, file } = repo();
    const marker = join(root, '.git', 'hook-started');
    writeFileSync(join(root, '.git', 'hooks', 'pre-commit'), `#!/bin/sh\ntouch "${marker}"\nsleep 30\n`);
    chmodSync(join(root, '.git', 'hooks', 'pre-commit'), 0o755);
    const child = spawn(process.execPath, [BIN, 'approve', 'AP-001', '--force'], { cwd: root, detached: true, stdio: 'ignore', env: { ...process.env, ...GIT_ENV } });
    for (let i = 0; i < 200 && !existsSync(marker); i++) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(marker)).toBe(true);
    process.kill(-child.pid!, 'SIGKILL'); // the CLI, git commit and the hook, as a crash would
    await new Promise((r) => setTimeout(r, 200));
    rmSync(join(root, '.git', 'hooks', 'pre-commit'));
    const locked = cli(root, ['approve', 'AP-001', '--force']);
    expect(locked.code).toBe(2);
    expect(locked.stderr).toContain('index.lock');
    rmSync(join(root, '.git', 'index.lock'), { force: true });
    const retry = cli(root, ['approve', 'AP-001', '--force']);
    expect(retry.code, retry.stderr).toBe(0);
    expect(retry.stderr).toContain('interrupted');
    expect(clean(root)).toBe('');
    expect(readFileSync(file, 'utf8')).toContain('status: approved # lifecycle');
  });
});

describe('decisions change only the lines they mean to', () => {
  it('keeps CRLF, the BOM, flow sequences, quoting and comments', () => {
    const { root, file } = repo();
    expect(cli(root, ['approve', 'AP-001', '--force', '--by', 'alice']).code).toBe(0);
    const after = readFileSync(file, 'utf8');
    expect(after.startsWith('\uFEFF# Found in review')).toBe(true);
    const before = PROPOSED.split('\r\n');
    const lines = after.split('\r\n');
    expect(after.replace(/\r\n/g, '')).not.toContain('\n'); // every line still ends in CRLF
    expect(lines.filter((l) => !before.includes(l))).toEqual([
      'status: approved # lifecycle',
      '  approved_by: alice',
      expect.stringMatching(/^ {2}approved_at: \d{4}-\d{2}-\d{2}T[\d:]+Z$/),
      '  evidence:',
      '    occurrences: 0',
      '    sessions: 0',
    ]);
    expect(before.filter((l) => !lines.includes(l))).toEqual(['status: proposed # lifecycle']);
    expect(cli(root, ['validate']).code).toBe(0);
    const retired = cli(root, ['retire', 'AP-001', '--reason', 'replaced by "AP-002": see #12']);
    expect(retired.code, retired.stderr).toBe(0);
    const final = readFileSync(file, 'utf8');
    expect(final).toContain('pattern_signature: [a, "b c",   d]\r\n');
    expect(final).toContain('examples: { bad: ["gateway.charge(payment)"], good: ["gateway.charge(payment, key)"] }\r\n');
    expect(final).toContain('# trailing comment\r\n');
    expect(final).toContain('status: retired # lifecycle\r\n');
  });
});
