import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { cli, cliAsync, fixtureCopy, FIXTURES as REPO_FIXTURES, tempRepo } from './helpers.js';

const LOG = ['log', '--type', 'mistake', '--context', 'pytest fixture before import', '--feedback', 'imports first', '--category', 'Testing', '--severity', 'high'];

function feedbackFiles(root: string): string[] {
  const dir = join(root, '.failures', 'feedback');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(dir, f));
}

function initialised(): string {
  const repo = tempRepo();
  expect(cli(repo, ['init']).code).toBe(0);
  return repo;
}

describe('failures --help and errors', () => {
  it('prints help listing every command and exits 0', () => {
    const result = cli(process.cwd(), ['--help']);
    expect(result.code).toBe(0);
    for (const command of ['init', 'log', 'validate']) expect(result.stdout).toContain(command);
  });

  it('exits 2 on an unknown command or option, without a stack trace', () => {
    const unknown = cli(process.cwd(), ['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    const badOption = cli(process.cwd(), ['validate', '--format', 'xml']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toMatch(/Allowed choices are text, json/);
    expect(badOption.stderr).not.toMatch(/\n\s+at /);
    // The hint names the help that lists the subcommand's own options.
    expect(badOption.stderr).toContain('(run `failures validate --help` for usage)');
    expect(cli(process.cwd(), ['hook', 'frobnicate']).stderr).toContain('(run `failures hook --help` for usage)');
    expect(unknown.stderr).toContain('(run `failures --help` for usage)');
  });

  it('exits 2 with a hint when there is no .failures/', () => {
    const repo = tempRepo();
    const result = cli(repo, ['validate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no .failures/ folder found');
    expect(result.stderr).toContain('failures init');
  });
});

describe('failures init', () => {
  it('creates config.yaml, README.md and folders at the repository root, and is idempotent', () => {
    const repo = tempRepo();
    const sub = join(repo, 'src');
    mkdirSync(sub);
    const first = cli(sub, ['init']);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('Next:');
    const config = parse(readFileSync(join(repo, '.failures', 'config.yaml'), 'utf8'));
    expect(config).toEqual({
      version: 1,
      min_frequency: 3,
      categories: ['Testing', 'Architecture', 'Security', 'Performance', 'API', 'Naming', 'Documentation'],
      severities: ['low', 'medium', 'high'],
      skills: {},
    });
    expect(readFileSync(join(repo, '.failures', 'README.md'), 'utf8')).toContain('One record per file');
    writeFileSync(join(repo, '.failures', 'config.yaml'), 'version: 1\nmin_frequency: 5\n');
    const second = cli(repo, ['init']);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('already set up');
    expect(readFileSync(join(repo, '.failures', 'config.yaml'), 'utf8')).toBe('version: 1\nmin_frequency: 5\n');
    expect(cli(repo, ['validate']).code).toBe(0);
  });
});

describe('failures log', () => {
  it('writes one valid record and prints its path', () => {
    const repo = initialised();
    const result = cli(repo, [...LOG, '--file', 'tests/test_mode.py:12', '--tags', 'pytest, fixtures,pytest'], { env: { FAILURES_SESSION: 's-1' } });
    expect(result.code).toBe(0);
    const path = result.stdout.trim();
    expect(path).toMatch(/^\.failures\/feedback\/\d{4}-\d{2}\/fb-\d{8}-[0-9a-z]{8}\.yaml$/);
    const record = parse(readFileSync(join(repo, path), 'utf8'));
    expect(record).toMatchObject({
      type: 'mistake',
      context: 'pytest fixture before import',
      feedback: 'imports first',
      category: 'Testing',
      severity: 'high',
      session: 's-1',
      file: 'tests/test_mode.py',
      line: 12,
      tags: ['pytest', 'fixtures'],
    });
    expect(record.id).toBe(path.split('/').pop()!.replace('.yaml', ''));
    expect(record.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(cli(repo, ['validate']).code).toBe(0);
  });

  it('defaults the session to the CI run, then to the user and day', () => {
    const repo = initialised();
    const ci = cli(repo, [...LOG, '--format', 'json'], { env: { GITHUB_RUN_ID: '991', GITHUB_RUN_ATTEMPT: '2' } });
    const [ciId] = JSON.parse(ci.stdout).created;
    const local = cli(repo, [...LOG, '--format', 'json']);
    const [localId] = JSON.parse(local.stdout).created;
    const sessions = Object.fromEntries(
      feedbackFiles(repo).map((f) => {
        const r = parse(readFileSync(f, 'utf8'));
        return [r.id, r.session];
      }),
    );
    expect(sessions[ciId]).toBe('github-991.2');
    expect(sessions[localId]).toMatch(/^[a-z0-9._-]+-\d{4}-\d{2}-\d{2}$/);
  });

  it('rejects a bad value before writing anything: exit 2, allowed values named', () => {
    const repo = initialised();
    const result = cli(repo, [...LOG.slice(0, -1), 'extreme']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--severity must be one of low, medium, high; got 'extreme'");
    expect(feedbackFiles(repo)).toEqual([]);
    const badType = cli(repo, ['log', '--type', 'oops', '--context', 'c', '--category', 'Testing', '--severity', 'low']);
    expect(badType.code).toBe(2);
    expect(badType.stderr).toContain("--type must be one of mistake, repetition, clarification; got 'oops'");
    const missing = cli(repo, ['log', '--category', 'Testing']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--context is required');
    expect(missing.stderr).toContain('--severity is required');
    expect(feedbackFiles(repo)).toEqual([]);
  });

  it('refuses links to records that do not exist', () => {
    const repo = initialised();
    const result = cli(repo, [...LOG, '--anti-pattern', 'AP-404']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--anti-pattern AP-404: no such anti-pattern');
    expect(feedbackFiles(repo)).toEqual([]);
  });

  it('links an entry to an earlier one with --same-as', () => {
    const repo = initialised();
    const [first] = JSON.parse(cli(repo, [...LOG, '--format', 'json']).stdout).created;
    const second = cli(repo, [...LOG, '--same-as', first]);
    expect(second.code).toBe(0);
    expect(parse(readFileSync(join(repo, second.stdout.trim()), 'utf8')).same_as).toBe(first);
    expect(cli(repo, ['validate']).code).toBe(0);
  });

  it('-i without a terminal is a clear error', () => {
    const repo = initialised();
    const result = cli(repo, ['log', '-i']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--interactive needs a terminal');
    expect(feedbackFiles(repo)).toEqual([]);
  });

  it('imports the seed JSONL log as one file, ids in input order', () => {
    const repo = initialised();
    const jsonl = [
      '{"timestamp": "2025-01-08T10:30:00", "type": "mistake", "context": "fixture before import", "feedback": "imports first", "category": "Testing", "severity": "high"}',
      '',
      '{"timestamp": "2025-01-09T09:00:00", "type": "repetition", "context": "fixture before import again", "category": "Testing", "severity": "high", "session_id": "s-9"}',
      '{"timestamp": "2025-01-10T09:00:00", "type": "clarification", "context": "private method in test", "feedback": "use the public API", "category": "Testing", "severity": "medium"}',
    ].join('\n');
    writeFileSync(join(repo, 'feedback.jsonl'), jsonl);
    const result = cli(repo, ['log', '--from', 'feedback.jsonl', '--format', 'json'], { env: { FAILURES_SESSION: 'import-1' } });
    expect(result.code).toBe(0);
    const { created, file } = JSON.parse(result.stdout);
    expect(created).toHaveLength(3);
    const stem = file.split('/').pop().replace('.yaml', '');
    expect(created).toEqual([`${stem}-1`, `${stem}-2`, `${stem}-3`]);
    expect(feedbackFiles(repo)).toHaveLength(1);
    const store = cli(repo, ['validate', '--format', 'json']);
    expect(JSON.parse(store.stdout)).toMatchObject({ valid: true, records: { feedback: 3 } });
    const text = readFileSync(join(repo, file), 'utf8');
    expect(text).toContain('timestamp: 2025-01-09T09:00:00');
    expect(text).toContain('session: s-9');
    expect(text).toContain('session: import-1');
    expect(text).not.toContain('feedback: undefined');
  });

  it('names every bad JSONL line and writes nothing', () => {
    const repo = initialised();
    const jsonl = [
      '{"type": "mistake", "context": "ok", "category": "Testing", "severity": "high"}',
      '{"type": "mistake", "context": "bad severity", "category": "Testing", "severity": "extreme"}',
      '{"type": "mistake", "context": "truncated"',
      '{"type": "mistake", "contxt": "typo", "category": "Testing", "severity": "low"}',
    ].join('\n');
    writeFileSync(join(repo, 'bad.jsonl'), jsonl);
    const result = cli(repo, ['log', '--from', 'bad.jsonl']);
    expect(result.code).toBe(2);
    const column = (line: number, key: string) => jsonl.split('\n')[line - 1]!.indexOf(`"${key}"`) + 1;
    expect(result.stderr).toContain(`bad.jsonl:2:${column(2, 'severity')}: error: severity must be one of low, medium, high; got 'extreme'`);
    expect(result.stderr).toMatch(/bad\.jsonl:3:\d+: error: not valid JSON/);
    expect(result.stderr).toContain(`bad.jsonl:4:${column(4, 'contxt')}: error: contxt is not a known field`);
    expect(result.stderr).toContain("did you mean 'context'?");
    expect(result.stderr).toContain('nothing was written');
    expect(feedbackFiles(repo)).toEqual([]);
  });

  it('30 concurrent log processes lose nothing', async () => {
    const repo = initialised();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => cliAsync(repo, ['log', '--context', `entry ${i}`, '--category', 'Testing', '--severity', 'low', '--format', 'json'])),
    );
    expect(results.map((r) => r.code)).toEqual(Array(30).fill(0));
    const ids = results.map((r) => JSON.parse(r.stdout).created[0]);
    expect(new Set(ids).size).toBe(30);
    const contexts = feedbackFiles(repo).map((f) => parse(readFileSync(f, 'utf8')).context).sort();
    expect(contexts).toEqual(Array.from({ length: 30 }, (_, i) => `entry ${i}`).sort());
    const validate = cli(repo, ['validate', '--format', 'json']);
    expect(JSON.parse(validate.stdout)).toMatchObject({ valid: true, records: { feedback: 30 } });
  }, 120_000);
});

describe('failures validate', () => {
  it('exits 1 and prints file:line:col for each problem; json for scripts', () => {
    const root = fixtureCopy('payments');
    writeFileSync(
      join(root, '.failures', 'anti-patterns', 'AP-002.yaml'),
      'id: AP-002\nname: Notification Per Retry\nstatus: approved\nseverity: extreme\ndescription: d\norigin:\n  incidents: [INC-9]\n',
    );
    const text = cli(root, ['validate']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(".failures/anti-patterns/AP-002.yaml:4:11: error: severity must be one of low, medium, high; got 'extreme' [vocabulary]");
    expect(text.stdout).toContain(".failures/anti-patterns/AP-002.yaml:7:15: error: origin.incidents[0] refers to incident 'INC-9', which does not exist [reference]");
    expect(text.stderr).toContain('2 errors in 1 file');
    const json = JSON.parse(cli(root, ['validate', '--format', 'json']).stdout);
    expect(json.valid).toBe(false);
    expect(json.problems).toContainEqual(
      expect.objectContaining({ file: '.failures/anti-patterns/AP-002.yaml', line: 7, column: 15, path: 'origin.incidents[0]', rule: 'reference' }),
    );
  });

  it('respects NO_COLOR and FORCE_COLOR', () => {
    const root = fixtureCopy('payments');
    writeFileSync(join(root, '.failures', 'incidents', 'INC-1.yaml'), 'incident_id: INC-1\n');
    expect(cli(root, ['validate']).stdout).not.toContain('\u001b[');
    expect(cli(root, ['validate'], { env: { FORCE_COLOR: '1', NO_COLOR: '' } }).stdout).toContain('\u001b[31merror');
  });

  it('finds .failures/ given by --root', () => {
    const root = fixtureCopy('payments');
    const elsewhere = tempRepo();
    expect(cli(elsewhere, ['--root', root, 'validate']).code).toBe(0);
    expect(cli(elsewhere, ['validate', '--root', join(root, '.failures')]).code).toBe(0);
  });
});

describe('failures log --from CI reports', () => {
  const report = (name: string) => join(REPO_FIXTURES, 'reports', name);

  it('imports JUnit XML: one entry per failed or errored test, category Testing, awaiting a correction', () => {
    const repo = initialised();
    const result = cli(repo, ['log', '--from', report('junit.xml'), '--format', 'json'], { env: { GITHUB_RUN_ID: '77' } });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).created).toHaveLength(3);
    const docs = parseAllDocuments(readFileSync(feedbackFiles(repo)[0]!, 'utf8')).map((d) => d.toJS());
    expect(docs[0]).toMatchObject({
      context: "tests.test_mode > test_simulation: NameError: name 'pytest' is not defined",
      category: 'Testing',
      file: 'tests/test_mode.py',
      line: 12,
      session: 'github-77',
      timestamp: '2025-01-08T10:30:00',
      source: { format: 'junit', test: 'tests.test_mode > test_simulation' },
    });
    expect(docs[0].feedback).toBeUndefined();
    expect(docs[1]).toMatchObject({ context: expect.stringContaining('AssertionError: expected 1 charge, got 2'), file: 'src/payments/retry.test.ts', line: 41 });
    expect(docs[2].context).toContain('ConnectionRefusedError');
    expect(cli(repo, ['validate']).code).toBe(0);
  });

  it('imports ESLint JSON (with --category), Vitest and Jest JSON reports', () => {
    const repo = initialised();
    expect(cli(repo, ['log', '--from', report('eslint.json')]).stderr).toContain('--category');
    const eslint = cli(repo, ['log', '--from', report('eslint.json'), '--category', 'Naming', '--format', 'json']);
    expect(JSON.parse(eslint.stdout).created).toHaveLength(2);
    const vitest = cli(repo, ['log', '--from', report('vitest.json'), '--format', 'json']);
    expect(JSON.parse(vitest.stdout).created).toHaveLength(2);
    const jest = cli(repo, ['log', '--from', report('jest.json'), '--format', 'json']);
    expect(JSON.parse(jest.stdout).created).toHaveLength(1);
    const all = feedbackFiles(repo).flatMap((f) => parseAllDocuments(readFileSync(f, 'utf8')).map((d) => d.toJS()));
    expect(all.map((e) => e.source.format).sort()).toEqual(['eslint', 'eslint', 'jest', 'vitest', 'vitest']);
    expect(all.find((e) => e.source.format === 'vitest' && e.line === 12)).toMatchObject({ context: 'payments retries once: AssertionError: expected 2 to be 1 // Object.is equality' });
    expect(all.find((e) => e.source.rule === 'eqeqeq')).toMatchObject({ severity: 'low', line: 9, category: 'Naming' });
    expect(cli(repo, ['validate']).code).toBe(0);
  });

  it('refuses a malformed or truncated report and writes nothing', () => {
    const repo = initialised();
    for (const name of ['junit.xml', 'vitest.json', 'eslint.json']) {
      const text = readFileSync(report(name), 'utf8');
      writeFileSync(join(repo, `cut-${name}`), text.slice(0, Math.floor(text.length / 2)));
      const result = cli(repo, ['log', '--from', `cut-${name}`, '--category', 'Testing']);
      expect(result.code, name).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`cut-${name.replace('.', '\\.')}:\\d+:\\d+: error: (not well-formed XML|the report ends early|not valid JSON)`));
    }
    writeFileSync(join(repo, 'not-junit.xml'), '<html><body>oops</body></html>');
    expect(cli(repo, ['log', '--from', 'not-junit.xml']).stderr).toContain('not a JUnit report');
    expect(feedbackFiles(repo)).toEqual([]);
  });
});
