import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, fixtureCopy, git, GIT_ENV, REPO } from './helpers.js';

/** The shop fixture as a git repository with everything committed. */
function shop(): string {
  const root = fixtureCopy('shop');
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'initial');
  return root;
}

interface EslintMessage {
  ruleId: string | null;
  line: number;
  column: number;
  fatal?: boolean;
}
type EslintResult = Array<{ filePath: string; messages: EslintMessage[] }>;

function findings(json: string, root: string): string[] {
  return (JSON.parse(json) as EslintResult).flatMap((r) =>
    r.messages.map((m) => `${r.filePath.slice(root.length + 1)}:${m.line}:${m.column} ${m.ruleId ?? 'parse-error'}`),
  );
}

describe('failures check', () => {
  it('finds exactly the expected findings in a mixed TS/JS/Python tree', () => {
    const root = shop();
    const result = cli(root, ['check', '-f', 'json']);
    expect(result.code).toBe(1);
    expect(findings(result.stdout, root).sort()).toEqual(
      [
        'src/api/refund.js:4:10 failures/ap-001', // line 3 is suppressed by failures-ignore
        'src/broken.ts:1:7 parse-error',
        'src/jobs/payment_reminder.py:2:5 failures/ap-001', // regex detector, Python only
        'src/pay.ts:1:1 failures/ap-001', // import legacy-payments
        'src/pay.ts:5:11 failures/ap-001', // pattern; line 6 has the key
        'src/pay.ts:8:5 failures/ap-001', // selector: markFailure inside catch
      ].sort(),
    );
    const [message] = (JSON.parse(result.stdout) as Array<{ messages: Array<{ message: string }> }>).find((r) => r.messages.length)!.messages;
    expect(message!.message).toContain('INC-2024-089');
  });

  it('checks only the paths given, and prints stylish output with a summary', () => {
    const root = shop();
    const result = cli(root, ['check', 'src/api']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('src/api/refund.js');
    expect(result.stdout).not.toContain('src/pay.ts');
    expect(result.stdout).toContain('✖ 1 problem (1 error, 0 warnings)');
    expect(cli(root, ['check', 'nope']).code).toBe(2);
  });

  it('writes SARIF 2.1.0 with what GitHub code scanning needs', () => {
    const root = shop();
    const result = cli(root, ['check', '-f', 'sarif', '-o', 'out.sarif']);
    expect(result.code).toBe(1);
    const log = JSON.parse(readFileSync(join(root, 'out.sarif'), 'utf8'));
    expect(log.version).toBe('2.1.0');
    const [run] = log.runs;
    expect(run.tool.driver.rules[0]).toMatchObject({ id: 'failures/ap-001', fullDescription: { text: expect.any(String) }, help: { text: expect.stringContaining('Idempotency key') } });
    const sarifResult = run.results.find((r: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => r.locations[0]!.physicalLocation.artifactLocation.uri === 'src/pay.ts');
    expect(sarifResult.locations[0].physicalLocation.region).toEqual({ startLine: 1, startColumn: 1, endLine: 1, endColumn: 38 });
    expect(sarifResult.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]{16}:1$/);
    expect(run.results.every((r: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => !r.locations[0]!.physicalLocation.artifactLocation.uri.startsWith('/'))).toBe(true);
  });

  it('prints GitHub workflow annotations', () => {
    const root = shop();
    const result = cli(root, ['check', '-f', 'github', 'src/pay.ts']);
    expect(result.stdout).toContain('::error file=src/pay.ts,line=1,col=1,endLine=1,endColumn=38,title=failures/ap-001::Retry Without Idempotency');
  });
});

describe('failures check --staged', () => {
  it('checks the index, not the working tree, both ways', () => {
    const root = shop();
    git(root, 'rm', '-q', '-r', '--cached', 'src');
    git(root, 'commit', '-q', '-m', 'clean slate');
    writeFileSync(join(root, 'src', 'new.ts'), 'gateway.charge(payment);\n');
    git(root, 'add', 'src/new.ts');
    writeFileSync(join(root, 'src', 'new.ts'), 'gateway.charge(payment, { idempotencyKey: k });\n');
    const staged = cli(root, ['check', '--staged', '-f', 'json']);
    expect(findings(staged.stdout, root)).toEqual(['src/new.ts:1:1 failures/ap-001']);
    expect(cli(root, ['check', 'src/new.ts']).code).toBe(0);
    // And the other way: clean in the index, a violation only in the working tree.
    git(root, 'add', 'src/new.ts');
    writeFileSync(join(root, 'src', 'new.ts'), 'gateway.charge(payment);\n');
    expect(cli(root, ['check', '--staged']).code).toBe(0);
    expect(cli(root, ['check', 'src/new.ts']).code).toBe(1);
  });

  it('reads paths with spaces and non-ASCII names, and skips symlinks', () => {
    const root = shop();
    mkdirSync(join(root, 'src', 'dir with space'));
    writeFileSync(join(root, 'src', 'dir with space', 'zahlung ü.ts'), 'gateway.charge(p);\n');
    symlinkSync('pay.ts', join(root, 'src', 'link.ts'));
    git(root, 'add', '-A');
    const result = cli(root, ['check', '--staged', '-f', 'json']);
    expect(findings(result.stdout, root)).toEqual(['src/dir with space/zahlung ü.ts:1:1 failures/ap-001']);
  });
});

describe('the pre-commit hook', () => {
  function commit(root: string, ...args: string[]) {
    return spawnSync('git', ['commit', '-q', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, ...GIT_ENV, NO_COLOR: '1' } });
  }

  it('blocks a violation, lets a clean commit through, keeps an existing hook running, and uninstalls exactly', () => {
    const root = shop();
    const hooks = join(root, '.git', 'hooks');
    const original = '#!/bin/sh\necho ran >> "$(git rev-parse --show-toplevel)/existing-hook-ran"\n';
    writeFileSync(join(hooks, 'pre-commit'), original);
    chmodSync(join(hooks, 'pre-commit'), 0o755);
    expect(cli(root, ['hook', 'install']).code).toBe(0);
    const installed = readFileSync(join(hooks, 'pre-commit'), 'utf8');
    expect(cli(root, ['hook', 'install']).stderr).toContain('already installed');
    expect(readFileSync(join(hooks, 'pre-commit'), 'utf8')).toBe(installed);

    writeFileSync(join(root, 'src', 'bad.ts'), 'gateway.charge(payment);\n');
    git(root, 'add', 'src/bad.ts');
    const blocked = commit(root, '-m', 'bad');
    expect(blocked.status).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toContain('Retry Without Idempotency');
    expect(blocked.stderr).toContain('git commit --no-verify');
    expect(git(root, 'log', '--format=%s', '-1').trim()).toBe('initial');

    writeFileSync(join(root, 'src', 'bad.ts'), 'gateway.charge(payment, { idempotencyKey: k });\n');
    git(root, 'add', 'src/bad.ts');
    expect(commit(root, '-m', 'good').status).toBe(0);
    expect(readFileSync(join(root, 'existing-hook-ran'), 'utf8')).toBe('ran\nran\n');

    // `commit -a` checks git's temporary index: the modified tracked file is what counts.
    writeFileSync(join(root, 'src', 'bad.ts'), 'gateway.charge(payment);\n');
    expect(commit(root, '-a', '-m', 'bad again').status).not.toBe(0);
    // `commit <path>` too, even with a clean index.
    expect(commit(root, '-m', 'bad by path', 'src/bad.ts').status).not.toBe(0);
    expect(git(root, 'log', '--format=%s', '-1').trim()).toBe('good');

    expect(cli(root, ['hook', 'uninstall']).code).toBe(0);
    expect(readFileSync(join(hooks, 'pre-commit'), 'utf8')).toBe(original);
    expect(existsSync(join(hooks, 'pre-commit.failures-chained'))).toBe(false);
  });

  it('finds the hooks folder through core.hooksPath, and prints the snippet for husky', () => {
    const root = shop();
    git(root, 'config', 'core.hooksPath', 'githooks');
    expect(cli(root, ['hook', 'install']).code).toBe(0);
    expect(existsSync(join(root, 'githooks', 'pre-commit'))).toBe(true);
    const husky = shop();
    mkdirSync(join(husky, '.husky'));
    const result = cli(husky, ['hook', 'install']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('npx --no-install failures check --staged');
    expect(existsSync(join(husky, '.git', 'hooks', 'pre-commit'))).toBe(false);
  });
});

describe('the baseline', () => {
  it('survives moved code and blocks a new violation; --prune drops fixed entries', () => {
    const root = shop();
    expect(cli(root, ['baseline']).code).toBe(0);
    expect(readFileSync(join(root, '.failures', 'baseline.yaml'), 'utf8')).toContain('fingerprint:');
    expect(cli(root, ['validate']).code).toBe(0);
    const clean = cli(root, ['check']);
    expect(clean.stdout.replace(/\s/g, '')).toContain('src/broken.ts'); // parse errors are never baselined
    expect(findings(cli(root, ['check', '-f', 'json', 'src/pay.ts']).stdout, root)).toEqual([]);
    // Move the code: new lines above, re-indented, wrapped differently.
    const pay = readFileSync(join(root, 'src', 'pay.ts'), 'utf8');
    writeFileSync(join(root, 'src', 'pay.ts'), `// a comment\n\n${pay.replace('await gateway.charge(payment);', 'await gateway\n      .charge(payment);')}`);
    expect(findings(cli(root, ['check', '-f', 'json', 'src/pay.ts']).stdout, root)).toEqual([]);
    // A new violation is reported.
    writeFileSync(join(root, 'src', 'pay.ts'), `${readFileSync(join(root, 'src', 'pay.ts'), 'utf8')}\ngateway.charge(other);\n`);
    expect(findings(cli(root, ['check', '-f', 'json', 'src/pay.ts']).stdout, root)).toEqual(['src/pay.ts:15:1 failures/ap-001']);
    expect(findings(cli(root, ['check', '--no-baseline', '-f', 'json', 'src/pay.ts']).stdout, root)).toHaveLength(4);
    // Fix one old violation; prune drops exactly it.
    writeFileSync(join(root, 'src', 'jobs', 'payment_reminder.py'), 'def remind():\n    pass\n');
    const before = readFileSync(join(root, '.failures', 'baseline.yaml'), 'utf8').match(/fingerprint:/g)!.length;
    expect(cli(root, ['baseline', '--prune']).code).toBe(0);
    expect(readFileSync(join(root, '.failures', 'baseline.yaml'), 'utf8').match(/fingerprint:/g)!.length).toBe(before - 1);
    const listing = JSON.parse(cli(root, ['baseline', '--list', '--format', 'json']).stdout);
    expect(listing[0].occurrences_in_codebase[0]).toMatchObject({ file: expect.any(String), line: expect.any(Number), code: expect.any(String), risk: expect.stringMatching(/^HIGH - /) });
  });
});

describe('the ESLint plugin', () => {
  it('gives the same findings as check through the real eslint CLI with a flat config', () => {
    const root = shop();
    mkdirSync(join(root, 'node_modules', '@typescript-eslint'), { recursive: true });
    symlinkSync(REPO, join(root, 'node_modules', 'failures'));
    symlinkSync(join(REPO, 'node_modules', '@typescript-eslint', 'parser'), join(root, 'node_modules', '@typescript-eslint', 'parser'));
    writeFileSync(
      join(root, 'eslint.config.js'),
      [
        "import failures from 'failures/eslint';",
        "import tsParser from '@typescript-eslint/parser';",
        'export default [',
        "  { ignores: ['src/broken.ts'] },",
        "  { files: ['**/*.ts'], languageOptions: { parser: tsParser } },",
        '  failures.configs.recommended,',
        '];',
      ].join('\n'),
    );
    const eslint = spawnSync(process.execPath, [join(REPO, 'node_modules', 'eslint', 'bin', 'eslint.js'), '-f', 'json', 'src'], { cwd: root, encoding: 'utf8' });
    expect(eslint.status).toBe(1);
    const viaEslint = findings(eslint.stdout, root).sort();
    const viaCheck = findings(cli(root, ['check', '-f', 'json', 'src']).stdout, root)
      .filter((f) => f.endsWith('.ts failures/ap-001') || /\.(ts|js):/.test(f))
      .filter((f) => !f.includes('broken.ts') && !f.includes('.py'))
      .sort();
    expect(viaEslint).toEqual(viaCheck);
    expect(viaEslint).toHaveLength(4);
  });

  it('carries a hash of the records in meta.version, for ESLint\'s cache', async () => {
    const root = shop();
    const { createPlugin } = await import(join(REPO, 'dist', 'eslint', 'index.js'));
    const before = createPlugin({ root }).meta.version;
    const file = join(root, '.failures', 'anti-patterns', 'AP-001.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('gateway.charge($PAYMENT)', 'gateway.pay($PAYMENT)'));
    const plugin = createPlugin({ root });
    expect(plugin.meta.version).not.toBe(before);
    expect(plugin.meta.version).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]{12}$/);
    expect(Object.keys(plugin.rules)).toEqual(['ap-001']);
    expect(plugin.rules['ap-001'].meta.docs.url).toMatch(/^file:.*AP-001\.yaml$/);
  });
});
