import { describe, expect, it } from 'vitest';
import type { AntiPatternRecord } from '../src/types/records.js';
import { compileRules } from '../src/enforce/compile.js';
import { checkText } from '../src/enforce/engine.js';

type Detect = NonNullable<NonNullable<AntiPatternRecord['enforce']>['detect']>;

function rules(detect: Detect, extra: Partial<AntiPatternRecord> = {}) {
  const record: AntiPatternRecord = { id: 'AP-001', name: 'Retry Without Idempotency', status: 'approved', description: 'd', enforce: { detect }, ...extra };
  const { rules, issues } = compileRules([record]);
  expect(issues).toEqual([]);
  return rules;
}

/** Lines (and columns) flagged in a snippet. */
function flagged(detect: Detect, code: string, file = 'src/a.ts'): string[] {
  const result = checkText(file, code, rules(detect));
  expect(result.parseError).toBeUndefined();
  return result.findings.map((f) => `${f.line}:${f.column} ${f.code}`);
}

describe('pattern detectors', () => {
  const charge: Detect = [{ pattern: 'gateway.charge($P)', not: 'gateway.charge($P, { idempotencyKey: $K })' }];

  it('match structurally: whitespace, comments, quotes and trailing commas do not matter', () => {
    const code = [
      'gateway.charge(payment);',
      'gateway . charge( /* why */ payment , );',
      'gateway.charge(payment, { idempotencyKey: key });',
      'gateway.charge(a, b);',
      'other.charge(payment);',
    ].join('\n');
    expect(flagged(charge, code)).toEqual(['1:1 gateway.charge(payment)', '2:1 gateway . charge( /* why */ payment , )']);
    // Quotes are part of a string as ast-grep reads it (its "smart" strictness): 'x' is not "x".
    expect(flagged([{ pattern: "log('x')" }], 'log("x"); log(`x`); log("y"); log(\'x\');')).toEqual(["1:31 log('x')"]);
  });

  it('$NAME used twice must match equal code', () => {
    const detect: Detect = [{ pattern: '$A === $A' }];
    expect(flagged(detect, 'if (x.y === x.y) {}\nif (x === y) {}\nif (f(1) === f( 1 )) {}')).toEqual(['1:5 x.y === x.y', '3:5 f(1) === f( 1 )']);
  });

  it('... matches any sequence of arguments, elements, properties or statements', () => {
    expect(flagged([{ pattern: 'retry(...)' }], 'retry();\nretry(a, b, c);\nnotRetry(a);')).toEqual(['1:1 retry()', '2:1 retry(a, b, c)']);
    expect(flagged([{ pattern: 'send(..., { force: true })' }], 'send(a, b, { force: true });\nsend({ force: true });\nsend(a, { force: false });')).toEqual([
      '1:1 send(a, b, { force: true })',
      '2:1 send({ force: true })',
    ]);
    expect(flagged([{ pattern: 'fetch($URL, { ..., retries: $N })' }], 'fetch(u, { method: "POST", retries: 3 });\nfetch(u, { method: "POST" });')).toEqual([
      '1:1 fetch(u, { method: "POST", retries: 3 })',
    ]);
    expect(flagged([{ pattern: '[1, ...]' }], 'const a = [1, 2, 3]; const b = [2, 1];')).toEqual(['1:11 [1, 2, 3]']);
  });

  it('a one-argument pattern matches one-argument calls only', () => {
    expect(flagged([{ pattern: 'gateway.charge($P)' }], 'gateway.charge(p, opts);\ngateway.charge();')).toEqual([]);
  });

  it('matches statement sequences in order within one block', () => {
    const detect: Detect = [{ pattern: 'try { ... } catch ($E) { markFailure(...); }' }];
    const code = 'try { charge(); } catch (e) { markFailure(e); }\ntry { charge(); } catch (e) { markAmbiguous(e); }';
    expect(flagged(detect, code)).toEqual(['1:1 try { charge(); } catch (e) { markFailure(e); }']);
    const sequence: Detect = [{ pattern: 'lock(); $X; unlock();' }];
    expect(flagged(sequence, 'function f() { lock(); work(); unlock(); }\nfunction g() { lock(); unlock(); }')).toEqual(['1:16 lock(); work(); unlock();']);
  });

  it('inside and not_inside restrict by an enclosing pattern or selector', () => {
    const inLoop: Detect = [{ pattern: 'notify($U)', inside: { selector: ':matches(ForStatement, ForOfStatement, WhileStatement)' } }];
    expect(flagged(inLoop, 'notify(u);\nfor (const a of xs) { notify(a); }')).toEqual(['2:23 notify(a)']);
    const retryFunctions: Detect = [{ pattern: 'gateway.charge($P)', inside: { selector: 'FunctionDeclaration[id.name=/retry/i]' } }];
    expect(flagged(retryFunctions, 'function retryCharge(p) { gateway.charge(p); }\nfunction charge(p) { gateway.charge(p); }')).toEqual(['1:27 gateway.charge(p)']);
    const outsideTests: Detect = [{ pattern: 'console.log(...)', not_inside: "describe(...)" }];
    expect(flagged(outsideTests, 'console.log(1);\ndescribe("x", () => { console.log(2); });')).toEqual(['1:1 console.log(1)']);
  });

  it('works on TSX and JSX with each file\'s own parser', () => {
    const detect: Detect = [{ pattern: '<img src={$S} />' }];
    expect(flagged(detect, 'const a = <img src={x} />;', 'src/a.tsx')).toEqual(['1:11 <img src={x} />']);
    expect(flagged(detect, 'const a = <img src={x} />;', 'src/a.jsx')).toEqual(['1:11 <img src={x} />']);
    expect(flagged([{ pattern: 'x as any' }], 'const y = x as any;', 'src/a.ts')).toEqual(['1:11 x as any']);
  });
});

describe('selector, import and regex detectors', () => {
  it('selectors read as no-restricted-syntax reads them', () => {
    const detect: Detect = [{ selector: "CatchClause CallExpression[callee.name='markFailure']" }];
    expect(flagged(detect, 'try { a(); } catch (e) { markFailure(e); }\nmarkFailure(1);')).toEqual(['1:26 markFailure(e)']);
  });

  it('imports: import, export from, require() and import(), exact or glob, optionally by name', () => {
    const code = [
      "import pay from 'legacy-payments';",
      "export { x } from 'legacy-payments';",
      "const p = require('legacy-payments');",
      "const q = await import('legacy-payments');",
      "import ok from 'payments';",
    ].join('\n');
    expect(flagged([{ import: { from: 'legacy-payments' } }], code, 'src/a.mjs')).toHaveLength(4);
    expect(flagged([{ import: 'legacy-*' }], "import 'legacy-a'; import b from 'modern';", 'src/a.js')).toEqual(["1:1 import 'legacy-a';"]);
    const named: Detect = [{ import: { from: 'lodash', names: ['merge'] } }];
    expect(flagged(named, "import { merge } from 'lodash';\nimport { pick } from 'lodash';\nconst { merge: m } = require('lodash');", 'src/a.js')).toEqual([
      "1:1 import { merge } from 'lodash';",
      "3:22 require('lodash')",
    ]);
  });

  it('regex detectors work on any file type and report line and column', () => {
    const detect: Detect = [{ regex: 'gateway\\.charge\\(\\w+\\)\\s*$', flags: 'm', files: ['**/*.py'] }];
    const python = 'def remind(payment):\n    gateway.charge(payment)\n    gateway.charge(payment, idempotency_key=k)\n';
    expect(flagged(detect, python, 'src/jobs/payment_reminder.py')).toEqual(['2:5 gateway.charge(payment)']);
    expect(flagged(detect, python, 'src/jobs/payment_reminder.ts')).toEqual([]);
  });

  it('rejects a regex RE2 cannot run, a selector and a pattern that do not parse', () => {
    const record: AntiPatternRecord = {
      id: 'AP-9',
      name: 'n',
      status: 'approved',
      description: 'd',
      enforce: { detect: [{ regex: '(a)\\1' }, { selector: 'CallExpression[' }, { pattern: 'f(' }, { regex: 'ok' }] },
    };
    const { rules, issues } = compileRules([record]);
    expect(issues.map((i) => i.path.join('.'))).toEqual(['enforce.detect.0.regex', 'enforce.detect.1.selector', 'enforce.detect.2.pattern']);
    expect(issues[0]!.message).toContain('RE2');
    expect(issues[2]!.message).toContain('does not parse');
    expect(rules[0]!.detectors).toHaveLength(1);
  });

  it('runs regexes that would backtrack on V8 in linear time', () => {
    const started = Date.now();
    const spaces = `${' '.repeat(80_000)}x`;
    expect(flagged([{ regex: '\\s+$' }], spaces, 'a.txt')).toEqual([]);
    expect(flagged([{ regex: '(\\w|\\d)+$' }], `${'a'.repeat(50_000)}!`, 'a.txt')).toEqual([]);
    expect(flagged([{ regex: '(a+)+$' }], `${'a'.repeat(50_000)}!`, 'a.txt')).toEqual([]);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('only approved anti-patterns become rules', () => {
    const base = { name: 'n', description: 'd', enforce: { detect: [{ regex: 'x' }] } };
    const { rules } = compileRules(['proposed', 'approved', 'rejected', 'retired'].map((status, i) => ({ ...base, id: `AP-${i}`, status }) as AntiPatternRecord));
    expect(rules.map((r) => r.ruleId)).toEqual(['failures/ap-1']);
  });
});

describe('files, suppression and parse errors', () => {
  it('honours files and ignore globs, and never checks .failures/', () => {
    const r = rules([{ regex: 'TODO' }], { enforce: { files: ['src/**'], ignore: ['**/*.test.*'], detect: [{ regex: 'TODO' }] } });
    expect(checkText('src/a.ts', 'TODO', r).findings).toHaveLength(1);
    expect(checkText('src/a.test.ts', 'TODO', r).findings).toHaveLength(0);
    expect(checkText('lib/a.ts', 'TODO', r).findings).toHaveLength(0);
    expect(checkText('.failures/anti-patterns/AP-001.yaml', 'TODO', rules([{ regex: 'TODO' }])).findings).toHaveLength(0);
  });

  it('eslint-disable comments for failures rules and failures-ignore in any comment syntax', () => {
    const detect: Detect = [{ regex: 'charge\\(p\\)' }];
    const code = [
      'charge(p) // eslint-disable-line failures/ap-001',
      '// eslint-disable-next-line other/rule, failures/ap-001 -- reason',
      'charge(p)',
      'charge(p) # failures-ignore AP-001 -- legacy job, ticket PAY-12',
      '-- failures-ignore AP-001',
      'charge(p)',
      '/* eslint-disable failures/ap-001 */',
      'charge(p)',
      '/* eslint-enable failures/ap-001 */',
      'charge(p)',
      'charge(p) // eslint-disable-line other/rule',
    ].join('\n');
    expect(flagged(detect, code, 'x.txt').map((f) => f.split(' ')[0])).toEqual(['10:1', '11:1']);
  });

  it('reports a file that does not parse, like ESLint, and still runs regex detectors', () => {
    const r = rules([{ pattern: 'foo($X)' }, { regex: 'TODO' }]);
    const result = checkText('src/broken.ts', 'const = foo(1); // TODO', r);
    expect(result.parseError).toMatchObject({ line: 1 });
    expect(result.parseError!.message).toMatch(/^Parsing error:/);
    expect(result.findings.map((f) => f.code)).toEqual(['TODO']);
  });

  it('never parses a file that lacks the text a pattern needs', () => {
    const r = rules([{ pattern: 'gateway.charge($P)' }]);
    // Not valid code, but without "gateway" and "charge" it is never parsed, so no parse error.
    expect(checkText('src/a.ts', 'const = ;', r)).toEqual({ file: 'src/a.ts', findings: [] });
  });
});

describe('plain patterns share one walk of the tree', () => {
  it('report every detector that matches a node, whichever matched it first, and only those', () => {
    // Three detectors on the same call, one on another node, one that matches nothing (and an unnamed token by regex).
    const detect: Detect = [{ pattern: '$X.log($$$)' }, { pattern: 'foo($A)' }, { pattern: 'console.log($$$)' }, { pattern: 'console.$M($$$)' }, { pattern: 'nothing($A, $B)' }, { rule: { kind: 'identifier', regex: '^bar$' } }];
    const result = checkText('src/a.ts', 'console.log(1);\nfoo(bar);\n', rules(detect));
    expect(result.findings.map((f) => `${f.detector} ${f.line}:${f.column} ${f.code}`).sort()).toEqual(['0 1:1 console.log(1)', '1 2:1 foo(bar)', '2 1:1 console.log(1)', '3 1:1 console.log(1)', '5 2:5 bar']);
    // In another order, the later detectors are asked too.
    const reversed = checkText('src/a.ts', 'console.log(1);\n', rules([{ pattern: 'console.$M($$$)' }, { pattern: 'console.log($$$)' }, { pattern: '$X.log($$$)' }]));
    expect(reversed.findings.map((f) => f.detector)).toEqual([0, 1, 2]);
  });
});

describe('regexes that read only code, comments or strings', () => {
  it('tell a match in a comment, a string or code apart, whatever its characters, beside other comments and strings', () => {
    const code = [
      '// a.b(x) [1] $ ^ | in a comment',
      'const s = "a.b(x) [1] $ ^ | in a string";',
      'a.b(x); // another comment',
      'const t = `other ${a.b(x)}`; /* a.b(x) */',
      "const u = '😀a.b(x)😀';",
    ].join('\n');
    const detect = (area: string): Detect => [{ regex: 'a\\.b\\(x\\)( \\[1\\] \\$ \\^ \\|)?', in: area } as Detect[number]];
    expect(flagged(detect('comments'), code)).toEqual(['1:4 a.b(x) [1] $ ^ |', '4:33 a.b(x)']);
    // A template literal is a string, but its substitutions are code (`${process.env.API}/x` uses process.env).
    expect(flagged(detect('strings'), code)).toEqual(['2:12 a.b(x) [1] $ ^ |', '5:14 a.b(x)']);
    expect(flagged(detect('code'), code)).toEqual(['3:1 a.b(x)', '4:20 a.b(x)']);
  });

  it('read the substitutions of templates and interpolated strings as code, in every language that has them', () => {
    const env = (area: string): Detect => [{ regex: 'os\\.environ', in: area } as Detect[number]];
    const files: Array<[string, string, string[], string[]]> = [
      ['a.ts', 'const a = `x ${os.environ} ${`os.environ ${os.environ}`}`;\nconst b = "os.environ";', ['1:16', '1:44'], ['1:31', '2:12']],
      ['a.py', 'a = f"x {os.environ[\'B\']} y"\nb = "os.environ"\nc = f"os.environ {x}"', ['1:10'], ['2:6', '3:7']],
      ['a.rb', 'b = "x #{os.environ} y"\nc = "os.environ"', ['1:10'], ['2:6']],
      ['a.kt', 'val b = "x ${os.environ} y"\nval c = "os.environ"', ['1:14'], ['2:10']],
    ];
    // JSX text is text, like a string: `in: code` does not read it.
    files.push(['a.tsx', 'const e = <p title="os.environ">os.environ {os.environ}</p>;', ['1:45'], ['1:21', '1:33']]);
    for (const [file, code, inCode, inStrings] of files) {
      expect(flagged(env('code'), code, file).map((f) => f.split(' ')[0]), file).toEqual(inCode);
      expect(flagged(env('strings'), code, file).map((f) => f.split(' ')[0]), file).toEqual(inStrings);
    }
  });

  it('find suppressions among many comments', () => {
    const code = ['/* one */ // two', 'debugger; // eslint-disable-line failures/ap-001', '// three', 'debugger;'].join('\n');
    expect(flagged([{ selector: 'DebuggerStatement' }], code)).toEqual(['4:1 debugger;']);
  });
});
