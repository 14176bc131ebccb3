import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadStore } from '../src/store/read.js';
import { fastParse } from '../src/store/fast-parse.js';
import type { Problem } from '../src/errors.js';
import { fixtureCopy, tempDir } from './helpers.js';

/** A project whose .failures/ holds exactly these files. */
function project(files: Record<string, string>): string {
  const root = tempDir();
  for (const [path, text] of Object.entries(files)) {
    const full = join(root, '.failures', path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  return root;
}

const brief = (p: Problem) => `${p.file.split('/.failures/')[1]}:${p.line}:${p.column} ${p.rule}: ${p.message}`;

const FEEDBACK = `id: fb-20250108-aaaaaaaa
timestamp: "2025-01-08T10:30:00"
type: mistake
context: pytest fixture before import
feedback: All imports must come before fixtures
category: Testing
severity: high
`;
const fb = (id: string, extra = '') => FEEDBACK.replace('fb-20250108-aaaaaaaa', id) + extra;

describe('loadStore', () => {
  it('reads the payments fixture without a problem', () => {
    const store = loadStore(fixtureCopy('payments'));
    expect(store.problems.map(brief)).toEqual([]);
    expect(store.records.map((r) => `${r.kind}:${r.id}`).sort()).toEqual([
      'anti-pattern:AP-001',
      'config:',
      'constraint:T_INC089_1',
      'failure-mode:F_NEW_1',
      'feedback:fb-20250108-0000000a',
      'feedback:fb-20250109-0000000b-1',
      'feedback:fb-20250109-0000000b-2',
      'incident:INC-2024-089',
      'postmortem:PM-2024-089',
      'ticket-pattern:TP-001',
    ]);
    expect(store.config.min_frequency).toBe(3);
  });

  it('reports a wrong enum with the allowed values, at the value', () => {
    const root = project({ 'feedback/2025-01/fb-20250108-aaaaaaaa.yaml': FEEDBACK.replace('type: mistake', 'type: blunder') });
    expect(loadStore(root).problems.map(brief)).toEqual([
      "feedback/2025-01/fb-20250108-aaaaaaaa.yaml:3:7 schema: type must be one of mistake, repetition, clarification; got 'blunder'",
    ]);
  });

  it('reports a severity outside config.yaml in the issue\'s words', () => {
    const root = project({ 'feedback/2025-01/fb-20250108-aaaaaaaa.yaml': FEEDBACK.replace('severity: high', 'severity: extreme') });
    const [problem] = loadStore(root).problems;
    expect(brief(problem!)).toBe("feedback/2025-01/fb-20250108-aaaaaaaa.yaml:7:11 vocabulary: severity must be one of low, medium, high; got 'extreme'");
    expect(problem!.fix).toContain('severities in .failures/config.yaml');
  });

  it('reports an unknown key at the key, with a suggestion', () => {
    const root = project({ 'feedback/2025-01/fb-20250108-aaaaaaaa.yaml': FEEDBACK + 'sevrity: low\n' });
    const [problem] = loadStore(root).problems;
    expect(brief(problem!)).toBe("feedback/2025-01/fb-20250108-aaaaaaaa.yaml:8:1 schema: unknown field 'sevrity'");
    expect(problem!.fix).toBe("did you mean 'severity'?");
  });

  it('reports a YAML syntax error at its line', () => {
    const root = project({ 'incidents/INC-1.yaml': 'incident_id: INC-1\ntitle: "unclosed\n' });
    const problems = loadStore(root).problems;
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.rule === 'yaml' && p.file.endsWith('INC-1.yaml'))).toBe(true);
    expect(problems[0]!.line).toBeGreaterThanOrEqual(2);
  });

  it('says how to fix a mis-indented key and a backslash in double quotes, not "close the quote"', () => {
    const ap = (detect: string) => `id: AP-001\nname: n\nstatus: approved\ndescription: d\nenforce:\n  detect:\n${detect}`;
    const root = project({
      'anti-patterns/AP-001.yaml': ap('    - pattern: foo($A)\n     fix: bar($A)\n'),
      'anti-patterns/AP-002.yaml': ap('    - regex: "port=\\d+"\n'),
    });
    const problems = loadStore(root).problems.map((p) => `${brief(p)} | ${p.fix}`);
    expect(problems).toEqual([
      'anti-patterns/AP-001.yaml:8:1 yaml: YAML: Sequence item without - indicator | this line is indented differently from the lines around it: give a key the same indentation as the keys beside it (e.g. `fix:` under `pattern:`), or start a list item with "- "',
      'anti-patterns/AP-002.yaml:7:20 yaml: YAML: Invalid escape sequence \\d | in double quotes a backslash starts an escape: double it ("\\\\d+"), or use single quotes (\'\\d+\'), where a backslash is itself',
    ]);
  });

  it('says to write one item as a list, and names a key that only an ast-grep detector takes', () => {
    const ap = (enforce: string, id = 'AP-001') => `id: ${id}\nname: n\nstatus: approved\ndescription: d\nenforce:\n${enforce}`;
    const root = project({
      'anti-patterns/AP-001.yaml': ap('  files: "src/**/*.ts"\n  detect:\n    pattern: eval($X)\n'),
      'anti-patterns/AP-002.yaml': ap('  detect:\n    - regex: eval\n      language: python\n    - selector: CallExpression\n      fix: x\n    - kind: jsx_attribute\n      regex: "^target="\n', 'AP-002'),
    });
    const problems = loadStore(root).problems.map((p) => `${brief(p)} | ${p.fix}`);
    expect(problems).toEqual([
      "anti-patterns/AP-001.yaml:6:10 schema: enforce.files must be a list; got 'src/**/*.ts' | write it as a list: files: [\"src/**/*.ts\"]",
      'anti-patterns/AP-001.yaml:8:5 schema: enforce.detect must be a list; got a mapping | write it as a list: put "- " before the item under detect:',
      "anti-patterns/AP-002.yaml:8:7 schema: 'enforce.detect[0].language' goes with an ast-grep rule (pattern, kind, rule, all, any, matches), and this detector has none | remove `language:` from this detector, or write the detector as an ast-grep rule",
      "anti-patterns/AP-002.yaml:10:7 schema: 'enforce.detect[1].fix' goes with an ast-grep rule (pattern, kind, rule, all, any, matches), and this detector has none | remove `fix:` from this detector, or write the detector as an ast-grep rule",
      'anti-patterns/AP-002.yaml:11:7 schema: enforce.detect[2] needs exactly one of pattern, kind, rule, all, any, matches, selector, import, regex; it has kind and regex | for ast-grep\'s regex on the node\'s text, put both under `rule:` (rule: { kind: …, regex: … }); a `regex` beside them is a text detector of its own: split it into its own item',
    ]);
  });

  it('names a misspelt key deep in an ast-grep rule (stopby) with a did-you-mean, not "must be a string"', () => {
    const root = project({
      'anti-patterns/AP-001.yaml': [
        'id: AP-001', 'name: n', 'status: approved', 'description: d', 'enforce:', '  detect:', '    - kind: call_expression',
        '      utils:', '        in-loop:', '          inside:', '            kind: for_statement', '            follows:', '              stopby: end', '              kind: comment', '',
      ].join('\n'),
    });
    const problems = loadStore(root).problems.map((p) => `${brief(p)} | ${p.fix}`);
    expect(problems).toEqual(["anti-patterns/AP-001.yaml:13:15 schema: unknown field 'enforce.detect[0].utils.in-loop.inside.follows.stopby' | did you mean 'stopBy'?"]);
  });

  it('names what Semgrep keys and a pasted ast-grep rule file are called in a record', () => {
    const head = 'id: AP-001\nname: n\nstatus: approved\ndescription: d\n';
    const root = project({
      'anti-patterns/AP-001.yaml': `${head}enforce:\n  detect:\n    - pattern: eval($X)\n      pattern-not-inside: try { $$$ }\n`,
      'anti-patterns/AP-002.yaml': `${head.replace('AP-001', 'AP-002')}language: TypeScript\n`,
    });
    const fixes = loadStore(root).problems.map((p) => `${p.path} | ${p.fix}`);
    expect(fixes).toEqual([
      "enforce.detect[0].pattern-not-inside | `pattern-not-inside` is Semgrep's; here (ast-grep's rule keys) write `not_inside:`",
      'language | an ast-grep rule goes in a detector: enforce: { detect: [ { rule: …, language: … } ] } (its utils, constraints and fix beside rule:)',
    ]);
  });

  it('warns (without blocking) about a message placeholder that does not exist, with the one meant', async () => {
    const root = project({
      'anti-patterns/AP-001.yaml': 'id: AP-001\nname: n\nstatus: approved\ndescription: d\nenforce:\n  message: "{nmae}: {description}"\n  detect:\n    - pattern: eval($X)\n',
    });
    const { loadEnforcement, blockingProblems } = await import('../src/store/enforcement.js');
    const enforcement = loadEnforcement(root);
    expect(enforcement.problems.map((p) => `${brief(p)} | ${p.severity} | ${p.fix?.split('?')[0]}`)).toEqual([
      'anti-patterns/AP-001.yaml:6:12 detector: the message\'s {nmae} is no placeholder: findings would show it as written | warning | did you mean {name}',
    ]);
    expect(blockingProblems(enforcement)).toEqual([]);
  });

  it('puts an annotated example\'s failure at its own line in the record (a block scalar), not at the example', async () => {
    const root = project({
      'anti-patterns/AP-001.yaml': [
        'id: AP-001', 'name: n', 'status: approved', 'description: d', 'enforce:', '  detect:', '    - pattern: eval($X)', 'examples:', '  bad:',
        '    - code: |', '        // ruleid: AP-001', '        eval(a);', '        // ok: AP-001', '        eval(b);', '      filename: a.ts', '',
      ].join('\n'),
    });
    const { loadEnforcement, selfTestProblems } = await import('../src/store/enforcement.js');
    const problems = selfTestProblems(loadEnforcement(root)).problems.map((p) => `${p.line}:${p.column} ${p.message}`);
    expect(problems).toEqual(['14:9 examples.bad[0] line 4 (ok: AP-001) is flagged by failures/ap-001']);
  });

  it('reports a duplicate key at the second key', () => {
    const root = project({ 'incidents/INC-1.yaml': 'incident_id: INC-1\ntitle: a\ntitle: b\n' });
    const problems = loadStore(root).problems;
    expect(problems.map(brief)).toEqual(['incidents/INC-1.yaml:3:1 yaml: YAML: Map keys must be unique']);
  });

  it('refuses an alias bomb without exhausting memory', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 9; i++) {
      const prev = String.fromCharCode(97 + i);
      const next = String.fromCharCode(98 + i);
      lines.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const root = project({ 'incidents/INC-1.yaml': `incident_id: INC-1\ntitle: bomb\n${lines.join('\n')}\n` });
    const problems = loadStore(root).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/could not be read: .*alias/i);
    expect(problems[0]!.line).toBe(1);
  });

  it('reports a wrong type and says how to fix a quoted number', () => {
    const root = project({ 'feedback/2025-01/fb-20250108-aaaaaaaa.yaml': FEEDBACK + 'line: "12"\n' });
    const [problem] = loadStore(root).problems;
    expect(brief(problem!)).toBe("feedback/2025-01/fb-20250108-aaaaaaaa.yaml:8:7 schema: line must be a whole number; got '12'");
    expect(problem!.fix).toBe('remove the quotes: 12');
  });

  it('reports an empty file and a missing required field', () => {
    const root = project({
      'incidents/INC-1.yaml': '',
      'incidents/INC-2.yaml': '# only a comment\n',
      'incidents/INC-3.yaml': 'incident_id: INC-3\n',
    });
    expect(loadStore(root).problems.map(brief)).toEqual([
      'incidents/INC-1.yaml:1:1 yaml: the file is empty; a incident record was expected'.replace('a incident', 'a incident'),
      'incidents/INC-2.yaml:1:1 yaml: the file is empty; a incident record was expected',
      "incidents/INC-3.yaml:1:1 schema: missing required field 'title'",
    ]);
  });

  it('reports duplicate ids in both files, with the next free id', () => {
    const ap = (file: string) => `id: AP-004\nname: ${file}\nstatus: proposed\ndescription: d\n`;
    const root = project({ 'anti-patterns/AP-004.yaml': ap('a'), 'anti-patterns/AP-004-copy.yaml': ap('b'), 'anti-patterns/AP-005.yaml': ap('c').replace('AP-004', 'AP-005') });
    const problems = loadStore(root).problems.filter((p) => p.rule === 'duplicate-id');
    expect(problems.map(brief)).toEqual([
      'anti-patterns/AP-004-copy.yaml:1:5 duplicate-id: duplicate id AP-004: also used by anti-patterns/AP-004.yaml:1:5',
      'anti-patterns/AP-004.yaml:1:5 duplicate-id: duplicate id AP-004: also used by anti-patterns/AP-004-copy.yaml:1:5',
    ]);
    expect(problems[0]!.fix).toContain('AP-006 is free');
  });

  it('reports an id that does not match its file name', () => {
    const root = project({ 'anti-patterns/AP-005.yaml': 'id: AP-5\nname: n\nstatus: proposed\ndescription: d\n' });
    const [problem] = loadStore(root).problems;
    expect(brief(problem!)).toBe("anti-patterns/AP-005.yaml:1:5 id-mismatch: id 'AP-5' does not match the file name AP-005.yaml");
  });

  it('reports references to records that do not exist, with a guess', () => {
    const root = project({
      'incidents/INC-2024-089.yaml': 'incident_id: INC-2024-089\ntitle: t\n',
      'anti-patterns/AP-001.yaml': 'id: AP-001\nname: n\nstatus: proposed\ndescription: d\norigin:\n  incidents: [INC-9, INC-2024-08]\n',
    });
    const problems = loadStore(root).problems;
    expect(problems.map(brief)).toEqual([
      "anti-patterns/AP-001.yaml:6:15 reference: origin.incidents[0] refers to incident 'INC-9', which does not exist",
      "anti-patterns/AP-001.yaml:6:22 reference: origin.incidents[1] refers to incident 'INC-2024-08', which does not exist",
    ]);
    expect(problems[1]!.fix).toBe("did you mean 'INC-2024-089'?");
  });

  it('checks batch feedback files: ids are the file name plus -N', () => {
    const root = project({
      'feedback/2025-01/fb-20250108-bbbbbbbb.yaml': `${fb('fb-20250108-bbbbbbbb-1')}---\n${fb('fb-20250108-bbbbbbbb-3')}`,
    });
    expect(loadStore(root).problems.map(brief)).toEqual([
      "feedback/2025-01/fb-20250108-bbbbbbbb.yaml:9:5 id-mismatch: id 'fb-20250108-bbbbbbbb-3' does not match the file name fb-20250108-bbbbbbbb.yaml",
    ]);
  });

  it('never lets one bad file hide the others', () => {
    const root = project({
      'feedback/2025-01/fb-20250108-aaaaaaaa.yaml': 'id: [unclosed\n',
      'feedback/2025-01/fb-20250108-cccccccc.yaml': fb('fb-20250108-cccccccc').replace('category: Testing', 'category: Testin'),
      'incidents/INC-1.yaml': 'incident_id: INC-1\ntitle: ok\n',
      'incidents/INC-2.yaml': 'incident_id: INC-2\n',
    });
    const store = loadStore(root);
    const files = new Set(store.problems.map((p) => p.file.split('/').pop()));
    expect([...files].sort()).toEqual(['INC-2.yaml', 'fb-20250108-aaaaaaaa.yaml', 'fb-20250108-cccccccc.yaml']);
    expect(store.records.filter((r) => r.valid).map((r) => r.id)).toContain('INC-1');
    expect(store.problems.find((p) => p.rule === 'vocabulary')!.fix).toContain("did you mean 'Testing'?");
  });

  it('skips temporary files of a write in progress (reporting them as leftovers) and warns about stray files', () => {
    const root = project({
      'feedback/2025-01/.fb-20250108-dddddddd.yaml.123.abcd.tmp': 'id: half-writ',
      'notes.yaml': 'a: 1\n',
      'incidents/notes.txt': 'hello',
      'README.md': '# readme',
    });
    const problems = loadStore(root).problems;
    expect(problems.map((p) => `${p.severity} ${brief(p)}`)).toEqual([
      'warning feedback/2025-01/.fb-20250108-dddddddd.yaml.123.abcd.tmp:1:1 layout: .fb-20250108-dddddddd.yaml.123.abcd.tmp is the temporary file of a write that did not finish (a killed process); it is not a record',
      'warning incidents/notes.txt:1:1 layout: notes.txt is not a .yaml file, so it is not read',
      'warning notes.yaml:1:1 layout: notes.yaml is not in a record folder, so it is not read',
    ]);
  });

  it('explains a detector with two kinds and a code pattern that needs quotes', () => {
    const root = project({
      'anti-patterns/AP-001.yaml': [
        'id: AP-001',
        'name: n',
        'status: approved',
        'description: d',
        'enforce:',
        '  detect:',
        '    - pattern: f($X)',
        '      selector: CallExpression',
        '    - pattern: gateway.charge($P)',
        '      not: gateway.charge($P, { key: $K })',
        '',
      ].join('\n'),
    });
    const problems = loadStore(root).problems;
    expect(problems[0]!.rule).toBe('yaml');
    expect(problems[0]!.line).toBe(10);
    expect(problems[0]!.fix).toContain('quote the value');
    const fixed = project({
      'anti-patterns/AP-001.yaml': 'id: AP-001\nname: n\nstatus: approved\ndescription: d\nenforce:\n  detect:\n    - pattern: f($X)\n      selector: CallExpression\n',
    });
    expect(loadStore(fixed).problems.map(brief)).toEqual([
      'anti-patterns/AP-001.yaml:7:7 schema: enforce.detect[0] needs exactly one of pattern, kind, rule, all, any, matches, selector, import, regex; it has pattern and selector',
    ]);
  });
});

describe('the fast path', () => {
  const scalars = ['1_000', '0b101', '0o17', '017', '0x1F', '.inf', '-.Inf', '.NaN', '1e3', '+12', 'yes', 'on', '~', 'Null', 'TRUE', '2025-01-08', '2025-01-08T10:30:00Z', '12:30', '"\\u00e9"', '0.', '-0', '.5'];

  it.each(scalars)('reads %s as the yaml package does (YAML 1.2 core schema)', (scalar) => {
    const text = `a: ${scalar}\nb: [${scalar}]\n`;
    const careful = parseAllDocuments(text).map((d) => d.toJS());
    const fast = fastParse(text);
    expect(fast === undefined || JSON.stringify(fast) === JSON.stringify(careful)).toBe(true);
  });

  it('leaves anchors, aliases, tags, duplicate keys and empty documents to the careful path', () => {
    for (const text of ['a: &x 1\nb: *x\n', 'a: !!str 1\n', 'a: 1\na: 2\n', '', '# comment\n', '- 1\n']) {
      expect(fastParse(text)).toBeUndefined();
    }
    expect(fastParse('a: 1\n---\nb: "a*b&c"\n')).toEqual([{ a: 1 }, { b: 'a*b&c' }]);
  });

  it('finds positions of records read on the fast path when a cross-check needs them', () => {
    const root = project({ 'constraints/T_1.yaml': '# a comment\nid: T_1\nstatement: s\norigin:\n  incidents:\n    - INC-404\n' });
    expect(loadStore(root).problems.map(brief)).toEqual([
      "constraints/T_1.yaml:6:7 reference: origin.incidents[0] refers to incident 'INC-404', which does not exist",
    ]);
  });
});
