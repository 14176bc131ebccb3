/* eslint-disable @typescript-eslint/no-explicit-any -- reports are plain data read by path */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { schemaErrors } from '../src/store/schemas.js';
import { cli, git, REPO, tempDir } from './helpers.js';

/** The payments story in a temporary git repository, with the three anti-patterns of the demo approved. */
function paymentsRepo(): string {
  const dir = tempDir('failures-context-');
  cpSync(join(REPO, 'examples', 'payments'), dir, { recursive: true });
  const review = parse(readFileSync(join(dir, 'review.yaml'), 'utf8')) as any[];
  rmSync(join(dir, 'review.yaml'));
  mkdirSync(join(dir, '.failures', 'anti-patterns'));
  review.forEach((r, i) => {
    const id = `AP-00${i + 1}`;
    const { match: _match, ...rest } = r;
    void _match;
    writeFileSync(join(dir, '.failures', 'anti-patterns', `${id}.yaml`), stringify({ id, status: 'approved', category: 'Architecture', severity: 'high', ...rest }));
  });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'payments');
  return dir;
}

describe('failures context', () => {
  it('reproduces the seed on the payments story: INC-2024-089 first, anti-patterns found in the code, T_INC089_1, the critical warning', () => {
    const dir = paymentsRepo();
    expect(cli(dir, ['validate']).code).toBe(0);
    const result = cli(dir, ['context', 'payment-retry-v2', '--timeframe', '12', '--as-of', '2024-12-31']);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const report = parse(readFileSync(join(dir, 'payment-retry-v2-failures.yaml'), 'utf8')) as any;
    expect(schemaErrors('failure-context-report', report)).toEqual([]);
    expect(report.meta).toMatchObject({ manifold: 'payment-retry-v2', timeframe: '12 months to 2024-12-31', analyzed_at: '2024-12-31' });
    // INC-2023-310 is older than 12 months.
    expect(report.incidents.map((i: any) => i.incident_id)).not.toContain('INC-2023-310');
    expect(report.incidents[0].incident_id).toBe('INC-2024-089');
    expect(report.incidents[0].relevance_to_manifold.relevance).toBe('high');
    expect(report.summary.high_relevance_incidents).toBeGreaterThanOrEqual(3);
    const unrelated = report.incidents.find((i: any) => i.incident_id === 'INC-2024-188');
    expect(unrelated.relevance_to_manifold.relevance).toBe('low');
    const first = report.derived_constraints.from_incidents[0];
    expect(first.incident).toBe('INC-2024-089');
    expect(first.generated_constraints[0]).toMatchObject({ id: 'T_INC089_1', statement: 'Payment requests must include idempotency key' });
    const ap1 = report.anti_patterns.find((a: any) => a.id === 'AP-001');
    expect(ap1.occurrences_in_codebase.map((o: any) => `${o.file}:${o.line}`)).toEqual(['jobs/payment_reminder.py:9', 'src/payments/retry.ts:11']);
    expect(ap1.occurrences_in_codebase[0]).toMatchObject({ code: 'gateway.charge(payment)', risk: 'HIGH - repeats INC-2024-089 (47 customers overcharged)' });
    expect(report.summary.critical_warnings[0]).toMatchObject({ incident: 'INC-2024-089', cost: '$12,400 in refunds + goodwill credits', constraint: 'T_INC089_1' });
    expect(report.postmortem_analysis[0].action_items.incomplete).toEqual(['Implement proper idempotency keys', 'Add chaos testing for gateway failures']);
    expect(readFileSync(join(dir, 'payment-retry-v2-failures.yaml'), 'utf8')).toContain('- Implement proper idempotency keys # Still open!');
    expect(report.enriched_failure_modes.existing_in_manifold).toContainEqual({ id: 'F1', status: 'already_documented', covers: ['INC-2024-033'] });
    expect(report.enriched_failure_modes.newly_discovered.find((f: any) => f.source === 'INC-2024-089')).toMatchObject({ scenario: 'Duplicate payments during gateway timeout', impact: 'critical', detection: 'Alerts fire on duplicate detection' });

    // The terminal narrates it as the seed's example does.
    expect(result.stderr).toMatch(/🚨 HIGH RELEVANCE \(\d\):\n- INC-2024-089: Duplicate payments during gateway timeout \(P1\) - ROOT CAUSE: Retry logic did not check for idempotency/);
    expect(result.stderr).toContain('AP-001: Retry Without Idempotency\n  → Found in codebase: 2 locations (HIGH RISK)');
    expect(result.stderr).toContain('INVARIANT: T_INC089_1 - Payment requests must include idempotency key');
    expect(result.stderr).toContain(
      '**CRITICAL WARNING**\nYour current manifold does NOT address the root cause of INC-2024-089.\nThis incident resulted in $12,400 in refunds + goodwill credits.\nWithout constraint T_INC089_1, this WILL recur.',
    );
    expect(result.stderr).toContain('Run `failures merge payment-retry-v2.yaml --from payment-retry-v2-failures.yaml`');

    // --format json prints the same report on stdout and writes nothing; the same records give the same report.
    rmSync(join(dir, 'payment-retry-v2-failures.yaml'));
    const json = cli(dir, ['context', 'payment-retry-v2', '--timeframe', '12', '--as-of', '2024-12-31', '--format', 'json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(report);
    expect(existsSync(join(dir, 'payment-retry-v2-failures.yaml'))).toBe(false);
  });

  it('merges the report into the manifold once, keeping its comments; a second merge changes nothing', () => {
    const dir = paymentsRepo();
    expect(cli(dir, ['context', 'payment-retry-v2.yaml', '--out', 'report.yaml']).code).toBe(0);
    const before = readFileSync(join(dir, 'payment-retry-v2.yaml'), 'utf8');
    const dry = cli(dir, ['merge', 'payment-retry-v2.yaml', '--from', 'report.yaml', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^--- a\/payment-retry-v2\.yaml\n\+\+\+ b\/payment-retry-v2\.yaml/);
    expect(dry.stdout).toContain('+  - id: T_INC089_1');
    expect(dry.stdout.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---'))).toEqual([]);
    expect(readFileSync(join(dir, 'payment-retry-v2.yaml'), 'utf8')).toBe(before);

    const merged = cli(dir, ['merge', 'payment-retry-v2', '--from', 'report.yaml']);
    expect(merged.code).toBe(0);
    expect(merged.stderr).toMatch(/added \d+ derived constraints, \d+ failure modes, 3 exclusions to payment-retry-v2\.yaml: T_INC089_1/);
    const after = readFileSync(join(dir, 'payment-retry-v2.yaml'), 'utf8');
    for (const line of before.split('\n')) expect(after.split('\n')).toContain(line);
    expect(after).toContain('  - id: U3 # added after the SMS complaints');
    const manifold = parse(after) as any;
    expect(manifold.constraints.find((c: any) => c.id === 'T_INC089_1')).toMatchObject({ _source: 'failure_analysis', origin: { incidents: ['INC-2024-089'], postmortems: ['PM-2024-089'] } });
    expect(manifold.failure_modes.find((f: any) => f.source === 'INC-2024-089').origin.incidents).toEqual(['INC-2024-089']);
    expect(manifold.solution_space.exclusions.map((e: any) => e.anti_pattern).sort()).toEqual(['AP-001', 'AP-002', 'AP-003']);

    const again = cli(dir, ['merge', 'payment-retry-v2', '--from', 'report.yaml']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('nothing to merge');
    expect(readFileSync(join(dir, 'payment-retry-v2.yaml'), 'utf8')).toBe(after);

    // The history now is in the manifold: no warning, nothing new.
    const rerun = cli(dir, ['context', 'payment-retry-v2', '--out', 'report2.yaml']);
    expect(rerun.stderr).not.toContain('CRITICAL WARNING');
    expect((parse(readFileSync(join(dir, 'report2.yaml'), 'utf8')) as any).summary.new_constraints_derived).toBe(0);
  });

  it('refuses a clashing id (exit 2, nothing written), naming both places', () => {
    const dir = paymentsRepo();
    expect(cli(dir, ['context', 'payment-retry-v2', '--out', 'report.yaml']).code).toBe(0);
    const path = join(dir, 'payment-retry-v2.yaml');
    const clashing = readFileSync(path, 'utf8').replace('constraints:\n', 'constraints:\n  - id: T_INC089_1\n    statement: Something else entirely\n');
    writeFileSync(path, clashing);
    const result = cli(dir, ['merge', 'payment-retry-v2', '--from', 'report.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^payment-retry-v2\.yaml:11:5: error: constraint T_INC089_1 is already in the manifold \(constraints\[0\]\) with other content than derived_constraints\.from_incidents\[0\]\.generated_constraints\[0\] at report\.yaml:\d+:\d+/m);
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(readFileSync(path, 'utf8')).toBe(clashing);
  });

  it('reports a bad manifold at file:line:col with exit 2, and bad flags as usage errors', () => {
    const dir = paymentsRepo();
    writeFileSync(join(dir, 'bad.yaml'), 'name: bad\nentities: payment\nconstraints:\n  - id: B1\n');
    const bad = cli(dir, ['context', 'bad.yaml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^bad\.yaml:2:11: error: .*entities/m);
    expect(bad.stderr).toMatch(/^bad\.yaml:4:5: error: .*statement/m);
    expect(bad.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
    writeFileSync(join(dir, 'broken.yaml'), 'name: x\nentities: [payment\n');
    const broken = cli(dir, ['merge', 'broken.yaml', '--from', 'x.yaml']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^broken\.yaml:\d+:\d+: error: YAML/m);
    expect(cli(dir, ['context', 'nope']).stderr).toContain('no manifold nope');
    const noFolder = cli(dir, ['context', 'payment-retry-v2', '--out', 'missing/report.yaml']);
    expect(noFolder.code).toBe(2);
    expect(noFolder.stderr).toContain('--out missing/report.yaml: cannot write there (the folder missing does not exist)');
    writeFileSync(join(dir, 'other.yaml'), 'name: other-feature\n');
    expect(cli(dir, ['context', 'payment-retry-v2', '--out', 'report.yaml']).code).toBe(0);
    const wrong = cli(dir, ['merge', 'other.yaml', '--from', 'report.yaml']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('report.yaml is the report for "payment-retry-v2", not for "other-feature"');
    expect(readFileSync(join(dir, 'other.yaml'), 'utf8')).toBe('name: other-feature\n');
    expect(cli(dir, ['context', 'payment-retry-v2', '--sources', 'incidents,logs']).code).toBe(2);
    expect(cli(dir, ['context', 'payment-retry-v2', '--timeframe', 'a year']).code).toBe(2);
    const sources = cli(dir, ['context', 'payment-retry-v2', '--sources', 'tickets', '--format', 'json']);
    expect(sources.code).toBe(0);
    const report = JSON.parse(sources.stdout);
    expect(report.incidents).toEqual([]);
    expect(report.ticket_patterns.map((t: any) => t.id)).toContain('TP-002');
    expect(report.derived_constraints.from_ticket_patterns[0].generated_constraints[0].id).toBe('U_TKT_1');
  });

  it('ranks incidents imported from postmortem markdown, reading the words of the source document the records do not keep', () => {
    const dir = tempDir('failures-context-import-');
    git(dir, 'init', '-q', '-b', 'main');
    expect(cli(dir, ['init']).code).toBe(0);
    mkdirSync(join(dir, 'docs'));
    writeFileSync(
      join(dir, 'docs', '2023-04-02-dns.md'),
      '# DNS outage after resolver upgrade\n\n## Summary\n\nThe internal DNS resolvers were upgraded and every service lost name resolution for 40 minutes.\n\n## Root cause\n\nThe new CoreDNS configuration dropped the forward block.\n\n## Appendix\n\nSlack: pods with ndots 5 made five lookups per name\n',
    );
    writeFileSync(join(dir, 'docs', '2023-05-09-billing.md'), '# Invoices sent twice\n\n## Summary\n\nThe billing job ran twice after a deploy and emailed every invoice two times.\n');
    expect(cli(dir, ['import', 'docs']).code).toBe(0);
    writeFileSync(join(dir, 'dns.yaml'), 'name: dns-resolver-upgrade\nentities: [dns, resolver, ndots]\nsystems: [coredns]\nerror_types: [outage]\n');
    const result = cli(dir, ['context', 'dns.yaml', '--format', 'json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.incidents.map((i: any) => i.incident_id)).toEqual(['INC-2023-04-02-dns-outage-after-resolver-upgrade', 'INC-2023-05-09-invoices-sent-twice']);
    const top = report.incidents[0].relevance_to_manifold;
    expect(top.relevance).toBe('high');
    expect(top.reasons.systems[0]).toMatchObject({ term: 'coredns', how: 'structured' });
    // "ndots" is only in the appendix of the markdown, which the records do not keep.
    expect(top.reasons.entities.find((e: any) => e.term === 'ndots')).toMatchObject({ how: 'text', via: ['ndots'] });
    expect(report.incidents[1].relevance_to_manifold.relevance).toBe('low');
  });
});
