/* eslint-disable @typescript-eslint/no-explicit-any -- reports and records are plain data read by path */
// Regression tests for the QA pass's defects in `failures context` and `failures import`, through the built CLI.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cli, git, tempDir, tempRepo } from './helpers.js';

const SPEC = 'name: checkout-retry\ndescription: Retry payment requests to the gateway safely\nentities: [payment, retry, gateway, cache, queue]\nconstraints: []\n';

/** A postmortem in the shape of real published ones: a dated or undated title, a narrative root cause. */
function postmortem(title: string, cause: string, extra = ''): string {
  return `# ${title}\n\n## Summary\n\nPayments to the gateway failed for some customers.\n\n## Root cause\n\n${cause}\n${extra}`;
}

function project(): string {
  const root = tempRepo();
  expect(cli(root, ['init']).code).toBe(0);
  writeFileSync(join(root, 'spec.yaml'), SPEC);
  return root;
}

const incidents = (root: string) =>
  readdirSync(join(root, '.failures', 'incidents')).map((f) => parse(readFileSync(join(root, '.failures', 'incidents', f), 'utf8')) as any);

describe('failures context: output paths and dates (QA)', () => {
  it('--out naming a folder is a usage error before any work, naming the path and what to give', () => {
    const root = project();
    mkdirSync(join(root, 'somedir'));
    const result = cli(root, ['context', 'spec.yaml', '--out', 'somedir']);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/internal error|EISDIR/);
    expect(result.stderr).toContain('--out somedir: cannot write there (it is a folder)');
    expect(result.stderr).toContain('give --out a file');
    // Also with --format json, and for the default report file when a folder has its name.
    expect(cli(root, ['context', 'spec.yaml', '--format', 'json', '--out', 'somedir']).code).toBe(2);
    mkdirSync(join(root, 'checkout-retry-failures.yaml'));
    const byDefault = cli(root, ['context', 'spec.yaml']);
    expect(byDefault.code).toBe(2);
    expect(byDefault.stderr).toContain('checkout-retry-failures.yaml: cannot write there (it is a folder)');
    expect(cli(root, ['context', 'spec.yaml', '--out', '']).stderr).toContain('--out is empty');
  });

  it('--format json --out writes the JSON report to the file and says so; without --out it goes to stdout', () => {
    const root = project();
    const result = cli(root, ['context', 'spec.yaml', '--format', 'json', '--out', 'x.json']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('wrote x.json');
    const report = JSON.parse(readFileSync(join(root, 'x.json'), 'utf8'));
    expect(report.meta.manifold).toBe('checkout-retry');
    const stdout = cli(root, ['context', 'spec.yaml', '--format', 'json']);
    expect(JSON.parse(stdout.stdout)).toEqual(report);
    expect(existsSync(join(root, 'checkout-retry-failures.yaml'))).toBe(false);
  });

  it('--as-of refuses a day that does not exist, as analyze --since does', () => {
    const root = project();
    for (const day of ['2024-02-30', '2023-02-29', '2024-13-01']) {
      const result = cli(root, ['context', 'spec.yaml', '--timeframe', '12', '--as-of', day]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`--as-of ${day} is not a date`);
      expect(existsSync(join(root, 'checkout-retry-failures.yaml'))).toBe(false);
    }
    expect(cli(root, ['context', 'spec.yaml', '--timeframe', '12', '--as-of', '2024-02-29T10:00Z']).stderr).toContain('is not a day');
    expect(cli(root, ['context', 'spec.yaml', '--timeframe', '12', '--as-of', '2024-02-29']).code).toBe(0);
  });
});

describe('failures context: constraints derived from imported postmortems (QA)', () => {
  it('ids follow T_INC089_1 for every id shape, unique and the same whatever the manifold; statements read as sentences', () => {
    const root = project();
    mkdirSync(join(root, 'pm'));
    writeFileSync(join(root, 'pm', 'INC-2024-089.md'), postmortem('INC-2024-089: Duplicate payments on retry', 'No idempotency key in payment requests.'));
    writeFileSync(join(root, 'pm', 'INC-2023-089.md'), postmortem('INC-2023-089: Payment gateway retries doubled', 'Retry logic did not check for idempotency.'));
    writeFileSync(join(root, 'pm', 'gateway-outage.md'), postmortem('Payment gateway retry outage on 2020-11-02', 'A partial switch misbehavior caused a cascading payment gateway retry failure, which lasted six hours.'));
    writeFileSync(join(root, 'pm', 'cache.md'), postmortem('Payment cache corruption', 'Queues for payment requests in a Redis cache became corrupted. The deploy went out without issue.'));
    expect(cli(root, ['import', 'pm']).code).toBe(0);
    const ids = incidents(root).map((i) => i.incident_id as string);
    const dated = ids.find((id) => id.startsWith('INC-2020-11-02-'))!;
    expect(ids).toEqual(expect.arrayContaining(['INC-2023-089', 'INC-2024-089', 'INC-payment-cache-corruption', dated]));
    const result = cli(root, ['context', 'spec.yaml', '--format', 'json']);
    expect(result.code).toBe(0);
    const derived = JSON.parse(result.stdout).derived_constraints.from_incidents as any[];
    const byIncident = Object.fromEntries(derived.map((d) => [d.incident, d.generated_constraints]));
    // INC-2024-089 and INC-2023-089 would both be INC089: each takes its whole number.
    expect(byIncident['INC-2024-089'][0]).toMatchObject({ id: 'T_INC2024089_1', statement: 'Payment requests must include idempotency key' });
    expect(byIncident['INC-2023-089'][0]).toMatchObject({ id: 'T_INC2023089_1', statement: 'Retry logic must check for idempotency' });
    expect(byIncident[dated][0]).toMatchObject({ id: 'T_INC20201102_1', statement: 'A partial switch misbehavior must not cause a cascading payment gateway retry failure' });
    const all = derived.flatMap((d) => d.generated_constraints);
    for (const c of all) {
      expect(c.id).toMatch(/^[TU]_[A-Z]+\d*[A-Z]*_\d+$/);
      expect(c.id.length).toBeLessThanOrEqual(24);
      expect(c.statement).not.toMatch(/without issue|must not happen without/);
      expect(c.statement).toMatch(/^[A-Z]/);
    }
    expect(new Set(all.map((c) => c.id)).size).toBe(all.length);
    // An id without a number: its words' initials.
    expect(byIncident['INC-payment-cache-corruption'][0].id).toBe('T_INCPCC_1');
    // The same incident keeps its ids with another manifold.
    writeFileSync(join(root, 'other.yaml'), 'name: other\ndescription: payment gateway switch failures\nentities: [switch, gateway]\n');
    const other = JSON.parse(cli(root, ['context', 'other.yaml', '--format', 'json']).stdout).derived_constraints.from_incidents as any[];
    const outage = other.find((d) => d.incident === dated);
    expect(outage.generated_constraints[0].id).toBe('T_INC20201102_1');
  });
});

describe('failures import: dates and source paths (QA)', () => {
  it('an incident whose document states no date is left undated (never its publication date); --timeframe keeps it and says so', () => {
    const root = project();
    mkdirSync(join(root, 'pm'));
    writeFileSync(
      join(root, 'pm', 'pathfinder.md'),
      `---\ntitle: Spacecraft resets due to priority inversion\nsource_published_at: 2025-12-02T16:36:12Z\npublished: 2025-12-02\n---\n\nThe spacecraft reset a few days after landing in July 1997.\n\n## Root cause\n\nA low-priority task held a payment gateway lock.\n`,
    );
    writeFileSync(join(root, 'pm', 'dated.md'), postmortem('Payment gateway outage on 2019-03-26', 'The gateway retry queue overflowed.'));
    // A day written out further down the text (past the opening the importer reads first) dates it, not the publication.
    writeFileSync(
      join(root, 'pm', 'backbone.md'),
      `---\ntitle: Backbone network outage\nsource_published_at: 2021-10-05T10:00:00Z\n---\n\nAll services were unreachable for six hours.\n\n## Details\n\n${'Routers withdrew their routes. '.repeat(30)}\n\nOn October 4, 2021 at 15:39 UTC a maintenance command took down the backbone; it was restored on October 4, 2021 at 21:40.\n`,
    );
    expect(cli(root, ['import', 'pm']).code).toBe(0);
    expect(incidents(root).find((i) => /Backbone/.test(i.title)).date).toBe('2021-10-04');
    const undated = incidents(root).find((i) => /priority inversion/i.test(i.title));
    expect(undated.date).toBeUndefined();
    expect(undated.incident_id).not.toContain('2025');
    expect(incidents(root).find((i) => /outage/.test(i.title)).date).toBe('2019-03-26');
    const result = cli(root, ['context', 'spec.yaml', '--timeframe', '12', '--as-of', '2026-01-01', '--format', 'json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.meta.sources.incidents).toMatch(/2 outside the timeframe, 1 undated, kept/);
    expect(report.incidents.map((i: any) => i.incident_id)).toEqual([undated.incident_id]);
    expect(result.stderr).toContain('1 incident without a date kept');
  });

  it('source.file is relative to the repository root inside it, and as the user wrote it outside (never made absolute)', () => {
    const root = project();
    mkdirSync(join(root, 'docs', 'pm'), { recursive: true });
    writeFileSync(join(root, 'docs', 'pm', 'a.md'), postmortem('Payment outage on 2024-05-01', 'The gateway retry queue overflowed.'));
    const outside = tempDir('failures-outside-');
    writeFileSync(join(outside, 'b.md'), postmortem('Payment outage on 2024-06-01', 'The gateway cache expired.'));
    git(root, 'add', '-A');
    // From a subfolder: the recorded path is still from the root.
    expect(cli(join(root, 'docs'), ['import', 'pm/a.md']).code).toBe(0);
    const relativeOutside = relative(root, outside);
    expect(cli(root, ['import', relativeOutside + '/b.md']).code).toBe(0);
    const files = incidents(root).map((i) => i.source.file).sort();
    expect(files).toEqual([`${relativeOutside}/b.md`, 'docs/pm/a.md'].sort());
    for (const file of files) expect(file.startsWith('/')).toBe(false);
    // An absolute path given stays as given (the user's words), relative to nothing.
    writeFileSync(join(outside, 'c.md'), postmortem('Payment outage on 2024-07-01', 'The gateway lock leaked.'));
    expect(cli(root, ['import', join(outside, 'c.md')]).code).toBe(0);
    expect(incidents(root).map((i) => i.source.file)).toContain(join(outside, 'c.md'));
  });
});
