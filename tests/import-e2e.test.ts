import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cli, FIXTURES, git, tempRepo } from './helpers.js';

/** A repository with .failures/ and the import fixtures copied into it (postmortems/, exports/). */
function project(): string {
  const root = tempRepo();
  expect(cli(root, ['init']).code).toBe(0);
  cpSync(join(FIXTURES, 'import'), root, { recursive: true });
  return root;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- records read back as plain YAML in assertions
type Loose = any;
const read = (root: string, path: string) => parse(readFileSync(join(root, '.failures', path), 'utf8')) as Record<string, Loose>;
const good = ['postmortems/2024-03-15-duplicate-payments.md', 'postmortems/search-outage.md', 'postmortems/two-incidents.md', 'postmortems/plain-notes.txt'];

describe('failures import: postmortem markdown', () => {
  it('imports several house styles into valid incidents and postmortems, with --format json', () => {
    const root = project();
    const result = cli(root, ['import', ...good, '--format', 'json']);
    // Only the warnings, as in text mode (the data is on stdout).
    expect(result.stderr).toBe("postmortems/search-outage.md:18:1: warning: placeholder '??:??' in the timeline: the entry is kept as written, without a time\n");
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as { created: Array<{ kind: string; id: string; file: string; source: string }>; skipped: unknown[] };
    expect(out.skipped).toEqual([]);
    expect(out.created.map((c) => `${c.kind} ${c.id}`)).toEqual([
      'incident INC-2024-089',
      'postmortem PM-2024-089',
      'incident INC-2023-11-02-search-outage-after-index-migration',
      'postmortem PM-2023-11-02-search-outage-after-index-migration',
      'incident INC-2024-05-02-queue-backup-delays-notifications',
      'postmortem PM-2024-05-02-queue-backup-delays-notifications',
      'incident INC-2024-05-04-payment-stuck-processing',
      'postmortem PM-2024-05-04-payment-stuck-processing',
      'incident INC-2022-01-12-plain-notes',
      'postmortem PM-2022-01-12-plain-notes',
    ]);
    expect(out.created[0]).toEqual({ kind: 'incident', id: 'INC-2024-089', file: '.failures/incidents/INC-2024-089.yaml', source: good[0] });
    expect(cli(root, ['validate']).code).toBe(0);

    // YAML front matter, ATX headings, tables: the document's own id, statuses as marked, never a guessed one.
    const incident = read(root, 'incidents/INC-2024-089.yaml');
    expect(incident).toMatchObject({ date: '2024-03-15', severity: 'P1', detection_time: '13 minutes', resolution_time: '2.5 hours' });
    expect(incident.root_cause).toMatch(/did not check for idempotency/);
    expect(incident.source).toMatchObject({ file: good[0], line: 1, format: 'markdown', root_cause_from: 'section' });
    expect(incident.timeline).toHaveLength(4);
    expect(incident.customer_impact).toBe('47 customers overcharged');
    expect(incident.financial_impact).toBe('$12,400 in refunds + goodwill credits');
    const pm = read(root, 'postmortems/PM-2024-089.yaml');
    expect(pm.incident).toBe('INC-2024-089');
    expect(pm.action_items.map((a: Loose) => [a.status, a.owner, a.due, a.ticket])).toEqual([
      ['done', '@alice', '2024-03-20', 'PAY-101'],
      ['open', '@bob', '2024-04-30', 'PAY-102'],
      ['in_progress', undefined, undefined, undefined],
      ['not_stated', undefined, undefined, undefined],
    ]);
    expect(pm.five_whys).toHaveLength(2);

    // TOML front matter, setext headings, no root-cause section, Remediation sub-headings, a Slack appendix.
    const search = read(root, 'incidents/INC-2023-11-02-search-outage-after-index-migration.yaml');
    expect(search.source.root_cause_from).toBe('summary');
    expect(search.root_cause).toMatch(/caused by a migration script/);
    expect(search.timeline).toHaveLength(4);
    expect(search.summary).not.toMatch(/Timeline/);
    const searchPm = read(root, 'postmortems/PM-2023-11-02-search-outage-after-index-migration.yaml');
    expect(searchPm.action_items.map((a: Loose) => `${a.status}: ${a.action}`)).toEqual([
      'done: Roll back to the old index',
      'done: Re-run the migration with settings',
      'done: add a smoke test for search results',
      'open: alert on empty result rate',
      'in_progress: Move index settings into version control',
      'not_stated: Review every migration script',
    ]);
    expect(searchPm.action_items[4].section).toBe('Remediation › Long-term');

    // Two incidents in one document; a document without headings.
    expect(read(root, 'incidents/INC-2024-05-04-payment-stuck-processing.yaml').root_cause).toMatch(/Ambiguous gateway responses/);
    expect(read(root, 'postmortems/PM-2024-05-02-queue-backup-delays-notifications.yaml').action_items[0]).toMatchObject({ owner: 'carol', status: 'not_stated' });
    expect(read(root, 'incidents/INC-2022-01-12-plain-notes.yaml').root_cause).toMatch(/disk on the export host filled up/);
  });

  it('re-importing creates nothing and says so; an edited document is never overwritten', () => {
    const root = project();
    expect(cli(root, ['import', 'postmortems']).code).toBe(1); // empty.md cannot be read
    const before = readdirSync(join(root, '.failures', 'incidents')).sort();
    const again = cli(root, ['import', 'postmortems', '--format', 'json']);
    const out = JSON.parse(again.stdout) as { created: unknown[]; skipped: Array<{ source: string; reason: string }> };
    expect(out.created).toEqual([]);
    expect(out.skipped.filter((s) => /already imported as/.test(s.reason))).toHaveLength(5);
    expect(readdirSync(join(root, '.failures', 'incidents')).sort()).toEqual(before);
    const text = cli(root, ['import', ...good]);
    expect(text.code).toBe(0);
    expect(text.stderr).toMatch(/nothing new was imported; 5 records from 4 files already imported/);

    writeFileSync(join(root, good[0]!), readFileSync(join(root, good[0]!), 'utf8').replace('47 customers overcharged', '48 customers overcharged'));
    const changed = cli(root, ['import', good[0]!]);
    expect(changed.stderr).toMatch(/changed since it was imported as INC-2024-089; records are never overwritten/);
    expect(read(root, 'incidents/INC-2024-089.yaml').customer_impact).toBe('47 customers overcharged');
  });

  it('reports malformed documents with file:line and imports the rest (exit 1)', () => {
    const root = project();
    const result = cli(root, ['import', 'postmortems/empty.md', 'postmortems/template.md', 'exports/broken.csv', good[1]!]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('postmortems/empty.md:1:1: skipped: the file is empty');
    expect(result.stderr).toMatch(/postmortems\/template\.md:1:1: skipped: a template/);
    expect(result.stderr).toMatch(/exports\/broken\.csv:2:1: skipped: the CSV does not parse/);
    expect(result.stderr).toMatch(/search-outage\.md:18:1: warning: placeholder '\?\?:\?\?'/);
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
    expect(existsSync(join(root, '.failures', 'incidents', 'INC-2023-11-02-search-outage-after-index-migration.yaml'))).toBe(true);
  });

  it('--dry-run lists what would be written and writes nothing', () => {
    const root = project();
    const result = cli(root, ['import', good[0]!, '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('would create .failures/incidents/INC-2024-089.yaml\nwould create .failures/postmortems/PM-2024-089.yaml\n');
    expect(existsSync(join(root, '.failures', 'incidents', 'INC-2024-089.yaml'))).toBe(false);
  });

  it('writes all or nothing: when one record cannot be created, none of this run is left behind', () => {
    const root = project();
    // Something already holds the postmortem's file name without being a record.
    mkdirSync(join(root, '.failures', 'postmortems', 'PM-2024-089.yaml'), { recursive: true });
    const result = cli(root, ['import', good[0]!]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/PM-2024-089\.yaml already exists/);
    expect(existsSync(join(root, '.failures', 'incidents', 'INC-2024-089.yaml'))).toBe(false);
  });

  it('a missing path is a usage error naming it', () => {
    const root = project();
    const result = cli(root, ['import', 'nope.md']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cannot read nope\.md: ENOENT/);
  });
});

describe('failures import: incident and ticket exports', () => {
  it('reads PagerDuty CSV into incidents, Jira CSV and GitHub issues JSON into tickets, told apart by content', () => {
    const root = project();
    const result = cli(root, ['import', 'exports/pagerduty.csv', 'exports/jira.csv', 'exports/github-issues.json', '--format', 'json']);
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as { created: Array<{ kind: string; id: string }> };
    expect(out.created.map((c) => `${c.kind} ${c.id}`)).toEqual(['incident PD-1042', 'incident PD-1043', 'ticket TKT-5678', 'ticket TKT-6234', 'ticket GH-app-12', 'ticket GH-app-13']);
    expect(read(root, 'incidents/PD-1042.yaml')).toMatchObject({
      title: 'Payment gateway 504s, retries piling up',
      date: '2024-03-15T23:32:00Z',
      severity: 'P1',
      systems: ['payment-service'],
      resolution_time: '2.5 hours',
      source: { format: 'pagerduty-csv', line: 2 },
    });
    expect(read(root, 'tickets/imported/TKT-5678.yaml')).toMatchObject({
      title: 'User charged but shows failed',
      created: '2024-03-12T14:14',
      status: 'Done',
      tags: ['payments', 'status'],
      components: ['Payments'],
      source: { format: 'jira-csv' },
    });
    expect(read(root, 'tickets/imported/GH-app-12.yaml')).toMatchObject({ status: 'open', tags: ['notifications'], url: 'https://github.com/acme/app/issues/12' });
    expect(cli(root, ['validate']).code).toBe(0);
    const again = JSON.parse(cli(root, ['import', 'exports/pagerduty.csv', 'exports/jira.csv', 'exports/github-issues.json', '--format', 'json']).stdout) as { created: unknown[] };
    expect(again.created).toEqual([]);
    expect(cli(root, ['import', 'exports/jira.csv']).stderr).toMatch(/nothing new was imported; 2 records from 1 file already imported/);
  });
});

describe('failures analyze --tickets', () => {
  it('groups imported tickets into ticket patterns proposed through a diff, and knows them once applied', () => {
    const root = project();
    expect(cli(root, ['import', 'exports/jira-support.csv']).code).toBe(0);
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'import tickets');
    const result = cli(root, ['analyze', '--tickets', '--diff', 'tp.diff', '--format', 'json']);
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as { tickets: number; patterns: Array<{ id: string; pattern: string; ticket_count: number; timeframe: string; status: string; tickets: string[] }> };
    expect(out.tickets).toBe(8);
    expect(out.patterns.map((p) => [p.id, p.ticket_count, p.timeframe, p.status])).toEqual([
      ['TP-001', 4, '6 months', 'proposed'],
      ['TP-002', 3, '3 months', 'proposed'],
    ]);
    expect(out.patterns[1]!.tickets).toEqual(['TKT-4321', 'TKT-4400', 'TKT-4455']);
    expect(existsSync(join(root, '.failures', 'tickets', 'TP-001.yaml'))).toBe(false); // only through review
    git(root, 'apply', 'tp.diff');
    expect(cli(root, ['validate']).code).toBe(0);
    expect(read(root, 'tickets/TP-001.yaml')).toMatchObject({ id: 'TP-001', ticket_count: 4, systems: ['Payments'] });
    const again = JSON.parse(cli(root, ['analyze', '--tickets', '--format', 'json']).stdout) as { patterns: Array<{ id: string; status: string }> };
    expect(again.patterns.map((p) => `${p.id} ${p.status}`)).toEqual(['TP-001 known', 'TP-002 known']);
  });

  it('never proposes the id of a ticket-pattern file that does not parse (QA pass 7)', () => {
    const root = project();
    expect(cli(root, ['import', 'exports/jira-support.csv']).code).toBe(0);
    mkdirSync(join(root, '.failures', 'tickets'), { recursive: true });
    writeFileSync(join(root, '.failures', 'tickets', 'TP-001.yaml'), 'id: TP-001\npattern: [WIP payment status\n');
    const result = cli(root, ['analyze', '--tickets', '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const ids = (JSON.parse(result.stdout) as { patterns: Array<{ id: string }> }).patterns.map((p) => p.id);
    expect(ids).not.toContain('TP-001');
    expect(ids[0]).toBe('TP-002');
  });

  it('proposes on a review branch without touching the working tree', () => {
    const root = project();
    cli(root, ['import', 'exports/jira-support.csv']);
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'import tickets');
    const result = cli(root, ['analyze', '--tickets', '--branch', 'tickets-review']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/branch tickets-review \([0-9a-f]{8}\) proposes TP-001, TP-002/);
    expect(git(root, 'show', '--stat', '--format=%s', 'tickets-review')).toMatch(/\.failures\/tickets\/TP-001\.yaml/);
    expect(existsSync(join(root, '.failures', 'tickets', 'TP-001.yaml'))).toBe(false);
  });

  it('says what to do when there are no tickets', () => {
    const root = project();
    const result = cli(root, ['analyze', '--tickets']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no imported tickets/);
  });
});

describe('imported history in similar, gaps and stats', () => {
  it('finds incidents by meaning, lists ticket patterns and unstated action items as gaps, and counts them in stats', () => {
    const root = project();
    cli(root, ['import', ...good, 'exports/jira-support.csv']);
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'import');
    cli(root, ['analyze', '--tickets', '--diff', 'tp.diff']);
    git(root, 'apply', 'tp.diff');

    const similar = JSON.parse(cli(root, ['similar', 'customers charged twice when the payment gateway timed out', '--format', 'json']).stdout) as { matches: Array<{ kind: string; id: string }> };
    expect(similar.matches[0]).toMatchObject({ kind: 'incident', id: 'INC-2024-089' });
    const sms = JSON.parse(cli(root, ['similar', 'many SMS for one payment', '--format', 'json']).stdout) as { matches: Array<{ kind: string; id: string }> };
    expect(sms.matches[0]).toMatchObject({ kind: 'ticket-pattern', id: 'TP-002' });

    const gaps = JSON.parse(cli(root, ['gaps', '--format', 'json']).stdout) as { tree: Array<{ id: string }>; ticket_patterns: Array<{ id: string; prevented_by: string[] }>; gaps: Array<{ kind: string; id: string }> };
    expect(gaps.tree.map((n) => n.id)).toContain('INC-2024-089');
    expect(gaps.ticket_patterns.map((t) => t.id)).toEqual(['TP-001', 'TP-002']);
    expect(gaps.gaps).toContainEqual(expect.objectContaining({ kind: 'ticket-pattern-without-prevention', id: 'TP-001' }));
    expect(gaps.gaps).toContainEqual(expect.objectContaining({ kind: 'action-item-status-not-stated', id: 'PM-2024-089' }));
    expect(gaps.gaps).toContainEqual(expect.objectContaining({ kind: 'action-item-open', id: 'PM-2024-089' }));

    const stats = JSON.parse(cli(root, ['stats', '--format', 'json']).stdout) as { history: Record<string, unknown> };
    expect(stats.history).toEqual({
      incidents: { total: 5, imported: 5, prevented: 0 },
      postmortems: 5,
      action_items: { open: 2, in_progress: 2, done: 5, wont_do: 0, not_stated: 3 },
      tickets: 8,
      ticket_patterns: { total: 2, tickets: 7, prevented: 0 },
    });
  });
});
