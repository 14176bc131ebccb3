import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cli, git, tempRepo } from './helpers.js';

const PROPOSED = `# A reviewer's note that must survive the decision.
id: AP-004
name: Fixture placement
status: proposed # set by analyze
category: Testing
severity: high
description: pytest fixtures placed before the imports they need
origin:
  feedback: [FEEDBACK]
enforce:
  detect:
    - regex: "^@pytest\\\\.fixture"
      files: ["**/*.py"]
examples:
  bad: [{ code: "@pytest.fixture\\ndef mode(): ...", filename: example.py }]
review:
  proposed_at: "2025-01-10T09:00:00Z" # when analyze proposed it
`;

/** A repository with 3 feedback entries and AP-004 proposed from them, all committed. */
function repo(occurrences = 3): { root: string; file: string } {
  const root = tempRepo();
  cli(root, ['init']);
  const ids: string[] = [];
  for (let i = 0; i < occurrences; i++) {
    const out = cli(root, ['log', '--context', `pytest fixture before import (${i})`, '--feedback', 'imports first', '--category', 'Testing', '--severity', 'high', '--format', 'json'], { env: { FAILURES_SESSION: `s${i}` } });
    ids.push(JSON.parse(out.stdout).created[0]);
  }
  const file = join(root, '.failures', 'anti-patterns', 'AP-004.yaml');
  writeFileSync(file, PROPOSED.replace('FEEDBACK', ids.join(', ')));
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'propose AP-004');
  return { root, file };
}

const head = (root: string) => git(root, 'rev-parse', 'HEAD').trim();
const commits = (root: string) => Number(git(root, 'rev-list', '--count', 'HEAD').trim());

describe('approve, reject, retire', () => {
  it('approve changes exactly the record, keeps its comments, and makes one commit in the seed style', () => {
    const { root, file } = repo();
    const before = commits(root);
    const result = cli(root, ['approve', 'AP-004', '--by', 'alice']);
    expect(result.code, result.stderr).toBe(0);
    expect(commits(root)).toBe(before + 1);
    expect(git(root, 'log', '-1', '--format=%s').trim()).toBe('feat(Testing): enforce AP-004 Fixture placement based on feedback (3x)');
    expect(git(root, 'show', '--name-only', '--format=', 'HEAD').trim()).toBe('.failures/anti-patterns/AP-004.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain("# A reviewer's note that must survive the decision.");
    expect(text).toContain('# set by analyze');
    expect(text).toContain('# when analyze proposed it');
    const record = parse(text);
    expect(record.status).toBe('approved');
    expect(record.review).toMatchObject({ approved_by: 'alice', evidence: { occurrences: 3, sessions: 3 } });
    expect(record.review.approved_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(git(root, 'status', '--porcelain').trim()).toBe('');
    expect(cli(root, ['validate']).code).toBe(0);
    // Now enforced: the rule exists and tests itself.
    expect(cli(root, ['test']).stderr).toContain('1 rule passes its examples');
  });

  it('reject and retire record the reason, and commit it', () => {
    const { root, file } = repo();
    expect(cli(root, ['reject', 'AP-004']).code).toBe(2); // --reason is required
    const rejected = cli(root, ['reject', 'AP-004', '--reason', 'fixtures are generated', '--by', 'bob']);
    expect(rejected.code, rejected.stderr).toBe(0);
    expect(git(root, 'log', '-1', '--format=%s').trim()).toBe('chore(failures): reject AP-004 Fixture placement: fixtures are generated');
    expect(parse(readFileSync(file, 'utf8')).review).toMatchObject({ rejected_by: 'bob', reason: 'fixtures are generated' });

    const other = repo();
    cli(other.root, ['approve', 'AP-004']);
    const retired = cli(other.root, ['retire', 'AP-004', '--reason', 'pytest 9 reports this itself']);
    expect(retired.code, retired.stderr).toBe(0);
    expect(git(other.root, 'log', '-1', '--format=%s').trim()).toBe('chore(failures): retire AP-004 Fixture placement: pytest 9 reports this itself');
    expect(parse(readFileSync(other.file, 'utf8')).status).toBe('retired');
  });

  it('refuses with exit 2 and changes nothing: unknown id, already approved, too little evidence, unrelated staged changes', () => {
    const { root, file } = repo(2);
    const untouched = () => {
      expect(git(root, 'status', '--porcelain', '--', '.failures').trim()).toBe('');
    };
    const start = head(root);
    const unknown = cli(root, ['approve', 'AP-999']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no anti-pattern AP-999');
    expect(unknown.stderr).toContain('AP-004 (proposed)');
    const weak = cli(root, ['approve', 'AP-004']);
    expect(weak.code).toBe(2);
    expect(weak.stderr).toContain('has 2 occurrences on record; approval needs at least 3');
    untouched();
    writeFileSync(file, readFileSync(file, 'utf8').replace('severity: high', 'severity: medium'));
    git(root, 'add', file);
    const staged = cli(root, ['approve', 'AP-004', '--force']);
    expect(staged.code).toBe(2);
    expect(staged.stderr).toContain('already has staged changes');
    expect(parse(readFileSync(file, 'utf8')).status).toBe('proposed');
    git(root, 'commit', '-q', '-m', 'severity');
    expect(cli(root, ['approve', 'AP-004', '--force']).code).toBe(0);
    const again = cli(root, ['approve', 'AP-004']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('AP-004 is already approved');
    expect(head(root)).not.toBe(start);
    untouched();
  });

  it('refuses a record with errors of its own, naming them at file:line:col (QA pass 7: a hand-edited severity was approved and committed; a YAML error read as "no anti-pattern")', () => {
    const { root, file } = repo();
    const proposed = readFileSync(file, 'utf8');
    const start = head(root);
    writeFileSync(file, proposed.replace('severity: high', 'severity: extreme'));
    const vocabulary = cli(root, ['approve', 'AP-004']);
    expect(vocabulary.code).toBe(2);
    expect(vocabulary.stderr).toContain('AP-004 is not a valid record, so it cannot be decided on');
    expect(vocabulary.stderr).toContain(".failures/anti-patterns/AP-004.yaml:6:11: error: severity must be one of low, medium, high; got 'extreme'");
    expect(cli(root, ['reject', 'AP-004', '--reason', 'noise']).code).toBe(2);
    writeFileSync(file, proposed.replace('name: Fixture placement', 'name: [WIP Fixture placement'));
    const broken = cli(root, ['approve', 'AP-004']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).not.toContain('no anti-pattern AP-004');
    expect(broken.stderr).toMatch(/\.failures\/anti-patterns\/AP-004\.yaml:\d+:\d+: error: YAML: .*end with a \]/);
    expect(broken.stderr).toContain('fix: close the [ opened above this line with ], or quote the value if the bracket is text');
    const review = cli(root, ['review', 'AP-004']);
    expect(review.code).toBe(2);
    expect(review.stderr).toContain('AP-004 is not a valid record, so it cannot be reviewed');
    expect(review.stderr).toMatch(/AP-004\.yaml:\d+:\d+: error: YAML/);
    expect(head(root)).toBe(start);
    expect(readFileSync(file, 'utf8')).toBe(proposed.replace('name: Fixture placement', 'name: [WIP Fixture placement'));
  });

  it('refuses to decide on an invalid config.yaml, whose min_frequency it would otherwise replace by the default (QA pass 7)', () => {
    const { root, file } = repo(2);
    const config = join(root, '.failures', 'config.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('min_frequency: 3', 'min_frequency: two'));
    const result = cli(root, ['approve', 'AP-004']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\.failures\/config\.yaml is invalid, so AP-004 was not approved:\n\.failures\/config\.yaml:\d+:\d+: error: min_frequency/);
    expect(parse(readFileSync(file, 'utf8')).status).toBe('proposed');
  });

  it('--no-commit edits the record and leaves committing to the user', () => {
    const { root, file } = repo();
    const before = head(root);
    expect(cli(root, ['approve', 'AP-004', '--no-commit']).code).toBe(0);
    expect(head(root)).toBe(before);
    expect(git(root, 'status', '--porcelain').trim()).toBe('M .failures/anti-patterns/AP-004.yaml');
    expect(parse(readFileSync(file, 'utf8')).status).toBe('approved');
  });

  it('review needs a terminal', () => {
    const { root } = repo();
    const result = cli(root, ['review']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('review needs a terminal');
  });
});
