import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryUrl } from '../src/version.js';
import { RULE, write } from './hardening-helpers.js';
import { cli, git, GIT_ENV, REPO, tempDir, tempRepo } from './helpers.js';

/** A committed repository with the approved rule and one violation of it (a high severity: an error by default). */
function project(): string {
  const root = tempRepo();
  write(root, '.failures/config.yaml', 'version: 1\n');
  write(root, '.failures/anti-patterns/AP-001.yaml', RULE);
  write(root, 'src/pay.ts', 'gateway.charge(payment);\n');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'rule and code');
  return root;
}

function commit(root: string, message: string) {
  const result = spawnSync('git', ['commit', '-q', '-m', message], { cwd: root, encoding: 'utf8', env: { ...process.env, ...GIT_ENV, NO_COLOR: '1' } });
  return { status: result.status, output: result.stdout + result.stderr };
}

const head = (root: string) => git(root, 'log', '--format=%s', '-1').trim();

describe('check refuses an invalid config.yaml (exit 2, nothing checked), as log and analyze do', () => {
  // `levels: {high: warn}` then a broken line: read as the defaults, the rule would be an error instead of a warning.
  const BROKEN = 'version: 1\nlevels: {high: warn}\noops: [\n';

  it('in the working tree and in the index, naming config.yaml:line:col and the fix', () => {
    const root = project();
    write(root, '.failures/config.yaml', BROKEN);
    for (const args of [['check'], ['check', '-f', 'json']]) {
      const result = cli(root, args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain('.failures/config.yaml is invalid, so nothing was checked');
      expect(result.stderr).toMatch(/\.failures\/config\.yaml:\d+:\d+: error: YAML/);
      expect(result.stderr).toContain('hint: fix config.yaml at the line and column shown');
      expect(result.stdout).toBe('');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    // Unstaged, the committed (valid) config is the one enforced: the violation is an error.
    const staged = cli(root, ['check', '--staged']);
    expect(staged.stderr).toContain('.failures/config.yaml has changes that are not staged');
    git(root, 'add', '.failures/config.yaml');
    write(root, 'src/other.ts', 'gateway.charge(other);\n');
    git(root, 'add', 'src/other.ts');
    const refused = cli(root, ['check', '--staged']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('.failures/config.yaml is invalid, so nothing was checked (the staged version is enforced: fix it, then git add it)');
    expect(refused.stderr).toMatch(/\.failures\/config\.yaml:\d+:\d+: error/);
  });

  it('the pre-commit hook does not fail open: the commit is refused and HEAD stays', () => {
    const root = project();
    expect(cli(root, ['hook', 'install']).code).toBe(0);
    write(root, '.failures/config.yaml', BROKEN);
    write(root, 'src/clean.ts', 'export const ok = 1;\n');
    git(root, 'add', '-A');
    const blocked = commit(root, 'broken config');
    expect(blocked.status).not.toBe(0);
    expect(blocked.output).toContain('.failures/config.yaml is invalid');
    expect(head(root)).toBe('rule and code');
    // Fixed and staged, the commit goes through (the rule's only violation is committed already, and src/clean.ts is clean).
    write(root, '.failures/config.yaml', 'version: 1\nlevels: {high: warn}\n');
    git(root, 'add', '-A');
    expect(commit(root, 'config fixed').status).toBe(0);
  });
});

describe('check refuses a baseline.yaml with merge-conflict markers instead of reading it as empty', () => {
  function conflicted(): { root: string; file: string } {
    const root = project();
    expect(cli(root, ['baseline']).code).toBe(0);
    expect(cli(root, ['check']).code).toBe(0);
    const file = join(root, '.failures', 'baseline.yaml');
    // What a merge conflict leaves behind.
    write(root, '.failures/baseline.yaml', readFileSync(file, 'utf8').replace('entries:', '<<<<<<< HEAD\nentries:') + '=======\n>>>>>>> other\n');
    return { root, file };
  }

  it('exit 2 naming baseline.yaml:line and saying to resolve the conflict; --no-baseline still checks', () => {
    const { root, file } = conflicted();
    const markerLine = readFileSync(file, 'utf8').split('\n').indexOf('<<<<<<< HEAD') + 1;
    const result = cli(root, ['check']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`.failures/baseline.yaml has merge-conflict markers (.failures/baseline.yaml:${markerLine}), so nothing was checked`);
    expect(result.stderr).toContain("resolve the conflict: keep both sides' entries and delete the <<<<<<< / ======= / >>>>>>> lines");
    expect(result.stderr).toContain(`.failures/baseline.yaml:${markerLine}:1: error: YAML`);
    expect(result.stderr).toContain('fix: a merge-conflict marker git left: resolve the conflict');
    expect(result.stderr).not.toContain('a key must fit on one line');
    expect(result.stdout).toBe('');
    // Without the baseline, the old violation is reported, as asked.
    const plain = cli(root, ['check', '--no-baseline']);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toContain('src/pay.ts');
  });

  it('staged (the hook), the index version is the one named', () => {
    const { root } = conflicted();
    git(root, 'add', '.failures/baseline.yaml');
    const result = cli(root, ['check', '--staged']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/the staged \.failures\/baseline\.yaml has merge-conflict markers \(\.failures\/baseline\.yaml:\d+\)/);
    expect(result.stderr).toContain('lines, then git add it');
  });

  it('a baseline invalid for another reason is named at its line too', () => {
    const root = project();
    write(root, '.failures/baseline.yaml', 'version: 1\nentries: nope\n');
    const result = cli(root, ['check']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\.failures\/baseline\.yaml is invalid \(\.failures\/baseline\.yaml:\d+\), so nothing was checked/);
    expect(result.stderr).toMatch(/\.failures\/baseline\.yaml:2:\d+: error/);
  });
});

describe('check --staged notes about files that are not staged are right', () => {
  it('in a repository with no commits: an untracked record is "not staged (git add it)", never "has changes"', () => {
    const root = tempDir('failures-nocommit-');
    git(root, 'init', '-q', '-b', 'main');
    write(root, '.failures/config.yaml', 'version: 1\n');
    write(root, '.failures/anti-patterns/AP-001.yaml', RULE);
    write(root, '.failures/anti-patterns/README.md', 'not a record\n');
    write(root, 'src/pay.ts', 'gateway.charge(payment);\n');
    git(root, 'add', 'src/pay.ts');
    const untracked = cli(root, ['check', '--staged']);
    expect(untracked.code).toBe(0);
    expect(untracked.stderr).not.toContain('changes that are not staged');
    expect(untracked.stderr).toContain('note: .failures/anti-patterns/AP-001.yaml, .failures/config.yaml are not staged, so not enforced (git add them to change that)');
    expect(untracked.stderr).not.toContain('README.md');
    git(root, 'add', '.failures/config.yaml');
    const one = cli(root, ['check', '--staged']);
    expect(one.stderr).toContain('note: .failures/anti-patterns/AP-001.yaml is not staged, so not enforced (git add it to change that)');
    git(root, 'add', '-A');
    const all = cli(root, ['check', '--staged']);
    expect(all.code).toBe(1);
    expect(all.stderr).not.toContain('note:');
    write(root, '.failures/config.yaml', 'version: 1\n# edited\n');
    expect(cli(root, ['check', '--staged']).stderr).toContain('note: .failures/config.yaml has changes that are not staged: the staged version is enforced');
  });
});

describe('SARIF tool.driver.informationUri', () => {
  it("is the package's repository address, or absent (optional in SARIF 2.1.0): never a page that does not exist", () => {
    const root = project();
    const log = JSON.parse(cli(root, ['check', '-f', 'sarif']).stdout);
    const driver = log.runs[0].tool.driver;
    const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { repository?: unknown };
    const expected = repositoryUrl(manifest.repository);
    if (expected === undefined) expect(driver).not.toHaveProperty('informationUri');
    else expect(driver.informationUri).toBe(expected);
    expect(JSON.stringify(driver)).not.toContain('npmjs.com');
  });

  it('reads the forms npm documents for `repository`', () => {
    expect(repositoryUrl(undefined)).toBeUndefined();
    expect(repositoryUrl('')).toBeUndefined();
    expect(repositoryUrl({ type: 'git' })).toBeUndefined();
    expect(repositoryUrl('owner/repo')).toBe('https://github.com/owner/repo');
    expect(repositoryUrl('github:owner/repo')).toBe('https://github.com/owner/repo');
    expect(repositoryUrl('gitlab:owner/repo')).toBe('https://gitlab.com/owner/repo');
    expect(repositoryUrl('bitbucket:owner/repo')).toBe('https://bitbucket.org/owner/repo');
    expect(repositoryUrl({ type: 'git', url: 'git+https://github.com/owner/repo.git' })).toBe('https://github.com/owner/repo');
    expect(repositoryUrl('https://gitlab.com/group/sub/repo')).toBe('https://gitlab.com/group/sub/repo');
    expect(repositoryUrl('git@github.com:owner/repo.git')).toBe('https://github.com/owner/repo');
    expect(repositoryUrl('git+ssh://git@github.com/owner/repo.git')).toBe('https://github.com/owner/repo');
    expect(repositoryUrl('git://github.com/owner/repo.git')).toBe('https://github.com/owner/repo');
    expect(repositoryUrl('file:../local')).toBeUndefined();
  });
});
