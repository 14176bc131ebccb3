import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE, write } from './hardening-helpers.js';
import { cli, git, GIT_ENV, tempRepo } from './helpers.js';

/** `R`: a repository with the approved rule (its store in `pkg`, '' for the top) committed. */
function repoWithRule(pkg = ''): string {
  const root = tempRepo();
  write(root, join(pkg, '.failures', 'anti-patterns', 'AP-001.yaml'), RULE);
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'rule');
  return root;
}

function commit(root: string, ...args: string[]) {
  const result = spawnSync('git', ['commit', '-q', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, ...GIT_ENV, NO_COLOR: '1' } });
  return { status: result.status, output: result.stdout + result.stderr };
}

const head = (root: string) => git(root, 'log', '--format=%s', '-1').trim();

describe('hook install finds its store (monorepos)', () => {
  it('installed from pkg/, checks pkg/ only, from wherever the commit is made', () => {
    const root = repoWithRule('pkg');
    const install = cli(join(root, 'pkg'), ['hook', 'install']);
    expect(install.code).toBe(0);
    expect(install.stderr).toContain('for pkg/.failures');
    // A commit outside pkg/ is not blocked (and not broken by "no .failures/ folder").
    write(root, 'other/a.ts', 'gateway.charge(payment);\n');
    git(root, 'add', '-A');
    const outside = commit(root, '-m', 'outside');
    expect(outside.output).not.toContain('no .failures/');
    expect(outside.status).toBe(0);
    // A violation inside pkg/ is blocked, committed from the top or from a subfolder.
    write(root, 'pkg/src/a.ts', 'gateway.charge(payment);\n');
    git(root, 'add', '-A');
    const blocked = commit(root, '-m', 'inside');
    expect(blocked.status).toBe(1);
    expect(blocked.output).toContain('src/a.ts');
    expect(spawnSync('git', ['commit', '-q', '-m', 'inside'], { cwd: join(root, 'pkg', 'src'), env: { ...process.env, ...GIT_ENV } }).status).toBe(1);
    expect(head(root)).toBe('outside');
  });

  it('--root from the top, and a second store added to the same hook', () => {
    const root = repoWithRule('a');
    write(root, 'b/.failures/anti-patterns/AP-001.yaml', RULE);
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'second store');
    expect(cli(root, ['hook', 'install', '--root', 'a']).code).toBe(0);
    expect(cli(join(root, 'b'), ['hook', 'install']).code).toBe(0);
    expect(cli(join(root, 'b'), ['hook', 'install']).stderr).toContain('already installed');
    for (const pkg of ['a', 'b']) {
      write(root, `${pkg}/x.ts`, 'gateway.charge(payment);\n');
      git(root, 'add', '-A');
      expect(commit(root, '-m', pkg).status).toBe(1);
      git(root, 'reset', '-q');
      git(root, 'clean', '-fq');
    }
  });

  it('refuses (exit 2) where there is no store, installing nothing', () => {
    const root = tempRepo();
    const result = cli(root, ['hook', 'install']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no hook was installed');
    expect(result.stderr).toContain('failures init');
    expect(existsSync(join(root, '.git', 'hooks', 'pre-commit'))).toBe(false);
    expect(cli(root, ['hook', 'install', '--root', 'nope']).code).toBe(2);
  });

  it('a hook manager gets the snippet for its store, with --root and the merge hook', () => {
    const root = repoWithRule('pkg');
    write(root, '.husky/.keep', '');
    const result = cli(join(root, 'pkg'), ['hook', 'install', '--merge']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('# .husky/pre-commit\nnpx --no-install failures check --staged --root pkg\n');
    expect(result.stdout).toContain('# .husky/pre-merge-commit\n');
    expect(existsSync(join(root, '.git', 'hooks', 'pre-commit'))).toBe(false);
  });

  it('holds no absolute path: the repository can move', () => {
    const root = repoWithRule('pkg');
    cli(join(root, 'pkg'), ['hook', 'install']);
    const script = readFileSync(join(root, '.git', 'hooks', 'pre-commit'), 'utf8');
    expect(script).toContain("check_root 'pkg'");
    expect(script).not.toContain(root);
  });
});

describe('violations cannot slip past the hook', () => {
  function installed(pkg = ''): string {
    const root = repoWithRule(pkg);
    expect(cli(join(root, pkg), ['hook', 'install']).code).toBe(0);
    return root;
  }

  it('checks a staged type change (symlink → file)', () => {
    const root = installed();
    write(root, 'target.txt', 'nothing\n');
    spawnSync('ln', ['-s', 'target.txt', 'a.ts'], { cwd: root });
    git(root, 'add', '-A');
    expect(commit(root, '-m', 'link').status).toBe(0);
    git(root, 'rm', '-q', '--cached', 'a.ts');
    spawnSync('rm', ['a.ts'], { cwd: root });
    write(root, 'a.ts', 'gateway.charge(payment);\n');
    git(root, 'add', 'a.ts');
    expect(git(root, 'diff', '--cached', '--name-status').trim()).toBe('T\ta.ts');
    const blocked = commit(root, '-m', 'type change');
    expect(blocked.status).toBe(1);
    expect(blocked.output).toContain('a.ts');
  });

  it('enforces the rules of the index: an unstaged retirement or baseline lets nothing in', () => {
    const root = installed();
    write(root, 'a.ts', 'gateway.charge(payment);\n');
    // An uncommitted, unstaged baseline that lists the violation.
    expect(cli(root, ['baseline']).code).toBe(0);
    git(root, 'add', 'a.ts');
    const withBaseline = commit(root, '-m', 'baselined in the work tree only');
    expect(withBaseline.status).toBe(1);
    expect(withBaseline.output).toContain('not staged');
    // An unstaged retirement.
    write(root, '.failures/anti-patterns/AP-001.yaml', RULE.replace('status: approved', 'status: retired'));
    expect(commit(root, '-m', 'retired in the work tree only').status).toBe(1);
    // Staged, both count: the retirement is committed with the code.
    git(root, 'add', '.failures/anti-patterns/AP-001.yaml');
    expect(commit(root, '-m', 'retired for real').status).toBe(0);
  });

  it('a staged baseline counts, and a staged new rule is enforced in the same commit', () => {
    const root = tempRepo();
    write(root, '.failures/anti-patterns/AP-001.yaml', RULE);
    write(root, 'a.ts', 'gateway.charge(payment);\n');
    expect(cli(root, ['hook', 'install']).code).toBe(0);
    git(root, 'add', '-A');
    expect(commit(root, '-m', 'rule and violation').status).toBe(1);
    expect(cli(root, ['baseline']).code).toBe(0);
    git(root, 'add', '-A');
    expect(commit(root, '-m', 'rule, violation and baseline').status).toBe(0);
  });

  it('a broken approved rule blocks (exit 2, file:line); a broken proposed one does not', () => {
    const root = installed();
    write(root, '.failures/anti-patterns/AP-001.yaml', RULE.replace('  message:', '  mesage:'));
    write(root, 'a.ts', 'const ok = 1;\n');
    git(root, 'add', '-A');
    const blocked = commit(root, '-m', 'typo');
    expect(blocked.status).not.toBe(0); // git exits 1 whatever the hook's code: the hook's own is 2
    expect(cli(root, ['check', '--staged']).code).toBe(2);
    expect(blocked.output).toMatch(/\.failures\/anti-patterns\/AP-001\.yaml:\d+:\d+/);
    expect(blocked.output).not.toContain('0 rules');
    const direct = cli(root, ['check']);
    expect(direct.code).toBe(2);
    // Nor is a baseline written without it: its old violations would be left out, and block later.
    expect(cli(root, ['baseline']).code).toBe(2);
    expect(existsSync(join(root, '.failures', 'baseline.yaml'))).toBe(false);
    write(root, '.failures/anti-patterns/AP-001.yaml', RULE.replace('  message:', '  mesage:').replace('status: approved', 'status: proposed'));
    git(root, 'add', '-A');
    expect(commit(root, '-m', 'proposed typo').status).toBe(0);
  });

  it('a staged symlink in place of an approved rule blocks (records are regular files)', () => {
    const root = installed();
    write(root, 'elsewhere/AP-001.yaml', RULE.replace('status: approved', 'status: retired'));
    spawnSync('rm', ['.failures/anti-patterns/AP-001.yaml'], { cwd: root });
    spawnSync('ln', ['-s', '../../elsewhere/AP-001.yaml', '.failures/anti-patterns/AP-001.yaml'], { cwd: root });
    write(root, 'a.ts', 'gateway.charge(payment);\n');
    git(root, 'add', '-A');
    const check = cli(root, ['check', '--staged']);
    expect(check.code).toBe(2);
    expect(check.stderr).toContain('AP-001.yaml is a symlink');
  });

  it('a rule whose YAML does not parse blocks too', () => {
    const root = installed();
    write(root, '.failures/anti-patterns/AP-001.yaml', `${RULE}  bad: [unclosed\n`);
    git(root, 'add', '-A');
    expect(commit(root, '-m', 'broken yaml').status).not.toBe(0);
    const check = cli(root, ['check', '--staged']);
    expect(check.code).toBe(2);
    expect(check.stderr).toContain('AP-001.yaml:15:');
    expect(head(root)).toBe('rule');
  });
});

describe('the index record cache (records of the index by blob id)', () => {
  const RECORD = '.failures/anti-patterns/AP-001.yaml';
  const cacheFile = (root: string) => JSON.parse(readFileSync(join(root, '.failures', '.cache', 'index-records-v1.json'), 'utf8')) as { blobs: Record<string, unknown[]> };
  const stage = (root: string, path: string, text: string) => {
    write(root, path, text);
    git(root, 'add', path);
  };

  it('serves a blob seen before, and a staged change of a record is a new blob, read and checked in full', () => {
    const root = repoWithRule();
    stage(root, 'a.ts', 'gateway.charge(payment);\n');
    expect(cli(root, ['check', '--staged', '--no-cache']).code).toBe(1);
    const approved = git(root, 'rev-parse', `:${RECORD}`).trim();
    expect(Object.keys(cacheFile(root).blobs)).toContain(`anti-pattern:${approved}`);
    expect(cli(root, ['check', '--staged', '--no-cache']).code).toBe(1);
    // Retired in the index: the cached approved blob must not answer for it.
    stage(root, RECORD, RULE.replace('status: approved', 'status: retired'));
    expect(cli(root, ['check', '--staged', '--no-cache']).code).toBe(0);
    expect(Object.keys(cacheFile(root).blobs)).toHaveLength(2);
    // Back to the first blob (known to the cache): enforced again.
    stage(root, RECORD, RULE);
    expect(cli(root, ['check', '--staged', '--no-cache']).code).toBe(1);
    // A record that no longer validates is never cached, and blocks.
    stage(root, RECORD, RULE.replace('  message:', '  mesage:'));
    const broken = cli(root, ['check', '--staged', '--no-cache']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/AP-001\.yaml:11:3: error: unknown field/);
    expect(Object.keys(cacheFile(root).blobs)).toHaveLength(2);
  });

  it('points a detector that does not compile at its line in the staged blob, not in the working tree', () => {
    const root = repoWithRule();
    stage(root, RECORD, RULE.replace('gateway.charge($PAYMENT)', '"gateway.charge("'));
    // The working tree has three more lines above: an unstaged edit that must not move the position.
    write(root, RECORD, `# a\n# b\n# c\n${RULE.replace('gateway.charge($PAYMENT)', '"gateway.charge("')}`);
    stage(root, 'a.ts', 'ok();\n');
    for (const run of ['read from git', 'from the cache']) {
      const check = cli(root, ['check', '--staged', '--no-cache']);
      expect(check.code, run).toBe(2);
      expect(check.stderr, run).toMatch(/AP-001\.yaml:10:16: error: the pattern does not parse/);
    }
    expect(Object.keys(cacheFile(root).blobs)).toHaveLength(1);
  });
});

describe('renames and merges', () => {
  it('git mv of a file with baselined violations keeps its entries; a new violation in it still blocks', () => {
    const root = repoWithRule();
    write(root, 'src/old.ts', 'gateway.charge(payment);\nconst a = 1;\n');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'legacy');
    expect(cli(root, ['baseline']).code).toBe(0);
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'baseline');
    expect(cli(root, ['hook', 'install']).code).toBe(0);
    git(root, 'mv', 'src/old.ts', 'src/new.ts');
    expect(git(root, 'diff', '--cached', '--name-status', '-M').trim()).toMatch(/^R\d+\tsrc\/old\.ts\tsrc\/new\.ts$/);
    const renamed = commit(root, '-m', 'rename');
    expect(renamed.output).not.toContain('Charge without idempotency');
    expect(renamed.status).toBe(0);
    // After the commit, baseline.yaml still names src/old.ts: the working-tree check carries it too.
    expect(cli(root, ['check']).code).toBe(0);
    // A new violation in the renamed file is new.
    write(root, 'src/new.ts', 'gateway.charge(payment);\nconst a = 1;\ngateway.charge(other);\n');
    git(root, 'add', '-A');
    expect(commit(root, '-m', 'new violation').status).toBe(1);
    expect(cli(root, ['check']).code).toBe(1);
  });
});

describe('merges', () => {
  function branchWithViolation(): string {
    const root = repoWithRule();
    git(root, 'checkout', '-q', '-b', 'feature');
    write(root, 'feature.ts', 'gateway.charge(payment);\n');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '--no-verify', '-m', 'feature with a violation');
    git(root, 'checkout', '-q', 'main');
    write(root, 'main.ts', 'const ok = 1;\n');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'main moves on');
    return root;
  }
  const merge = (root: string) => spawnSync('git', ['merge', '--no-edit', 'feature'], { cwd: root, encoding: 'utf8', env: { ...process.env, ...GIT_ENV, NO_COLOR: '1' } });

  it('hook install --merge blocks a clean merge that brings a violation in', () => {
    const root = branchWithViolation();
    const install = cli(root, ['hook', 'install', '--merge']);
    expect(install.code).toBe(0);
    expect(existsSync(join(root, '.git', 'hooks', 'pre-merge-commit'))).toBe(true);
    const result = merge(root);
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toContain('feature.ts');
    expect(head(root)).toBe('main moves on');
    spawnSync('git', ['merge', '--abort'], { cwd: root });
    expect(cli(root, ['hook', 'uninstall']).code).toBe(0);
    expect(existsSync(join(root, '.git', 'hooks', 'pre-merge-commit'))).toBe(false);
  });

  it('without --merge, pre-commit alone does not run on a clean merge (what the README warns about)', () => {
    const root = branchWithViolation();
    expect(cli(root, ['hook', 'install']).code).toBe(0);
    expect(merge(root).status).toBe(0);
  });
});
