import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JS_NAME, PY_NAME } from './synth-helpers.js';
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
    expect(block.enforce).toEqual({ files: ['**/*.{ts,mts,cts}'], detect: [{ pattern: 'gateway.charge($A)', constraints: { A: JS_NAME }, fix: 'gateway.charge($A, { idempotencyKey: key })' }] });
    expect(block.examples.bad).toEqual(['await gateway.charge(payment);']);
  });

  it('--format json, Python guessed from the code', () => {
    const root = repo({ 'jobs/c.py': 'for p in due:\n    gateway.charge(p)\n' });
    const r = cli(root, ['synth', '--bad', 'for p in due:\n    gateway.charge(p)\n', '--good', 'gateway.charge(p, key)', '--format', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.detectors[0].language).toBe('python');
    expect(json.enforce.detect[0]).toEqual({ pattern: 'gateway.charge($A)', inside: { kind: 'for_statement', stopBy: 'end' }, constraints: { A: PY_NAME } });
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
    // Files that give no example are summed up by reason, not listed one line each.
    const docs = Array.from({ length: 5 }, (_, i) => [`diff --git a/docs/n${i}.md b/docs/n${i}.md`, `--- a/docs/n${i}.md`, `+++ b/docs/n${i}.md`, '@@ -1 +1 @@', '-old', '+new', ''].join('\n'));
    const r = cli(root, ['synth', '--from-diff', '--no-count'], { input: diff + docs.join('') });
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.includes('skipped'))).toHaveLength(1);
    expect(r.stderr).toMatch(/skipped 5 files: .*docs\/n0\.md, docs\/n1\.md, docs\/n2\.md, … 2 more/);
    expect(parse(r.stdout).enforce.detect).toEqual([{ pattern: '$A == $B', constraints: { A: JS_NAME, B: JS_NAME }, fix: '$A === $B' }]);
  });

  it('--from-diff --lang of a language the diff is not in names the file, not "a bug in failures synth" (QA pass 7)', () => {
    const root = repo({ 'x.py': 'x = 1\n' });
    const diff = [
      'diff --git a/jobs/pay.py b/jobs/pay.py',
      '--- a/jobs/pay.py',
      '+++ b/jobs/pay.py',
      '@@ -1,3 +1,3 @@',
      ' def pay(value):',
      '-    if isinstance(value, str):',
      '+    if isinstance(value, (str, bytes)):',
      '         raise TypeError',
      '',
    ].join('\n');
    const r = cli(root, ['synth', '--from-diff', '--no-count', '--lang', 'ts'], { input: diff });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/jobs\/pay\.py:\d+:\d+: the diff's code does not parse as typescript, the language --lang ts gives every file of the diff/);
    expect(r.stderr).toContain("drop --lang: each file's language then comes from its path");
    expect(r.stderr).not.toContain('bug in failures synth');
    expect(r.stderr).not.toContain('not verified');
    expect(cli(root, ['synth', '--from-diff', '--no-count'], { input: diff }).code).toBe(0);
  });

  it('refuses a detector that flags most files', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 6; i++) files[`src/f${i}.js`] = `console.log(v${i});\n`;
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
    // Without --lang, the first example that parses in no language is named with where it stops.
    const unfinished = cli(root, ['synth', '--bad', 'foo(x)', '--good', 'foo(x, 1']);
    expect([unfinished.code, unfinished.stderr]).toEqual([2, expect.stringContaining('--good 1:1:9: the examples do not all parse')]);
    for (const r of [none, broken, same, lang, unfinished]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('failures log --fix', () => {
  function history(): { root: string; fix: string } {
    const root = repo({
      'src/pay.ts': 'export async function pay(gateway, payment) {\n  await gateway.charge(payment);\n}\n',
      'jobs/remind.py': 'def run(due):\n    for p in due:\n        notify(p.user)\n        gateway.charge(p)\n',
      'README.md': 'payments\n',
    });
    expect(cli(root, ['init']).code).toBe(0);
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'failures init');
    writeFileSync(join(root, 'src/pay.ts'), 'export async function pay(gateway, payment) {\n  await gateway.charge(payment, { idempotencyKey: payment.id });\n}\n');
    writeFileSync(join(root, 'jobs/remind.py'), 'def run(due):\n    for p in due:\n        gateway.charge(p)\n    notify_all(due)\n');
    writeFileSync(join(root, 'README.md'), 'payments, idempotent\n');
    git(root, 'commit', '-q', '-am', 'fix: idempotent charges, one notification');
    return { root, fix: git(root, 'rev-parse', 'HEAD').trim() };
  }
  const log = (root: string, fix: string) =>
    cli(root, ['log', '--context', 'charge retried without an idempotency key', '--feedback', 'pass an idempotency key', '--category', 'Architecture', '--severity', 'high', '--fix', fix, '--format', 'json']);

  it("records the commit and its removed/added code as the entry's examples", () => {
    const { root, fix } = history();
    const r = log(root, 'HEAD');
    expect(r.stderr).toContain('--fix: skipped README.md: not a language synthesis reads');
    expect(r.code).toBe(0);
    const file = JSON.parse(r.stdout).file as string;
    const entry = parse(readFileSync(join(root, file), 'utf8'));
    expect(entry.fix).toEqual({ commit: fix, paths: ['jobs/remind.py', 'src/pay.ts'] });
    expect(entry.examples.bad).toEqual([
      // the notification moved out of the loop: the loop is the bad code
      { code: 'for p in due:\n    notify(p.user)\n    gateway.charge(p)', filename: 'jobs/remind.py' },
      { code: 'await gateway.charge(payment);', filename: 'src/pay.ts' },
    ]);
    expect(entry.examples.good).toEqual([
      { code: 'notify_all(due)', filename: 'jobs/remind.py' },
      { code: 'await gateway.charge(payment, { idempotencyKey: payment.id });', filename: 'src/pay.ts' },
    ]);
    expect(cli(root, ['validate']).code).toBe(0);
  });

  it('reads the commit the same with color.ui = always or an external diff tool in git config (QA pass 7: "removes no code")', () => {
    const { root, fix } = history();
    git(root, 'config', 'color.ui', 'always');
    git(root, 'config', 'diff.external', 'false');
    const r = log(root, fix);
    expect(r.code, r.stderr).toBe(0);
    const entry = parse(readFileSync(join(root, JSON.parse(r.stdout).file as string), 'utf8'));
    expect(entry.examples.bad.map((e: { filename: string }) => e.filename)).toEqual(['jobs/remind.py', 'src/pay.ts']);
  });

  it('synth --from-diff reads a coloured diff, and a malformed one is a clear error, not an internal one (QA pass 7)', () => {
    const { root, fix } = history();
    const coloured = git(root, 'show', '--color=always', fix);
    expect(coloured).toContain('\x1b[');
    const r = cli(root, ['synth', '--from-diff', '--no-count'], { input: coloured });
    expect(r.code, r.stderr).toBe(0);
    expect(parse(r.stdout).examples.bad.length).toBeGreaterThan(0);
    const broken = ['diff --git a/a.py b/a.py', '--- a/a.py', '+++ b/a.py', '@@ -1,6 +1,6 @@', ' def f(x):', '-    g(x)', '+    g(x, 1)', '     return x', ''].join('\n');
    const bad = cli(root, ['synth', '--from-diff', '--no-count'], { input: broken });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('stdin:4:1: the diff does not parse');
    expect(bad.stderr).not.toContain('internal error');
  });

  it('COMMIT:PATH from a subfolder is read from there, as --file is (QA pass 7: "changes nothing under pay.ts")', () => {
    const { root, fix } = history();
    const r = cli(join(root, 'src'), ['log', '--context', 'charge without key', '--feedback', 'add a key', '--category', 'Architecture', '--severity', 'high', '--fix', `${fix}:pay.ts`, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const entry = parse(readFileSync(join(join(root, 'src'), JSON.parse(r.stdout).file as string), 'utf8'));
    expect(entry.fix).toEqual({ commit: fix, paths: ['src/pay.ts'] });
    // The path from the top still works from anywhere.
    expect(cli(join(root, 'src'), ['log', '--context', 'again', '--feedback', 'key', '--category', 'Architecture', '--severity', 'high', '--fix', `${fix}:src/pay.ts`]).code).toBe(0);
  });

  it('COMMIT:PATH narrows to one file; a bad commit or the first commit is a clear error', () => {
    const { root } = history();
    const one = log(root, 'HEAD:src/pay.ts');
    expect(one.code).toBe(0);
    const entry = parse(readFileSync(join(root, JSON.parse(one.stdout).file), 'utf8'));
    expect(entry.examples.bad).toEqual([{ code: 'await gateway.charge(payment);', filename: 'src/pay.ts' }]);
    const unknown = log(root, 'nope123');
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringContaining("no commit 'nope123'")]);
    const first = git(root, 'rev-list', '--max-parents=0', 'HEAD').trim();
    const rootCommit = log(root, first);
    expect([rootCommit.code, rootCommit.stderr]).toEqual([2, expect.stringContaining('has no parent')]);
    const docs = log(root, 'HEAD:README.md');
    expect([docs.code, docs.stderr]).toEqual([2, expect.stringContaining('removes no JavaScript, TypeScript or Python code')]);
  });
});

describe('failures approve --fix', () => {
  it('reads the record\'s examples without a file name in the rule\'s language (QA pass 7: a Python rule\'s string example became a TypeScript detector)', () => {
    const root = repo({ 'jobs/a.py': 'import requests\n\ndef fetch(url):\n    return requests.get(url, verify=False)\n' });
    expect(cli(root, ['init']).code).toBe(0);
    mkdirSync(join(root, '.failures', 'anti-patterns'), { recursive: true });
    writeFileSync(
      join(root, '.failures', 'anti-patterns', 'AP-001.yaml'),
      'id: AP-001\nname: TLS verification off\nstatus: proposed\ndescription: requests without TLS verification\nenforce:\n  files: ["**/*.py"]\nexamples:\n  bad: ["requests.post(api, verify=False)"]\n',
    );
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'propose AP-001');
    writeFileSync(join(root, 'jobs/a.py'), 'import requests\n\ndef fetch(url):\n    return requests.get(url, verify=True)\n');
    git(root, 'commit', '-q', '-am', 'fix: verify TLS');
    const r = cli(root, ['approve', 'AP-001', '--force', '--fix', 'HEAD']);
    expect(r.code, r.stderr).toBe(0);
    const record = parse(readFileSync(join(root, '.failures', 'anti-patterns', 'AP-001.yaml'), 'utf8'));
    expect(record.enforce.files).toEqual(['**/*.py']);
    expect(record.enforce.detect.map((d: { pattern: string }) => d.pattern)).toEqual(['requests.$A($B, verify=False)']);
    expect(cli(root, ['test']).code).toBe(0);
  });

  it('adds the fix commit’s examples and re-synthesizes the detectors before approving', () => {
    const root = repo({ 'src/pay.ts': 'export async function pay(gateway, payment) {\n  await gateway.charge(payment);\n}\n' });
    expect(cli(root, ['init']).code).toBe(0);
    mkdirSync(join(root, '.failures', 'anti-patterns'), { recursive: true });
    writeFileSync(
      join(root, '.failures', 'anti-patterns', 'AP-001.yaml'),
      'id: AP-001\nname: Retry Without Idempotency\nstatus: proposed\ndescription: Charges without an idempotency key\nexamples:\n  bad: ["await gateway.charge(order);"]\noccurrences_in_codebase:\n  - { file: src/old.ts, line: 9, code: "old()" }\nreview:\n  evidence:\n    codebase: { places: 9, files: 9, scanned: 9 }\n',
    );
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'propose AP-001');
    writeFileSync(join(root, 'src/pay.ts'), 'export async function pay(gateway, payment) {\n  await gateway.charge(payment, { idempotencyKey: payment.id });\n}\n');
    git(root, 'commit', '-q', '-am', 'fix: idempotent charge');
    const r = cli(root, ['approve', 'AP-001', '--force', '--fix', 'HEAD']);
    expect(r.stderr).not.toMatch(/error/i);
    // The record had no detectors before --fix; it has them now: no warning says otherwise (QA pass 7).
    expect(r.stderr).not.toContain('has no detectors');
    expect(r.code).toBe(0);
    const record = parse(readFileSync(join(root, '.failures', 'anti-patterns', 'AP-001.yaml'), 'utf8'));
    expect(record.status).toBe('approved');
    expect(record.enforce.detect).toEqual([{ pattern: 'gateway.charge($A)', constraints: { A: JS_NAME }, fix: 'gateway.charge($A, { idempotencyKey: $A.id })' }]);
    expect(record.examples.bad).toEqual(['await gateway.charge(order);', 'await gateway.charge(payment);']);
    // What the new detectors flag now, not the stale counts of the proposal (QA pass 7).
    expect(record.review.evidence.codebase).toEqual({ places: 0, files: 0, scanned: 1 });
    expect(record.occurrences_in_codebase).toEqual([]);
    expect(cli(root, ['test']).code).toBe(0);
  });
});
