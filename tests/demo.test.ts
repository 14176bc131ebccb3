import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers.js';

describe('npm run demo', () => {
  it('runs the narrated loop, exits 0 and leaves nothing behind', () => {
    const result = spawnSync(process.execPath, [join(REPO, 'scripts', 'demo.js')], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('failures validate');
    expect(result.stdout).toContain("unknown field 'rootcause'");
    expect(result.stdout).toMatch(/"created":\["fb-\d{8}-[0-9a-z]{8}-1",/);
    const work = /^ {2}(\/\S+failures-demo-\S+)$/m.exec(result.stdout)?.[1];
    expect(work).toBeDefined();
    expect(existsSync(join(work!))).toBe(false);
  }, 60_000);
});
