import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, REPO, tempRepo } from './helpers.js';

/** Writes one feedback entry with a very large context, so that the write takes long enough to be killed. */
const WRITER = `
import { writeFeedback } from ${JSON.stringify(join(REPO, 'dist', 'index.js'))};
writeFeedback(process.argv[1], [{ timestamp: '2025-01-08T10:30:00Z', type: 'mistake', context: 'x'.repeat(200_000_000), category: 'Testing', severity: 'low' }], new Date());
`;

function listAll(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }) : [];
}

describe('a writer killed mid-write', () => {
  it('leaves no visible partial record', async () => {
    const repo = tempRepo();
    expect(cli(repo, ['init']).code).toBe(0);
    const feedback = join(repo, '.failures', 'feedback');
    const child = spawn(process.execPath, ['--input-type=module', '-e', WRITER, repo], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // Kill it as soon as its temporary file exists, before the record is linked into place.
    let sawTemporary = false;
    for (let i = 0; i < 20_000 && child.exitCode === null; i++) {
      if (listAll(feedback).some((f) => f.endsWith('.tmp'))) {
        sawTemporary = true;
        child.kill('SIGKILL');
        break;
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    if (!sawTemporary) child.kill('SIGKILL');
    await exited;
    expect(sawTemporary).toBe(true);
    const visible = listAll(feedback).filter((f) => f.endsWith('.yaml'));
    expect(visible).toEqual([]);
    // The leftover temporary file is invisible to readers: the store is valid and holds no feedback.
    const result = cli(repo, ['validate', '--format', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).records.feedback).toBeUndefined();
  }, 60_000);
});
