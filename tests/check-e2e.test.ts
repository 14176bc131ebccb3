import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, git, GIT_ENV, tempRepo } from './helpers.js';

/** A committed repository with these files (records under .failures/ included). */
function repo(files: Record<string, string>): string {
  const root = tempRepo();
  for (const [path, text] of Object.entries({ '.failures/config.yaml': 'version: 1\n', ...files })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'files');
  return root;
}

const record = (id: string, severity: string, detect: string, extra = '') =>
  [`id: ${id}`, `name: Rule ${id}`, 'status: approved', `severity: ${severity}`, 'description: d', 'enforce:', '  detect:', detect, extra].join('\n');

describe('levels from severity', () => {
  const files = {
    '.failures/anti-patterns/AP-001.yaml': record('AP-001', 'high', '    - pattern: eval($X)'),
    '.failures/anti-patterns/AP-002.yaml': record('AP-002', 'low', '    - pattern: console.log($$$)'),
    'src/a.ts': 'console.log(1);\nconsole.log(2);\n',
  };

  it('warnings never fail a check unless --max-warnings says so; errors always do', () => {
    const root = repo(files);
    const clean = cli(root, ['check']);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('warning');
    expect(clean.stdout).toContain('(0 errors, 2 warnings)');
    expect(cli(root, ['check', '--max-warnings', '1']).code).toBe(1);
    expect(cli(root, ['check', '--max-warnings', '2']).code).toBe(0);
    expect(cli(root, ['check', '--max-warnings', 'many']).code).toBe(2);
    // As ESLint: -1 is no limit; an empty value (an unset shell variable) is no number, not 0.
    expect(cli(root, ['check', '--max-warnings', '-1']).code).toBe(0);
    expect(cli(root, ['check', '--max-warnings', '']).code).toBe(2);
    expect(cli(root, ['check', '--max-warnings', '-2']).code).toBe(2);
    writeFileSync(join(root, 'src', 'b.ts'), 'eval(s);\n');
    expect(cli(root, ['check']).code).toBe(1);
  });

  it('config.yaml levels map severities; SARIF and JSON carry the level', () => {
    const root = repo({ ...files, '.failures/config.yaml': 'version: 1\nlevels:\n  low: error\n' });
    expect(cli(root, ['check']).code).toBe(1);
    const sarif = JSON.parse(cli(root, ['check', '-f', 'sarif']).stdout);
    expect(sarif.runs[0].results[0].level).toBe('error');
    const plain = repo(files);
    const json = JSON.parse(cli(plain, ['check', '-f', 'json']).stdout);
    expect(json[0].messages.map((m: { severity: number }) => m.severity)).toEqual([1, 1]);
    expect(json[0].warningCount).toBe(2);
  });
});

describe('fixes', () => {
  const files = {
    '.failures/anti-patterns/AP-001.yaml': record(
      'AP-001',
      'high',
      '    - pattern: gateway.charge($P)\n      fix: "gateway.charge($P, { idempotencyKey: keyFor($P) })"',
      'examples:\n  bad: [{ code: "gateway.charge(p)", fixed: "gateway.charge(p, { idempotencyKey: keyFor(p) })" }]\n',
    ),
    'src/pay.ts': 'await gateway.charge(payment);\n',
  };

  it('--fix-dry-run prints the diff and changes nothing; --fix changes the working tree, then nothing remains', () => {
    const root = repo(files);
    const dry = cli(root, ['check', '--fix-dry-run']);
    expect(dry.stdout).toContain('-await gateway.charge(payment);');
    expect(dry.stdout).toContain('+await gateway.charge(payment, { idempotencyKey: keyFor(payment) });');
    expect(readFileSync(join(root, 'src', 'pay.ts'), 'utf8')).toBe('await gateway.charge(payment);\n');
    const fixed = cli(root, ['check', '--fix']);
    expect(fixed.code).toBe(0);
    expect(readFileSync(join(root, 'src', 'pay.ts'), 'utf8')).toBe('await gateway.charge(payment, { idempotencyKey: keyFor(payment) });\n');
    expect(cli(root, ['check', '--fix', '--staged']).code).toBe(2);
  });

  it('--fix fixes a match inside another match in a second pass, as ESLint does, and stops when a fix changes nothing', () => {
    const root = repo({
      '.failures/anti-patterns/AP-001.yaml': record('AP-001', 'high', '    - pattern: console.error($$$A)\n      fix: reportError($$$A)'),
      '.failures/anti-patterns/AP-002.yaml': record('AP-002', 'high', '    - pattern: same($A)\n      fix: same($A)'),
      'src/a.ts': 'console.error(console.error(a));\nsame(1);\n',
    });
    const fixed = cli(root, ['check', '--fix', 'src/a.ts']);
    expect(readFileSync(join(root, 'src', 'a.ts'), 'utf8')).toBe('reportError(reportError(a));\nsame(1);\n');
    expect(fixed.stdout).not.toContain('failures/ap-001');
    expect(fixed.stdout).toContain('failures/ap-002');
  });

  it('--fix-dry-run with -f json keeps stdout JSON (the diff goes to stderr); --fix with --fix-dry-run is refused, nothing written', () => {
    const root = repo(files);
    const dry = cli(root, ['check', '--fix-dry-run', '-f', 'json']);
    expect(JSON.parse(dry.stdout)[0].messages[0].ruleId).toBe('failures/ap-001');
    expect(dry.stderr).toContain('+await gateway.charge(payment, { idempotencyKey: keyFor(payment) });');
    const both = cli(root, ['check', '--fix', '--fix-dry-run']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--fix writes the fixes and --fix-dry-run only shows them');
    expect(readFileSync(join(root, 'src', 'pay.ts'), 'utf8')).toBe('await gateway.charge(payment);\n');
  });

  it('SARIF carries the fix; failures test checks examples.fixed', () => {
    const root = repo(files);
    const sarif = JSON.parse(cli(root, ['check', '-f', 'sarif']).stdout);
    const change = sarif.runs[0].results[0].fixes[0].artifactChanges[0];
    expect(change.replacements[0].insertedContent.text).toBe('gateway.charge(payment, { idempotencyKey: keyFor(payment) })');
    expect(change.replacements[0].deletedRegion).toEqual({ startLine: 1, startColumn: 7, endLine: 1, endColumn: 30 });
    expect(cli(root, ['test']).code).toBe(0);
  });
});

describe('check --pattern, failures test on proposed records, SARIF URIs', () => {
  it('tries a pattern ad hoc, in a language', () => {
    const root = repo({ 'jobs/a.py': 'gateway.charge(p)\n', 'src/a.ts': 'gateway.charge(p);\n' });
    const python = cli(root, ['check', '--pattern', 'gateway.charge($P)', '--lang', 'python', '-f', 'json']);
    expect(python.code).toBe(1);
    expect(JSON.parse(python.stdout).map((r: { filePath: string }) => r.filePath.slice(root.length + 1))).toEqual(['jobs/a.py']);
    const empty = cli(root, ['check', '--pattern', '']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--pattern is empty');
    const bad = cli(root, ['check', '--pattern', 'gateway.charge(']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('does not parse');
  });

  it('without --lang, files named in one other language give the pattern its language, never a silent "0 files checked"', () => {
    const root = repo({ 'jobs/a.py': 'gateway.charge(p)\n', 'src/a.ts': 'gateway.charge(p);\n' });
    const named = cli(root, ['check', '--pattern', 'gateway.charge($P)', 'jobs/a.py']);
    expect(named.code).toBe(1);
    expect(named.stdout).toContain('jobs/a.py');
    const mixed = cli(root, ['check', '--pattern', 'gateway.charge($P)', 'jobs/a.py', 'src/a.ts']);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('--pattern: without --lang the pattern reads JS/TS files, and jobs/a.py is python');
    expect(mixed.stderr).toContain('--lang python');
  });

  it('test ID on a record that does not validate shows its problems, not "not an approved or proposed anti-pattern"', () => {
    const root = repo({
      '.failures/anti-patterns/AP-001.yaml': ['id: AP-001', 'name: n', 'status: proposed', 'description: d', 'enforce:', '  detect:', '    - kind: jsx_attribute', '      regex: "^target="', ''].join('\n'),
    });
    const result = cli(root, ['test', 'AP-001']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('AP-001 cannot be tested: its record is invalid');
    expect(result.stderr).toContain('.failures/anti-patterns/AP-001.yaml:7:7: error: enforce.detect[0] needs exactly one of');
    expect(result.stderr).not.toContain('not an approved or proposed');
  });

  it('tests proposed records too, and says why a detector does not compile', () => {
    const root = repo({
      '.failures/anti-patterns/AP-001.yaml': ['id: AP-001', 'name: n', 'status: proposed', 'description: d', 'enforce:', '  detect:', '    - pattern: "f("', 'examples:', '  bad: ["f(1)"]', ''].join('\n'),
    });
    const result = cli(root, ['test', 'ap-001']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('does not parse as TypeScript');
    expect(result.stdout).toContain('AP-001.yaml:7');
  });

  it('percent-encodes # and ? in SARIF URIs', () => {
    const root = repo({ '.failures/anti-patterns/AP-001.yaml': record('AP-001', 'high', '    - regex: TODO'), 'docs/a#b?c.md': 'TODO\n' });
    const sarif = JSON.parse(cli(root, ['check', '-f', 'sarif']).stdout);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('docs/a%23b%3Fc.md');
  });
});

describe('the result cache', () => {
  it('answers a warm check with the same results, and is emptied by any change to the rules', () => {
    const root = repo({ '.failures/anti-patterns/AP-001.yaml': record('AP-001', 'high', '    - pattern: eval($X)'), 'src/a.ts': 'eval(a);\n', 'src/b.ts': 'ok();\n' });
    expect(cli(root, ['check', '--no-cache']).code).toBe(1);
    expect(existsSync(join(root, '.failures', '.cache'))).toBe(false);
    const cold = cli(root, ['check', '-f', 'json']);
    const cache = JSON.parse(readFileSync(join(root, '.failures', '.cache', 'check.json'), 'utf8'));
    expect(Object.keys(cache.files).sort()).toEqual(['src/a.ts', 'src/b.ts']);
    expect(cli(root, ['check', '-f', 'json']).stdout).toBe(cold.stdout);
    expect(git(root, 'status', '--porcelain')).toBe('');
    // A changed file is checked again; a changed rule empties the cache.
    writeFileSync(join(root, 'src', 'b.ts'), 'eval(b);\n');
    expect(JSON.parse(cli(root, ['check', '-f', 'json']).stdout)).toHaveLength(2);
    writeFileSync(join(root, '.failures', 'anti-patterns', 'AP-001.yaml'), record('AP-001', 'high', '    - pattern: ok()'));
    // ok() is in no file: were the old results reused, eval() would still be reported.
    expect(JSON.parse(cli(root, ['check', '-f', 'json']).stdout)).toEqual([]);
  });
});

describe('the hook\'s result cache (check --staged)', () => {
  it('keys staged files by blob id in a cache of its own, and follows staged edits of files and rules', () => {
    const root = repo({ '.failures/anti-patterns/AP-001.yaml': record('AP-001', 'high', '    - pattern: eval($X)'), 'src/a.ts': 'ok();\n' });
    const stage = (path: string, text: string) => {
      writeFileSync(join(root, path), text);
      git(root, 'add', path);
    };
    stage('src/a.ts', 'ok(1);\n');
    expect(cli(root, ['check', '--staged']).code).toBe(0);
    const cache = JSON.parse(readFileSync(join(root, '.failures', '.cache', 'staged.json'), 'utf8'));
    expect(cache.files['src/a.ts'].hash).toBe(git(root, 'rev-parse', ':src/a.ts').trim());
    // The working tree's cache is neither read nor written by the hook.
    expect(existsSync(join(root, '.failures', '.cache', 'check.json'))).toBe(false);
    expect(cli(root, ['check', '--staged']).code).toBe(0);
    // A staged edit is a new blob: checked anew.
    stage('src/a.ts', 'eval(a);\n');
    expect(cli(root, ['check', '--staged']).code).toBe(1);
    // An unstaged edit of the rule does not count; a staged one empties the cache.
    writeFileSync(join(root, '.failures', 'anti-patterns', 'AP-001.yaml'), record('AP-001', 'high', '    - pattern: nothing($X)'));
    expect(cli(root, ['check', '--staged']).code).toBe(1);
    git(root, 'add', '.failures/anti-patterns/AP-001.yaml');
    expect(cli(root, ['check', '--staged']).code).toBe(0);
    stage('.failures/anti-patterns/AP-001.yaml', record('AP-001', 'high', '    - pattern: eval($X)'));
    expect(cli(root, ['check', '--staged']).code).toBe(1);
  });
});

describe('a rule whose files globs match nothing', () => {
  it('is named by a whole-project check, not left to check nothing silently', () => {
    const root = repo({
      '.failures/anti-patterns/AP-001.yaml': record('AP-001', 'high', '    - pattern: eval($X)').replace('enforce:\n', 'enforce:\n  files: ["src/"]\n'),
      '.failures/anti-patterns/AP-002.yaml': record('AP-002', 'high', '    - pattern: eval($X)').replace('enforce:\n', 'enforce:\n  files: ["src/**/*.ts"]\n'),
      'src/a.ts': 'eval(x);\n',
    });
    const result = cli(root, ['check']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('note: AP-001 checks no file: its files globs ("src/") match none of the project\'s files');
    expect(result.stderr).not.toContain('AP-002 checks no file');
    // Only a whole-project check can tell: not with paths.
    expect(cli(root, ['check', 'src/a.ts']).stderr).not.toContain('checks no file');
  });
});

describe('the hook after .failures/ is removed', () => {
  it('still blocks (exit 2), and says how to remove the hook if that was meant', () => {
    const root = repo({ '.failures/anti-patterns/AP-001.yaml': record('AP-001', 'high', '    - pattern: eval($X)'), 'src/a.ts': 'ok();\n' });
    expect(cli(root, ['hook', 'install']).code).toBe(0);
    git(root, 'rm', '-rq', '.failures');
    rmSync(join(root, '.failures'), { recursive: true, force: true });
    const blocked = spawnSync('git', ['commit', '-q', '-m', 'drop failures'], { cwd: root, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });
    expect(blocked.status).not.toBe(0);
    expect(blocked.stderr).toContain('no .failures/ folder');
    expect(blocked.stderr).toContain('remove the pre-commit hook: `failures hook uninstall --root .`');
    expect(cli(root, ['hook', 'uninstall', '--root', '.']).code).toBe(0);
    expect(spawnSync('git', ['commit', '-q', '-m', 'drop failures'], { cwd: root, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } }).status).toBe(0);
  });
});

describe('check --staged PATH', () => {
  it('names a path without staged changes as such, not as ignored by .gitignore', () => {
    const root = repo({ '.failures/anti-patterns/AP-001.yaml': record('AP-001', 'high', '    - pattern: eval($X)'), 'src/a.ts': 'ok();\n', 'src/b.ts': 'ok();\n' });
    writeFileSync(join(root, 'src/b.ts'), 'eval(x);\n');
    git(root, 'add', 'src/b.ts');
    const result = cli(root, ['check', '--staged', 'src/a.ts']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('warning: src/a.ts has no staged changes (git add it first), so it was not checked');
    expect(result.stderr).not.toContain('.gitignore');
    expect(cli(root, ['check', '--staged', 'src/b.ts']).code).toBe(1);
  });
});

describe('bounds through the CLI', () => {
  it('a file nested 6,000 brackets deep is reported unparsable (exit 1), never a crash of the parser (signal 11)', () => {
    const root = repo({
      '.failures/anti-patterns/AP-001.yaml': record('AP-001', 'high', "    - selector: \"CallExpression[callee.name='f']\"\n    - pattern: g($X)"),
      'src/deep.ts': `export const x = ${'['.repeat(6000)}${']'.repeat(6000)};\nf(1);\n`,
    });
    const result = cli(root, ['check', '-f', 'json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)[0].messages[0].message).toContain('nested more than 1000 deep');
  });
});

describe('the working tree scan (ast-grep reads and walks the files on its threads)', () => {
  it('checks a file ast-grep does not read itself (not UTF-8) as it checks the others, and the same as --staged', () => {
    const root = repo({
      '.failures/anti-patterns/AP-001.yaml': record('AP-001', 'high', '    - pattern: console.log($$$)\n    - selector: TSNonNullExpression'),
      'src/a.ts': 'const x = y!;\nconsole.log(x);\n',
      'src/deep/b.ts': 'export {};\n// caf\u00e9\nconsole.log(1);\n',
    });
    // Latin-1 bytes: not UTF-8 (read with U+FFFD), so ast-grep leaves the file to be parsed here.
    writeFileSync(join(root, 'src', 'latin1.ts'), Buffer.concat([Buffer.from('// caf'), Buffer.from([0xe9]), Buffer.from('\nconst z = w!;\nconsole.log(z);\n')]));
    git(root, 'add', '-A');
    const json = (args: string[]) =>
      (JSON.parse(cli(root, ['check', '-f', 'json', ...args]).stdout) as Array<{ filePath: string; messages: Array<{ line: number; column: number }> }>).map((r) => [
        r.filePath.slice(root.length + 1),
        r.messages.map((m) => `${m.line}:${m.column}`),
      ]);
    const tree = json(['--no-cache']);
    expect(tree).toEqual([
      ['src/a.ts', ['1:11', '2:1']],
      ['src/deep/b.ts', ['3:1']],
      ['src/latin1.ts', ['2:11', '3:1']],
    ]);
    // The hook reads the staged blob (the same bytes) on this thread.
    expect(json(['--staged'])).toEqual(tree.filter(([file]) => file === 'src/latin1.ts'));
  });
});

describe('SARIF and GitHub annotations in a monorepo (pkg/.failures)', () => {
  it('name files from the top of the repository, where code scanning and the pull request look for them', () => {
    const root = repo({ 'pkg/.failures/config.yaml': 'version: 1\n', 'pkg/.failures/anti-patterns/AP-001.yaml': record('AP-001', 'high', '    - pattern: eval($X)\n      fix: safeEval($X)'), 'pkg/src/a.ts': 'eval(x);\n' });
    const github = cli(root, ['check', '--root', 'pkg', '-f', 'github']);
    expect(github.stdout).toContain('::error file=pkg/src/a.ts,line=1,col=1');
    const sarif = JSON.parse(cli(root, ['check', '--root', 'pkg', '-f', 'sarif']).stdout);
    const result = sarif.runs[0].results[0];
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('pkg/src/a.ts');
    expect(result.fixes[0].artifactChanges[0].artifactLocation.uri).toBe('pkg/src/a.ts');
    // The JSON format keeps absolute paths; stylish, paths from where you stand.
    expect(JSON.parse(cli(root, ['check', '--root', 'pkg', '-f', 'json']).stdout)[0].filePath).toBe(join(root, 'pkg/src/a.ts'));
  });
});

describe('baseline and files that do not parse', () => {
  it('says that a parse error is not baselined, so check is still red, and how to leave the file out', () => {
    const root = repo({ '.failures/anti-patterns/AP-001.yaml': record('AP-001', 'high', '    - pattern: eval($X)'), 'fixtures/broken.js': 'eval(x);\nfunction (\n', 'ok.js': 'eval(y);\n' });
    const baseline = cli(root, ['baseline']);
    expect(baseline.code).toBe(0);
    expect(baseline.stderr).toContain('warning: 1 file does not parse (fixtures/broken.js:2:10:');
    expect(baseline.stderr).toContain("the rules' `ignore` globs");
    expect(cli(root, ['check']).code).toBe(1);
  });
});

describe('baseline --prune after files are renamed or deleted', () => {
  it('drops the entries of a deleted file, and moves a renamed file\'s entries to its new path', () => {
    const root = repo({
      '.failures/anti-patterns/AP-001.yaml': record('AP-001', 'high', '    - pattern: eval($X)'),
      'src/a.ts': 'eval(a);\n',
      'src/b.ts': 'eval(b);\neval(c);\n',
    });
    expect(cli(root, ['baseline']).code).toBe(0);
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'baseline');
    git(root, 'rm', '-q', 'src/a.ts');
    git(root, 'mv', 'src/b.ts', 'src/renamed.ts');
    git(root, 'commit', '-q', '-m', 'delete and rename');
    const pruned = cli(root, ['baseline', '--prune']);
    expect(pruned.code).toBe(0);
    const text = readFileSync(join(root, '.failures', 'baseline.yaml'), 'utf8');
    expect(text).not.toContain('src/a.ts');
    expect(text).not.toContain('src/b.ts');
    expect(text.match(/file: src\/renamed\.ts/g)).toHaveLength(2);
    expect(pruned.stderr).toContain('1 fixed violation dropped, 2 entries left');
    // What check passes is unchanged: the renamed file's old violations, and nothing new.
    expect(cli(root, ['check']).code).toBe(0);
    writeFileSync(join(root, 'src/new.ts'), 'eval(b);\n');
    expect(cli(root, ['check']).code).toBe(1);
  });
});
