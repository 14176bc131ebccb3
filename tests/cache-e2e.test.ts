import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, git, tempRepo } from './helpers.js';

const DEBUG = { FAILURES_DEBUG_CACHE: '1' };

/** Every file under .failures/ made ten seconds old: the cache keeps only files that have settled. */
function age(dir: string): void {
  const past = new Date(Date.now() - 10_000);
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) utimesSync(join(entry.parentPath, entry.name), past, past);
  }
}

/** The record cache's files: one per folder of record files. */
const shards = (repo: string) => readdirSync(join(repo, '.failures', '.cache')).filter((f) => /^records-[0-9a-f]{12}\.json$/.test(f));

const fromCache = (stderr: string) => Number(/record cache: (\d+) files from the cache/.exec(stderr)?.[1] ?? NaN);

function repoWithEntries(n: number): { repo: string; files: string[] } {
  const repo = tempRepo();
  expect(cli(repo, ['init']).code).toBe(0);
  for (let i = 0; i < n; i++) {
    const r = cli(repo, ['log', '--context', `fixture placed before import, case ${i}`, '--feedback', 'imports first', '--category', 'Testing', '--severity', 'low', '--no-suggest']);
    expect(r.code, r.stderr).toBe(0);
  }
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'entries');
  const month = readdirSync(join(repo, '.failures', 'feedback'))[0]!;
  const caseOf = (file: string) => Number(/case (\d+)/.exec(readFileSync(file, 'utf8'))![1]);
  // In the order they were logged: files[i] holds "case i".
  const files = readdirSync(join(repo, '.failures', 'feedback', month))
    .map((f) => join(repo, '.failures', 'feedback', month, f))
    .sort((a, b) => caseOf(a) - caseOf(b));
  age(join(repo, '.failures'));
  return { repo, files };
}

describe('the parsed-record cache', () => {
  it('is used when warm, ignored by git, and never changes what commands print', () => {
    const { repo } = repoWithEntries(4);
    // A cache file of the earlier format is replaced, not left beside the new one.
    mkdirSync(join(repo, '.failures', '.cache'), { recursive: true });
    writeFileSync(join(repo, '.failures', '.cache', 'records-v1.json'), '{"key":"old","files":{}}');
    const cold = cli(repo, ['analyze', '--format', 'json', '--min-frequency', '2'], { env: DEBUG });
    expect(cold.code, cold.stderr).toBe(0);
    expect(fromCache(cold.stderr)).toBe(0);
    expect(shards(repo).length).toBeGreaterThan(0);
    expect(existsSync(join(repo, '.failures', '.cache', 'records-v1.json'))).toBe(false);
    const warm = cli(repo, ['analyze', '--format', 'json', '--min-frequency', '2'], { env: DEBUG });
    expect(fromCache(warm.stderr)).toBe(5); // config.yaml and four entries; README.md is no record
    const strip = (s: string) => s.replace(/"generated": "[^"]+"/, '');
    expect(strip(warm.stdout)).toBe(strip(cold.stdout));
    const off = cli(repo, ['analyze', '--format', 'json', '--min-frequency', '2'], { env: { FAILURES_CACHE: '0' } });
    expect(strip(off.stdout)).toBe(strip(cold.stdout));
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  it('reads an edited file again, even one edited to the same size with its old mtime put back', () => {
    const { repo, files } = repoWithEntries(3);
    expect(cli(repo, ['validate'], { env: DEBUG }).code).toBe(0);
    const file = files[0]!;
    const before = statSync(file);
    const text = readFileSync(file, 'utf8');
    // Same length: severity low → a broken enum value of three letters.
    writeFileSync(file, text.replace('severity: low', 'severity: bad'));
    utimesSync(file, before.atime, before.mtime);
    const result = cli(repo, ['validate'], { env: DEBUG });
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toContain('severity');
    expect(fromCache(result.stderr)).toBe(3);
  });

  it('forgets a deleted file and follows a checkout of another branch', () => {
    const { repo, files } = repoWithEntries(3);
    const count = () => JSON.parse(cli(repo, ['validate', '--format', 'json']).stdout).records.feedback as number;
    expect(count()).toBe(3);
    rmSync(files[1]!);
    expect(count()).toBe(2);
    git(repo, 'checkout', '-q', '--', '.');
    git(repo, 'checkout', '-q', '-b', 'other');
    rmSync(files[0]!);
    writeFileSync(files[2]!, readFileSync(files[2]!, 'utf8').replace('case 2', 'case two'));
    git(repo, 'commit', '-q', '-am', 'other branch');
    age(join(repo, '.failures'));
    expect(count()).toBe(2);
    const onOther = JSON.parse(cli(repo, ['analyze', '--format', 'json', '--min-frequency', '1']).stdout);
    expect(JSON.stringify(onOther)).toContain('case two');
    git(repo, 'checkout', '-q', 'main');
    expect(count()).toBe(3);
    const onMain = JSON.parse(cli(repo, ['analyze', '--format', 'json', '--min-frequency', '1'], { env: DEBUG }).stdout);
    expect(JSON.stringify(onMain)).toContain('case 2');
    expect(JSON.stringify(onMain)).not.toContain('case two');
  });

  it('rewrites only the cache file of the folder that changed', () => {
    const { repo, files } = repoWithEntries(2);
    const month = files[0]!.split('/').slice(-2, -1)[0]!;
    // A second folder of feedback, with an entry of its own.
    const other = join(repo, '.failures', 'feedback', '2001-01');
    mkdirSync(other, { recursive: true });
    const old = readFileSync(files[0]!, 'utf8');
    const oldId = /^id: (\S+)$/m.exec(old)![1]!;
    writeFileSync(join(other, 'fb-old-1.yaml'), old.replace(oldId, 'fb-old-1'));
    age(join(repo, '.failures'));
    expect(cli(repo, ['validate']).code).toBe(0);
    const cacheDir = join(repo, '.failures', '.cache');
    const before = new Map(shards(repo).map((f) => [f, readFileSync(join(cacheDir, f), 'utf8')]));
    expect(before.size).toBe(3); // the top level (config.yaml), two months
    const ofMonth = (m: string) => [...before].find(([, text]) => text.includes(`"folder":"feedback/${m}"`))![0];
    rmSync(files[1]!);
    const result = cli(repo, ['validate', '--format', 'json'], { env: DEBUG });
    expect(JSON.parse(result.stdout).records.feedback).toBe(2);
    const after = new Map(shards(repo).map((f) => [f, readFileSync(join(cacheDir, f), 'utf8')]));
    expect(after.get(ofMonth('2001-01'))).toBe(before.get(ofMonth('2001-01')));
    expect(after.get(ofMonth(month))).not.toBe(before.get(ofMonth(month)));
    expect(after.get(ofMonth(month))).not.toContain(files[1]!.split('/').pop());
    // A folder emptied of records loses its cache file.
    rmSync(join(other, 'fb-old-1.yaml'));
    expect(cli(repo, ['validate']).code).toBe(0);
    expect(shards(repo)).not.toContain(ofMonth('2001-01'));
  });

  it('is rebuilt when unreadable', () => {
    const { repo } = repoWithEntries(2);
    expect(cli(repo, ['validate']).code).toBe(0);
    for (const shard of shards(repo)) writeFileSync(join(repo, '.failures', '.cache', shard), '{ not json');
    const result = cli(repo, ['validate', '--format', 'json'], { env: DEBUG });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).records.feedback).toBe(2);
    expect(fromCache(result.stderr)).toBe(0);
    expect(fromCache(cli(repo, ['validate'], { env: DEBUG }).stderr)).toBe(3);
  });
});

describe('terms learned from decisions', () => {
  it('are kept in a derived file, rebuilt when a link changes', () => {
    const repo = tempRepo();
    expect(cli(repo, ['init']).code).toBe(0);
    const first = JSON.parse(cli(repo, ['log', '--context', 'credentials written to the log file', '--feedback', 'redact secrets before logging', '--category', 'Security', '--severity', 'high', '--format', 'json', '--no-suggest']).stdout).created[0];
    const file = join(repo, '.failures', '.cache', 'learned.json');
    expect(cli(repo, ['analyze', '--format', 'json']).code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).learned.terms).toEqual({});
    expect(cli(repo, ['log', '--context', 'printed the bearer header in debug output', '--feedback', 'mask authorization headers', '--category', 'Security', '--severity', 'high', '--same-as', first, '--no-suggest']).code).toBe(0);
    expect(cli(repo, ['analyze', '--format', 'json']).code).toBe(0);
    const learned = JSON.parse(readFileSync(file, 'utf8'));
    expect(learned.learned.terms['w:credenti']).toEqual(expect.arrayContaining([expect.arrayContaining(['w:bearer'])]));
    expect(learned.note).toMatch(/do not edit/);
  });
});
