import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { statusOf } from '../src/ingest/postmortem/actions.js';
import { findDates } from '../src/ingest/postmortem/dates.js';
import { parsePostmortem } from '../src/ingest/postmortem/index.js';
import { kindOfHeading } from '../src/ingest/postmortem/sections.js';
import { importIds, registry, slug } from '../src/ingest/ids.js';
import { REPO } from './helpers.js';

describe('postmortem parsing', () => {
  it('reads status only where it is written', () => {
    expect(statusOf('✅ Add alerting')?.status).toBe('done');
    expect(statusOf('[x] done thing')?.status).toBe('done');
    expect(statusOf('DONE: smoke test')?.status).toBe('done');
    expect(statusOf('Re-run the migration (done)')?.status).toBe('done');
    expect(statusOf('TODO: alert on empty results')?.status).toBe('open');
    expect(statusOf('❌ idempotency keys')?.status).toBe('open');
    expect(statusOf('Move settings to git — PR exists')?.status).toBe('in_progress');
    expect(statusOf("Won't do: rewrite everything")?.status).toBe('wont_do');
    // Words in the middle of a sentence are not a status.
    expect(statusOf('Ensure all tests are completed before deploy')).toBeUndefined();
    expect(statusOf('Open a ticket with the vendor about the pending upgrade')).toBeUndefined();
  });

  it('reads dates in many forms, and reports placeholders and impossible dates', () => {
    const { dates, issues } = findDates('2021-03-31, 03/31/2021, 31.03.2021, 31st March 2021, March 31, 2021, Oct 3 2025, 2021-13-45, YYYY-MM-DD, ??:??');
    expect(dates.map((d) => d.date)).toEqual(['2021-03-31', '2021-03-31', '2021-03-31', '2021-03-31', '2021-03-31', '2025-10-03']);
    expect(issues.map((i) => i.kind)).toEqual(['invalid', 'placeholder', 'placeholder']);
    expect(findDates('Wednesday 31st March', 2021).dates[0]).toMatchObject({ date: '2021-03-31', inferredYear: true });
  });

  it('rolls a timeline past midnight and keeps entries as written', () => {
    const parsed = parsePostmortem('x.md', '# Outage\n\n## Summary\n\nIt broke.\n\n## Timeline\n\n- 2024-03-15 23:50 UTC deploy\n- 00:10 UTC errors\n- 01:00 UTC fixed\n');
    expect(parsed.incidents[0]!.incident.timeline).toEqual(['2024-03-15 23:50 UTC deploy', '00:10 UTC errors', '01:00 UTC fixed']);
    expect(parsed.incidents[0]!.incident.date).toBe('2024-03-15');
  });

  it('never throws on odd input, and says why a document is skipped', () => {
    for (const text of ['', '\u0000\u0001', '---\n: : :\n---\n', '+++\nbad = \n+++\n# T\n\n## Timeline\n\n- 10:00 x\n', '#'.repeat(5000), '- '.repeat(2000)]) {
      expect(() => parsePostmortem('odd.md', text)).not.toThrow();
    }
    expect(parsePostmortem('e.md', '').skip?.reason).toBe('the file is empty');
    // Bounds that keep the markdown parser fast (400 nested list levels took seconds; 20,000 quotes overflowed the stack).
    const deepList = Array.from({ length: 400 }, (_, i) => `${' '.repeat(i * 2)}- item`).join('\n');
    expect(parsePostmortem('l.md', deepList).skip).toEqual({ line: 82, reason: 'a list nested more than 80 levels deep' });
    expect(parsePostmortem('q.md', `${'>'.repeat(20000)} x`).skip?.reason).toBe('quotes nested more than 64 levels deep');
    const toml = parsePostmortem('t.md', '+++\nbad = \n+++\n# Cache outage\n\n## Timeline\n\n- 10:00 cache cluster stopped answering\n');
    expect(toml.notes[0]!.message).toMatch(/TOML front matter does not parse/);
    expect(toml.incidents).toHaveLength(1);
  });

  it('reads a first H1 over a section of its own kind as the title, and a day written "3." before its month inside a sentence', () => {
    // "issue" makes a heading a summary: here it is the title, and "## Summary" the summary (a QA pass found
    // 'title: On Monday 3' and 'root_cause: Summary On Monday 3.' on dfds/postmortems' house style).
    const doc = '# CoreDNS upgrade issue\n\n## Summary\n\nOn Monday 3. February 2020, a planned upgrade caused CoreDNS pods to crash loop. It was rolled back.\n\n## Timeline\n\n- 11:21 upgrade\n\n# Stats\n\nSeverity: minor\n';
    const { incident } = parsePostmortem('notes.md', doc).incidents[0]!;
    expect(incident.title).toBe('CoreDNS upgrade issue');
    expect(incident.summary).toMatch(/^On Monday 3\. February 2020/);
    expect(incident.root_cause).toBe('On Monday 3. February 2020, a planned upgrade caused CoreDNS pods to crash loop.');
    // A setext "Summary" H1 holding other sections stays the summary.
    const setext = 'Summary\n=======\n\nThe queue stalled because a worker crashed.\n\nTimeline\n--------\n\n- 10:00 stall\n';
    expect(parsePostmortem('2021-03-01.md', setext).incidents[0]!.incident.summary).toBe('The queue stalled because a worker crashed.');
  });

  it('keeps a short note that says what failed in other words, and still skips one that does not', () => {
    const note = (text: string) => parsePostmortem('n.md', `---\ncompany: Acme\n---\n\n${text}\n`);
    for (const text of ['In November 2018 a database hit the integer limit, leaving the service in read-only mode.', 'An automated remote configuration change did not propagate fully. Web dynos could not be started.', 'The hosted repo contained credentials granting access to backups.']) {
      expect(note(text).incidents.length, text).toBe(1);
    }
    expect(note('Notes from the team offsite in Lisbon, with photos and the agenda for next year.').skip?.reason).toMatch(/no postmortem content/);
  });

  it('gives human, collision-free ids', () => {
    const incidents = registry([{ id: 'INC-2024-03-15-gateway-timeouts-duplicate-payments' }]);
    const postmortems = registry([]);
    expect(slug('The Gateway timeouts caused duplicate payments!')).toBe('gateway-timeouts-caused-duplicate-payments');
    expect(importIds({ title: 'Gateway timeouts duplicate payments', date: '2024-03-15' }, incidents, postmortems)).toEqual({
      incident: 'INC-2024-03-15-gateway-timeouts-duplicate-payments-2',
      postmortem: 'PM-2024-03-15-gateway-timeouts-duplicate-payments-2',
    });
    expect(importIds({ ownId: 'PM2019-008', title: 'x' }, incidents, postmortems)).toEqual({ incident: 'INC-2019-008', postmortem: 'PM2019-008' });
    expect(importIds({ ownId: 'INC-2024-089', title: 'x' }, incidents, postmortems)).toEqual({ incident: 'INC-2024-089', postmortem: 'PM-2024-089' });
  });

  it('the import benchmark skips cleanly without its data', () => {
    const result = spawnSync(process.execPath, [join(REPO, 'bench', 'import.js')], { encoding: 'utf8', env: { ...process.env, FAILURES_POSTMORTEMS: '/nonexistent/postmortems' } });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/bench:import skipped: no labels at \/nonexistent\/postmortems\/labels\.json/);
  });
});

describe('question-form headings', () => {
  it('"Why did it happen?" is the root cause and "How are we preventing it from happening again?" the actions; a title naming "preventing" is not', () => {
    expect(kindOfHeading('Why did it happen?')).toBe('root_cause');
    expect(kindOfHeading('How are we preventing it from happening again?')).toBe('actions');
    expect(kindOfHeading('Traefik Rule Preventing Some Inbound Traffic')).not.toBe('actions');
  });
});
