import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cli, git, tempRepo } from './helpers.js';

/** A repository with a few files, some with the mistake. */
function repo(files: Record<string, string>): string {
  const root = tempRepo();
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'code');
  return root;
}

describe('failures synth', () => {
  it('prints a verified enforce block with a fix and the blast radius', () => {
    const root = repo({
      'src/a.ts': 'await gateway.charge(order);\nawait gateway.charge(refund, { idempotencyKey: k });\n',
      'src/b.ts': 'export const x = 1;\n',
      'jobs/c.py': 'gateway.charge(p)\n',
    });
    const r = cli(root, ['synth', '--bad', 'await gateway.charge(payment);', '--good', 'await gateway.charge(payment, { idempotencyKey: key });', '--lang', 'ts']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('would flag 1 place in 1 file of 2 read');
    const block = parse(r.stdout);
    expect(block.enforce).toEqual({ files: ['**/*.{ts,mts,cts}'], detect: [{ pattern: 'gateway.charge($A)', fix: 'gateway.charge($A, { idempotencyKey: key })' }] });
    expect(block.examples.bad).toEqual(['await gateway.charge(payment);']);
  });

  it('--format json, Python guessed from the code', () => {
    const root = repo({ 'jobs/c.py': 'for p in due:\n    gateway.charge(p)\n' });
    const r = cli(root, ['synth', '--bad', 'for p in due:\n    gateway.charge(p)\n', '--good', 'gateway.charge(p, key)', '--format', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.detectors[0].language).toBe('python');
    expect(json.enforce.detect[0]).toEqual({ pattern: 'gateway.charge($A)', inside: { kind: 'for_statement', stopBy: 'end' } });
    expect(json.detectors[0].blast).toMatchObject({ places: 1, files: 1, scanned: 1 });
  });

  it('--from-diff: removed lines are bad, added lines good, the language from the path', () => {
    const root = repo({ 'x.js': 'x\n' });
    const diff = [
      'diff --git a/src/pay.js b/src/pay.js',
      '--- a/src/pay.js',
      '+++ b/src/pay.js',
      '@@ -1,4 +1,4 @@',
      ' function pay(a, b) {',
      '-  if (a == b) return;',
      '+  if (a === b) return;',
      '   charge(a);',
      ' }',
      '',
    ].join('\n');
    const r = cli(root, ['synth', '--from-diff', '--no-count'], { input: diff });
    expect(r.code).toBe(0);
    expect(parse(r.stdout).enforce.detect).toEqual([{ pattern: '$A == $B', fix: '$A === $B' }]);
  });

  it('refuses a detector that flags most files', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 6; i++) files[`src/f${i}.js`] = `console.log(${i});\n`;
    const root = repo(files);
    const r = cli(root, ['synth', '--bad', 'console.log(x)', '--lang', 'js']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('too broad: `console.log($A)` would flag 6 of 6 files');
    expect(r.stdout).toBe('');
  });

  it('errors: no examples, unparsable code, contradictions, an unknown language — exit 2, no stack', () => {
    const root = repo({ 'x.js': 'x\n' });
    const none = cli(root, ['synth']);
    expect([none.code, none.stderr]).toEqual([2, expect.stringContaining('no bad example')]);
    const broken = cli(root, ['synth', '--bad', 'f(a b', '--lang', 'js']);
    expect([broken.code, broken.stderr]).toEqual([2, expect.stringContaining('--bad 1:1:')]);
    expect(broken.stderr).toContain('does not parse as javascript');
    const same = cli(root, ['synth', '--bad', 'eval(x)', '--good', 'eval(x);', '--no-count']);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('contradiction: --bad 1 (`eval(x)`) and --good 1: the same code is given as bad and as good');
    const lang = cli(root, ['synth', '--bad', 'x', '--lang', 'cobol']);
    expect([lang.code, lang.stderr]).toEqual([2, expect.stringContaining("unknown language 'cobol'")]);
    for (const r of [none, broken, same, lang]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
