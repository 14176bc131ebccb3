import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, git, GIT_ENV, tempRepo } from './helpers.js';

/** A third QA pass over record → detect → review → measure, each test a defect it found. */

function write(root: string, path: string, text: string): void {
  const full = join(root, '.failures', path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
}

function entry(root: string, id: string, timestamp: string, fields: Record<string, string>): void {
  const body = Object.entries({ type: 'mistake', category: 'API', severity: 'medium', session: `s-${id}`, ...fields })
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join('\n');
  write(root, `feedback/2025-03/${id}.yaml`, `id: ${id}\ntimestamp: "${timestamp}"\n${body}\n`);
}

describe('times written without a zone', () => {
  it('read as UTC on every machine: stats and analyze --since give the same figures in any time zone', () => {
    const root = tempRepo();
    cli(root, ['init']);
    write(root, 'anti-patterns/AP-001.yaml', 'id: AP-001\nname: Any instead of unknown\nstatus: approved\ncategory: API\ndescription: any used where unknown belongs\nreview:\n  approved_at: "2025-03-29T10:00:00Z"\n');
    // The seed's log format: no zone. 14:00 on 1 March is inside the 4 weeks before approval (from 10:00 UTC).
    entry(root, 'fb-a1', '2025-03-01T14:00:00', { context: 'handler typed as any', feedback: 'use unknown', anti_pattern: 'AP-001' });
    entry(root, 'fb-a2', '2025-03-10T12:00:00', { context: 'parser returns any', feedback: 'use unknown', anti_pattern: 'AP-001' });
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'history');
    const figures = (tz: string) => {
      const stats = cli(root, ['stats', '--format', 'json'], { env: { TZ: tz } });
      expect(stats.code, stats.stderr).toBe(0);
      const since = cli(root, ['analyze', '--since', '2025-03-01T12:00:00', '--min-frequency', '1', '--format', 'json'], { env: { TZ: tz } });
      expect(since.code, since.stderr).toBe(0);
      return { improvement: JSON.parse(stats.stdout).improvement.per_anti_pattern, entries: JSON.parse(since.stdout).entries };
    };
    const utc = figures('UTC');
    expect(utc.improvement[0]).toMatchObject({ id: 'AP-001', before_per_week: 0.5 });
    expect(utc.entries).toBe(2);
    expect(figures('Pacific/Kiritimati')).toEqual(utc);
    expect(figures('America/Los_Angeles')).toEqual(utc);
  });
});

describe('a merge conflict left in a record', () => {
  it('validate names the conflict once, at its <<<<<<< line, with how to resolve it (not a cascade of YAML errors)', () => {
    const root = tempRepo();
    cli(root, ['init']);
    write(root, 'anti-patterns/AP-001.yaml', 'id: AP-001\nname: Any instead of unknown\nstatus: proposed\ncategory: API\ndescription: any used where unknown belongs\n');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'propose');
    // Two reviewers decide on two branches; git cannot merge the two edits of one line.
    git(root, 'checkout', '-q', '-b', 'other');
    write(root, 'anti-patterns/AP-001.yaml', 'id: AP-001\nname: Any instead of unknown\nstatus: rejected\ncategory: API\ndescription: any used where unknown belongs\n');
    git(root, 'commit', '-q', '-am', 'reject');
    git(root, 'checkout', '-q', 'main');
    write(root, 'anti-patterns/AP-001.yaml', 'id: AP-001\nname: Any instead of unknown\nstatus: approved\ncategory: API\ndescription: any used where unknown belongs\n');
    git(root, 'commit', '-q', '-am', 'approve');
    const merge = spawnSync('git', ['merge', 'other'], { cwd: root, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });
    expect(merge.status).not.toBe(0);
    const result = cli(root, ['validate']);
    expect(result.code).toBe(1);
    const problems = result.stdout.split('\n').filter((line) => line.includes(': error: '));
    expect(problems).toEqual(['.failures/anti-patterns/AP-001.yaml:3:1: error: YAML: unresolved merge conflict (lines 3–7): git\'s <<<<<<< / ======= / >>>>>>> markers are still in the file [yaml]']);
    expect(result.stdout).toContain('fix: resolve it: keep the lines of the side that is right');
    expect(result.stdout).not.toContain('Implicit keys');
  });
});

describe('a record copied as a template, its id left unchanged', () => {
  it('validate says to set the id to the file name, never to rename the file onto the record that holds that id', () => {
    const root = tempRepo();
    cli(root, ['init']);
    const record = (id: string) => `id: ${id}\nname: Any instead of unknown\nstatus: proposed\ncategory: API\ndescription: any used where unknown belongs\n`;
    write(root, 'anti-patterns/AP-001.yaml', record('AP-001'));
    write(root, 'anti-patterns/AP-002.yaml', record('AP-001'));
    const result = cli(root, ['validate']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("AP-002.yaml:1:5: error: id 'AP-001' does not match the file name AP-002.yaml [id-mismatch]");
    expect(result.stdout).toContain('fix: set id to AP-002 (the file name): AP-001 is already anti-patterns/AP-001.yaml:1:5');
    expect(result.stdout).not.toContain('rename the file to AP-001.yaml');
  });
});

describe('an impossible time zone offset', () => {
  it('is named as written (+15:00), not "1500:undefined"', () => {
    const root = tempRepo();
    cli(root, ['init']);
    writeFileSync(join(root, 'log.jsonl'), '{"timestamp": "2025-01-01T10:00:00+15:00", "type": "mistake", "context": "c", "feedback": "f", "category": "API", "severity": "low"}\n');
    const result = cli(root, ['log', '--from', 'log.jsonl']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("log.jsonl:1:2: error: timestamp '2025-01-01T10:00:00+15:00' is not a real date: time zone offset +15:00 does not exist");
  });
});

describe('analyze with the report and the diff named the same file', () => {
  it('refuses before any work (exit 2) instead of writing one over the other and announcing both', () => {
    const root = tempRepo();
    cli(root, ['init']);
    for (const i of [1, 2, 3]) entry(root, `fb-n${i}`, `2025-03-0${i}T10:00:00Z`, { context: `pytest fixture placed before import pytest in test_${i}`, feedback: 'imports come before fixtures' });
    const same = cli(root, ['analyze', '--out', 'proposals.md', '--diff', './proposals.md']);
    expect([same.code, same.stderr]).toEqual([2, expect.stringContaining('--diff ./proposals.md is also the report\'s file (--out): one would overwrite the other')]);
    // The report's default name counts too.
    const byDefault = cli(root, ['analyze', '--diff', 'skill_update_suggestions.md']);
    expect(byDefault.code).toBe(2);
    expect(byDefault.stderr).toContain('(the report is written to skill_update_suggestions.md unless --out names another)');
    expect(existsSync(join(root, 'proposals.md')) || existsSync(join(root, 'skill_update_suggestions.md'))).toBe(false);
    expect(cli(root, ['analyze', '--out', 'report.md', '--diff', 'proposals.diff']).code).toBe(0);
  });
});

describe('what an approval counted stays the anti-pattern\'s evidence', () => {
  it('approve records the entries it counted in origin.feedback and the frequency beside them; a later entry no longer splits them off as a new pattern, nor moves stats\' figures before approval', () => {
    const root = tempRepo();
    cli(root, ['init']);
    const day = 24 * 3600 * 1000;
    const ago = (n: number) => new Date(Date.now() - n * day).toISOString().replace(/\.\d{3}Z$/, 'Z');
    // Review corrections as teams write them (paraphrases of public pull requests' "use unknown, not any").
    const lines = [
      [45, 'parse() takes input: any', 'Use unknown instead of any'],
      [38, 'handler arg typed as any', 'Prefer unknown over any where possible'],
      [25, 'changed arg type to any in invariant()', 'change the arg type from any to unknown'],
      [11, 'new types use any', 'Replace `any` by `unknown`: using any is highly not recommended'],
      [2, 'parse() typed input and result as any', 'Use unknown instead of any'],
    ].map(([days, context, feedback], i) => JSON.stringify({ timestamp: ago(days as number), type: 'mistake', context, feedback, category: 'API', severity: 'medium', session_id: `pr-${i}`, ...(i === 4 ? { file: 'src/api.ts' } : {}) }));
    writeFileSync(join(root, 'log.jsonl'), lines.join('\n') + '\n');
    expect(cli(root, ['log', '--from', 'log.jsonl']).code).toBe(0);
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'history');
    expect(cli(root, ['analyze', '--min-frequency', '3', '--diff', 'proposals.diff', '--out', 'report.md']).code).toBe(0);
    git(root, 'apply', 'proposals.diff');
    git(root, 'add', '.failures');
    git(root, 'commit', '-q', '-m', 'proposals');
    const approve = cli(root, ['approve', 'AP-001']);
    expect(approve.code, approve.stderr).toBe(0);
    const record = readFileSync(join(root, '.failures', 'anti-patterns', 'AP-001.yaml'), 'utf8');
    const ids = JSON.parse(cli(root, ['analyze', '--min-frequency', '1', '--format', 'json']).stdout).patterns.flatMap((p: { entries: string[] }) => p.entries);
    for (const id of ids) expect(record).toContain(`    - ${id}\n`);
    expect(record).toMatch(/occurrences: 5\n {4}sessions: 5\n {4}sessions_in_window: 5\n {4}frequency: 1\n/);
    const before = () => JSON.parse(cli(root, ['stats', '--format', 'json']).stdout).improvement.per_anti_pattern[0].before_per_week;
    expect(before()).toBe(0.75);
    // The same mistake again after approval, twice: once linked by the reviewer, once not.
    const approvedAt = Date.parse(/approved_at: (\S+)/.exec(record)![1]!);
    const later = (minutes: number) => new Date(approvedAt + minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    writeFileSync(
      join(root, 'later.jsonl'),
      [
        { timestamp: later(1), type: 'mistake', context: 'handle(event: any) in handler.ts', feedback: 'type the event as unknown, not any', category: 'API', severity: 'medium', session_id: 'pr-8', anti_pattern: 'AP-001', file: 'src/handler.ts' },
        { timestamp: later(2), type: 'mistake', context: 'config loader returns any', feedback: 'return unknown and narrow it, never any', category: 'API', severity: 'medium', session_id: 'pr-9' },
      ].map((line) => JSON.stringify(line)).join('\n') + '\n',
    );
    expect(cli(root, ['log', '--from', 'later.jsonl']).code).toBe(0);
    const patterns = JSON.parse(cli(root, ['analyze', '--min-frequency', '1', '--format', 'json']).stdout).patterns;
    expect(patterns.map((p: { anti_pattern: string; status: string; occurrences: number }) => [p.anti_pattern, p.status, p.occurrences])).toEqual([['AP-001', 'recurring', 7]]);
    expect(before()).toBe(0.75);
  });
});

describe('approve adding the counted entries to origin.feedback', () => {
  it('edits only those lines: inside a flow list, after a block list (CRLF kept), or as a new origin', () => {
    const root = tempRepo();
    cli(root, ['init']);
    for (const i of [1, 2, 3]) entry(root, `fb-k${i}`, `2025-03-0${i}T10:00:00Z`, { context: `mocked clock in test ${i}`, feedback: 'inject the clock', anti_pattern: 'AP-001' });
    const head = 'id: AP-001\nname: Mocked clock\nstatus: proposed\ncategory: API\ndescription: tests mock the clock # keep this comment\n';
    const approved = (text: string) => {
      write(root, 'anti-patterns/AP-001.yaml', text);
      const result = cli(root, ['approve', 'AP-001', '--no-commit', '--by', 'Ana']);
      expect(result.code, result.stderr).toBe(0);
      return readFileSync(join(root, '.failures', 'anti-patterns', 'AP-001.yaml'), 'utf8');
    };
    expect(approved(`${head}origin:\n  feedback: [fb-k1, fb-k2]\n`)).toContain('origin:\n  feedback: [fb-k1, fb-k2, fb-k3]\n');
    const crlf = approved(`${head}origin:\n  feedback:\n    - fb-k2\n  incidents: []\n`.replaceAll('\n', '\r\n'));
    expect(crlf).toContain('origin:\r\n  feedback:\r\n    - fb-k2\r\n    - fb-k1\r\n    - fb-k3\r\n  incidents: []\r\n');
    expect(crlf).toContain('# keep this comment\r\n');
    expect(crlf.replaceAll('\r\n', '')).not.toContain('\n');
    expect(approved(head)).toMatch(/^origin:\n {2}feedback:\n {4}- fb-k1\n {4}- fb-k2\n {4}- fb-k3\n/m);
  });

  it('records no origin for a group matched only by the likeness of its words to a hand-written record', () => {
    const root = tempRepo();
    cli(root, ['init']);
    for (const i of [1, 2, 3]) entry(root, `fb-w${i}`, `2025-03-0${i}T10:00:00Z`, { context: `pytest fixture placed before import pytest in test_${i}`, feedback: 'imports come before fixtures' });
    write(root, 'anti-patterns/AP-001.yaml', 'id: AP-001\nname: Pytest fixture placed before import pytest\nstatus: proposed\ncategory: API\ndescription: imports come before fixtures\n');
    const result = cli(root, ['approve', 'AP-001', '--no-commit', '--by', 'Ana']);
    expect(result.code, result.stderr).toBe(0);
    const record = readFileSync(join(root, '.failures', 'anti-patterns', 'AP-001.yaml'), 'utf8');
    expect(record).toContain('occurrences: 3');
    expect(record).not.toContain('origin');
  });
});

describe('review of a record already decided', () => {
  it('says it is approved, not that there is no such anti-pattern', () => {
    const root = tempRepo();
    cli(root, ['init']);
    write(root, 'anti-patterns/AP-001.yaml', 'id: AP-001\nname: Any instead of unknown\nstatus: approved\ncategory: API\ndescription: any used where unknown belongs\n');
    const result = cli(root, ['review', 'AP-001']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('failures: AP-001 is approved, not proposed (only proposals are reviewed)');
    expect(cli(root, ['review', 'AP-002']).stderr).toContain('AP-002: no such proposed anti-pattern');
  });
});

describe("stats' pattern detection rate", () => {
  it('counts a pattern whose rule was retired as detected, and a rejected one as a false positive only (not also as a miss)', () => {
    const root = tempRepo();
    cli(root, ['init']);
    const antiPattern = (id: string, status: string, name: string) =>
      write(root, `anti-patterns/${id}.yaml`, `id: ${id}\nname: ${name}\nstatus: ${status}\ncategory: API\ndescription: ${name}\nreview:\n  ${status}_at: "2025-03-20T10:00:00Z"\n`);
    antiPattern('AP-001', 'approved', 'Any instead of unknown');
    antiPattern('AP-002', 'retired', 'Console output left in');
    antiPattern('AP-003', 'rejected', 'Flaky fixture');
    const topics: Array<[string, string | undefined]> = [
      ['handler typed as any', 'AP-001'],
      ['console.log left in the handler', 'AP-002'],
      ['fixture timed out on the CI runner', 'AP-003'],
      ['pytest fixture placed before import pytest', undefined],
    ];
    topics.forEach(([context, link], t) => {
      for (const i of [1, 2, 3]) entry(root, `fb-t${t}${i}`, `2025-03-0${i}T10:00:00Z`, { context: `${context} ${i}`, feedback: 'fix it', ...(link ? { anti_pattern: link } : {}) });
    });
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'history');
    const result = cli(root, ['stats', '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).pattern_detection_rate).toEqual({ value: 0.667, covered: 2, recurring: 3 });
    expect(JSON.parse(result.stdout).false_positive_rate).toMatchObject({ rejected: 1 });
    expect(cli(root, ['stats']).stdout).toContain('2 of 3 recurring patterns on record as anti-patterns');
  });
});

describe('log --from of a log already imported', () => {
  it('adds only what is not on record yet: importing twice writes nothing, a grown log only its new lines', () => {
    const root = tempRepo();
    cli(root, ['init']);
    const line = (n: number) => JSON.stringify({ timestamp: `2025-03-0${n}T10:30:00`, type: 'mistake', context: `handler ${n} typed as any`, feedback: 'use unknown', category: 'API', severity: 'medium' });
    writeFileSync(join(root, 'feedback.jsonl'), `${line(1)}\n${line(2)}\n`);
    expect(JSON.parse(cli(root, ['log', '--from', 'feedback.jsonl', '--format', 'json']).stdout).created).toHaveLength(2);
    const again = cli(root, ['log', '--from', 'feedback.jsonl', '--format', 'json']);
    expect([again.code, JSON.parse(again.stdout)]).toEqual([0, { created: [], skipped: 2 }]);
    expect(again.stderr).toContain('feedback.jsonl: all 2 entries are already on record (the same time and text); nothing was written');
    writeFileSync(join(root, 'feedback.jsonl'), `${line(1)}\n${line(2)}\n${line(3)}\n`);
    const grown = cli(root, ['log', '--from', 'feedback.jsonl']);
    expect(grown.code).toBe(0);
    expect(grown.stderr).toMatch(/✓ logged fb-\S+; 2 already on record \(the same time and text\) were skipped/);
    const analysis = JSON.parse(cli(root, ['analyze', '--min-frequency', '1', '--format', 'json']).stdout);
    expect(analysis.entries).toBe(3);
  });
});

describe('log --file with a mistyped line', () => {
  it('is refused (exit 2) instead of stored as part of the file name', () => {
    const root = tempRepo();
    cli(root, ['init']);
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src', 'api.ts'), 'export const a = 1;\n');
    const log = (file: string) => cli(root, ['log', '--context', 'c', '--feedback', 'f', '--category', 'API', '--severity', 'low', '--no-suggest', '--file', file, '--format', 'json']);
    expect([log('src/api.ts:-3').code, log('src/api.ts:-3').stderr]).toEqual([2, expect.stringContaining("--file src/api.ts:-3: '-3' is not a line number")]);
    expect(log('src/api.ts:1e3').code).toBe(2);
    expect([log(':12').code, log(':12').stderr]).toEqual([2, expect.stringContaining('--file :12 names no file, only a line')]);
    expect(JSON.parse(cli(root, ['analyze', '--min-frequency', '1', '--format', 'json']).stdout).entries).toBe(0);
    expect(log('src/api.ts:12').code).toBe(0);
  });
});

describe('a misspelt value from a fixed list', () => {
  it('validate names the value meant (status aproved → approved), as it does for an unknown field', () => {
    const root = tempRepo();
    cli(root, ['init']);
    write(root, 'anti-patterns/AP-001.yaml', 'id: AP-001\nname: Any instead of unknown\nstatus: aproved\ncategory: API\ndescription: any used where unknown belongs\n');
    const result = cli(root, ['validate']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("AP-001.yaml:3:9: error: status must be one of proposed, approved, rejected, retired; got 'aproved' [schema]\n    fix: did you mean 'approved'?");
  });
});

describe('log --from of a CSV export or a plain log', () => {
  it('says it is not JSON at all and how to turn it into a feedback log (was: "these JSON lines are not a feedback log")', () => {
    const root = tempRepo();
    cli(root, ['init']);
    writeFileSync(join(root, 'auth.csv'), 'LineId,Month,Date,Time,Level,Component,Content\n1,Jun,14,15:16:01,combo,sshd,authentication failure\n');
    const result = cli(root, ['log', '--from', 'auth.csv']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('auth.csv:1:1: error: this is neither a report failures reads nor a JSONL feedback log: its first line is not JSON (a CSV or a plain log?)');
    expect(result.stderr).toContain('turn each line into a JSON object');
  });
});

describe('log --from with flags the input already answers (QA pass 7)', () => {
  it('says which flag did nothing, instead of dropping it silently', () => {
    const root = tempRepo();
    cli(root, ['init']);
    writeFileSync(join(root, 'log.jsonl'), '{"timestamp": "2025-01-08T10:30:00", "type": "mistake", "context": "fixture before import", "feedback": "imports first", "category": "Testing", "severity": "high"}\n');
    const result = cli(root, ['log', '--from', 'log.jsonl', '--category', 'API', '--context', 'mine', '--tags', 'ci']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('warning: --category was not used: every entry of log.jsonl has its own');
    expect(result.stderr).toContain('warning: --context was not used');
    expect(result.stderr).not.toContain('--tags was not used');
    writeFileSync(join(root, 'log2.jsonl'), '{"timestamp": "2025-01-09T10:30:00", "context": "x", "feedback": "y", "category": "Testing", "severity": "high", "session_id": "s9"}\n');
    expect(cli(root, ['log', '--from', 'log2.jsonl', '--session', 'mine']).stderr).toContain('warning: --session was not used');
    writeFileSync(join(root, 'eslint.json'), JSON.stringify([{ filePath: join(root, 'a.js'), messages: [{ ruleId: 'eqeqeq', severity: 2, message: 'Expected ===', line: 1, column: 3 }] }]));
    const eslint = cli(root, ['log', '--from', 'eslint.json', '--category', 'API']);
    expect(eslint.code, eslint.stderr).toBe(0);
    expect(eslint.stderr).not.toContain('was not used');
  });
});

describe('log with a link to a record of another category (QA pass 7)', () => {
  it('warns that analyze will not group them, and still logs', () => {
    const root = tempRepo();
    cli(root, ['init']);
    const first = JSON.parse(cli(root, ['log', '--context', 'flaky clock', '--feedback', 'fake timers', '--category', 'Testing', '--severity', 'low', '--format', 'json']).stdout).created[0] as string;
    const other = cli(root, ['log', '--context', 'clock again', '--feedback', 'fake timers', '--category', 'API', '--severity', 'low', '--same-as', first]);
    expect(other.code, other.stderr).toBe(0);
    expect(other.stderr).toContain(`warning: --same-as ${first} is in category Testing, this entry in API: patterns never span categories`);
    const same = cli(root, ['log', '--context', 'clock 3', '--feedback', 'fake timers', '--category', 'Testing', '--severity', 'low', '--same-as', first]);
    expect(same.stderr).not.toContain('warning');
  });
});

describe('init where .failures is a file (QA pass 7)', () => {
  it('says to move the file, not to pass --root', () => {
    const root = tempRepo();
    writeFileSync(join(root, '.failures'), 'notes\n');
    const result = cli(root, ['init']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('.failures is not a folder');
    expect(result.stderr).toContain('move or rename the file');
    expect(result.stderr).not.toContain('pass a folder (--root DIR)');
    expect(readFileSync(join(root, '.failures'), 'utf8')).toBe('notes\n');
  });
});

describe('log --from of an empty or binary file (QA pass 7)', () => {
  it('says the file is empty (a crashed run), not that its first line is not JSON; a binary is not told to convert from UTF-16, and the fix is said once', () => {
    const root = tempRepo();
    cli(root, ['init']);
    writeFileSync(join(root, 'junit.xml'), '');
    writeFileSync(join(root, 'eslint.json'), '\n  \n');
    for (const name of ['junit.xml', 'eslint.json']) {
      const result = cli(root, ['log', '--from', name]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`${name}:1:1: error: the file is empty: no report was written into it`);
      expect(result.stderr).not.toContain('not JSON');
    }
    writeFileSync(join(root, 'report.bin'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1, 2, 0, 0, 0]));
    const binary = cli(root, ['log', '--from', 'report.bin']);
    expect(binary.code).toBe(2);
    expect(binary.stderr).toContain('report.bin:1:1: error: the file is binary (or UTF-32), not UTF-8 text');
    expect(binary.stderr).not.toContain('UTF-16');
    expect(binary.stderr.match(/iconv/g)).toHaveLength(1);
    expect(readdirSync(join(root, '.failures', 'feedback'))).toEqual([]);
    const stdin = cli(root, ['log', '--from', '-'], { input: '{"context": "x", "category": "API", "severity": "low"}\n' });
    expect(stdin.code).toBe(2);
    expect(stdin.stderr).toContain('--from - (stdin) is not read: --from takes a report file');
    expect(stdin.stderr).not.toContain('ENOENT');
  });
});

describe('an anti-pattern approved by hand in git (no review.approved_at)', () => {
  it('stats dates its approval by the commit that approved it, not by a later edit of its detectors', () => {
    const root = tempRepo();
    cli(root, ['init']);
    const commit = (message: string, date: string) => {
      git(root, 'add', '-A');
      const done = spawnSync('git', ['commit', '-q', '-m', message], { cwd: root, encoding: 'utf8', env: { ...process.env, ...GIT_ENV, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } });
      expect(done.status, done.stderr).toBe(0);
    };
    const record = (status: string, extra = '') => write(root, 'anti-patterns/AP-001.yaml', `id: AP-001\nname: Any instead of unknown\nstatus: ${status}\ncategory: API\ndescription: any used where unknown belongs\n${extra}`);
    for (const [i, day] of [['1', '2025-03-03'], ['2', '2025-03-10']]) entry(root, `fb-h${i}`, `${day}T10:00:00Z`, { context: `handler ${i} typed as any`, feedback: 'use unknown', anti_pattern: 'AP-001' });
    record('proposed');
    commit('propose', '2025-03-12T10:00:00Z');
    record('approved');
    commit('approve by hand', '2025-03-14T10:00:00Z');
    record('approved', 'enforce:\n  detect:\n    - selector: TSAnyKeyword\n');
    commit('detectors', '2025-05-01T10:00:00Z');
    const stats = JSON.parse(cli(root, ['stats', '--format', 'json']).stdout);
    expect(stats.improvement.per_anti_pattern[0]).toMatchObject({ id: 'AP-001', approved_at: '2025-03-14T10:00:00Z', before_per_week: 0.5 });
  });
});

describe('log --from with severities of the team’s own', () => {
  it("records a report's failures with config.yaml's severities (was: refused, 'got medium', at the report's line 1)", () => {
    const root = tempRepo();
    cli(root, ['init']);
    const config = join(root, '.failures', 'config.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('  - low\n  - medium\n  - high\n', '  - minor\n  - major\n  - critical\n'));
    writeFileSync(
      join(root, 'eslint.json'),
      JSON.stringify([{ filePath: join(root, 'a.js'), messages: [{ ruleId: 'eqeqeq', message: "Expected '===' and instead saw '=='.", line: 2, severity: 2 }, { ruleId: 'no-console', message: 'Unexpected console statement.', line: 3, severity: 1 }] }]),
    );
    writeFileSync(join(root, 'junit.xml'), '<testsuite name="s" tests="1"><testcase classname="c" name="t"><failure message="boom">boom</failure></testcase></testsuite>\n');
    const eslint = cli(root, ['log', '--from', 'eslint.json', '--category', 'API', '--format', 'json']);
    expect(eslint.code, eslint.stderr).toBe(0);
    const junit = cli(root, ['log', '--from', 'junit.xml', '--format', 'json']);
    expect(junit.code, junit.stderr).toBe(0);
    const files = [JSON.parse(eslint.stdout).file, JSON.parse(junit.stdout).file].map((f: string) => readFileSync(join(root, f), 'utf8'));
    expect(files.map((text) => [...text.matchAll(/^severity: (\w+)$/gm)].map((m) => m[1]))).toEqual([['major', 'minor'], ['major']]);
  });
});

describe('log --from of a test report with --category or --type', () => {
  it('files the failures under the category given (it was ignored: Testing always), and says so when Testing is not a category at all', () => {
    const root = tempRepo();
    cli(root, ['init']);
    writeFileSync(join(root, 'perf.xml'), '<testsuite name="load" tests="1"><testcase classname="load" name="p95 under 200 ms"><failure message="p95 was 340 ms">p95 was 340 ms</failure></testcase></testsuite>\n');
    const given = cli(root, ['log', '--from', 'perf.xml', '--category', 'Performance', '--format', 'json']);
    expect(given.code, given.stderr).toBe(0);
    expect(readFileSync(join(root, JSON.parse(given.stdout).file), 'utf8')).toContain('\ncategory: Performance\n');
    // --type too: a report states no type; the flag fills it in.
    writeFileSync(join(root, 'perf.xml'), readFileSync(join(root, 'perf.xml'), 'utf8').replace('340', '345'));
    const typed = cli(root, ['log', '--from', 'perf.xml', '--type', 'repetition', '--format', 'json']);
    expect(readFileSync(join(root, JSON.parse(typed.stdout).file), 'utf8')).toContain('\ntype: repetition\n');
    const config = join(root, '.failures', 'config.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace(/categories:\n(?: {2}- .*\n)+/, 'categories:\n  - Backend\n  - Frontend\n'));
    writeFileSync(join(root, 'perf.xml'), readFileSync(join(root, 'perf.xml'), 'utf8').replace('340', '350'));
    const refused = cli(root, ['log', '--from', 'perf.xml']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('perf.xml: its failed tests would be filed under Testing, which is not one of the categories in .failures/config.yaml');
    expect(refused.stderr).toContain('add --category (one of Backend, Frontend), or add Testing to categories');
    expect(cli(root, ['log', '--from', 'perf.xml', '--category', 'Backend']).code).toBe(0);
  });
});

describe('failures test with an approved record that does not read', () => {
  it('fails (exit 1) naming the record at its line, instead of passing without it', () => {
    const root = tempRepo();
    cli(root, ['init']);
    write(root, 'anti-patterns/AP-001.yaml', 'id: AP-001\nname: Any instead of unknown\nstatus: approved\ncategory: API\ndescription: any used where unknown belongs\nenforce:\n  detect:\n    - selector: TSAnyKeyword\n  mesage: typo\nexamples:\n  bad: ["let a: any;"]\n');
    write(root, 'anti-patterns/AP-002.yaml', 'id: AP-002\nname: Eval\nstatus: approved\ncategory: Security\ndescription: eval\nenforce:\n  detect:\n    - selector: "CallExpression[callee.name=\'eval\']"\nexamples:\n  bad: ["eval(x);"]\n  good: ["run(x);"]\n');
    const result = cli(root, ['test']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(".failures/anti-patterns/AP-001.yaml:9:3: error: unknown field 'enforce.mesage'");
  });
});
