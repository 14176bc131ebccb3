import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli, git, REPO, tempDir, tempRepo } from './helpers.js';

/**
 * Regression tests for what a newcomer met following the README (the QA pass of session 3):
 * user mistakes answered with an internal error, a hang, a silent fallback, or a record made of
 * the wrong kind of file. Each runs the built CLI in a temporary git repository.
 */

function project(): string {
  const root = tempRepo();
  expect(cli(root, ['init']).code).toBe(0);
  return root;
}

function logThree(root: string): void {
  for (let i = 0; i < 3; i++) {
    const logged = cli(root, ['log', '--context', `fixture defined above the import of pytest ${i}`, '--feedback', 'Put import pytest at the top, before fixtures', '--category', 'Testing', '--severity', 'high', '--no-suggest']);
    expect(logged.code).toBe(0);
  }
}

function feedbackCount(root: string): number {
  return readdirSync(join(root, '.failures', 'feedback'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml')).length;
}

const JUNIT_PASSED = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="2" failures="0">
  <testsuite name="math" tests="2" failures="0">
    <testcase classname="math" name="adds" time="0.01"/>
    <testcase classname="math" name="subtracts" time="0.01"/>
  </testsuite>
</testsuites>
`;

const JUNIT_FAILED = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="1" failures="1">
  <testsuite name="math" tests="1" failures="1">
    <testcase classname="math" name="adds" time="0.01"><failure message="expected 3, got 4">AssertionError: expected 3, got 4</failure></testcase>
  </testsuite>
</testsuites>
`;

describe('analyze: output paths and the branch are checked before anything is written', () => {
  it('a report or diff in a folder that does not exist, or onto a folder, is a usage error (exit 2), not an internal error', () => {
    const root = project();
    logThree(root);
    const diff = cli(root, ['analyze', '--diff', 'no/such/dir/p.diff']);
    expect(diff.code).toBe(2);
    expect(diff.stderr).toContain('--diff no/such/dir/p.diff: cannot write there (the folder no/such/dir does not exist)');
    expect(diff.stderr).not.toMatch(/internal error|this is a bug/);
    // Nothing half done: the default report is not written either.
    expect(existsSync(join(root, 'skill_update_suggestions.md'))).toBe(false);

    mkdirSync(join(root, 'reports'));
    const out = cli(root, ['analyze', '--out', 'reports']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--out reports: cannot write there (it is a folder)');

    const tickets = cli(root, ['analyze', '--tickets', '--out', 'no/such/dir/t.md']);
    expect(tickets.code).toBe(2);
    expect(tickets.stderr).toContain('cannot write there');
  });

  it('an empty or impossible value is refused, never read as no filter (--since 2025-02-30, --out "", --category "")', () => {
    const root = project();
    logThree(root);
    const cases: Array<[string[], string]> = [
      [['--since', '2025-02-30'], '--since 2025-02-30 is not a date: day 30 does not exist in 2025-02'],
      [['--since', '1'], '--since 1 is not a date'],
      [['--since', ''], "--since '' is not a date"],
      [['--out', ''], '--out is empty'],
      [['--branch', ''], '--branch is empty'],
      [['--category', ''], "--category must be one of Testing"],
      [['--tickets', '--since', '2025-02-30'], 'day 30 does not exist'],
    ];
    for (const [args, message] of cases) {
      const result = cli(root, ['analyze', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toContain(message);
    }
    expect(existsSync(join(root, 'skill_update_suggestions.md'))).toBe(false);
    expect(cli(root, ['analyze', '--since', '2025-01-01T10:00:00Z', '--format', 'json']).code).toBe(0);
  });

  it('--branch outside git is refused (exit 2), even when there is nothing to propose', () => {
    const dir = tempDir('failures-nogit-');
    expect(cli(dir, ['init']).code).toBe(0);
    const result = cli(dir, ['analyze', '--branch', 'failures/suggestions']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--branch needs a git repository');
    expect(existsSync(join(dir, 'skill_update_suggestions.md'))).toBe(false);
  });

  it('an existing --branch is refused before the report and the diff are written', () => {
    const root = project();
    logThree(root);
    git(root, 'add', '.failures');
    git(root, 'commit', '-q', '-m', 'feedback');
    git(root, 'branch', 'failures/suggestions');
    const result = cli(root, ['analyze', '--branch', 'failures/suggestions', '--diff', 'proposals.diff']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('branch failures/suggestions already exists');
    expect(existsSync(join(root, 'proposals.diff'))).toBe(false);
    expect(existsSync(join(root, 'skill_update_suggestions.md'))).toBe(false);
  });
});

describe('invalid records and config.yaml are never skipped silently', () => {
  it('analyze refuses an invalid config.yaml (exit 2, at its line); stats, gaps and similar warn about invalid records they leave out', () => {
    const root = project();
    logThree(root);
    const configFile = join(root, '.failures', 'config.yaml');
    const config = readFileSync(configFile, 'utf8');
    writeFileSync(configFile, config.replace('min_frequency: 3', 'min_frequency: three'));
    const analyze = cli(root, ['analyze']);
    expect(analyze.code).toBe(2);
    expect(analyze.stderr).toContain('.failures/config.yaml is invalid, so nothing was analyzed');
    expect(analyze.stderr).toMatch(/\.failures\/config\.yaml:\d+:\d+: error: min_frequency must be a whole number/);
    expect(existsSync(join(root, 'skill_update_suggestions.md'))).toBe(false);
    writeFileSync(configFile, config);

    // One feedback entry broken: left out, and every command that reads it says so.
    const dir = join(root, '.failures', 'feedback');
    const first = readdirSync(dir, { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith('.yaml'))!;
    writeFileSync(join(dir, first), `${readFileSync(join(dir, first), 'utf8')}severity: [\n`);
    const warning = /warning: \d+ problems? in \.failures\/; invalid records are left out \(run `failures validate`\)/;
    for (const args of [['analyze', '--format', 'json'], ['stats'], ['gaps'], ['similar', 'pytest fixture']]) {
      const result = cli(root, args);
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stderr, args.join(' ')).toMatch(warning);
    }
  });

  it('similar refuses an empty text (exit 2)', () => {
    const root = project();
    const result = cli(root, ['similar', '  ']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the text to search for is empty');
  });
});

describe('log --from: a report in which nothing failed is a clean result', () => {
  it('exits 0 and writes nothing; --format json prints an empty created list; a report with failures still logs', () => {
    const root = project();
    writeFileSync(join(root, 'passed.xml'), JUNIT_PASSED);
    const text = cli(root, ['log', '--from', 'passed.xml']);
    expect(text.code).toBe(0);
    expect(text.stderr).toContain('passed.xml: nothing failed, so there is nothing to record; nothing was written');
    const json = cli(root, ['log', '--from', 'passed.xml', '--format', 'json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ created: [] });
    writeFileSync(join(root, 'eslint.json'), '[{"filePath":"/x/a.js","messages":[],"errorCount":0,"warningCount":0}]');
    expect(cli(root, ['log', '--from', 'eslint.json']).code).toBe(0);
    expect(feedbackCount(root)).toBe(0);

    // An empty JSONL log is still a mistake (nothing to import was given).
    writeFileSync(join(root, 'empty.jsonl'), '');
    expect(cli(root, ['log', '--from', 'empty.jsonl']).code).toBe(2);

    writeFileSync(join(root, 'failed.xml'), JUNIT_FAILED);
    const failed = cli(root, ['log', '--from', 'failed.xml', '--format', 'json']);
    expect(failed.code).toBe(0);
    expect((JSON.parse(failed.stdout) as { created: string[] }).created).toHaveLength(1);
  });
});

describe('log: an empty --from or --feedback is refused', () => {
  it('exits 2 and writes nothing (an empty --from logged one entry from the flags; an empty --feedback was stored as "")', () => {
    const root = project();
    const base = ['log', '--context', 'x', '--category', 'Testing', '--severity', 'high', '--no-suggest'];
    const from = cli(root, [...base, '--from', '']);
    expect(from.code).toBe(2);
    expect(from.stderr).toContain('--from is empty');
    const feedback = cli(root, [...base, '--feedback', ' ']);
    expect(feedback.code).toBe(2);
    expect(feedback.stderr).toContain('--feedback is empty');
    expect(feedbackCount(root)).toBe(0);
  });
});

describe('import: files that are not incident history', () => {
  it('skips a JUnit XML or ESLint JSON report with a pointer to `log --from`, instead of making an incident of it', () => {
    const root = project();
    writeFileSync(join(root, 'report.xml'), JUNIT_FAILED);
    writeFileSync(join(root, 'eslint.json'), '[{"filePath":"/x/a.js","messages":[{"ruleId":"no-eval","severity":2,"message":"eval is evil","line":1,"column":1}],"errorCount":1}]');
    writeFileSync(join(root, 'results.trx'), '<?xml version="1.0" encoding="utf-8"?>\n<TestRun id="1"></TestRun>\n');
    const result = cli(root, ['import', 'report.xml', 'eslint.json', 'results.trx', '--format', 'json']);
    expect(result.code).toBe(1);
    const out = JSON.parse(result.stdout) as { created: unknown[]; skipped: Array<{ source: string; reason: string }> };
    expect(out.created).toEqual([]);
    expect(out.skipped.find((s) => s.source === 'report.xml')?.reason).toContain('a JUnit XML test report, not an incident, postmortem or ticket export: its failures become feedback entries with `failures log --from report.xml`');
    expect(out.skipped.find((s) => s.source === 'eslint.json')?.reason).toContain('an ESLint JSON report');
    expect(out.skipped.find((s) => s.source === 'results.trx')?.reason).toContain('an XML file');
    expect(readdirSync(join(root, '.failures', 'incidents'))).toEqual([]);
  });

  it('a UTF-16 export is named with the conversion to make, not read as columns of noise', () => {
    const root = project();
    const csv = 'Issue key,Summary,Status,Created\nPAY-1,Charged twice,Done,2024-01-02\n';
    writeFileSync(join(root, 'bom.csv'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, 'utf16le')]));
    writeFileSync(join(root, 'nobom.csv'), Buffer.from(csv, 'utf16le'));
    const result = cli(root, ['import', 'bom.csv', 'nobom.csv']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('bom.csv: skipped: the file is UTF-16, not UTF-8 text: convert it first, e.g. iconv -f UTF-16 -t UTF-8 bom.csv');
    expect(result.stderr).toContain('nobom.csv: skipped: the file is UTF-16');
    writeFileSync(join(root, 'utf8.csv'), csv);
    expect(cli(root, ['import', 'utf8.csv']).code).toBe(0);
  });

  it('an empty path is refused rather than read as the current folder', () => {
    const root = project();
    writeFileSync(join(root, 'notes.md'), '# Outage\n\n## Root cause\n\nThe database ran out of connections.\n');
    const result = cli(root, ['import', '']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('an empty path was given');
    expect(readdirSync(join(root, '.failures', 'incidents'))).toEqual([]);
  });

  it('a named pipe is refused at once, never read (no hang)', () => {
    const root = project();
    const fifo = join(root, 'pipe.md');
    if (spawnSync('mkfifo', [fifo]).status !== 0) return; // no mkfifo here: nothing to test
    const result = cli(root, ['import', 'pipe.md']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('pipe.md: skipped: not a regular file');
  }, 10_000);
});

describe('merge: a missing or swapped report', () => {
  it('names the missing file without Node internals, and says when the spec was given as the report', () => {
    const root = project();
    writeFileSync(join(root, 'spec.yaml'), 'name: spec\nentities: [payment]\n');
    const missing = cli(root, ['merge', 'spec.yaml', '--from', 'nothere.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('failures: cannot read nothere.yaml: no such file');
    expect(missing.stderr).toContain('hint: pass the report `failures context MANIFOLD` wrote');
    expect(missing.stderr).not.toContain('ENOENT');

    const swapped = cli(root, ['merge', 'spec.yaml', '--from', 'spec.yaml']);
    expect(swapped.code).toBe(2);
    expect(swapped.stderr).toContain('spec.yaml looks like a manifold (it has name:, no meta:)');
    expect(readFileSync(join(root, 'spec.yaml'), 'utf8')).toBe('name: spec\nentities: [payment]\n');
  });
});

describe('test: a rule without examples is not counted as passing', () => {
  it('names the rules that have no examples', () => {
    const root = project();
    const ap = (id: string, examples: string) =>
      `id: ${id}\nname: No eval\nstatus: approved\ncategory: Security\nseverity: high\ndescription: eval runs arbitrary code\nenforce:\n  detect:\n    - pattern: eval($X)\n${examples}`;
    writeFileSync(join(root, '.failures', 'anti-patterns', 'AP-001.yaml'), ap('AP-001', ''));
    writeFileSync(join(root, '.failures', 'anti-patterns', 'AP-002.yaml'), ap('AP-002', 'examples:\n  bad: ["eval(x)"]\n  good: ["JSON.parse(x)"]\n'));
    const one = cli(root, ['test', 'AP-001']);
    expect(one.code).toBe(0);
    expect(one.stderr).toContain('note: AP-001 has no examples, so nothing of it was tested');
    expect(one.stderr).toContain('no rule with examples to test');
    expect(one.stderr).not.toContain('passes its examples');
    const all = cli(root, ['test', '--format', 'json']);
    expect(JSON.parse(all.stdout)).toMatchObject({ tested: 2, passed: true, without_examples: ['AP-001'] });
    expect(cli(root, ['test']).stderr).toContain('✓ 1 rule passes its examples');
  });
});

describe('init: config.yaml', () => {
  it('points at the schema above only when there is one', () => {
    const root = project();
    const config = readFileSync(join(root, '.failures', 'config.yaml'), 'utf8');
    expect(config).not.toContain('yaml-language-server');
    expect(config).not.toContain('the schema above');
    expect(config).toContain('schemas/config.schema.json in the failures package');
  });

  it('.failures/README.md links no package page that does not exist', () => {
    const root = project();
    const readme = readFileSync(join(root, '.failures', 'README.md'), 'utf8');
    expect(readme).not.toContain('npmjs.com');
    expect(readme).toContain('`failures` command-line tool');
  });

  it('--root naming a file says so, instead of suggesting `init` there', () => {
    const root = project();
    const result = cli(root, ['--root', '.failures/config.yaml', 'validate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--root .failures/config.yaml is a file, not a folder');
    expect(result.stderr).not.toContain('failures init --root');
  });
});

describe('decisions: who decided is never empty', () => {
  it('approve, reject and retire refuse an empty --by (exit 2) and leave the record and HEAD as they were', () => {
    const root = project();
    const file = join(root, '.failures', 'anti-patterns', 'AP-001.yaml');
    writeFileSync(file, 'id: AP-001\nname: No eval\nstatus: approved\ncategory: Security\nseverity: high\ndescription: eval runs arbitrary code\n');
    git(root, 'add', '.failures');
    git(root, 'commit', '-q', '-m', 'rules');
    const head = git(root, 'rev-parse', 'HEAD');
    const before = readFileSync(file, 'utf8');
    for (const args of [['retire', 'AP-001', '--reason', 'obsolete', '--by', ''], ['approve', 'AP-001', '--by', '  ']]) {
      const result = cli(root, args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain('--by is empty: a decision records who made it');
    }
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(git(root, 'rev-parse', 'HEAD')).toBe(head);
  });
});

describe('baseline: an unreadable baseline.yaml is never pruned to nothing', () => {
  it('--prune and --list refuse it at its line (exit 2, file unchanged); recording afresh replaces it with a warning', () => {
    const root = project();
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src', 'a.ts'), 'export const run = (x: string) => eval(x);\n');
    writeFileSync(
      join(root, '.failures', 'anti-patterns', 'AP-001.yaml'),
      'id: AP-001\nname: No eval\nstatus: approved\ncategory: Security\nseverity: high\ndescription: eval runs arbitrary code\nenforce:\n  detect:\n    - pattern: eval($X)\nexamples:\n  bad: ["eval(x)"]\n  good: ["JSON.parse(x)"]\n',
    );
    expect(cli(root, ['baseline']).code).toBe(0);
    const file = join(root, '.failures', 'baseline.yaml');
    // What a merge conflict leaves behind.
    const conflicted = readFileSync(file, 'utf8').replace('entries:', '<<<<<<< HEAD\nentries:') + '=======\n>>>>>>> other\n';
    writeFileSync(file, conflicted);
    for (const args of [['baseline', '--prune'], ['baseline', '--list']]) {
      const result = cli(root, args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/\.failures\/baseline\.yaml is invalid, so nothing was (pruned|listed)/);
      expect(result.stderr).toMatch(/\.failures\/baseline\.yaml:\d+:\d+: error/);
      expect(readFileSync(file, 'utf8')).toBe(conflicted);
    }
    const afresh = cli(root, ['baseline']);
    expect(afresh.code).toBe(0);
    expect(afresh.stderr).toContain('warning: .failures/baseline.yaml did not read');
    expect(afresh.stderr).toContain('1 existing violation baselined');
    expect(cli(root, ['check']).code).toBe(0);
    expect(cli(root, ['baseline', '--format', 'json']).code).toBe(2);
  });
});

describe('ESLint plugin: configure({ root }) without .failures/', () => {
  it('warns, naming the root given, instead of silently enforcing nothing', () => {
    const dir = tempDir('failures-eslint-');
    const plugin = pathToFileURL(join(REPO, 'dist', 'eslint', 'index.js')).href;
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    writeFileSync(join(dir, 'a.js'), 'eval(x);\n');
    writeFileSync(join(dir, 'eslint.config.js'), `import failures from ${JSON.stringify(plugin)};\nexport default [failures.configure({ root: 'no-such-project' }).configs.recommended];\n`);
    const result = spawnSync(process.execPath, [join(REPO, 'node_modules', 'eslint', 'bin', 'eslint.js'), 'a.js'], { cwd: dir, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(`no .failures/ folder in ${join(dir, 'no-such-project')} (the root given to failures.configure)`);
  }, 30_000);
});

describe('validate: a record saved as UTF-16', () => {
  it('is named as UTF-16 with how to save it, not "the record must be a mapping"', () => {
    const root = project();
    const text = 'id: AP-001\nname: No eval\nstatus: approved\ncategory: Security\nseverity: high\ndescription: eval runs arbitrary code\n';
    writeFileSync(join(root, '.failures', 'anti-patterns', 'AP-001.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const result = cli(root, ['validate']);
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toContain('.failures/anti-patterns/AP-001.yaml:1:1: error: the file is UTF-16, not UTF-8 text');
    expect(result.stdout + result.stderr).not.toContain('must be a mapping');
    // An approved rule that cannot load stops the check, as any broken approved record does.
    expect(cli(root, ['check']).code).toBe(2);
  });
});

describe('log --fix: files of the commit that give no example', () => {
  it('are summarised in one line per reason, not one line per file', () => {
    const root = project();
    mkdirSync(join(root, 'docs'));
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src', 'pay.ts'), 'export async function pay(gateway: any, p: any) {\n  await gateway.charge(p);\n}\n');
    for (let i = 0; i < 12; i++) writeFileSync(join(root, 'docs', `note-${i}.md`), `# Note ${i}\n\nold text\n`);
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'before');
    writeFileSync(join(root, 'src', 'pay.ts'), 'export async function pay(gateway: any, p: any) {\n  await gateway.charge(p, { idempotencyKey: p.id });\n}\n');
    for (let i = 0; i < 12; i++) writeFileSync(join(root, 'docs', `note-${i}.md`), `# Note ${i}\n\nnew text\n`);
    git(root, 'commit', '-q', '-am', 'fix: charge with a key');
    const result = cli(root, ['log', '--context', 'charge without a key', '--feedback', 'add the key', '--category', 'Architecture', '--severity', 'high', '--fix', 'HEAD', '--no-suggest']);
    expect(result.code).toBe(0);
    const skipped = result.stderr.split('\n').filter((l) => l.startsWith('--fix: skipped'));
    expect(skipped).toEqual(['--fix: skipped 12 files: not a language synthesis reads (JavaScript, TypeScript, Python) (docs/note-0.md, docs/note-1.md, docs/note-10.md, … 9 more)']);
  });
});
