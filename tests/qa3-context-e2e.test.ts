/* eslint-disable @typescript-eslint/no-explicit-any -- reports and records are plain data read by path */
// Regression tests for the third QA pass (the context side as a new user), through the built CLI in temp git repos.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cli, tempRepo } from './helpers.js';

/** A postmortem in dfds's house style: summary, a dated timeline table, contributing factors, action items without a status. */
const POSTMORTEM = `# CoreDNS upgrade issue

## Summary

On Monday 3. February 2020, a planned upgrade of the Kubernetes cluster caused CoreDNS pods to crash loop, and every pod that resolves names failed.

## Timeline

| Time             | Event                                                 |
| :--------------- | ----------------------------------------------------- |
| 2020-02-03 11:21 | Cluster upgrade causes CoreDNS pods to crash loop     |
| 2020-02-03 11:30 | Alert fires on DNS lookup failures                    |
| 2020-02-03 11:52 | CoreDNS deployment downgraded, which solved the issue |

## Contributing Factors

- No version lock on the CoreDNS add-on
- No resource requests or limits were set on the Helm chart that deploys CoreDNS.
- The bad version wasn't caught in staging because the staging cluster had no DNS load.
- Because we do not have a canary cluster, the upgrade reached every team at once.

## Action Items

- Pin the CoreDNS add-on version in the upgrade pipeline
- Monitor CoreDNS directly instead of by proxy
`;

/** A manifold written by hand: a folded description, extra spaces, a wrapped quoted string, an unindented list. */
const MANIFOLD = `# Rolling node upgrades for the shared clusters
name:   node-upgrade    # the feature
description: >-
  Roll the node pools of the shared Kubernetes clusters to a new version,
  draining each node, with CoreDNS kept available.
owner: "platform team, reachable
  on the platform channel"
entities: [ node, upgrade, dns ]
systems:
- kubernetes
- coredns
constraints:
- id: B1   # agreed with the teams
  statement: At most one node per zone is drained at a time

# failure modes we already know of
failure_modes: []
`;

function project(): string {
  const root = tempRepo();
  expect(cli(root, ['init']).code).toBe(0);
  writeFileSync(join(root, 'coredns.md'), POSTMORTEM);
  expect(cli(root, ['import', 'coredns.md']).code).toBe(0);
  writeFileSync(join(root, 'node-upgrade.yaml'), MANIFOLD);
  return root;
}

describe('failures merge keeps every line it does not add (QA 3)', () => {
  it('leaves a folded description, spacing, a wrapped string and list styles as written, and adds in the file’s own style', () => {
    const root = project();
    expect(cli(root, ['context', 'node-upgrade.yaml', '--out', 'report.yaml']).code).toBe(0);
    const dry = cli(root, ['merge', 'node-upgrade.yaml', '--from', 'report.yaml', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout.split('\n').filter((l) => /^-(?!--)/.test(l))).toEqual(['-failure_modes: []']);
    const merged = cli(root, ['merge', 'node-upgrade.yaml', '--from', 'report.yaml']);
    expect(merged.code).toBe(0);
    const after = readFileSync(join(root, 'node-upgrade.yaml'), 'utf8');
    for (const line of MANIFOLD.split('\n')) if (line !== 'failure_modes: []') expect(after.split('\n')).toContain(line);
    // The new constraints sit under B1 with its dash column; the failure modes replace the empty list.
    expect(after).toMatch(/^- id: B1 {3}# agreed with the teams\n {2}statement: At most one node per zone is drained at a time\n- id: T_INC\w+_1\n/m);
    expect(after).toMatch(/^failure_modes:\n- id: F_NEW_1\n/m);
    const manifold = parse(after) as any;
    expect(manifold.description).toBe('Roll the node pools of the shared Kubernetes clusters to a new version, draining each node, with CoreDNS kept available.');
    expect(manifold.constraints.length).toBeGreaterThan(1);
    expect(manifold.failure_modes[0].origin.incidents).toEqual([expect.stringMatching(/^INC-/)]);
    const again = cli(root, ['merge', 'node-upgrade.yaml', '--from', 'report.yaml']);
    expect(again.stderr).toContain('nothing to merge');
    expect(readFileSync(join(root, 'node-upgrade.yaml'), 'utf8')).toBe(after);
  });
});

describe('failures context: derived constraints read as sentences (QA 3)', () => {
  it('states what must hold without the consequence glued on, and keeps an unreadable factor as written', () => {
    const root = project();
    const result = cli(root, ['context', 'node-upgrade.yaml', '--format', 'json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    const statements = report.derived_constraints.from_incidents.flatMap((g: any) => g.generated_constraints.map((c: any) => c.statement));
    expect(statements).toContain('Helm chart that deploys CoreDNS must include resource requests or limits');
    expect(statements).toContain('The bad version must be caught in staging');
    expect(statements.join('\n')).not.toMatch(/were set$|must caught|Because we must/m);
  });
});

describe('failures context: a new failure mode’s detection (QA 3)', () => {
  it('is the timeline entry without its day and time, not with half of the date left on', () => {
    const root = project();
    const report = JSON.parse(cli(root, ['context', 'node-upgrade.yaml', '--format', 'json']).stdout);
    const mode = report.enriched_failure_modes.newly_discovered[0];
    expect(mode.detection).toBe('Alert fires on DNS lookup failures');
  });
});

describe('failures gaps: a postmortem whose action items are not open (QA 3)', () => {
  it('says their status is not stated, or that there are none, instead of "all action items done"', () => {
    const root = project();
    writeFileSync(join(root, 'short.md'), '# Queue outage\n\n## Summary\n\nThe job queue stopped for an hour because its disk filled up.\n');
    expect(cli(root, ['import', 'short.md']).code).toBe(0);
    const result = cli(root, ['gaps']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/└─ PM\S+: 2 action items without a stated status$/m);
    expect(result.stdout).toMatch(/└─ PM\S+: no action items recorded$/m);
    expect(result.stdout).not.toContain('all action items done');
  });
});

describe('failures context: risk and what to do before development (QA 3)', () => {
  it('asks to find out about action items whose status the postmortem never states', () => {
    const root = project();
    const report = JSON.parse(cli(root, ['context', 'node-upgrade.yaml', '--format', 'json']).stdout);
    expect(report.postmortem_analysis[0].action_items.status_not_stated).toHaveLength(2);
    expect(report.action_items.before_development).toEqual([
      expect.stringMatching(/^Find out whether the 2 action items of PM\S+ were done \(their status is not stated\): Pin the CoreDNS add-on version in the upgrade pipeline; Monitor CoreDNS directly instead of by proxy$/),
    ]);
  });

  it('does not call a manifold well prepared when nothing could be derived to check it against (--sources postmortems)', () => {
    const root = project();
    const report = JSON.parse(cli(root, ['context', 'node-upgrade.yaml', '--sources', 'postmortems', '--format', 'json']).stdout);
    expect(report.summary.relevant_incidents).toBeGreaterThan(0);
    expect(report.summary.new_constraints_derived).toBe(0);
    expect(report.summary.risk_assessment.preparedness).toBe('low');
  });
});

describe('failures context and merge: a manifold that is not UTF-8 (QA 3)', () => {
  it('names UTF-16 and Latin-1 saves at file:line:col with the conversion, instead of echoing NULs or reading a mangled name', () => {
    const root = project();
    writeFileSync(join(root, 'utf16.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name: x\n', 'utf16le')]));
    const utf16 = cli(root, ['context', 'utf16.yaml']);
    expect(utf16.code).toBe(2);
    expect(utf16.stderr).toContain('utf16.yaml:1:1: error: the file is UTF-16, not UTF-8 text');
    expect(utf16.stderr).toContain('iconv -f UTF-16 -t UTF-8');
    expect(utf16.stderr).not.toContain('\u0000');
    writeFileSync(join(root, 'latin1.yaml'), Buffer.concat([Buffer.from('name: node-upgrade\ndescription: caf'), Buffer.from([0xe9]), Buffer.from(' upgrade\n')]));
    const latin1 = cli(root, ['context', 'latin1.yaml']);
    expect(latin1.code).toBe(2);
    expect(latin1.stderr).toContain('latin1.yaml:2:17: error: the file is not UTF-8 text');
    expect(existsSync(join(root, 'node-upgrade-failures.yaml'))).toBe(false);
    // The report given to merge is read the same way.
    const merge = cli(root, ['merge', 'node-upgrade.yaml', '--from', 'latin1.yaml']);
    expect(merge.code).toBe(2);
    expect(merge.stderr).toContain('latin1.yaml:2:17: error: the file is not UTF-8 text');
  });

  it('names the default report after a manifold whose name has slashes without making it a path', () => {
    const root = project();
    writeFileSync(join(root, 'spec.yaml'), 'name: ../platform/node-upgrade\nentities: [node, upgrade]\n');
    const result = cli(root, ['context', 'spec.yaml', '--sources', 'all,tickets']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('wrote platform-node-upgrade-failures.yaml');
    expect(existsSync(join(root, 'platform-node-upgrade-failures.yaml'))).toBe(true);
  });
});

describe('failures context after a merge (QA 3)', () => {
  it('asks the history what the authors wrote, so what was merged does not pull in unrelated incidents: nothing new the second time', () => {
    const root = project();
    writeFileSync(
      join(root, 'prometheus.md'),
      '# Prometheus out of memory\n\n## Summary\n\nPrometheus was killed for using too much memory and metrics were lost for two hours.\n\n## Contributing Factors\n\n- No resource requests or limits were set on the Helm chart that deploys Prometheus.\n- Memory alerting was not configured for the monitoring namespace.\n',
    );
    writeFileSync(join(root, 'billing.md'), '# Invoices sent twice\n\n## Summary\n\nThe billing job retried after a timeout and emailed every invoice twice.\n\n## Root cause\n\nThe retry did not check whether the email had been sent.\n');
    expect(cli(root, ['import', 'prometheus.md', 'billing.md']).code).toBe(0);
    expect(cli(root, ['context', 'node-upgrade.yaml', '--format', 'json', '--out', 'report.json']).code).toBe(0);
    const first = JSON.parse(readFileSync(join(root, 'report.json'), 'utf8'));
    expect(first.summary.new_constraints_derived).toBeGreaterThan(0);
    expect(cli(root, ['merge', 'node-upgrade.yaml', '--from', 'report.json']).code).toBe(0);
    const second = JSON.parse(cli(root, ['context', 'node-upgrade.yaml', '--format', 'json']).stdout);
    // The same ranking, score for score (with the merged statements in the query, an unrelated incident rose from 0 to 0.15).
    const ranking = (r: any) => r.incidents.map((i: any) => [i.incident_id, i.relevance_to_manifold.relevance_score]);
    expect(ranking(second)).toEqual(ranking(first));
    expect(second.summary.new_constraints_derived).toBe(0);
    expect(second.summary.new_failure_modes_discovered).toBe(0);
    expect(second.summary.risk_assessment.preparedness).toBe('high');
  });
});

describe('failures import: an export with nothing in it (QA 3)', () => {
  it('says the file is empty, or has a header and no rows, instead of "columns () match no known export"', () => {
    const root = tempRepo();
    expect(cli(root, ['init']).code).toBe(0);
    writeFileSync(join(root, 'empty.csv'), '');
    writeFileSync(join(root, 'jira.csv'), 'Summary,Issue key\n');
    writeFileSync(join(root, 'none.json'), '[]\n');
    const result = cli(root, ['import', 'empty.csv', 'jira.csv', 'none.json']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('empty.csv:1:1: skipped: the file is empty');
    expect(result.stderr).toContain('jira.csv:1:1: skipped: a CSV with a header line and no rows (columns: summary, issue_key): nothing to import');
    expect(result.stderr).toContain('none.json:1:1: skipped: JSON with no items: nothing to import');
    expect(result.stderr).not.toContain('match no known export');
  });
});

describe('failures context: the terminal summary of an empty section (QA 3)', () => {
  it('ends the count with a full stop instead of a colon over nothing', () => {
    const root = project();
    const result = cli(root, ['context', 'node-upgrade.yaml']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('**ANTI-PATTERN EXTRACTION**\nIdentified 0 anti-patterns from failure analysis.\n\n**CONSTRAINT DERIVATION**\n');
    expect(result.stderr).not.toMatch(/:\n\n\n/);
  });
});

describe('failures context --sources postmortems --timeframe (QA 3)', () => {
  it('places postmortems in the timeframe by their incident’s date instead of keeping every one', () => {
    const root = project();
    writeFileSync(join(root, 'recent.md'), POSTMORTEM.replace('# CoreDNS upgrade issue', '# CoreDNS upgrade issue again').replaceAll('2020-02-03', '2024-06-03').replace('Monday 3. February 2020', 'Monday 3. June 2024'));
    expect(cli(root, ['import', 'recent.md']).code).toBe(0);
    const both = JSON.parse(cli(root, ['context', 'node-upgrade.yaml', '--timeframe', '12', '--as-of', '2024-12-31', '--format', 'json']).stdout);
    expect(both.meta.sources.incidents).toMatch(/^1 analyzed, .*1 outside the timeframe/);
    const result = cli(root, ['context', 'node-upgrade.yaml', '--sources', 'postmortems', '--timeframe', '12', '--as-of', '2024-12-31', '--format', 'json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.meta.sources.postmortems).toMatch(/^1 analyzed, \d+ relevant, 1 outside the timeframe$/);
    expect(report.incidents.map((i: any) => i.incident_id)).toEqual([expect.stringContaining('2024-06-03')]);
  });
});

describe('failures context --sources postmortems: incidents named (QA 3)', () => {
  it('gives each incident its postmortem’s title in the report and the summary, not "INC-…:  [0.6]"', () => {
    const root = project();
    const result = cli(root, ['context', 'node-upgrade.yaml', '--sources', 'postmortems', '--out', 'r.yaml']);
    expect(result.code).toBe(0);
    const report = parse(readFileSync(join(root, 'r.yaml'), 'utf8')) as any;
    const title = report.incidents[0].title;
    expect(title).toBeTruthy();
    expect(result.stderr).toContain(`- ${report.incidents[0].incident_id}: ${title} [`);
  });
});

describe('failures merge into a JSON manifold (QA 3)', () => {
  it('keeps it JSON at its own indentation', () => {
    const root = project();
    const spec = { name: 'node-upgrade', description: 'Upgrade the cluster nodes with CoreDNS kept available', entities: ['node', 'upgrade', 'dns'], systems: ['kubernetes', 'coredns'], constraints: [{ id: 'B1', statement: 'At most one node per zone is drained at a time' }] };
    writeFileSync(join(root, 'spec.json'), `${JSON.stringify(spec, null, 4)}\n`);
    expect(cli(root, ['context', 'spec.json', '--out', 'report.yaml']).code).toBe(0);
    const merged = cli(root, ['merge', 'spec.json', '--from', 'report.yaml']);
    expect(merged.code).toBe(0);
    const text = readFileSync(join(root, 'spec.json'), 'utf8');
    const value = JSON.parse(text);
    expect(value.constraints.length).toBeGreaterThan(1);
    expect(value.constraints[1]._source).toBe('failure_analysis');
    expect(text).toBe(`${JSON.stringify(value, null, 4)}\n`);
    expect(cli(root, ['merge', 'spec.json', '--from', 'report.yaml']).stderr).toContain('nothing to merge');
  });
});

describe('failures context: a new failure mode’s mitigation (QA 3)', () => {
  it('is what the timeline says stopped it when no resolution is stated (published postmortems state none)', () => {
    const root = project();
    const report = JSON.parse(cli(root, ['context', 'node-upgrade.yaml', '--format', 'json']).stdout);
    expect(report.enriched_failure_modes.newly_discovered[0].mitigation).toBe('CoreDNS deployment downgraded, which solved the issue');
  });
});

describe('failures context with ticket patterns and no incidents (QA 3)', () => {
  it('counts the patterns in the risk: repeat probability is not "low" and preparedness not "high" when their constraints are missing', () => {
    const root = tempRepo();
    expect(cli(root, ['init']).code).toBe(0);
    const rows = Array.from({ length: 12 }, (_, i) => `${i % 2 ? 'Charged twice for one invoice' : 'Got 10 SMS about one payment'},SUP-${100 + i},Support,Done,2024-0${1 + (i % 6)}-10 10:00,Customer wrote to support`);
    writeFileSync(join(root, 'tickets.csv'), `Summary,Issue key,Issue Type,Status,Created,Description\n${rows.join('\n')}\n`);
    expect(cli(root, ['import', 'tickets.csv']).code).toBe(0);
    expect(cli(root, ['analyze', '--tickets', '--min-frequency', '3', '--diff', 'tp.diff']).code).toBe(0);
    execFileSync('git', ['apply', 'tp.diff'], { cwd: root });
    writeFileSync(join(root, 'pay.yaml'), 'name: payment-retry\ndescription: Retry failed invoice payments and tell the customer by SMS\nentities: [payment, invoice, sms, charge]\n');
    const report = JSON.parse(cli(root, ['context', 'pay.yaml', '--format', 'json']).stdout);
    expect(report.summary.relevant_incidents).toBe(0);
    expect(report.derived_constraints.from_ticket_patterns.length).toBeGreaterThan(0);
    expect(report.derived_constraints.from_ticket_patterns.map((g: any) => g.generated_constraints[0].statement)).toContain('Prevent got 10 SMS about one payment');
    expect(report.summary.risk_assessment).toEqual({ repeat_probability: 'high', preparedness: 'low' });
  });
});

describe('failures merge into a linked manifold (QA 3)', () => {
  it('edits the file the link points to, keeping the link and the file’s mode', () => {
    const root = project();
    mkdirSync(join(root, 'shared'));
    writeFileSync(join(root, 'shared', 'node-upgrade.yaml'), MANIFOLD);
    chmodSync(join(root, 'shared', 'node-upgrade.yaml'), 0o640);
    mkdirSync(join(root, 'specs'));
    symlinkSync('../shared/node-upgrade.yaml', join(root, 'specs', 'node-upgrade.yaml'));
    expect(cli(root, ['context', 'specs/node-upgrade.yaml', '--out', 'report.yaml']).code).toBe(0);
    expect(cli(root, ['merge', 'specs/node-upgrade.yaml', '--from', 'report.yaml']).code).toBe(0);
    expect(lstatSync(join(root, 'specs', 'node-upgrade.yaml')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(root, 'shared', 'node-upgrade.yaml'), 'utf8')).toContain('_source: failure_analysis');
    expect(statSync(join(root, 'shared', 'node-upgrade.yaml')).mode & 0o777).toBe(0o640);
  });
});

describe('failures context: a severity written with words after it (QA 3)', () => {
  it('reads "Major (High impact, …)" as a major incident, so its cost raises the critical warning', () => {
    const root = project();
    const text = POSTMORTEM.replace('## Timeline', '**Severity:** Major (High Impact, Service Degradation)\n\n**Impact:** $48,000 in lost bookings\n\n## Timeline');
    writeFileSync(join(root, 'major.md'), text.replace('# CoreDNS upgrade issue', '# CoreDNS upgrade outage').replaceAll('2020-02-03', '2021-03-01'));
    expect(cli(root, ['import', 'major.md']).code).toBe(0);
    const incident = readFileSync(join(root, '.failures', 'incidents', readdirSync(join(root, '.failures', 'incidents')).find((f) => f.includes('2021'))!), 'utf8');
    expect(incident).toContain('severity: Major (High Impact, Service Degradation)');
    const report = JSON.parse(cli(root, ['context', 'node-upgrade.yaml', '--format', 'json']).stdout);
    const warned = (report.summary.critical_warnings ?? []).map((w: any) => w.incident);
    expect(warned).toEqual([expect.stringContaining('2021')]);
    // The incident recurred with the same causes: the warning names the constraint the first one gave.
    expect(report.summary.critical_warnings[0].constraint).toMatch(/^T_INC\d+_1$/);
    expect(report.summary.critical_warnings[0].message).toContain('This incident resulted in $48,000 in lost bookings.');
  });
});

describe('failures context: the summary line of a root cause written as a list (QA 3)', () => {
  it('shows its first item, not every item run together', () => {
    const root = project();
    writeFileSync(
      join(root, 'listed.md'),
      '# CoreDNS out of memory during the node upgrade\n\n## Summary\n\nThe node upgrade made CoreDNS pods crash and DNS lookups failed across the cluster.\n\n## Root cause\n\n- Primary root cause: CoreDNS pods ran out of memory during the node upgrade\n- Same root cause as the week before: memory limits too low for the upgrade\n- No alert on CoreDNS restarts\n',
    );
    expect(cli(root, ['import', 'listed.md']).code).toBe(0);
    const result = cli(root, ['context', 'node-upgrade.yaml']);
    expect(result.code).toBe(0);
    const line = result.stderr.split('\n').find((l) => l.includes('CoreDNS out of memory during the node upgrade'));
    expect(line).toMatch(/ - ROOT CAUSE: CoreDNS pods ran out of memory during the node upgrade \[[\d.]+\]$/);
  });
});

describe('failures context --out onto what people write (QA 3)', () => {
  it('refuses the manifold itself and anything inside .failures/ (exit 2, nothing changed)', () => {
    const root = project();
    const config = readFileSync(join(root, '.failures', 'config.yaml'), 'utf8');
    const onSpec = cli(root, ['context', 'node-upgrade.yaml', '--out', './node-upgrade.yaml']);
    expect(onSpec.code).toBe(2);
    expect(onSpec.stderr).toContain('--out ./node-upgrade.yaml is the manifold itself');
    expect(readFileSync(join(root, 'node-upgrade.yaml'), 'utf8')).toBe(MANIFOLD);
    const onConfig = cli(root, ['context', 'node-upgrade.yaml', '--out', '.failures/config.yaml', '--format', 'json']);
    expect(onConfig.code).toBe(2);
    expect(onConfig.stderr).toContain('is inside .failures/');
    expect(readFileSync(join(root, '.failures', 'config.yaml'), 'utf8')).toBe(config);
  });
});

describe('failures import of a GitHub issues API dump (QA 3)', () => {
  it('leaves its pull requests out with one count, exit 0, instead of one "could not be read" per pull request and exit 1', () => {
    const root = tempRepo();
    expect(cli(root, ['init']).code).toBe(0);
    const rows = [1, 2, 3, 4].map((n) => ({
      url: `https://api.github.com/repos/acme/shop/issues/${n}`,
      html_url: `https://github.com/acme/shop/${n % 2 ? 'issues' : 'pull'}/${n}`,
      number: n,
      title: n % 2 ? `Checkout fails ${n}` : `Fix checkout ${n}`,
      state: 'open',
      created_at: '2024-05-01T10:00:00Z',
      ...(n % 2 ? {} : { pull_request: { url: `https://api.github.com/repos/acme/shop/pulls/${n}` } }),
    }));
    writeFileSync(join(root, 'issues.json'), JSON.stringify(rows, null, 2));
    const result = cli(root, ['import', 'issues.json']);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('could not be read');
    expect(result.stderr).toContain("imported 2 tickets; 2 left out: pull requests, not issues (GitHub's issues API lists both)");
  });
});
