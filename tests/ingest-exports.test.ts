import { describe, expect, it } from 'vitest';
import { exportReader, isoDate } from '../src/ingest/exports/index.js';
import { planImport } from '../src/ingest/plan.js';

const none = { incident: [], postmortem: [], ticket: [] };
const plan = (source: string, text: string) => planImport([{ source, recordedFile: source, text }], none, exportReader);

describe('incident and ticket exports', () => {
  it('tells the tools apart by their keys and columns', () => {
    const opsgenie = plan('og.json', JSON.stringify({ data: [{ id: 'a1', tinyId: '42', message: 'Disk full on db-1', status: 'closed', priority: 'P2', createdAt: '2024-01-02T03:04:05Z', tags: ['db'] }] }));
    expect(opsgenie.records[0]).toMatchObject({ kind: 'incident', id: 'OG-42', data: { title: 'Disk full on db-1', severity: 'P2', date: '2024-01-02T03:04:05Z', source: { format: 'opsgenie-json' } } });

    const incidentIo = plan('iio.json', JSON.stringify({ incidents: [{ id: '01H', reference: 'INC-123', name: 'Checkout errors', summary: 'Card payments failed', severity: { name: 'Major' }, incident_status: { name: 'Closed' }, created_at: '2024-02-01T10:00:00Z', permalink: 'https://app.incident.io/x/incidents/123' }] }));
    expect(incidentIo.records[0]).toMatchObject({ id: 'INC-123', data: { title: 'Checkout errors', severity: 'Major', status: 'Closed', summary: 'Card payments failed', url: 'https://app.incident.io/x/incidents/123' } });

    const firehydrant = plan('fh.json', JSON.stringify({ data: [{ id: 'u', number: 7, name: 'API latency', severity: 'SEV2', current_milestone: 'resolved', started_at: '2024-03-01T08:00:00Z', services: [{ name: 'api' }], customer_impact_summary: 'Slow dashboards' }] }));
    expect(firehydrant.records[0]).toMatchObject({ id: 'FH-7', data: { severity: 'SEV2', systems: ['api'], customer_impact: 'Slow dashboards', status: 'resolved' } });

    const zendesk = plan('zd.csv', 'ID,Subject,Requester,Requested,Status,Priority,Group,Tags\n1001,Charged twice,ann@example.com,2024-04-01 10:00,open,urgent,Billing,"payments,refund"\n');
    expect(zendesk.records[0]).toMatchObject({ kind: 'ticket', id: 'ZD-1001', data: { title: 'Charged twice', created: '2024-04-01T10:00', priority: 'urgent', components: ['Billing'], tags: ['payments', 'refund'] } });

    const freshdesk = plan('fd.csv', 'Ticket ID,Subject,Status,Priority,Source,Type,Agent,Group,Created time,Resolved time,Tags\n55,Refund missing,Closed,High,Email,Problem,Bo,Billing,2024-05-01 09:00:00,2024-05-02 09:00:00,refund\n');
    expect(freshdesk.records[0]).toMatchObject({ id: 'FD-55', data: { title: 'Refund missing', ticket_type: 'Problem', resolved: '2024-05-02T09:00' } });

    const rest = plan('issues.json', JSON.stringify([
      { number: 5, title: 'Crash on login', state: 'open', created_at: '2024-06-01T00:00:00Z', labels: [{ name: 'bug' }], html_url: 'https://github.com/o/r/issues/5', body: 'stack…' },
      { number: 6, title: 'A pull request', state: 'open', html_url: 'https://github.com/o/r/pull/6', pull_request: { url: 'https://api.github.com/repos/o/r/pulls/6' } },
    ]));
    expect(rest.records.map((r) => r.id)).toEqual(['GH-r-5']);
    // GitHub's issues API lists pull requests too: left out and counted, not an error.
    expect(rest.skipped[0]).toMatchObject({ reason: "pull requests, not issues (GitHub's issues API lists both)", kind: 'left-out' });
  });

  it('names what it cannot read, with the line', () => {
    const unknown = plan('x.csv', 'a,b,c\n1,2,3\n');
    expect(unknown.skipped[0]!.reason).toMatch(/^a CSV whose columns \(a, b, c\) match no known export/);
    const broken = plan('y.json', '{"incidents": [\n  {"id": 1,\n');
    expect(broken.skipped[0]).toMatchObject({ kind: 'unreadable', line: 3 });
    const twice = plan('j.csv', 'Summary,Issue key,Status\nA,K-1,Open\nB,K-1,Open\n');
    expect(twice.records).toHaveLength(1);
    expect(twice.skipped[0]).toMatchObject({ line: 3, reason: 'K-1 appears twice in this file; the first row was kept' });
  });

  it('reads a quoted line break written as CRLF (Jira descriptions, Excel saves) as one line: each row keeps its own line and text', () => {
    const csv = (status: string, eol: string) =>
      `Issue key,Summary,Status,Description${eol}PAY-1,Charged twice,Done,"First line.\r\nSecond line."${eol}PAY-2,Refund lost,${status},Webhook dropped${eol}`;
    for (const eol of ['\r\n', '\n']) {
      const before = plan('j.csv', csv('Open', eol));
      const after = plan('j.csv', csv('Done', eol));
      expect(before.records.map((r) => r.line)).toEqual([2, 4]);
      expect(before.records[0]!.data.body).toBe('First line.\nSecond line.');
      const fingerprint = (p: typeof before, i: number) => (p.records[i]!.data.source as { fingerprint: string }).fingerprint;
      // Only the edited row's fingerprint changes: a re-import then names PAY-2 as changed, not PAY-1.
      expect(fingerprint(after, 0)).toBe(fingerprint(before, 0));
      expect(fingerprint(after, 1)).not.toBe(fingerprint(before, 1));
    }
    const spaced = plan('j.csv', 'Issue key,Summary,Status\n\nK-1,A,Open\n\n\nK-2,B,Open\n');
    expect(spaced.records.map((r) => r.line)).toEqual([3, 6]);
    const json = plan('i.json', JSON.stringify([{ number: 1, title: 'Crash', state: 'open', url: 'https://github.com/o/r/issues/1', body: 'a\r\nb' }]));
    expect(json.records[0]!.data.body).toBe('a\nb');
  });

  it('keeps a title on one line when its cell holds a line break', () => {
    const pd = plan('pd.csv', 'incident_number,title,urgency,service_name\n1043,"Checkout latency\n  spike",low,checkout\n');
    expect(pd.records[0]!.data.title).toBe('Checkout latency spike');
    const jira = plan('j.csv', 'Issue key,Summary,Status,Description\nK-1,"Refund\r\nlost",Open,"two\nlines"\n');
    expect(jira.records[0]!.data).toMatchObject({ title: 'Refund lost', body: 'two\nlines' });
  });

  it('reads a quote inside an unquoted cell as text, and points at the quote that never closes', () => {
    const stray = plan('j.csv', 'Issue key,Summary,Status\nK-1,Fix the "save" button,Open\nK-2,"Quoted, fine",Done\n');
    expect(stray.skipped).toEqual([]);
    expect(stray.records.map((r) => r.data.title)).toEqual(['Fix the "save" button', 'Quoted, fine']);
    const unclosed = plan('j.csv', 'Issue key,Summary,Status\nK-1,ok,Open\nK-2,"never closed,Open\nK-3,fine,Open\n');
    expect(unclosed.records).toEqual([]);
    expect(unclosed.skipped[0]).toMatchObject({ kind: 'unreadable', line: 3, column: 5 });
    expect(unclosed.skipped[0]!.reason).toContain("the quote opened here is never closed");
    expect(unclosed.skipped[0]!.reason).toContain('write a quote inside a quoted cell as ""');
  });

  it("splits a Zendesk export's space-separated tags", () => {
    const zendesk = plan('zd.csv', 'Id,Requester,Requested,Subject,Status,Tags\n4411,jo@example.com,2024-04-01 10:00,Charged twice,solved,billing refund  vip\n');
    expect(zendesk.records[0]!.data.tags).toEqual(['billing', 'refund', 'vip']);
  });

  it('says which date cells it cannot read instead of dropping them in silence', () => {
    const jira = plan('jira.csv', 'Issue key,Summary,Status,Created,Resolved\nPAY-1,Charged twice,Done,21/mars/24 14:14,22/Mar/24 9:00 AM\nPAY-2,Refund lost,Open,22/Mar/24 9:05 AM,\n');
    expect(jira.records.map((r) => r.data.created)).toEqual([undefined, '2024-03-22T09:05']);
    expect(jira.records[0]!.data.resolved).toBe('2024-03-22T09:00');
    expect(jira.notes).toEqual([
      { source: 'jira.csv', line: 2, column: 1, message: "PAY-1: Created '21/mars/24 14:14' is not a date this import reads, so the record has no such date (write it as 2024-03-21 14:14, or export with English month names)" },
    ]);
  });

  it('names the first three rows with unreadable dates and counts the rest', () => {
    const rows = Array.from({ length: 6 }, (_, i) => `K-${i},Title ${i},Open,2${i}/Mär/24`).join('\n');
    const jira = plan('jira.csv', `Issue key,Summary,Status,Created\n${rows}\n`);
    expect(jira.records).toHaveLength(6);
    expect(jira.notes.map((n) => n.line)).toEqual([2, 3, 4, 5]);
    expect(jira.notes[3]!.message).toBe('3 more rows from here on have dates this import cannot read (as above)');
  });

  it('names the other file when two exports of one run hold the same key with other content', () => {
    const both = planImport(
      [
        { source: 'march.csv', recordedFile: 'march.csv', text: 'Issue key,Summary,Status\nPAY-1,Charged twice,Open\n' },
        { source: 'q1.csv', recordedFile: 'q1.csv', text: 'Issue key,Summary,Status\nPAY-1,Charged twice,Done\n' },
      ],
      none,
      exportReader,
    );
    expect(both.records.map((r) => r.source)).toEqual(['march.csv']);
    expect(both.skipped[0]).toMatchObject({ source: 'q1.csv', line: 2, kind: 'unreadable' });
    expect(both.skipped[0]!.reason).toMatch(/^PAY-1 is also at march\.csv:2 with other content, and that row is imported in this run/);
  });

  it("places each JSON record at its own { (gh issue list --json puts author, an object, before any plain value)", () => {
    const gh = `[\n  {\n    "author": {"login": "dana"},\n    "body": "x",\n    "number": 1,\n    "state": "OPEN",\n    "title": "A",\n    "url": "https://github.com/o/r/issues/1"\n  },\n  {\n    "author": {"login": "dana"},\n    "body": "x",\n    "number": 2,\n    "state": "OPEN",\n    "title": "B {not [a] brace",\n    "url": "https://github.com/o/r/issues/2"\n  }\n]\n`;
    expect(plan('gh.json', gh).records.map((r) => r.line)).toEqual([2, 10]);
    const wrapped = `{\n  "meta": [{"a": 1}],\n  "incidents": [\n    {"id": "a1", "tinyId": "7", "message": "Disk full"},\n    {"id": "a2", "tinyId": "8", "message": "Disk full again"}\n  ]\n}\n`;
    expect(plan('og.json', wrapped).records.map((r) => r.line)).toEqual([4, 5]);
    const broken = plan('b.json', '\uFEFF\n\n[{"number": 1,\n  }]\n');
    expect(broken.skipped[0]).toMatchObject({ line: 4, column: 3 });
  });

  it('says when a known export holds no rows', () => {
    const empty = plan('jira.csv', 'Issue key,Summary,Issue Type,Status\n');
    expect(empty.records).toEqual([]);
    expect(empty.notes).toEqual([{ source: 'jira.csv', line: 1, column: 1, message: 'a Jira export with no tickets in it: nothing to import' }]);
  });

  it('reads the dates exports write', () => {
    expect(isoDate('1704164645000')).toBe('2024-01-02T03:04:05Z');
    expect(isoDate('12/Mar/24 2:14 PM')).toBe('2024-03-12T14:14');
    expect(isoDate('2024-03-15T23:32:00+01:00')).toBe('2024-03-15T22:32:00Z');
    expect(isoDate('not a date')).toBeUndefined();
  });
});
