import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, cli, fixtureCopy, git, GIT_ENV, REPO, tempDir, tempRepo } from './helpers.js';

const clients: Client[] = [];
afterEach(async () => {
  while (clients.length > 0) await clients.pop()!.close();
});

/** The real server, started as an agent's client starts it: `failures mcp` over stdio, in `cwd`. */
async function connect(cwd: string, args: string[] = []): Promise<Client> {
  const client = new Client({ name: 'failures-test', version: '1.0.0' });
  const env = { ...(process.env as Record<string, string>), ...GIT_ENV, NO_COLOR: '1', FAILURES_SESSION: 'agent-session' };
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', ...args], cwd, env, stderr: 'pipe' }));
  clients.push(client);
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

const textOf = (result: CallToolResult) => (result.content[0] as { text: string }).text;

function feedbackFiles(root: string): string[] {
  const dir = join(root, '.failures', 'feedback');
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml'));
}

function initRepo(): string {
  const repo = tempRepo();
  expect(cli(repo, ['init']).code).toBe(0);
  return repo;
}

describe('failures mcp', () => {
  it('introduces itself and lists its tools with JSON Schema inputs taken from the record schemas', async () => {
    const client = await connect(initRepo());
    expect(client.getServerVersion()?.name).toBe('failures');
    expect(client.getInstructions()).toMatch(/log_feedback/);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['analyze', 'check', 'context', 'explain_rule', 'log_feedback', 'similar']);
    const log = tools.find((t) => t.name === 'log_feedback')!;
    expect(log.inputSchema.required).toEqual(['context', 'category', 'severity']);
    expect((log.inputSchema.properties as Record<string, { enum?: string[] }>).type!.enum).toEqual(['mistake', 'repetition', 'clarification']);
    expect(log.annotations?.readOnlyHint).toBe(false);
    expect(tools.find((t) => t.name === 'check')!.annotations?.readOnlyHint).toBe(true);
  });

  it('logs an entry that validates, and suggests the earlier entry when the same mistake comes again', async () => {
    const repo = initRepo();
    const client = await connect(repo);
    const first = await call(client, 'log_feedback', {
      context: 'pytest fixture placed before import pytest, NameError',
      feedback: 'All imports must come before @pytest.fixture decorators',
      category: 'Testing',
      severity: 'high',
      file: join(repo, 'tests/test_pay.py'),
      line: 3,
    });
    expect(first.isError).toBeFalsy();
    const { id, file } = first.structuredContent as { id: string; file: string };
    expect(id).toMatch(/^fb-\d{8}-[0-9a-z]{8}$/);
    expect(file).toBe(`.failures/feedback/${new Date().toISOString().slice(0, 7)}/${id}.yaml`);
    expect(cli(repo, ['validate']).code).toBe(0);
    const shown = JSON.parse(cli(repo, ['validate', '--format', 'json']).stdout) as { problems: unknown[] };
    expect(shown.problems).toEqual([]);

    const second = await call(client, 'log_feedback', { context: 'fixture before import pytest again', category: 'Testing', severity: 'medium' });
    const nearest = (second.structuredContent as { nearest: Array<{ id: string; kind: string; link_with: Record<string, string> }> }).nearest;
    expect(nearest[0]).toMatchObject({ id, kind: 'entry', link_with: { same_as: id } });
    const linked = await call(client, 'log_feedback', { context: 'fixture before import, third time', category: 'Testing', severity: 'medium', same_as: id });
    expect(linked.structuredContent).toMatchObject({ nearest: [] });
    expect(feedbackFiles(repo)).toHaveLength(3);
    const record = cli(repo, ['similar', 'pytest fixture', '--format', 'json']).stdout;
    expect(record).toContain(id);
  });

  it('refuses a malformed call with the CLI\'s what/where/fix text and writes nothing', async () => {
    const repo = initRepo();
    const client = await connect(repo);
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ context: 'x', category: 'Testing' }, /missing required argument 'severity'/],
      [{ context: 'x', category: 'Testing', severity: 'high', colour: 'red' }, /unknown argument 'colour'/],
      [{ context: 'x', category: 'Testing', severity: 'high', line: 'ten' }, /argument 'line' must be integer/],
      [{ context: 'x', category: 'Testng', severity: 'high' }, /category must be one of .*got 'Testng'.*did you mean 'Testing'/],
      [{ context: 'x', category: 'Testing', severity: 'high', same_as: 'fb-20250101-nothere0' }, /no such feedback entry/],
      [{ context: '', category: 'Testing', severity: 'high' }, /context/],
    ];
    for (const [args, message] of cases) {
      const result = await call(client, 'log_feedback', args);
      expect(result.isError, JSON.stringify(args)).toBe(true);
      expect(textOf(result)).toMatch(message);
      expect(textOf(result)).not.toMatch(/\n\s+at .*\(/);
    }
    expect(await call(client, 'no_such_tool', {})).toMatchObject({ isError: true });
    expect(feedbackFiles(repo)).toEqual([]);
  });

  it('says how to start when the project has no .failures/', async () => {
    const client = await connect(tempRepo());
    const result = await call(client, 'similar', { text: 'anything' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/no \.failures\/ folder found[\s\S]*failures init/);
  });

  it('checks files and the index with the approved rules, each finding with its why and fix', async () => {
    const repo = fixtureCopy('payments');
    git(repo, 'init', '-q', '-b', 'main');
    mkdirSync(join(repo, 'src'), { recursive: true });
    writeFileSync(join(repo, 'src', 'pay.ts'), 'export function pay(gateway: any, payment: any) {\n  return gateway.charge(payment);\n}\n');
    writeFileSync(join(repo, 'src', 'ok.ts'), 'export const ok = (gateway: any, payment: any, key: string) => gateway.charge(payment, { idempotencyKey: key });\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'payments');
    const client = await connect(repo);

    const all = (await call(client, 'check', {})).structuredContent as { findings: Array<Record<string, unknown>>; clean: boolean };
    expect(all.clean).toBe(false);
    expect(all.findings).toEqual([
      expect.objectContaining({
        file: 'src/pay.ts',
        line: 2,
        rule: 'AP-001',
        rule_id: 'failures/ap-001',
        code: 'gateway.charge(payment)',
        why: "Retrying an operation without ensuring it won't duplicate effects",
        fix: expect.objectContaining({ good_example: 'gateway.charge(payment, { idempotencyKey: key })' }),
      }),
    ]);
    expect(String(all.findings[0]!.message)).toContain('INC-2024-089');

    const one = (await call(client, 'check', { paths: ['src/ok.ts'] })).structuredContent as { findings: unknown[]; checked: number };
    expect(one).toMatchObject({ findings: [], checked: 1 });

    writeFileSync(join(repo, 'src', 'ok.ts'), 'export const ok = (gateway: any, p: any) => gateway.charge(p);\n');
    const unstaged = (await call(client, 'check', { staged: true })).structuredContent as { findings: unknown[] };
    expect(unstaged.findings).toEqual([]);
    git(repo, 'add', 'src/ok.ts');
    const staged = (await call(client, 'check', { staged: true })).structuredContent as { findings: Array<{ file: string }> };
    expect(staged.findings.map((f) => f.file)).toEqual(['src/ok.ts']);
  });

  it('checks with the rules that load, names the ones that do not, and reads the index rules for staged', async () => {
    const repo = fixtureCopy('payments');
    git(repo, 'init', '-q', '-b', 'main');
    mkdirSync(join(repo, 'src'), { recursive: true });
    writeFileSync(join(repo, 'src', 'pay.ts'), 'export function pay(gateway: any, payment: any) {\n  return gateway.charge(payment);\n}\n');
    const broken = ['id: AP-900', 'name: Broken', 'status: approved', 'category: Architecture', 'severity: high', 'description: A rule whose pattern does not parse', 'enforce:', '  detect:', '    - pattern: "gateway.charge(("', ''].join('\n');
    writeFileSync(join(repo, '.failures', 'anti-patterns', 'AP-900.yaml'), broken);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'payments');
    const client = await connect(repo);
    const answer = (await call(client, 'check', {})).structuredContent as { findings: Array<{ rule: string }>; rules_not_enforced?: Array<{ file: string; line: number }> };
    expect(answer.findings.map((f) => f.rule)).toEqual(['AP-001']);
    expect(answer.rules_not_enforced).toEqual([expect.objectContaining({ file: '.failures/anti-patterns/AP-900.yaml', line: 9 })]);

    // The hook's view: an unstaged retirement does not count, so the staged check still enforces AP-001.
    const ap = join(repo, '.failures', 'anti-patterns', 'AP-001.yaml');
    writeFileSync(ap, readFileSync(ap, 'utf8').replace('status: approved', 'status: retired'));
    git(repo, 'add', 'src/pay.ts');
    writeFileSync(join(repo, 'src', 'pay.ts'), 'export function pay(gateway: any, payment: any) {\n  return gateway.charge(payment);\n}\n// touched\n');
    git(repo, 'add', 'src/pay.ts');
    const staged = (await call(client, 'check', { staged: true })).structuredContent as { findings: Array<{ rule: string }> };
    expect(staged.findings.map((f) => f.rule)).toEqual(['AP-001']);
    const tree = (await call(client, 'check', {})).structuredContent as { findings: unknown[] };
    expect(tree.findings).toEqual([]);

    // A baseline left with merge-conflict markers is refused at its line, as the CLI does, unless not asked for.
    writeFileSync(join(repo, '.failures', 'baseline.yaml'), 'entries:\n<<<<<<< HEAD\n  - { rule: AP-001 }\n=======\n>>>>>>> other\n');
    const conflicted = await call(client, 'check', {});
    expect(conflicted.isError).toBe(true);
    expect(textOf(conflicted)).toMatch(/baseline\.yaml:2[\s\S]*resolve the conflict/);
    expect((await call(client, 'check', { baseline: false })).isError).toBeFalsy();
  });

  it('explains a rule with its incident, postmortem and examples, and serves records as resources', async () => {
    const repo = fixtureCopy('payments');
    const client = await connect(repo);
    const explained = (await call(client, 'explain_rule', { id: 'failures/ap-001' })).structuredContent as Record<string, unknown>;
    expect(explained).toMatchObject({ id: 'AP-001', status: 'approved', enforced: true, file: '.failures/anti-patterns/AP-001.yaml' });
    expect((explained.incidents as Array<{ incident_id?: string; id?: string }>).length).toBe(1);
    expect(JSON.stringify(explained.incidents)).toContain('INC-2024-089');
    expect(JSON.stringify(explained.postmortems)).toContain('PM-2024-089');
    expect(explained.examples).toMatchObject({ bad: ['gateway.charge(payment)'] });

    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(['failures://anti-patterns/AP-001', 'failures://incidents/INC-2024-089']);
    const { contents } = await client.readResource({ uri: 'failures://anti-patterns/AP-001' });
    expect((contents[0] as { text: string }).text).toContain('# The seed\'s central example.');
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toContain('failures://incidents/{id}');
    await expect(client.readResource({ uri: 'failures://anti-patterns/AP-404' })).rejects.toThrow(/no anti-pattern 'AP-404'/);
    // The MCP specification's codes: -32002 for a resource that does not exist, -32602 for a URI of no known kind.
    await expect(client.readResource({ uri: 'failures://anti-patterns/AP-404' })).rejects.toMatchObject({ code: -32002 });
    await expect(client.readResource({ uri: 'failures://tickets/TP-1' })).rejects.toMatchObject({ code: -32602 });
  });

  it('groups recurring feedback as `analyze --format json` does', async () => {
    const repo = initRepo();
    const client = await connect(repo);
    for (let i = 0; i < 3; i++) {
      await call(client, 'log_feedback', { context: `mocked the clock with a real timer in test ${i}`, feedback: 'use vi.useFakeTimers for time in tests', category: 'Testing', severity: 'medium' });
    }
    const analysis = (await call(client, 'analyze', { category: 'Testing', min_frequency: 3 })).structuredContent as { patterns: Array<{ occurrences: number }> };
    const cliAnalysis = JSON.parse(cli(repo, ['analyze', '--format', 'json', '--category', 'Testing', '--min-frequency', '3', '--out', join(repo, '..', 'r.md')]).stdout) as { patterns: Array<{ id: string; occurrences: number; entries: string[] }> };
    expect(analysis.patterns.map((p) => p.occurrences)).toEqual(cliAnalysis.patterns.map((p) => p.occurrences));
    expect(analysis.patterns[0]!.occurrences).toBe(3);
    expect((await call(client, 'analyze', { category: 'Nope' })).isError).toBe(true);
    // A bad manifold's problems reach the agent, not only the server's stderr.
    const badSpec = join(repo, 'bad-spec.yaml');
    writeFileSync(badSpec, 'name: 5\n');
    const bad = await call(client, 'context', { manifold: badSpec });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/bad-spec\.yaml:1:7: error: name must be a string/);
    // An empty correction is refused as `failures log --feedback ''` is.
    const empty = await call(client, 'log_feedback', { context: 'x', feedback: ' ', category: 'Testing', severity: 'low' });
    expect(empty.isError).toBe(true);
    expect(textOf(empty)).toContain('feedback is empty');
    // A day that does not exist is refused as the CLI refuses it, not read as another day.
    const impossible = await call(client, 'analyze', { since: '2025-02-30' });
    expect(impossible.isError).toBe(true);
    expect(textOf(impossible)).toContain('day 30 does not exist in 2025-02');
  });

  it('loads past failures as constraints for a feature spec, as `failures context --format json` does, writing nothing', async () => {
    const repo = tempDir('failures-mcp-context-');
    cpSync(join(REPO, 'examples', 'payments'), repo, { recursive: true });
    git(repo, 'init', '-q', '-b', 'main');
    const client = await connect(repo);
    const result = await call(client, 'context', { manifold: 'payment-retry-v2' });
    expect(result.isError, textOf(result)).toBeFalsy();
    const report = result.structuredContent as { incidents: Array<{ incident_id: string; relevance_to_manifold?: { relevance?: string } }>; summary: { critical_warnings: Array<Record<string, string>> }; derived_constraints: unknown };
    expect(report.incidents.map((i) => i.incident_id).slice(0, 2).sort()).toEqual(['INC-2024-089', 'INC-2024-112']);
    expect(report.summary.critical_warnings.map((w) => w.incident)).toContain('INC-2024-089');
    const fromCli = JSON.parse(cli(repo, ['context', 'payment-retry-v2', '--format', 'json']).stdout) as typeof report;
    // Low-relevance incidents are left out of the tool's answer (the CLI report lists them all).
    const notLow = (i: { relevance_to_manifold?: { relevance?: string } }) => i.relevance_to_manifold?.relevance !== 'low';
    expect(report.incidents.map((i) => i.incident_id)).toEqual(fromCli.incidents.filter(notLow).map((i) => i.incident_id));
    expect(report.summary.critical_warnings).toEqual(fromCli.summary.critical_warnings);
    expect(report.derived_constraints).toEqual(fromCli.derived_constraints);
    expect(git(repo, 'status', '--porcelain', '--untracked-files=all').split('\n').filter((l) => l.includes('failures.yaml'))).toEqual([]);

    const missing = await call(client, 'context', { manifold: 'no-such-spec' });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toMatch(/no manifold no-such-spec/);
    expect((await call(client, 'context', { manifold: 'payment-retry-v2', sources: ['logs'] })).isError).toBe(true);
  });

  it('serves concurrent calls without losing an entry', async () => {
    const repo = initRepo();
    const client = await connect(repo);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 4 === 3
          ? call(client, 'similar', { text: 'retry without idempotency' })
          : call(client, 'log_feedback', { context: `concurrent entry ${i}`, category: 'API', severity: 'low' }),
      ),
    );
    expect(results.every((r) => !r.isError)).toBe(true);
    const ids = results.filter((_, i) => i % 4 !== 3).map((r) => (r.structuredContent as { id: string }).id);
    expect(new Set(ids).size).toBe(15);
    expect(feedbackFiles(repo)).toHaveLength(15);
    expect(cli(repo, ['validate']).code).toBe(0);
  });
});
