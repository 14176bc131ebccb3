import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JS_NAME } from './synth-helpers.js';
import { parse } from 'yaml';
import { BIN, cli, git, tempRepo } from './helpers.js';

const hasScript = spawnSync('script', ['--version']).status === 0;

/**
 * Runs `failures log -i` in a real pseudo-terminal (util-linux `script`) and answers each prompt once
 * it is on the screen.
 */
async function interactive(cwd: string, answers: Array<[prompt: string, keys: string]>, args = 'log -i'): Promise<{ code: number; screen: string }> {
  // A pty made by script has no size until told: without one, every character wraps.
  const command = `stty cols 120 rows 40; ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} ${args}`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd, env: { ...process.env, FAILURES_SESSION: 'tty', NO_COLOR: '1' } });
  let screen = '';
  child.stdout.on('data', (d: Buffer) => (screen += d.toString()));
  const exited = new Promise<number>((resolve) => child.once('close', (code) => resolve(code ?? -1)));
  let seen = 0;
  for (const [prompt, keys] of answers) {
    const deadline = Date.now() + 20_000;
    while (screen.indexOf(prompt, seen) < 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (screen.indexOf(prompt, seen) < 0) throw new Error(`prompt '${prompt}' never appeared:\n${screen}`);
    seen = screen.indexOf(prompt, seen) + prompt.length;
    await new Promise((r) => setTimeout(r, 50));
    child.stdin.write(keys);
  }
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await exited;
  clearTimeout(timer);
  return { code, screen };
}

function feedbackFiles(root: string): string[] {
  const dir = join(root, '.failures', 'feedback');
  return existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml')).map((f) => join(dir, f)) : [];
}

describe.runIf(hasScript)('failures log -i in a terminal', () => {
  it('prompts for each field with choices and writes the entry', async () => {
    const repo = tempRepo();
    cli(repo, ['init']);
    const { code, screen } = await interactive(repo, [
      ['Type', '\u001b[B\r'], // down: repetition
      ['What went wrong?', 'fixture before import\r'],
      ['The correction', 'imports first\r'],
      ['Category', '\r'], // Testing
      ['Severity', '\u001b[B\r'], // high, then down: medium
      ['File it is about', 'tests/test_a.py:7\r'],
      ['Tags', 'pytest\r'],
    ]);
    expect(code, screen).toBe(0);
    const [file] = feedbackFiles(repo);
    expect(parse(readFileSync(file!, 'utf8'))).toMatchObject({
      type: 'repetition',
      context: 'fixture before import',
      feedback: 'imports first',
      category: 'Testing',
      severity: 'medium',
      file: 'tests/test_a.py',
      line: 7,
      tags: ['pytest'],
      session: 'tty',
    });
  }, 60_000);

  /**
   * Two entries logged in `category`, then `log -i` of a third like them, every prompt answered with
   * Enter (the nearest pattern, the first category offered): the new entry, the screen and the two ids.
   */
  async function linkInteractively(contexts: string[], category: string, context: string) {
    const repo = tempRepo();
    cli(repo, ['init']);
    const ids = contexts.map(
      (known) => JSON.parse(cli(repo, ['log', '--context', known, '--feedback', 'the correction', '--category', category, '--severity', 'high', '--format', 'json']).stdout).created[0] as string,
    );
    const { code, screen } = await interactive(repo, [
      ['Type', '\r'],
      ['What went wrong?', `${context}\r`],
      ['The correction', 'the correction\r'],
      ['Seen before?', '\r'],
      ['Category', '\r'],
      ['Severity', '\r'],
      ['File it is about', '\r'],
      ['Tags', '\r'],
    ]);
    expect(code, screen).toBe(0);
    const logged = feedbackFiles(repo).map((f) => parse(readFileSync(f, 'utf8'))).find((r) => r.context === context);
    return { logged, screen, ids };
  }

  it('offers the nearest known patterns and links the entry to the one chosen', async () => {
    const { logged, ids } = await linkInteractively(['pytest fixture placed before import pytest', 'fixture above the pytest import in conftest'], 'Testing', 'fixture defined before import pytest again');
    expect(ids).toContain(logged.same_as);
  }, 60_000);

  it('offers the linked entry\'s category first once a known pattern is chosen (QA pass 7: Testing was offered, so the link grouped nothing)', async () => {
    const { logged, screen, ids } = await linkInteractively(['callback mutates ctx.params', 'option callback writes ctx.params'], 'API', 'callback mutates ctx.params again');
    expect(ids).toContain(logged.same_as);
    expect(logged.category).toBe('API');
    expect(screen).not.toContain('patterns never span categories');
  }, 60_000);

  it('writes nothing on Ctrl-C', async () => {
    const repo = tempRepo();
    cli(repo, ['init']);
    const { code, screen } = await interactive(repo, [
      ['Type', '\r'],
      ['What went wrong?', 'half an answer\u0003'],
    ]);
    expect(code, screen).toBe(130);
    expect(screen).toContain('nothing was written');
    expect(feedbackFiles(repo)).toEqual([]);
  }, 60_000);
});

describe.runIf(hasScript)('failures review in a terminal', () => {
  it('shows each proposal with its evidence and approves or rejects it, one commit each', async () => {
    const repo = tempRepo();
    cli(repo, ['init']);
    const ids = [0, 1, 2].map(
      (i) => JSON.parse(cli(repo, ['log', '--context', `pytest fixture before import ${i}`, '--feedback', 'imports first', '--category', 'Testing', '--severity', 'high', '--format', 'json'], { env: { FAILURES_SESSION: `s${i}` } }).stdout).created[0] as string,
    );
    const proposal = (id: string, name: string) =>
      `id: ${id}\nname: ${name}\nstatus: proposed\ncategory: Testing\ndescription: ${name}\norigin:\n  feedback: [${ids.join(', ')}]\n`;
    writeFileSync(join(repo, '.failures', 'anti-patterns', 'AP-001.yaml'), proposal('AP-001', 'Fixture before import'));
    writeFileSync(join(repo, '.failures', 'anti-patterns', 'AP-002.yaml'), proposal('AP-002', 'Another reading'));
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'proposals');
    const { code, screen } = await interactive(
      repo,
      [
        ['AP-001?', '\r'], // approve
        ['AP-002?', '\u001b[B\r'], // reject
        ['Why is it rejected?', 'same as AP-001\r'],
      ],
      'review',
    );
    expect(code, screen).toBe(0);
    expect(screen).toContain('3 occurrences in 3 sessions');
    expect(git(repo, 'log', '--format=%s', '-2').trim().split('\n')).toEqual([
      'chore(failures): reject AP-002 Another reading: same as AP-001',
      'feat(Testing): enforce AP-001 Fixture before import based on feedback (3x)',
    ]);
  }, 60_000);
});

describe.runIf(hasScript)('failures review --fix in a terminal', () => {
  /** A proposal with one bad example, and a later commit that fixed the same mistake in the code. */
  function proposalAndFix(): string {
    const repo = tempRepo();
    cli(repo, ['init']);
    mkdirSync(join(repo, 'src'), { recursive: true });
    writeFileSync(join(repo, 'src', 'pay.ts'), 'export async function pay(gateway, payment) {\n  await gateway.charge(payment);\n}\n');
    writeFileSync(
      join(repo, '.failures', 'anti-patterns', 'AP-001.yaml'),
      'id: AP-001\nname: Retry Without Idempotency\nstatus: proposed\ndescription: Charges without an idempotency key\nexamples:\n  bad: ["await gateway.charge(order);"]\n',
    );
    writeFileSync(join(repo, '.failures', 'anti-patterns', 'AP-002.yaml'), 'id: AP-002\nname: Another\nstatus: proposed\ndescription: Another proposal\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'proposals');
    writeFileSync(join(repo, 'src', 'pay.ts'), 'export async function pay(gateway, payment) {\n  await gateway.charge(payment, { idempotencyKey: payment.id });\n}\n');
    git(repo, 'commit', '-q', '-am', 'fix: idempotent charge');
    return repo;
  }
  const record = (repo: string) => parse(readFileSync(join(repo, '.failures', 'anti-patterns', 'AP-001.yaml'), 'utf8'));

  it('--fix COMMIT: the proposal is shown re-synthesized with the fix commit’s examples, and approving commits it', async () => {
    const repo = proposalAndFix();
    const { code, screen } = await interactive(repo, [['AP-001?', '\r']], 'review AP-001 --fix HEAD --force');
    expect(code, screen).toBe(0);
    expect(screen).toContain('AP-001: detectors re-synthesized with the examples of HEAD');
    expect(screen).toContain('pattern "gateway.charge($A)"');
    expect(screen).toContain('fix: gateway.charge($A, { idempotencyKey: $A.id })');
    expect(screen).toContain('examples: 2 bad, 1 good');
    const after = record(repo);
    expect(after.status).toBe('approved');
    expect(after.enforce.detect).toEqual([{ pattern: 'gateway.charge($A)', constraints: { A: JS_NAME }, fix: 'gateway.charge($A, { idempotencyKey: $A.id })' }]);
    expect(git(repo, 'status', '--porcelain').trim()).toBe('');
    expect(cli(repo, ['test']).code).toBe(0);
  }, 60_000);

  it('the re-synthesize choice asks for the fix commit, shows the proposal again, and a skip leaves it uncommitted', async () => {
    const repo = proposalAndFix();
    const { code, screen } = await interactive(
      repo,
      [
        ['AP-001?', '\u001b[B\u001b[B\r'], // re-synthesize
        ['Fix commit', 'HEAD:src/pay.ts\r'],
        ['detectors re-synthesized', ''],
        ['AP-001?', '\u001b[B\u001b[B\u001b[B\r'], // skip
        ['AP-002?', '\u001b[B\u001b[B\u001b[B\u001b[B\r'], // stop
      ],
      'review',
    );
    expect(code, screen).toBe(0);
    expect(record(repo).status).toBe('proposed');
    expect(record(repo).enforce.detect).toEqual([{ pattern: 'gateway.charge($A)', constraints: { A: JS_NAME }, fix: 'gateway.charge($A, { idempotencyKey: $A.id })' }]);
    expect(git(repo, 'status', '--porcelain').trim()).toBe('M .failures/anti-patterns/AP-001.yaml');
  }, 60_000);

  it('a fix commit that does not exist is said, nothing is changed; --fix with two proposals is a usage error', async () => {
    const repo = proposalAndFix();
    const bad = await interactive(repo, [], 'review AP-001 --fix nope123');
    expect(bad.code).toBe(2);
    expect(bad.screen).toContain("no commit 'nope123'");
    expect(git(repo, 'status', '--porcelain').trim()).toBe('');
    const two = cli(repo, ['review', '--fix', 'HEAD']);
    expect([two.code, two.stderr]).toEqual([2, expect.stringContaining('name it: failures review AP-003 --fix COMMIT[:PATH]')]);
    const pipe = cli(repo, ['review', 'AP-001', '--fix', 'HEAD']);
    expect([pipe.code, pipe.stderr]).toEqual([2, expect.stringContaining('failures approve AP-001 --fix HEAD')]);
    expect(cli(repo, ['review', 'AP-009']).stderr).toContain('AP-009: no such proposed anti-pattern');
  }, 60_000);
});

describe.runIf(hasScript)('failures log -i: a mistyped file', () => {
  it('is asked again with the reason, keeping what was typed before (was: exit 2, everything lost)', async () => {
    const repo = tempRepo();
    cli(repo, ['init']);
    mkdirSync(join(repo, 'src'));
    writeFileSync(join(repo, 'src', 'api.ts'), 'export const a = 1;\n');
    const { code, screen } = await interactive(repo, [
      ['Type', '\r'],
      ['What went wrong?', 'handler typed as any\r'],
      ['The correction', 'use unknown\r'],
      ['Category', '\r'],
      ['Severity', '\r'],
      ['File it is about', 'src/api.ts:-3\r'],
      ["'-3' is not a line number", '\u007f\u007f2\r'],
      ['Tags', '\r'],
    ]);
    expect(code, screen).toBe(0);
    const [file] = feedbackFiles(repo);
    expect(parse(readFileSync(file!, 'utf8'))).toMatchObject({ context: 'handler typed as any', file: 'src/api.ts', line: 2 });
  });
});
