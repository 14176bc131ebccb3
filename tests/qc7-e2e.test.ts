// Regression tests for session 7's QA pass on import → context → merge, through the built CLI.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cli, tempRepo } from './helpers.js';

function project(): string {
  const root = tempRepo();
  expect(cli(root, ['init']).code).toBe(0);
  return root;
}

describe('failures context and merge: a spec in the wrong format (QA 7)', () => {
  it('a markdown PRD is named as markdown, not a manifold, with the YAML to write instead (not one YAML error per line)', () => {
    const root = project();
    writeFileSync(join(root, 'prd.md'), '# PRD: Card payment retry\n\n## Goals\n- Retry failed charges: up to 3 times.\n- Never charge twice.\n');
    for (const args of [['context', 'prd.md'], ['merge', 'prd.md', '--from', 'report.yaml']]) {
      const result = cli(root, args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('prd.md:1:1: a markdown document, not a manifold');
      expect(result.stderr).toContain('write the feature as card-payment-retry.yaml (name: card-payment-retry');
      expect(result.stderr).not.toMatch(/Unexpected|quote values/);
    }
  });
});

describe('failures context: a root cause that introduces a list (QA 7)', () => {
  it('derives constraints from the listed causes and narrates the first one, not the line that announces them', () => {
    const root = project();
    writeFileSync(
      join(root, 'pm.md'),
      '# Flags outage on 2025-09-29\n\n## Summary\n\nFlag evaluations failed for an hour.\n\n## Root cause\n\nThe outage resulted from two compounding factors:\n\n' +
        '- Retry amplification: the retry logic lacked a circuit breaker, so failed connections multiplied.\n- Health checks: Kubernetes kept routing traffic to crashing pods.\n',
    );
    expect(cli(root, ['import', 'pm.md']).code).toBe(0);
    writeFileSync(join(root, 'spec.yaml'), 'name: flags-cache\ndescription: Serve flag evaluations from a cache with retry and a circuit breaker\nentities: [flag, retry, circuit breaker]\n');
    const result = cli(root, ['context', 'spec.yaml']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('ROOT CAUSE: Retry amplification: the retry logic lacked a circuit breaker');
    expect(result.stderr).not.toContain('compounding factors');
    const report = parse(readFileSync(join(root, 'flags-cache-failures.yaml'), 'utf8'));
    const statements: string[] = report.derived_constraints.from_incidents.flatMap((i: { generated_constraints: Array<{ statement: string }> }) => i.generated_constraints.map((c) => c.statement));
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.join('\n')).not.toContain('compounding factors');
  });
});

describe('failures context: imported tickets no pattern groups yet (QA 7)', () => {
  it('says that related tickets were found and how to bring them into the report', () => {
    const root = project();
    writeFileSync(
      join(root, 'jira.csv'),
      'Issue key,Summary,Issue Type,Status,Created,Description\nPAY-1,Customer charged twice when the payment gateway times out,Bug,Done,2024-03-01 10:00,The retry sent a second charge\nDOC-2,Typo on the pricing page,Task,Done,2024-03-02 10:00,Fix the wording\n',
    );
    expect(cli(root, ['import', 'jira.csv']).code).toBe(0);
    writeFileSync(join(root, 'spec.yaml'), 'name: charge-retry\ndescription: Retry a payment charge when the payment gateway times out\nentities: [payment, charge, gateway]\n');
    const result = cli(root, ['context', 'spec.yaml']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/\d+ imported tickets? looks? related, but no ticket pattern on record groups (it|them): run `failures analyze --tickets`/);
  });
});

describe('failures import: its own reports (QA 7)', () => {
  it('does not import the reports analyze wrote as postmortems, in a folder or named', () => {
    const root = project();
    writeFileSync(join(root, 'jira.csv'), 'Issue key,Summary,Issue Type,Status,Created\nPAY-1,Charged twice,Bug,Done,2024-03-01 10:00\nPAY-2,Charged twice again,Bug,Done,2024-03-02 10:00\nPAY-3,Charged twice once more,Bug,Done,2024-03-03 10:00\n');
    expect(cli(root, ['import', 'jira.csv']).code).toBe(0);
    expect(cli(root, ['analyze', '--tickets', '--min-frequency', '2']).code).toBe(0);
    expect(cli(root, ['analyze', '--min-frequency', '2']).code).toBe(0);
    const walked = cli(root, ['import', '.', '--dry-run']);
    expect(walked.stdout).not.toMatch(/incidents\//);
    expect(walked.stderr).toContain('2 left out: reports `failures analyze` wrote (not incident history)');
    const named = cli(root, ['import', 'ticket_pattern_suggestions.md', '--dry-run']);
    expect(named.code).toBe(1);
    expect(named.stderr).toContain('ticket_pattern_suggestions.md: skipped: a report `failures analyze` wrote, not incident history');
  });
});

describe('failures context: a list written as one string (QA 7)', () => {
  it('says how to write it as a list', () => {
    const root = project();
    writeFileSync(join(root, 'spec.yaml'), 'name: x\ndescription: Retry payments\nentities: payment, retry\n');
    const result = cli(root, ['context', 'spec.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("spec.yaml:3:11: error: entities must be a list; got 'payment, retry'");
    expect(result.stderr).toContain('fix: write it as a list: [payment, retry]');
  });
});

describe('failures import --format json: warnings (QA 7)', () => {
  it('still says them on stderr, as the text output does', () => {
    const root = project();
    writeFileSync(join(root, 'jira.csv'), 'Issue key,Summary,Status,Created\nPAY-1,Charged twice,Done,21/mars/24 14:14\n');
    const result = cli(root, ['import', 'jira.csv', '--format', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).created).toHaveLength(1);
    expect(result.stderr).toContain("jira.csv:2:1: warning: PAY-1: Created '21/mars/24 14:14' is not a date this import reads");
  });
});

describe('failures import: a file saved as Windows-1252 (QA 7)', () => {
  it('is refused at the first byte that is not UTF-8, with the conversion, instead of importing U+FFFD for each accent', () => {
    const root = project();
    writeFileSync(join(root, 'jira.csv'), Buffer.from('Issue key,Summary,Status\nCAF-1,Caf\xe9 checkout double charge,Done\n', 'latin1'));
    writeFileSync(join(root, 'good.csv'), 'Issue key,Summary,Status\nCAF-2,Café checkout,Done\n');
    const result = cli(root, ['import', 'jira.csv', 'good.csv']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('jira.csv:2:10: skipped: not UTF-8 text (saved as Windows-1252 or Latin-1?)');
    expect(result.stderr).toContain('iconv -f WINDOWS-1252 -t UTF-8 jira.csv > utf8-jira.csv');
    expect(result.stdout.trim().split('\n')).toEqual(['.failures/tickets/imported/CAF-2.yaml']);
  });
});

describe('failures context: the merge command it suggests (QA 7)', () => {
  it('quotes a report name with a space, so the command works when pasted', () => {
    const root = project();
    writeFileSync(join(root, 'pm.md'), '# Checkout outage on 2024-03-03\n\n## Summary\n\nPayments failed.\n\n## Root cause\n\nNo idempotency key in payment requests.\n');
    expect(cli(root, ['import', 'pm.md']).code).toBe(0);
    writeFileSync(join(root, 'spec.yaml'), 'name: payment retry v2\ndescription: Retry payment requests with an idempotency key\nentities: [payment, idempotency]\n');
    const result = cli(root, ['context', 'spec.yaml']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("Run `failures merge spec.yaml --from 'payment retry v2-failures.yaml'`");
    expect(cli(root, ['merge', 'spec.yaml', '--from', 'payment retry v2-failures.yaml']).code).toBe(0);
  });
});

describe('failures import: a cloned postmortems repository (QA 7)', () => {
  it("reads its extension-less postmortems but not its Dockerfile, Makefile or scripts", () => {
    const root = project();
    const repo = join(root, 'pm-repo');
    mkdirSync(join(repo, 'bin'), { recursive: true });
    writeFileSync(join(repo, 'Dockerfile'), '# Build stage\nFROM golang:1.22 AS build\nRUN go build ./...\n\n# Final stage\nFROM scratch\nCOPY --from=build /app /app\n');
    writeFileSync(join(repo, 'Makefile'), '# Build the site\nall:\n\tgo build ./...\n');
    writeFileSync(join(repo, 'bin', 'deploy'), '#!/bin/sh\n# Deploy the site, failing when the build failed\nset -e\n');
    writeFileSync(join(repo, '2022-10-31-Phone-Incident'), '# Phone incident\n\n## Summary\n\nA support phone was lost and its accounts were compromised for a day.\n');
    const result = cli(root, ['import', 'pm-repo', '--dry-run', '--format', 'json']);
    expect(result.code).toBe(0);
    const sources = (JSON.parse(result.stdout) as { created: Array<{ source: string }> }).created.map((c) => c.source);
    expect([...new Set(sources)]).toEqual(['pm-repo/2022-10-31-Phone-Incident']);
  });
});

describe('failures context --as-of without --timeframe (QA 7)', () => {
  it('is a usage error instead of a flag read and ignored', () => {
    const root = project();
    writeFileSync(join(root, 'spec.yaml'), 'name: x\ndescription: Retry payments\n');
    for (const args of [['--as-of', '2020-01-01'], ['--as-of', '2020-01-01', '--timeframe', 'all']]) {
      const result = cli(root, ['context', 'spec.yaml', ...args]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--as-of 2020-01-01 needs --timeframe');
      expect(result.stderr).toContain('--timeframe 12 --as-of 2020-01-01');
    }
    expect(cli(root, ['context', 'spec.yaml', '--as-of', '2020-01-01', '--timeframe', '12']).code).toBe(0);
  });
});

describe('failures import: configuration JSON met in a folder (QA 7)', () => {
  it('is passed over and counted, not a failure; named on the command line it is still said', () => {
    const root = project();
    mkdirSync(join(root, 'history'));
    writeFileSync(join(root, 'history', 'package.json'), '{"name": "history", "private": true}\n');
    writeFileSync(join(root, 'history', 'jira.csv'), 'Issue key,Summary,Status\nPAY-1,Charged twice,Done\n');
    const walked = cli(root, ['import', 'history']);
    expect(walked.code).toBe(0);
    expect(walked.stderr).toContain('1 left out: JSON files that hold no list of records (configuration, not exports)');
    const named = cli(root, ['import', 'history/package.json']);
    expect(named.code).toBe(1);
    expect(named.stderr).toContain('history/package.json:1:1: skipped: the JSON holds no list of records');
  });
});
