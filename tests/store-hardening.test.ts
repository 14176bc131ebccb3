import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, REPO, tempDir, tempRepo } from './helpers.js';
import { RULE } from './hardening-helpers.js';

const LOG = ['log', '--context', 'c', '--feedback', 'f', '--category', 'Testing', '--severity', 'low'];

function store(): string {
  const root = tempRepo();
  expect(cli(root, ['init']).code).toBe(0);
  return root;
}

describe('symlinks in .failures/: never read, never written through, always reported', () => {
  it('log refuses to write through a symlinked folder that leaves the repository', () => {
    const root = store();
    const outside = tempDir();
    const feedback = join(root, '.failures', 'feedback');
    rmSync(feedback, { recursive: true });
    symlinkSync(outside, feedback);
    const result = cli(root, LOG);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is a symlink, so nothing was written');
    expect(readdirSync(outside)).toEqual([]);
    const validate = cli(root, ['validate']);
    expect(validate.code).toBe(1);
    expect(validate.stdout + validate.stderr).toContain('feedback is a symlink');
  });

  it('validate reports a symlinked record; check refuses a symlinked approved rule (exit 2)', () => {
    const root = store();
    const outside = tempDir();
    writeFileSync(join(outside, 'AP-001.yaml'), RULE);
    symlinkSync(join(outside, 'AP-001.yaml'), join(root, '.failures', 'anti-patterns', 'AP-001.yaml'));
    writeFileSync(join(root, 'a.ts'), 'gateway.charge(payment);\n');
    const validate = cli(root, ['validate']);
    expect(validate.code).toBe(1);
    expect(validate.stdout + validate.stderr).toMatch(/AP-001\.yaml:1:1: error: AP-001\.yaml is a symlink/);
    const check = cli(root, ['check']);
    expect(check.code).toBe(2);
    expect(check.stderr).toContain('is a symlink');
  });
});


describe('usage mistakes are exit 2 with a message, never a crash or a hang', () => {
  it('check -o below a file, or onto a folder; a folder that does not exist yet is created, as ESLint does', () => {
    const root = store();
    writeFileSync(join(root, 'file'), 'x');
    const below = cli(root, ['check', '-o', 'file/x']);
    expect(below.code).toBe(2);
    expect(below.stderr).toContain('cannot write the report to file/x: E');
    const onto = cli(root, ['check', '-o', '.failures']);
    expect(onto.code).toBe(2);
    expect(onto.stderr).toContain('cannot write the report to .failures: EISDIR');
    const created = cli(root, ['check', '-f', 'sarif', '-o', 'reports/ci/failures.sarif']);
    expect(created.code).toBe(0);
    expect(JSON.parse(readFileSync(join(root, 'reports/ci/failures.sarif'), 'utf8')).version).toBe('2.1.0');
  });

  it('init --root /dev/null, a file, /proc', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), 'x');
    for (const root of ['/dev/null', join(dir, 'file'), '/proc', '/proc/x/y']) {
      const started = Date.now();
      const result = cli(dir, ['init', '--root', root]);
      expect(result.code, root).toBe(2);
      expect(result.stderr).not.toContain('internal error');
      expect(Date.now() - started).toBeLessThan(10_000);
    }
  });

  it('config.yaml as a folder or a FIFO', () => {
    const root = store();
    const config = join(root, '.failures', 'config.yaml');
    rmSync(config);
    mkdirSync(config);
    const folder = cli(root, ['validate']);
    expect(folder.code).toBe(1);
    expect(folder.stdout + folder.stderr).toContain('config.yaml is not a regular file');
    rmSync(config, { recursive: true });
    expect(spawnSync('mkfifo', [config]).status).toBe(0);
    const fifo = cli(root, ['validate']);
    expect(fifo.code).toBe(1);
    expect(fifo.stdout + fifo.stderr).toContain('config.yaml is not a regular file');
    const log = cli(root, LOG);
    expect(log.code).toBe(2);
    expect(log.stderr).toContain('config.yaml is not a regular file');
  });
});

describe('validation gaps', () => {
  it('impossible timestamps are errors, in records and in imports', () => {
    const root = store();
    mkdirSync(join(root, '.failures', 'feedback', '2025-01'), { recursive: true });
    writeFileSync(
      join(root, '.failures', 'feedback', '2025-01', 'fb-20250101-aaaaaaaa.yaml'),
      'id: fb-20250101-aaaaaaaa\ntimestamp: "2025-13-45T99:99:99"\ntype: mistake\ncontext: c\ncategory: Testing\nseverity: low\n',
    );
    const validate = cli(root, ['validate']);
    expect(validate.code).toBe(1);
    expect(validate.stdout + validate.stderr).toMatch(/fb-20250101-aaaaaaaa\.yaml:2:12: error: timestamp '2025-13-45T99:99:99' is not a real date: month 13/);
    expect(cli(root, [...LOG, '--file', 'a.ts']).code).toBe(0);
    writeFileSync(join(root, 'r.jsonl'), '{"timestamp":"2024-02-30T10:00:00Z","type":"mistake","context":"c","category":"Testing","severity":"low"}\n');
    const imported = cli(root, ['log', '--from', 'r.jsonl']);
    expect(imported.code).toBe(2);
    expect(imported.stderr).toContain('day 30 does not exist in 2024-02');
  });

  it('skills: paths that leave the repository are errors and never read', () => {
    const root = store();
    const config = join(root, '.failures', 'config.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('skills: {}', 'skills:\n  Testing: ../../etc/passwd\n  Naming: /etc/passwd\n  API: docs/api.md'));
    const validate = cli(root, ['validate']);
    expect(validate.code).toBe(1);
    const out = validate.stdout + validate.stderr;
    expect(out).toContain("skills.Testing '../../etc/passwd' leaves the repository");
    expect(out).toContain("skills.Naming '/etc/passwd' leaves the repository");
    expect(out).not.toContain('skills.API');
  });

  it('--file outside the project is refused, not stored absolute', () => {
    const root = store();
    const result = cli(root, [...LOG, '--file', '/etc/passwd']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--file /etc/passwd is outside the project');
  });

  it('a {constructor} placeholder is left as written', () => {
    const root = store();
    writeFileSync(join(root, '.failures', 'anti-patterns', 'AP-001.yaml'), RULE.replace('"{name}: {description}"', '"{constructor} {toString} {name}"'));
    writeFileSync(join(root, 'a.ts'), 'gateway.charge(payment);\n');
    const check = cli(root, ['check', '-f', 'json']);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('{constructor} {toString} Charge without idempotency');
    expect(check.stdout).not.toContain('function');
  });

  it('the fast and the careful YAML readers agree on +0x10 and -0o17 (strings in YAML 1.2)', () => {
    const root = store();
    for (const [id, value] of [['AP-001', '+0x10'], ['AP-002', '-0o17'], ['AP-003', '0b101']] as const) {
      writeFileSync(join(root, '.failures', 'anti-patterns', `${id}.yaml`), `id: ${id}\nname: n\nstatus: proposed\ndescription: d\nreview:\n  evidence:\n    occurrences: ${value}\n`);
    }
    const validate = cli(root, ['validate']);
    expect(validate.code).toBe(1);
    for (const id of ['AP-001', 'AP-002', 'AP-003']) expect(validate.stdout + validate.stderr).toMatch(new RegExp(`${id}\\.yaml:7:18: error: review\\.evidence\\.occurrences`));
  });
});

describe('leftovers of killed writers', () => {
  it('validate reports an orphaned .tmp file; init ignores temporary files and caches', () => {
    const root = store();
    const gitignore = readFileSync(join(root, '.failures', '.gitignore'), 'utf8');
    expect(gitignore).toContain('.*.tmp');
    expect(gitignore).toContain('.cache/');
    mkdirSync(join(root, '.failures', 'feedback', '2025-01'), { recursive: true });
    writeFileSync(join(root, '.failures', 'feedback', '2025-01', '.fb-20250101-aaaaaaaa.yaml.123.abcd.tmp'), 'id: half');
    const validate = cli(root, ['validate']);
    expect(validate.code).toBe(0); // a warning: nothing is wrong with the records
    expect(validate.stdout + validate.stderr).toMatch(/\.fb-20250101-aaaaaaaa\.yaml\.123\.abcd\.tmp:1:1: warning: .* did not finish/);
  });
});

describe('nits', () => {
  function withRule(): string {
    const root = store();
    writeFileSync(join(root, '.failures', 'anti-patterns', 'AP-001.yaml'), RULE);
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src', 'a.ts'), 'gateway.charge(payment);\n');
    return root;
  }

  it('check and validate print paths relative to the same place', () => {
    const root = withRule();
    writeFileSync(join(root, '.failures', 'anti-patterns', 'AP-002.yaml'), 'id: AP-002\nname: n\nstatus: proposed\n');
    const sub = join(root, 'src');
    expect(cli(sub, ['check']).stdout).toMatch(/^a\.ts$/m);
    expect(cli(sub, ['validate']).stdout + cli(sub, ['validate']).stderr).toContain('../.failures/anti-patterns/AP-002.yaml:');
  });

  it('check <ignored file> says it is ignored', () => {
    const root = withRule();
    writeFileSync(join(root, '.gitignore'), 'generated.ts\n');
    writeFileSync(join(root, 'generated.ts'), 'gateway.charge(payment);\n');
    const result = cli(root, ['check', 'generated.ts']);
    expect(result.stderr).toContain('generated.ts is ignored');
  });

  it('test ap-001 finds AP-001; --root is in every subcommand help; check | head exits quietly', () => {
    const root = withRule();
    expect(cli(root, ['test', 'ap-001']).code).toBe(0);
    for (const command of [['check'], ['log'], ['validate'], ['hook', 'install'], ['approve']]) {
      expect(cli(root, [...command, '--help']).stdout, command.join(' ')).toContain('--root <dir>');
    }
    for (let i = 0; i < 400; i++) writeFileSync(join(root, 'src', `f${i}.ts`), 'gateway.charge(payment);\n'.repeat(5));
    const piped = spawnSync('sh', ['-c', `node ${JSON.stringify(join(REPO, 'bin', 'failures.js'))} check | head -1`], { cwd: root, encoding: 'utf8' });
    expect(piped.stderr).not.toContain('EPIPE');
    expect(piped.stderr).not.toContain('internal error');
  });
});
