import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, git, tempRepo } from './helpers.js';

const DAY = 24 * 3600 * 1000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString().replace(/\.\d{3}Z$/, 'Z');

function write(root: string, path: string, text: string): void {
  const full = join(root, '.failures', path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
}

function feedback(root: string, id: string, when: string, context: string, antiPattern?: string): void {
  write(
    root,
    `feedback/2025-01/${id}.yaml`,
    `id: ${id}\ntimestamp: "${when}"\ntype: mistake\ncontext: ${context}\nfeedback: fix it\ncategory: Testing\nseverity: high\nsession: s-${id}\n${antiPattern ? `anti_pattern: ${antiPattern}\n` : ''}`,
  );
}

function antiPattern(root: string, id: string, status: string, extra = ''): void {
  write(root, `anti-patterns/${id}.yaml`, `id: ${id}\nname: Pattern ${id}\nstatus: ${status}\ncategory: Testing\ndescription: ${id} description\n${extra}`);
}

describe('failures stats', () => {
  it('refuses an invalid config.yaml at its line instead of computing with the defaults', () => {
    const root = tempRepo();
    cli(root, ['init']);
    write(root, 'config.yaml', 'version: 1\nmin_frequency: three\n');
    const result = cli(root, ['stats']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('.failures/config.yaml is invalid, so no figures were computed');
    expect(result.stderr).toMatch(/config\.yaml:2:\d+/);
    expect(result.stdout).toBe('');
  });

  it('computes the seed metrics on a constructed history', () => {
    const root = tempRepo();
    cli(root, ['init']);
    // AP-001: 4 corrections in the 4 weeks before its approval 14 days ago, 1 since → 1/week → 0.5/week.
    antiPattern(root, 'AP-001', 'approved', `review:\n  approved_at: "${daysAgo(14)}"\n`);
    for (const [i, days] of [20, 25, 30, 35].entries()) feedback(root, `fb-a${i}`, daysAgo(days), `mocked clock in test ${i}`, 'AP-001');
    feedback(root, 'fb-a9', daysAgo(3), 'mocked clock again', 'AP-001');
    // AP-003: 2 corrections before approval 7 days ago, none since.
    antiPattern(root, 'AP-003', 'approved', `review:\n  approved_at: "${daysAgo(7)}"\n`);
    for (const [i, days] of [9, 12].entries()) feedback(root, `fb-c${i}`, daysAgo(days), `snapshot churn ${i}`, 'AP-003');
    antiPattern(root, 'AP-002', 'rejected');
    antiPattern(root, 'AP-004', 'proposed');
    // A recurring pattern nobody proposed: 3 similar corrections.
    for (const i of [0, 1, 2]) feedback(root, `fb-n${i}`, daysAgo(2 + i), 'pytest fixture placed before import pytest');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'history');
    const result = cli(root, ['stats', '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const stats = JSON.parse(result.stdout);
    expect(stats.anti_patterns).toEqual({ proposed: 1, approved: 2, rejected: 1, retired: 0 });
    expect(stats.false_positive_rate).toEqual({ value: 0.333, rejected: 1, approved: 2 });
    expect(stats.recurrence_rate).toMatchObject({ value: 0.5, recurring: 1, approved: 2, anti_patterns: ['AP-001'] });
    const ap1 = stats.improvement.per_anti_pattern.find((p: { id: string }) => p.id === 'AP-001');
    expect(ap1).toMatchObject({ before_per_week: 1, after_per_week: 0.5, change: -0.5 });
    const ap3 = stats.improvement.per_anti_pattern.find((p: { id: string }) => p.id === 'AP-003');
    expect(ap3).toMatchObject({ before_per_week: 0.5, after_per_week: 0, change: -1 });
    expect(stats.improvement).toMatchObject({ before_per_week: 1.5, after_per_week: 0.5, value: -0.667 });
    // Recurring patterns: AP-001's, AP-003's is below min_frequency, and the unproposed one.
    expect(stats.pattern_detection_rate).toMatchObject({ covered: 1, recurring: 2, value: 0.5 });
    expect(stats.categories[0]).toMatchObject({ category: 'Testing', entries: 10 });
    expect(stats.categories[0].weekly).toHaveLength(8);
    // With --check, an approved rule with a new violation in the code counts as recurring too.
    writeFileSync(join(root, '.failures', 'anti-patterns', 'AP-003.yaml'), `id: AP-003\nname: Pattern AP-003\nstatus: approved\ncategory: Testing\ndescription: d\nenforce:\n  detect:\n    - regex: "toMatchSnapshot"\nreview:\n  approved_at: "${daysAgo(7)}"\n`);
    writeFileSync(join(root, 'a.test.js'), 'expect(x).toMatchSnapshot();\n');
    const checked = JSON.parse(cli(root, ['stats', '--check', '--format', 'json']).stdout);
    expect(checked.recurrence_rate).toMatchObject({ value: 1, recurring: 2, anti_patterns: ['AP-001', 'AP-003'] });
    // A baseline that does not read would count every old violation as new: --check refuses it, as check does.
    writeFileSync(join(root, '.failures', 'baseline.yaml'), 'entries:\n<<<<<<< HEAD\n=======\n>>>>>>> b\n');
    const conflicted = cli(root, ['stats', '--check']);
    expect([conflicted.code, conflicted.stderr]).toEqual([2, expect.stringMatching(/baseline\.yaml:2[\s\S]*resolve the conflict/)]);
    const text = cli(root, ['stats']);
    expect(text.stdout).toContain('false positive rate');
    expect(text.stdout).toContain('Testing');
  });

  it('does not count an approval less than a week old as an improvement (QA pass: right after approving, "✓ improvement -100%")', () => {
    const root = tempRepo();
    cli(root, ['init']);
    antiPattern(root, 'AP-001', 'approved', `review:\n  approved_at: "${daysAgo(0.01)}"\n`);
    for (const [i, days] of [3, 9, 15].entries()) feedback(root, `fb-a${i}`, daysAgo(days), `mocked clock in test ${i}`, 'AP-001');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'history');
    const json = cli(root, ['stats', '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const stats = JSON.parse(json.stdout);
    expect(stats.improvement.per_anti_pattern[0]).toMatchObject({ id: 'AP-001', before_per_week: 0.75, change: null, measured: false });
    expect(stats.improvement).toMatchObject({ value: null, before_per_week: 0, after_per_week: 0 });
    const text = cli(root, ['stats']).stdout;
    expect(text).not.toContain('-100%');
    expect(text).toMatch(/improvement +– +-50% +measured from a week after approval: no approval is that old yet/);
    expect(text).toContain('less than a week ago: not counted yet');
  });
});

describe('failures gaps', () => {
  it('finds each kind of hole, and --strict exits 1', () => {
    const root = tempRepo();
    cli(root, ['init']);
    write(root, 'incidents/INC-1.yaml', 'incident_id: INC-1\ntitle: Duplicate payments\nfinancial_impact: $12,400\n');
    write(root, 'incidents/INC-2.yaml', 'incident_id: INC-2\ntitle: Lost emails\n');
    write(root, 'postmortems/PM-1.yaml', 'id: PM-1\nincident: INC-1\naction_items:\n  completed: [Add duplicate detection]\n  incomplete: [Implement proper idempotency keys]\n');
    antiPattern(root, 'AP-001', 'approved', 'origin: { incidents: [INC-1] }\nenforce:\n  detect:\n    - regex: "charge\\\\(\\\\w+\\\\)"\nexamples:\n  bad: ["charge(p)"]\n');
    antiPattern(root, 'AP-002', 'approved');
    write(root, 'constraints/T_1.yaml', 'id: T_1\nstatement: Payments carry an idempotency key\norigin: { incidents: [INC-1], anti_patterns: [AP-001] }\n');
    for (const i of [0, 1, 2]) feedback(root, `fb-n${i}`, daysAgo(2 + i), 'pytest fixture placed before import pytest');
    writeFileSync(join(root, 'pay.py'), 'charge(p)\n');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'records');
    expect(cli(root, ['baseline']).code).toBe(0);
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'baseline');
    writeFileSync(join(root, 'other.py'), 'charge(q)\n');
    expect(cli(root, ['baseline']).code).toBe(0);
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'baseline grew');

    const result = cli(root, ['gaps', '--format', 'json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    const kinds = report.gaps.map((g: { kind: string; id: string }) => `${g.kind} ${g.id}`).sort();
    expect(kinds).toEqual([
      'action-item-open PM-1',
      'anti-pattern-without-detectors AP-002',
      'anti-pattern-without-examples AP-002',
      'baseline-not-shrinking failures/ap-001',
      'incident-without-prevention INC-2',
      expect.stringMatching(/^pattern-without-proposal P-[0-9a-f]{8}$/),
    ]);
    const inc1 = report.tree.find((n: { id: string }) => n.id === 'INC-1');
    expect(inc1.anti_patterns[0]).toMatchObject({ id: 'AP-001', rule: 'failures/ap-001', detectors: 1, findings: 2, constraints: [{ id: 'T_1' }] });
    expect(inc1.postmortems).toEqual([{ id: 'PM-1', open: ['Implement proper idempotency keys'], action_items: 2, not_stated: 0 }]);
    const text = cli(root, ['gaps', '--strict']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('INC-1 Duplicate payments ($12,400)');
    expect(text.stdout).toContain('still open');
  });
});
