import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

function store(): string {
  const root = tempDir();
  expect(cli(root, ['init']).code).toBe(0);
  mkdirSync(join(root, '.failures', 'anti-patterns'), { recursive: true });
  writeFileSync(join(root, '.failures', 'anti-patterns', 'AP-001.yaml'), 'id: AP-001\nname: n\nstatus: proposed\ndescription: d\n');
  return root;
}

function written(root: string): string[] {
  const folder = join(root, '.failures', 'feedback');
  return readdirSync(folder, { recursive: true }).map(String).filter((f) => f.endsWith('.yaml'));
}

const ENTRY = '"type":"mistake","context":"c","feedback":"f","category":"Testing","severity":"low"';

/** Each malformed report: a file:line:col error, exit 2 (or 1 for invalid entries), nothing written. */
const MALFORMED: Array<[name: string, file: string, content: string | Buffer, expected: RegExp]> = [
  ['ESLint messages: [null]', 'r.json', '[{"filePath":"a.js","messages":[null]}]', /r\.json:1:33: error: item 1, messages\[0\] is not an ESLint message/],
  ['Jest startTime: 1e20', 'r.json', '{"testResults":[],"startTime":1e20}', /r\.json:1:31: error: startTime .* is not a time/],
  ['Jest testResults: [null]', 'r.json', '{\n  "testResults": [\n    {},\n    null\n  ]\n}\n', /r\.json:4:5: error: testResults\[1\] is not a test file result/],
  ['Jest assertionResults: [null]', 'r.json', '{"testResults":[{"assertionResults":[null]}]}', /assertionResults\[0\] is not a test result/],
  ['Jest ancestorTitles not a list', 'r.json', '{"testResults":[{"name":"a","assertionResults":[{"status":"failed","ancestorTitles":5}]}]}', /r\.json:1:1: error: the report could not be read/],
  ['JUnit with a DOCTYPE', 'r.xml', '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n<testsuite><testcase name="t"><failure>&a;</failure></testcase></testsuite>\n', /r\.xml:2:1: error: a JUnit report has no <!DOCTYPE>/],
  ['JUnit with 5,000 nested suites', 'r.xml', `<testsuites>${'<testsuite>'.repeat(5000)}<testcase name="a"><failure/></testcase>${'</testsuite>'.repeat(5000)}</testsuites>`, /r\.xml:1:1: error: the XML nests more than/],
  ['JSONL nested 100k deep', 'r.jsonl', `{${ENTRY},"x-a":${'['.repeat(100000)}${']'.repeat(100000)}}\n`, /r\.jsonl:1:1: error: the object nests more than 32 levels/],
  ['JSONL with its own id', 'r.jsonl', `{"id":"fb-1",${ENTRY}}\n`, /r\.jsonl:1:2: error: id is assigned by failures/],
  ['JSONL linking an unknown anti-pattern', 'r.jsonl', `{${ENTRY},"anti_pattern":"AP-404"}\n`, /r\.jsonl:1:\d+: error: anti_pattern AP-404: no such anti-pattern/],
  ['JSONL anti_pattern escaping the folder', 'r.jsonl', `{${ENTRY},"anti_pattern":"../config"}\n`, /no such anti-pattern/],
  ['JSONL linking an unknown entry', 'r.jsonl', `{${ENTRY},"same_as":"fb-20250101-zzzzzzzz"}\n`, /same_as fb-20250101-zzzzzzzz: no such feedback entry/],
  ['a string source of 20,000 characters', 'r.jsonl', `{${ENTRY},"source":"${'a'.repeat(20000)}"}\n`, /r\.jsonl:1:\d+: error: source must be an object/],
  ['a truncated JUnit report', 'r.xml', '<?xml version="1.0"?>\n<testsuite name="s">\n  <testcase name="t"><failure>boom</failure>\n', /r\.xml:3:45: error: the report ends early \(truncated\?\): <testsuite>, <testcase> never closed/],
  ['a JSON report of another kind (Mocha)', 'r.json', '{\n  "stats": { "tests": 1 },\n  "failures": []\n}\n', /r\.json:1:1: error: this JSON is not a report failures reads/],
  ['a UTF-16 report', 'r.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('[]', 'utf16le')]), /r\.json:1:1: error: the file is UTF-16, not UTF-8/],
];

describe('malformed imports are errors at file:line:col, and write nothing', () => {
  for (const [name, file, content, expected] of MALFORMED) {
    it(name, () => {
      const root = store();
      writeFileSync(join(root, file), content);
      const started = Date.now();
      const result = cli(root, ['log', '--from', file, '--category', 'Testing']);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect([1, 2]).toContain(result.code);
      expect(result.stderr).toMatch(expected);
      expect(result.stderr).not.toContain('internal error');
      expect(result.stderr.split('\n').length).toBeLessThan(20);
      expect(written(root)).toEqual([]);
    });
  }

  it('--anti-pattern ../config and --same-as past the end of a batch are refused', () => {
    const root = store();
    expect(cli(root, ['log', '--context', 'c', '--feedback', 'f', '--category', 'Testing', '--severity', 'low', '--anti-pattern', '../config']).code).toBe(2);
    writeFileSync(join(root, 'three.jsonl'), `{${ENTRY}}\n{${ENTRY}}\n{${ENTRY}}\n`);
    const batch = cli(root, ['log', '--from', 'three.jsonl', '--format', 'json']);
    const ids = (JSON.parse(batch.stdout) as { created: string[] }).created;
    const stem = ids[0]!.replace(/-1$/, '');
    const log = (sameAs: string) => cli(root, ['log', '--context', 'c', '--feedback', 'f', '--category', 'Testing', '--severity', 'low', '--same-as', sameAs]);
    expect(log(`${stem}-3`).code).toBe(0);
    const past = log(`${stem}-99`);
    expect(past.code).toBe(2);
    expect(past.stderr).toContain('no such feedback entry');
  });

  it('a file of many bad lines shows the first twenty problems and a count', () => {
    const root = store();
    writeFileSync(join(root, 'r.jsonl'), '{"context":"x","category":"Nope","severity":"extreme"}\n'.repeat(100));
    const result = cli(root, ['log', '--from', 'r.jsonl']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/has \d+ problems/);
    expect(result.stderr).toMatch(/… and \d+ more/);
    expect(result.stderr.split('\n').length).toBeLessThan(60);
  });

  it('a folder or a FIFO given to --from is refused, not read (a FIFO would hang)', () => {
    const root = store();
    mkdirSync(join(root, 'dir'));
    expect(cli(root, ['log', '--from', 'dir']).stderr).toContain('not a regular file');
  });
});

describe('imports are linear', () => {
  it('20,000 JUnit test cases in a few seconds', () => {
    const root = store();
    const cases: string[] = [];
    for (let s = 0; s < 100; s++) {
      cases.push(`<testsuite name="s${s}">`);
      for (let c = 0; c < 200; c++) cases.push(`<testcase classname="S${s}" name="case ${c}"><failure message="expected ${c}">at x (src/a${s}.ts:${c + 1}:1)</failure></testcase>`);
      cases.push('</testsuite>');
    }
    writeFileSync(join(root, 'big.xml'), `<testsuites>\n${cases.join('\n')}\n</testsuites>\n`);
    const started = Date.now();
    const result = cli(root, ['log', '--from', 'big.xml', '--format', 'json']);
    const elapsed = Date.now() - started;
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as { created: string[] }).created).toHaveLength(20000);
    expect(elapsed).toBeLessThan(15_000);
  });
});
