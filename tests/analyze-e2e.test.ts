import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, git, tempRepo } from './helpers.js';

/** A repository with config mapping Testing to a skill document, and recurring feedback logged through the CLI. */
function repoWithFeedback(): string {
  const repo = tempRepo();
  expect(cli(repo, ['init']).code).toBe(0);
  const config = join(repo, '.failures', 'config.yaml');
  writeFileSync(config, readFileSync(config, 'utf8').replace('skills: {}', 'skills:\n  Testing: docs/skills/tdd.md'));
  mkdirSync(join(repo, 'docs', 'skills'), { recursive: true });
  writeFileSync(join(repo, 'docs', 'skills', 'tdd.md'), '# TDD\n\nWrite the test first.\n');
  const log = (session: string, context: string, feedback: string, severity = 'high') =>
    expect(cli(repo, ['log', '--context', context, '--feedback', feedback, '--category', 'Testing', '--severity', severity], { env: { FAILURES_SESSION: session } }).code).toBe(0);
  log('s1', 'pytest fixture placed before import pytest - NameError', 'All imports must come before @pytest.fixture decorators');
  log('s2', '@pytest.fixture at line 1 but "pytest" not imported', 'Decorators need their module imported first');
  log('s3', 'fixture defined above the imports in conftest', 'Move imports to the top of the file, then the fixtures');
  log('s3', 'snapshot updated without review', 'Review snapshot diffs', 'low');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'feedback');
  return repo;
}

const state = (repo: string) => [git(repo, 'rev-parse', 'HEAD'), git(repo, 'status', '--porcelain'), git(repo, 'diff'), git(repo, 'diff', '--cached'), git(repo, 'branch', '--show-current'), readFileSync(join(repo, '.git', 'index')).toString('base64')].join('\n---\n');

describe('failures analyze', () => {
  it('writes the seed report and a diff that git apply takes and validate accepts', () => {
    const repo = repoWithFeedback();
    const result = cli(repo, ['analyze', '--diff', 'proposals.diff']);
    expect(result.code, result.stderr).toBe(0);
    const report = readFileSync(join(repo, 'skill_update_suggestions.md'), 'utf8');
    expect(report).toContain('# Skill Update Suggestions');
    expect(report).toContain('**Based on:** 4 feedback entries');
    expect(report).toContain('## Testing Category - HIGH Priority');
    expect(report).toContain('**Frequency:** 3/3 sessions (100%)');
    expect(report).toContain('**Status:** NEEDS_REVIEW');
    expect(report).toContain('AP-001');
    // Examples are quoted as logged: code keeps its own double quotes.
    expect(report).toContain('- "@pytest.fixture at line 1 but "pytest" not imported"');
    const diff = readFileSync(join(repo, 'proposals.diff'), 'utf8');
    expect(diff).toContain('+++ b/.failures/anti-patterns/AP-001.yaml');
    expect(diff).toContain('+++ b/docs/skills/tdd.md');
    expect(existsSync(join(repo, '.failures', 'anti-patterns', 'AP-001.yaml'))).toBe(false);
    git(repo, 'apply', 'proposals.diff');
    const record = readFileSync(join(repo, '.failures', 'anti-patterns', 'AP-001.yaml'), 'utf8');
    expect(record).toContain('status: proposed');
    expect(record).toContain('occurrences: 3');
    expect(record).toContain('# How to enforce it');
    expect(readFileSync(join(repo, 'docs', 'skills', 'tdd.md'), 'utf8')).toContain('All imports must come before @pytest.fixture decorators');
    expect(cli(repo, ['validate']).code).toBe(0);
    // Once proposed, the same pattern is known: it updates evidence, it is not proposed again.
    const again = JSON.parse(cli(repo, ['analyze', '--format', 'json']).stdout);
    expect(again.patterns[0]).toMatchObject({ anti_pattern: 'AP-001', status: 'known' });
  });

  it('prints the documented JSON, and gives identical output on identical records', () => {
    const repo = repoWithFeedback();
    const one = cli(repo, ['analyze', '--format', 'json', '--min-frequency', '1']);
    const two = cli(repo, ['analyze', '--format', 'json', '--min-frequency', '1']);
    const strip = (text: string) => text.replace(/"generated": "[^"]+"/, '');
    expect(strip(one.stdout)).toBe(strip(two.stdout));
    const json = JSON.parse(one.stdout);
    expect(Object.keys(json)).toEqual(['generated', 'entries', 'sessions', 'patterns', 'uncertain']);
    expect(json.patterns.flatMap((p: { entries: string[] }) => p.entries)).toHaveLength(4);
    expect(Object.keys(json.patterns[0])).toEqual(
      expect.arrayContaining(['id', 'category', 'label', 'occurrences', 'sessions', 'frequency', 'severity', 'priority', 'confidence', 'entries', 'examples', 'anti_pattern', 'status']),
    );
    cli(repo, ['analyze', '--diff', 'a.diff']);
    cli(repo, ['analyze', '--diff', 'b.diff']);
    const diffs = ['a.diff', 'b.diff'].map((f) => readFileSync(join(repo, f), 'utf8').replace(/proposed_at: .*/g, ''));
    expect(diffs[0]).toBe(diffs[1]);
  });

  it('--branch commits the proposals without touching the checkout, the index or HEAD', () => {
    const repo = repoWithFeedback();
    writeFileSync(join(repo, 'docs', 'skills', 'tdd.md'), '# TDD\n\nan uncommitted edit\n');
    writeFileSync(join(repo, 'staged.txt'), 'staged\n');
    git(repo, 'add', 'staged.txt');
    const before = state(repo);
    const result = cli(repo, ['analyze', '--branch', 'failures/suggestions', '--out', 'report.md']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('failures/suggestions');
    // report.md is new and untracked; everything else is exactly as it was.
    expect(state(repo).replace(/\?\? report\.md\n/, '')).toBe(before);
    const files = git(repo, 'diff', '--name-only', 'HEAD', 'failures/suggestions').trim().split('\n');
    expect(files).toEqual(['.failures/anti-patterns/AP-001.yaml', 'docs/skills/tdd.md']);
    // The skill document on the branch builds on HEAD's version, not the uncommitted edit.
    expect(git(repo, 'show', 'failures/suggestions:docs/skills/tdd.md')).toContain('Write the test first.');
    expect(git(repo, 'log', '-1', '--format=%s', 'failures/suggestions').trim()).toBe('chore(failures): propose AP-001 from recurring feedback');
    expect(cli(repo, ['analyze', '--branch', 'failures/suggestions']).code).toBe(2);
  });

  it('never writes into .failures/, and refuses bad options with exit 2', () => {
    const repo = repoWithFeedback();
    expect(cli(repo, ['analyze', '--out', '.failures/report.md']).stderr).toContain('never writes');
    expect(cli(repo, ['analyze', '--category', 'Nope']).code).toBe(2);
    expect(cli(repo, ['analyze', '--since', 'yesterday']).code).toBe(2);
    expect(cli(repo, ['analyze', '--since', '2020-01-01', '--weekly']).code).toBe(2);
    expect(cli(repo, ['analyze', '--min-frequency', '0']).code).toBe(2);
    const weekly = JSON.parse(cli(repo, ['analyze', '--weekly', '--format', 'json']).stdout);
    expect(weekly.entries).toBe(4);
  });

  it('a project in a subfolder of its repository (a monorepo): the diff and the branch put the proposals in it (QA pass 7: git apply applied nothing, --branch wrote them at the top)', () => {
    const repo = tempRepo();
    mkdirSync(join(repo, 'app'));
    expect(cli(repo, ['init', '--root', 'app']).code).toBe(0);
    const app = join(repo, 'app');
    for (const i of [1, 2, 3]) {
      expect(cli(app, ['log', '--context', `flaky clock in test ${i}`, '--feedback', 'use fake timers', '--category', 'Testing', '--severity', 'low'], { env: { FAILURES_SESSION: `s${i}` } }).code).toBe(0);
    }
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'feedback');
    expect(cli(app, ['analyze', '--diff', 'p.diff']).code).toBe(0);
    expect(readFileSync(join(app, 'p.diff'), 'utf8')).toContain('diff --git a/app/.failures/anti-patterns/AP-001.yaml b/app/.failures/anti-patterns/AP-001.yaml');
    git(app, 'apply', 'p.diff');
    expect(existsSync(join(app, '.failures', 'anti-patterns', 'AP-001.yaml'))).toBe(true);
    expect(existsSync(join(repo, '.failures'))).toBe(false);
    rmSync(join(app, '.failures', 'anti-patterns', 'AP-001.yaml'));
    expect(cli(app, ['analyze', '--branch', 'props']).code).toBe(0);
    expect(git(repo, 'show', '--name-only', '--format=', 'props').trim()).toBe('app/.failures/anti-patterns/AP-001.yaml');
  });

  it('warns when two records share an id (a copied feedback file), instead of counting both silently (QA pass 7)', () => {
    const repo = repoWithFeedback();
    const month = readdirSync(join(repo, '.failures', 'feedback'))[0]!;
    const first = readdirSync(join(repo, '.failures', 'feedback', month))[0]!;
    copyFileSync(join(repo, '.failures', 'feedback', month, first), join(repo, '.failures', 'feedback', month, 'fb-20990101-copy0001.yaml'));
    const result = cli(repo, ['analyze']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`warning: 1 id used by two records or more (${first.replace('.yaml', '')}): each is counted`);
  });

  it('--out - prints the report on stdout, as --diff - does, instead of writing a file named "-" (QA pass 7)', () => {
    const repo = repoWithFeedback();
    const result = cli(repo, ['analyze', '--out', '-']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('# Skill Update Suggestions');
    expect(existsSync(join(repo, '-'))).toBe(false);
    expect(cli(repo, ['analyze', '--out', '-', '--diff', '-']).code).toBe(2);
    expect(cli(repo, ['analyze', '--out', '-', '--format', 'json']).stderr).toContain('--out - and --format json both write to stdout');
  });

  it('never proposes the id of an anti-pattern file that does not parse (QA pass 7: the diff proposed a "new" AP-001.yaml over it)', () => {
    const repo = repoWithFeedback();
    mkdirSync(join(repo, '.failures', 'anti-patterns'), { recursive: true });
    writeFileSync(join(repo, '.failures', 'anti-patterns', 'AP-001.yaml'), 'id: AP-001\nname: [WIP fixture order\nstatus: proposed\n');
    const result = cli(repo, ['analyze', '--diff', '-']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('invalid records are left out');
    expect(result.stdout).not.toContain('b/.failures/anti-patterns/AP-001.yaml');
    expect(result.stdout).toContain('b/.failures/anti-patterns/AP-002.yaml');
    expect(readFileSync(join(repo, '.failures', 'anti-patterns', 'AP-001.yaml'), 'utf8')).toContain('[WIP');
  });

  it('refuses a skill document outside the repository at file:line:col instead of leaving its section out silently (QA pass 7)', () => {
    const repo = repoWithFeedback();
    const config = join(repo, '.failures', 'config.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace(/^ {2}Testing: docs\/skills\/tdd\.md$/m, '  Testing: /home/me/skills/tdd.md'));
    const result = cli(repo, ['analyze', '--diff', 'p.diff']);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/\.failures\/config\.yaml:\d+:\d+: error: skills\.Testing '\/home\/me\/skills\/tdd\.md' leaves the repository/);
    expect(existsSync(join(repo, 'p.diff'))).toBe(false);
  });
});

describe('failures similar', () => {
  it('answers "have we seen this before?" with scores', () => {
    const repo = repoWithFeedback();
    const result = cli(repo, ['similar', 'fixture defined before importing pytest', '--limit', '3', '--format', 'json']);
    expect(result.code).toBe(0);
    const { matches } = JSON.parse(result.stdout);
    expect(matches).toHaveLength(3);
    expect(matches[0].score).toBeGreaterThan(0.2);
    expect(matches.every((m: { text: string }) => !m.text.includes('snapshot'))).toBe(true);
    expect(cli(repo, ['similar', 'x', '--limit', 'many']).code).toBe(2);
  });
});

describe('failures log suggests links', () => {
  it('prints the nearest known groups with ids and the flag that links to them, on stderr', () => {
    const repo = repoWithFeedback();
    const result = cli(repo, ['log', '--context', 'conftest fixture declared before import pytest', '--feedback', 'imports first, then fixtures', '--category', 'Testing', '--severity', 'low']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toContain('possibly seen before');
    expect(result.stderr).toContain('possibly seen before');
    const [first] = result.stderr.split('\n').filter((l) => /^\s+\d\.\d\d\s/.test(l));
    expect(first).toMatch(/pattern\s+P-[0-9a-f]{8}/);
    expect(result.stderr).toMatch(/link with: failures log --same-as \S+ …/);
    const linkedTo = /--same-as (\S+)/.exec(result.stderr)![1]!;
    // The suggested id is a real entry: logging with it is accepted.
    const again = cli(repo, ['log', '--context', 'fixture before import again', '--feedback', 'imports go first', '--category', 'Testing', '--severity', 'low', '--same-as', linkedTo, '--format', 'json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).similar).toBeUndefined();
    // --format json carries them; --no-suggest leaves them out.
    const json = cli(repo, ['log', '--context', 'pytest fixture above the import', '--feedback', 'import pytest first', '--category', 'Testing', '--severity', 'low', '--format', 'json']);
    expect(JSON.parse(json.stdout).similar[0]).toMatchObject({ kind: 'pattern', link: { flag: '--same-as' } });
    const quiet = cli(repo, ['log', '--context', 'pytest fixture above the import', '--feedback', 'import pytest first', '--category', 'Testing', '--severity', 'low', '--no-suggest']);
    expect(quiet.stderr).not.toContain('possibly seen before');
  });
});
