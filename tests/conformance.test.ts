import { describe, expect, it } from 'vitest';
import type { AntiPatternRecord } from '../src/types/records.js';
import { compileRules } from '../src/enforce/compile.js';
import { checkText } from '../src/enforce/engine.js';
import { applyFixes } from '../src/enforce/fix.js';
import { testRule } from '../src/enforce/selftest.js';

// The behaviours ast-grep's and Semgrep's published pattern tests exercise (metavariables, ellipses,
// relational and composite rules, constraints, fixes; JS/TS/Python), written here as small cases, plus
// the payments story's rules in Python, Go and Java. Every rejected detector is a compile issue (a
// `validate` error at its line), never silence.

type Detect = NonNullable<NonNullable<AntiPatternRecord['enforce']>['detect']>;

function compile(detect: Detect, extra: Partial<AntiPatternRecord> = {}) {
  return compileRules([{ id: 'AP-001', name: 'n', status: 'approved', description: 'd', enforce: { detect }, ...extra }]);
}

function flagged(detect: Detect, code: string, file = 'src/a.ts'): string[] {
  const { rules, issues } = compile(detect);
  expect(issues).toEqual([]);
  const result = checkText(file, code, rules);
  expect(result.parseError?.level ?? 'none').not.toBe('error');
  return result.findings.map((f) => `${f.line}:${f.column} ${f.code}`);
}

function rejected(detect: Detect): string[] {
  const { issues } = compile(detect);
  return issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('metavariables and ellipses (JS/TS)', () => {
  it('$X binds one node, equal names equal code, $_ anything', () => {
    expect(flagged([{ pattern: '$X == $X' }], 'a == a; a == b; f(x) == f(x);')).toEqual(['1:1 a == a', '1:17 f(x) == f(x)']);
    expect(flagged([{ pattern: '$_ == $_' }], 'a == b;')).toEqual(['1:1 a == b']);
  });

  it('$$$ matches zero or more arguments, parameters, statements; $$$NAME binds them', () => {
    expect(flagged([{ pattern: 'foo($$$)' }], 'foo(); foo(1, 2); bar(1);')).toEqual(['1:1 foo()', '1:8 foo(1, 2)']);
    // The comma is part of the pattern (ast-grep's smart strictness): foo($A, $$$REST) needs two or more.
    expect(flagged([{ pattern: 'foo($A, $$$REST)' }], 'foo(); foo(1); foo(1, 2, 3);')).toEqual(['1:16 foo(1, 2, 3)']);
    expect(flagged([{ pattern: 'foo($$$ARGS)' }], 'foo(); foo(1);')).toEqual(['1:1 foo()', '1:8 foo(1)']);
    expect(flagged([{ pattern: 'function $F($$$) { $$$ }' }], 'function a(x) { return x }')).toEqual(['1:1 function a(x) { return x }']);
  });

  it('... (ESLint-era records) is $$$ unless it is a spread', () => {
    expect(flagged([{ pattern: 'merge(...)' }], 'merge(a, b); merge();')).toEqual(['1:1 merge(a, b)', '1:14 merge()']);
    expect(flagged([{ pattern: 'merge(...$ARGS)' }], 'merge(...xs); merge(xs);')).toEqual(['1:1 merge(...xs)']);
  });

  it('matches through whitespace, comments and optional trailing commas', () => {
    expect(flagged([{ pattern: 'fetch($URL, $OPTS)' }], 'fetch(\n  url, // the url\n  opts,\n);')).toEqual(['1:1 fetch(\n  url, // the url\n  opts,\n)']);
  });

  it('TS and TSX each in their own grammar; .d.ts as declarations', () => {
    expect(flagged([{ pattern: '$X as any' }], 'const y = (x as any) as any;')).toEqual(['1:11 (x as any) as any', '1:12 x as any']);
    expect(flagged([{ pattern: '<button onClick={$H} />' }], 'const b = <button onClick={go} />;', 'src/a.tsx')).toEqual(['1:11 <button onClick={go} />']);
    expect(flagged([{ pattern: 'declare function $F($$$): any' }], 'declare function f(a: string): any;\nexport declare class A { m(): void }', 'types/a.d.ts')).toEqual([
      '1:1 declare function f(a: string): any;',
    ]);
  });
});

describe('relational, composite and constraint keys', () => {
  it('inside / not_inside (top level: any ancestor), has, follows, precedes with stopBy', () => {
    expect(flagged([{ pattern: 'await $X', inside: { kind: 'for_in_statement' } }], 'for (const a of b) { if (a) { await f(a) } }\nawait g();')).toEqual(['1:31 await f(a)']);
    expect(flagged([{ pattern: 'console.log($$$)', not_inside: 'describe($$$)' }], 'console.log(1);\ndescribe("x", () => { console.log(2) });')).toEqual(['1:1 console.log(1)']);
    expect(flagged([{ kind: 'function_declaration', has: { pattern: 'eval($$$)' } }], 'function f() { if (x) { eval(s) } }\nfunction g() {}')).toEqual(['1:1 function f() { if (x) { eval(s) } }']);
    // Siblings are statements: the pattern is the statement (with its semicolon).
    expect(flagged([{ pattern: 'unlock();', not: { follows: { pattern: 'lock();', stopBy: 'end' } } }], 'function f() { lock(); unlock(); }\nfunction g() { unlock(); }')).toEqual(['2:16 unlock();']);
    expect(flagged([{ pattern: 'open($F);', precedes: { pattern: 'close($F);', stopBy: 'end' } }], 'open(a); work(); close(a);\nopen(b);')).toEqual(['1:1 open(a);']);
  });

  it('all, any, not, matches with utils, nthChild', () => {
    expect(flagged([{ any: [{ pattern: 'eval($X)' }, { pattern: 'new Function($$$)' }] }], 'eval(s); new Function("a"); f(s);')).toEqual(['1:1 eval(s)', '1:10 new Function("a")']);
    expect(flagged([{ all: [{ kind: 'call_expression' }, { has: { kind: 'template_string', stopBy: 'end' } }] }], 'q(`x${y}`); q("x");')).toEqual(['1:1 q(`x${y}`)']);
    expect(flagged([{ pattern: 'gateway.charge($P)', not: 'gateway.charge($P, $OPTS)' }], 'gateway.charge(p);')).toEqual(['1:1 gateway.charge(p)']);
    expect(flagged([{ matches: 'is-eval', utils: { 'is-eval': { pattern: 'eval($$$)' } } }], 'eval(1);')).toEqual(['1:1 eval(1)']);
  });

  it('constraints on metavariables (regex, kind, pattern)', () => {
    expect(flagged([{ pattern: '$U.charge($P)', constraints: { U: { regex: '^gate' } } }], 'gateway.charge(p); user.charge(p);')).toEqual(['1:1 gateway.charge(p)']);
    expect(flagged([{ pattern: 'setTimeout($F, $MS)', constraints: { MS: { kind: 'number' } } }], 'setTimeout(f, 10); setTimeout(f, ms);')).toEqual(['1:1 setTimeout(f, 10)']);
  });

  it('a whole ast-grep rule: object works as written (stopBy neighbor by default there)', () => {
    const rule = { rule: { pattern: 'await $X', inside: { kind: 'for_in_statement', stopBy: 'end' } } };
    expect(flagged([rule], 'for (const a of b) { await f(a) }\nawait g()')).toEqual(['1:22 await f(a)']);
    // In a rule: object, inside without stopBy is ast-grep's: the direct parent only.
    expect(flagged([{ rule: { pattern: '$X', kind: 'identifier', inside: { kind: 'arguments' } } }], 'f(a, g(b))')).toEqual(['1:3 a', '1:8 b']);
  });

  it('multi-statement patterns match consecutive statements of one block', () => {
    expect(flagged([{ pattern: 'lock(); $$$; unlock();' }], 'function f() { lock(); a(); b(); unlock(); }')).toEqual(['1:16 lock(); a(); b(); unlock();']);
  });
});

describe('fixes', () => {
  it('replace a match with the fix, metavariables substituted', () => {
    const { rules } = compile([{ pattern: 'gateway.charge($P)', fix: 'gateway.charge($P, { idempotencyKey: keyFor($P) })' }]);
    const code = 'await gateway.charge(payment);\nawait gateway.charge(refund);\n';
    const { findings } = checkText('src/a.ts', code, rules);
    expect(applyFixes(code, findings).text).toBe('await gateway.charge(payment, { idempotencyKey: keyFor(payment) });\nawait gateway.charge(refund, { idempotencyKey: keyFor(refund) });\n');
    const many = compile([{ pattern: 'console.log($$$ARGS)', fix: 'logger.debug($$$ARGS)' }]).rules;
    const text = 'console.log(a, "b", c);';
    expect(applyFixes(text, checkText('a.ts', text, many).findings).text).toBe('logger.debug(a, "b", c);');
  });

  it('a multi-line fix is indented as the ast-grep CLI indents it (outputs taken from `ast-grep run -r … -U`)', () => {
    const code = 'function f() {\n  if (x) {\n    call(\n      a,\n      b,\n    );\n  }\n}\n';
    const fixed = (fix: string) => applyFixes(code, checkText('a.ts', code, compile([{ pattern: 'call($$$ARGS)', fix }]).rules).findings).text;
    expect(fixed('wrap(\n  other($$$ARGS),\n)')).toBe('function f() {\n  if (x) {\n    wrap(\n      other(a,\n      b,),\n    );\n  }\n}\n');
    expect(fixed('wrap(\n  $$$ARGS\n)')).toBe('function f() {\n  if (x) {\n    wrap(\n      a,\n      b,\n    );\n  }\n}\n');
    // An unbound metavariable (the other branch of an `any`) writes nothing, as ast-grep's does.
    const either = compile([{ any: [{ pattern: 'tag($K, $V)' }, { pattern: 'tag($K)' }], fix: 'attr($K, $V)' }]).rules;
    expect(applyFixes('tag(a)', checkText('a.ts', 'tag(a)', either).findings).text).toBe('attr(a, )');
  });

  it("ast-grep's transform makes metavariables for the fix (object and string forms)", () => {
    const fixed = (detect: Detect, text: string, file = 'a.ts') => applyFixes(text, checkText(file, text, compile(detect).rules).findings).text;
    expect(fixed([{ pattern: '$O.$M($$$A)', transform: { SNAKE: { convert: { source: '$M', toCase: 'snakeCase' } } }, fix: '$O.$SNAKE($$$A)' }], 'api.getUserName(id);')).toBe('api.get_user_name(id);');
    expect(fixed([{ pattern: 'get($K)', language: 'python', transform: { BARE: "replace($K, replace='^_', by='')" }, fix: 'get($BARE)' }], 'get(_key)\n', 'a.py')).toBe('get(key)\n');
    expect(rejected([{ pattern: 'f($X)', transform: { Y: { bogus: { source: '$X' } } }, fix: 'g($Y)' }])[0]).toContain('enforce.detect.0.transform: ast-grep refuses the rule');
  });

  it('examples.fixed is checked by the self-test', () => {
    const record = (fixed: string): AntiPatternRecord => ({
      id: 'AP-001',
      name: 'n',
      status: 'approved',
      description: 'd',
      enforce: { detect: [{ pattern: 'var $X = $V', fix: 'let $X = $V' }] },
      examples: { bad: [{ code: 'var a = 1', fixed }], good: ['let a = 1'] },
    });
    expect(testRule(compileRules([record('let a = 1')]).rules[0]!)).toEqual([]);
    expect(testRule(compileRules([record('const a = 1')]).rules[0]!).map((f) => `${f.message} | ${f.hint}`)).toEqual([
      'examples.bad[0].fixed: the rule\'s fixes give "let a = 1", not "const a = 1" | correct the detector\'s `fix:` (its $NAME and $$$NAME are the text they matched), or the example\'s `fixed:`',
    ]);
  });

  it('examples.fixed is what check --fix writes: a match inside another is fixed in a later pass', () => {
    const record: AntiPatternRecord = {
      id: 'AP-001',
      name: 'n',
      status: 'approved',
      description: 'd',
      enforce: { detect: [{ pattern: 'console.error($A)', fix: 'log.error($A)' }] },
      examples: { bad: [{ code: 'console.error(console.error(a))', fixed: 'log.error(log.error(a))' }] },
    };
    expect(testRule(compileRules([record]).rules[0]!)).toEqual([]);
  });

  it('ruleid:/ok: annotations check an example line by line', () => {
    const code = ['# ruleid: AP-001', 'gateway.charge(payment)', '# ok: AP-001', 'gateway.charge(payment, idempotency_key=k)', 'gateway.charge(p)'].join('\n');
    const record: AntiPatternRecord = {
      id: 'AP-001',
      name: 'n',
      status: 'approved',
      description: 'd',
      enforce: { detect: [{ pattern: 'gateway.charge($P)', language: 'python' }] },
      examples: { bad: [code] },
    };
    expect(testRule(compileRules([record]).rules[0]!).map((f) => `${f.message} | ${f.hint}`)).toEqual([
      'examples.bad[0] line 5 is flagged by failures/ap-001 but not annotated | add a comment `ruleid: AP-001` above line 5 if it should be flagged, else `ok: AP-001` and narrow the detector',
    ]);
  });
});

describe("patterns ast-grep accepts as written", () => {
  it('a lone metavariable in Java, Go or C# (inside has/inside), and $$$ the grammar cannot place, are no syntax errors', () => {
    const java: Detect = [{ rule: { kind: 'local_variable_declaration', has: { stopBy: 'end', kind: 'identifier', pattern: '$C' } }, language: 'java' } as Detect[number]];
    expect(rejected(java)).toEqual([]);
    expect(flagged(java, 'class A { void f() { String c = x; } }', 'A.java')).toEqual(['1:22 String c = x;']);
    const go: Detect = [{ rule: { pattern: 'tls.Listen($NETWORK, $IP $$$)' }, language: 'go' } as Detect[number]];
    expect(rejected(go)).toEqual([]);
    expect(flagged(go, 'package main\nfunc f() { tls.Listen("tcp", "0.0.0.0:1", cfg) }\n', 'a.go').length).toBe(1);
    const js: Detect = [{ pattern: '$JWT.decode($TOKEN, $SECRET, true $$$)' }];
    expect(rejected(js)).toEqual([]);
    expect(flagged(js, 'jwt.decode(t, s, true);\njwt.decode(t, s);', 'a.js')).toEqual(['1:1 jwt.decode(t, s, true)']);
    // A real syntax error is still refused.
    expect(rejected([{ pattern: 'foo(bar' }])[0]).toContain('does not parse');
    expect(rejected([{ pattern: 'foo($X;', language: 'java' }])[0]).toContain('does not parse');
  });
});

describe('ruleid:/ok: annotations in JSX', () => {
  it('read {/* ruleid: … */} and {/* ok: … */} comments, so a TSX example is checked line by line', () => {
    const code = ['export const A = () => (', '  <div>', '    {/* ruleid: AP-001 */}', '    <a target="_blank">x</a>', '    {/* ok: AP-001 */}', '    <a target="_blank" rel="noopener">x</a>', '  </div>', ');'].join('\n');
    const record = (rel: string): AntiPatternRecord => ({
      id: 'AP-001',
      name: 'n',
      status: 'approved',
      description: 'd',
      enforce: { detect: [{ rule: { kind: 'jsx_attribute', regex: '^target=', not: { inside: { kind: 'jsx_opening_element', has: { kind: 'jsx_attribute', regex: rel } } } } }] },
      examples: { bad: [{ code, filename: 'a.tsx' }] },
    });
    expect(testRule(compileRules([record('^rel=')]).rules[0]!)).toEqual([]);
    expect(testRule(compileRules([record('^nothing=')]).rules[0]!).map((f) => f.message)).toEqual(['examples.bad[0] line 6 (ok: AP-001) is flagged by failures/ap-001']);
  });
});

describe('the payments story in Python, Go and Java', () => {
  const job = 'def charge_overdue(invoices):\n    for invoice in invoices:\n        gateway.charge(invoice.to_payment())\n    gateway.charge(final, idempotency_key=k)\n';

  it('Python: a charge in a loop, an except Timeout that marks a failure, a pytest fixture', () => {
    const inLoop: Detect = [{ pattern: 'gateway.charge($P)', inside: { pattern: 'for $_ in $_: $$$' }, files: ['jobs/**/*.py'] }];
    expect(flagged(inLoop, job, 'jobs/payment_reminder.py')).toEqual(['3:9 gateway.charge(invoice.to_payment())']);
    const timeout: Detect = [{ pattern: 'mark_failure($$$)', inside: { kind: 'except_clause', has: { pattern: 'Timeout' } }, language: 'python' }];
    const code = 'try:\n    pay()\nexcept Timeout:\n    mark_failure(p)\nexcept ValueError:\n    mark_failure(p)\n';
    expect(flagged(timeout, code, 'jobs/a.py')).toEqual(['4:5 mark_failure(p)']);
    const fixture: Detect = [{ pattern: 'def $F($$$): $$$', inside: { pattern: '@pytest.fixture\ndef $G($$$): $$$', stopBy: 'neighbor' }, not: { has: { pattern: 'yield', stopBy: 'end' } }, language: 'python' }];
    expect(rejected(fixture)).toEqual([]);
  });

  it('Go and Java: the same mistake in each language', () => {
    expect(flagged([{ pattern: 'gateway.Charge($P)', language: 'go' }], 'package jobs\nfunc run() { gateway.Charge(p) }\n', 'jobs/run.go')).toEqual(['2:14 gateway.Charge(p)']);
    expect(flagged([{ pattern: 'gateway.charge($P)', language: 'java' }], 'class Job { void run() { gateway.charge(p); gateway.charge(p, key); } }', 'src/Job.java')).toEqual([
      '1:26 gateway.charge(p)',
    ]);
  });

  it('by extension: one pattern, the TypeScript service and the Python job', () => {
    const detect: Detect = [{ pattern: 'gateway.charge($P)' }];
    const { rules } = compile(detect, { enforce: { files: ['src/**/*.ts', 'jobs/**/*.py'], detect } });
    expect(checkText('src/pay.ts', 'await gateway.charge(p);', rules).findings).toHaveLength(1);
    expect(checkText('jobs/a.py', job, rules).findings).toHaveLength(1);
    expect(checkText('jobs/a.rb', 'gateway.charge(p)', rules).findings).toHaveLength(0);
  });
});

describe('regex detectors: linear time, and where they look', () => {
  it('in: code, comments, strings', () => {
    const code = '// TODO here\nconst TODO = "TODO";\n';
    expect(flagged([{ regex: 'TODO', in: 'code' }], code)).toEqual(['2:7 TODO']);
    expect(flagged([{ regex: 'TODO', in: 'comments' }], code)).toEqual(['1:4 TODO']);
    expect(flagged([{ regex: 'TODO', in: 'strings' }], code)).toEqual(['2:15 TODO']);
    expect(flagged([{ regex: 'TODO', in: 'comments' }], '# TODO\nTODO = 1\n', 'a.py')).toEqual(['1:3 TODO']);
  });

  it('regexes inside selectors run on RE2: no catastrophic backtracking', () => {
    const started = Date.now();
    expect(flagged([{ selector: 'Literal[value=/^(a+)+$/]' }], `const s = "${'a'.repeat(30_000)}!";`)).toEqual([]);
    expect(flagged([{ selector: 'Literal[value=/^(a+)+$/]' }], 'const s = "aaa";')).toEqual(['1:11 "aaa"']);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('suppression comments: real comments only, ESLint grammar', () => {
  it('a directive in a string or quoted in a comment disables nothing', () => {
    expect(flagged([{ regex: 'xx' }], 'const s = "/* eslint-disable */";\nxx\n')).toEqual(['2:1 xx']);
    expect(flagged([{ regex: 'xx' }], '// see /* eslint-disable */\nxx\n')).toEqual(['2:1 xx']);
    expect(flagged([{ regex: 'xx' }], '/* eslint-disable failures/ap-001 */\nxx\n')).toEqual([]);
  });

  it('in every language ast-grep parses', () => {
    expect(flagged([{ regex: 'xx' }], '# eslint-disable-next-line failures/ap-001\nxx\nxx\n', 'a.py')).toEqual(['3:1 xx']);
    expect(flagged([{ regex: 'xx' }], 'x = "# failures-ignore AP-001"\nxx\n', 'a.py')).toEqual(['2:1 xx']);
  });
});

describe('selectors and imports: exact, with a sound pre-filter', () => {
  it('never skips a file for text a match need not contain', () => {
    expect(flagged([{ selector: "TSAsExpression[typeAnnotation.type='TSAnyKeyword']" }], 'const y = x as any;')).toEqual(['1:11 x as any']);
    expect(flagged([{ selector: "Property[kind='init']" }], 'const o = { a: 1 };')).toEqual(['1:13 a: 1']);
  });

  it('import x = require(), export * from, export * as', () => {
    expect(flagged([{ import: 'm' }], 'import x = require("m");\nexport * from "m";\nexport * as n from "m";\nimport y = require("n");')).toEqual([
      '1:1 import x = require("m");',
      '2:1 export * from "m";',
      '3:1 export * as n from "m";',
    ]);
  });
});

describe('bounds: nothing a record or a file holds can hang or crash the check', () => {
  it('a file nested thousands of brackets deep is reported unparsable, never parsed', () => {
    const { rules } = compile([{ pattern: 'f($X)' }, { selector: 'CallExpression' }]);
    const result = checkText('src/deep.ts', `x = ${'['.repeat(6000)}${']'.repeat(6000)}; f(1)`, rules);
    expect(result.parseError?.message).toContain('nested more than 1000 deep');
    expect([result.parseError?.line, result.parseError?.column]).toEqual([1, 1005]);
    expect(result.findings).toEqual([]);
  });

  it('a file with many brackets, none deep, is parsed', () => {
    const { rules } = compile([{ pattern: 'f($X)' }, { selector: 'CallExpression' }]);
    const result = checkText('src/wide.ts', `x = [${'{a: [1]}, '.repeat(1500)}];\nf(1);`, rules);
    expect(result.parseError).toBeUndefined();
    expect(result.findings.map((f) => `${f.line}:${f.column}`)).toEqual(['2:1', '2:1']);
  });
});

describe('rejected detectors are validate errors, never silence', () => {
  it.each([
    [[{ pattern: 'f(' }], 'enforce.detect.0.pattern: the pattern does not parse as TypeScript'],
    [[{ pattern: 'def f(:', language: 'python' }], 'enforce.detect.0.pattern: the pattern does not parse as python'],
    [[{ pattern: 'f($X)', language: 'cobol' }], 'enforce.detect.0.language: unknown language "cobol"'],
    [[{ kind: 'no_such_kind' }], 'enforce.detect.0: ast-grep refuses the rule'],
    [[{ rule: { pattern: 'f()', bogus: 1 } }], 'enforce.detect.0.rule: ast-grep refuses the rule'],
    [[{ pattern: '$A', constraints: { B: { regex: 'x' } } }], 'enforce.detect.0.constraints: ast-grep refuses the rule'],
    [[{ regex: '(a)\\1' }], 'enforce.detect.0.regex: the regex does not compile on RE2'],
    [[{ regex: 'a(?=b)' }], 'enforce.detect.0.regex: the regex does not compile on RE2'],
    [[{ regex: 'a'.repeat(100_000) }], 'enforce.detect.0.regex: the regex is 100,000 characters long'],
    [[{ regex: 'x', files: ['*'.repeat(65_537)] }], 'enforce.detect.0.files.0: the glob is 65,537 characters long'],
    [[{ selector: 'A:has(B:has(C:has(D:has(E))))' }], 'enforce.detect.0.selector: :has is nested 4 deep'],
    [[{ selector: 'Literal[value=/(a)\\1/]' }], 'enforce.detect.0.selector: in the selector, the regex does not compile on RE2'],
    [[{ pattern: 'f($X)', inside: { selector: 'ForStatement' }, language: 'python' }], 'enforce.detect.0.inside: an esquery selector scope works on JS/TS only'],
    [[{ pattern: 'console.log($$$)', fix: 'logger.info($$$)' }], 'enforce.detect.0.fix: the fix writes an unnamed `$$$`'],
    [[{ pattern: 'f($X)', fix: 'g($Y)' }], 'enforce.detect.0.fix: the fix writes `$Y`, which no pattern of the rule captures'],
    [[{ rule: { pattern: 'f($X)' }, fix: 'g($$$X)' }], 'enforce.detect.0.fix: the fix writes `$$$X` where the rule captures `$X`'],
    [[{ pattern: 'f($_X)', fix: 'g($_X)' }], 'enforce.detect.0.fix: the fix writes `$_X`, which no pattern of the rule captures'],
    [[{ selector: "CallExpresion[callee.name='foo']" }], 'enforce.detect.0.selector: the node type `CallExpresion` is not an ESTree node type, so the selector can never match: did you mean `CallExpression`?'],
    [[{ selector: "TSAsExpression[typeAnnotation.type='TSAnyKeywrd']" }], 'did you mean `TSAnyKeyword`?'],
    [[{ selector: 'CatchClause :functon' }], 'enforce.detect.0.selector: `:functon` is not an esquery class'],
    [[{ selector: 'CallExpression:exit > Identifier' }], 'enforce.detect.0.selector: `:exit` names an ESLint listener and may only end the whole selector'],
    [[{ pattern: 'f($A)', inside: { selector: 'ForStatment' } }], 'enforce.detect.0.inside.selector: the node type `ForStatment`'],
    [[{ pattern: 'lock(); $$$B; unlock();', fix: 'withLock(() => { $$$B });' }], 'enforce.detect.0.fix: a fix cannot be applied to a pattern of several statements'],
  ] as Array<[Detect, string]>)('%j', (detect, message) => {
    const issues = rejected(detect);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toContain(message);
  });

  it('a fix may name what any part of the rule captures', () => {
    expect(rejected([{ rule: { pattern: 'f($$$ARGS)', inside: { pattern: 'function $F() { $$$ }', stopBy: 'end' } }, fix: '$F.g($$$ARGS)' }])).toEqual([]);
    expect(rejected([{ pattern: 'gateway.charge($P)', fix: 'gateway.charge($P, { key: $P.id })' }])).toEqual([]);
  });

  it('each refusal says how to fix it, not a hint about something else', () => {
    const hint = (d: Detect[number]) => compile([d]).issues.map((i) => `${i.message} | ${i.fix}`)[0];
    expect(hint({ kind: 'call_expresion' })).toMatch(/\| use a node kind of TypeScript's tree-sitter grammar/);
    expect(hint({ pattern: '$A', constraints: { B: { regex: 'x' } } })).toMatch(/\| constraints may name only metavariables the rule captures: write `\$B` in the pattern/);
    expect(hint({ rule: { pattern: 'f()', bogus: 1 } } as Detect[number])).toMatch(/unknown field `bogus`.*\| write the rule as ast-grep's rule reference says/);
    expect(hint({ pattern: 'f($X)', language: 'typescirpt' })).toMatch(/\| did you mean 'typescript'\?/);
    expect(hint({ pattern: 'f($X)', language: 'c' })).toMatch(/^language "c" is one ast-grep parses, but its parser is not installed with failures \| one of: /);
    expect(hint({ pattern: 'f($X)', language: 'jav' })).not.toMatch(/did you mean/);
    expect(hint({ regex: 'a(?=b)' })).toMatch(/\| RE2 syntax: no backreferences/);
    expect(hint({ regex: '(a)\\1' })).toMatch(/\| RE2 syntax: no backreferences/);
    expect(hint({ regex: '(a' })).toMatch(/missing closing \): `\(a` \| correct the regex syntax/);
    expect(hint({ regex: 'foo([' })).toMatch(/\| correct the regex syntax/);
    expect(hint({ pattern: 'except Exception: $$$', language: 'python' })).toMatch(/does not parse as python.*\| .*needs `pattern: \{ context: <code around it>, selector: <its kind> \}`/);
  });

  it("a final `:exit` reports the same nodes, as ESLint's no-restricted-syntax does", () => {
    expect(flagged([{ selector: 'CallExpression[callee.name="f"]:exit' }], 'f(g());\nh(f());')).toEqual(['1:1 f(g())', '2:3 f()']);
  });

  it('selectors name ESTree, JSX and TS node types in any case, as esquery compares them', () => {
    for (const selector of ['callexpression', 'JSXOpeningElement[name.name="img"]', 'TSAsExpression > TSAnyKeyword', ':function > BlockStatement', "[type='ChainExpression']", 'ImportDeclaration[importKind="type"]', 'DebuggerStatement:exit']) {
      expect(rejected([{ selector }]), selector).toEqual([]);
    }
  });

  it('a fix may use every metavariable the rule captures, wherever it is captured', () => {
    expect(rejected([{ pattern: 'foo($A, $$$REST)', fix: 'bar($A, $$$REST)' }])).toEqual([]);
    expect(rejected([{ pattern: 'foo($A)', inside: { pattern: 'function $F() { $$$ }' }, fix: '$F($A)' }])).toEqual([]);
    expect(rejected([{ rule: { any: [{ pattern: 'a($X)' }, { pattern: 'b($X)' }] }, fix: 'c($X)' }])).toEqual([]);
    // `$` that is not a metavariable (template literals, lower-case names) is text.
    expect(rejected([{ pattern: 'foo($A)', fix: 'bar(`${x}`, $A, $el)' }])).toEqual([]);
    const { issues } = compile([{ pattern: 'foo($A)', fix: 'bar($B)' }]);
    expect(issues[0]!.message).toContain('the rule captures $A');
  });

  it('one bad record does not take the others down', () => {
    const { rules, issues } = compileRules([
      { id: 'AP-1', name: 'n', status: 'approved', description: 'd', enforce: { files: ['x'.repeat(70_000)], detect: [{ regex: 'a' }] } },
      { id: 'AP-2', name: 'n', status: 'approved', description: 'd', enforce: { detect: [{ regex: 'a' }] } },
    ]);
    expect(issues.map((i) => i.id)).toEqual(['AP-1']);
    expect(rules.map((r) => r.id)).toEqual(['AP-2']);
  });
});

describe('the library API', () => {
  it('tryDetector says why a detector cannot compile, or what it finds', async () => {
    const { enforce } = await import('../src/index.js');
    expect(enforce.tryDetector({ pattern: 'gateway.charge($P)' }, 'for p in ps:\n    gateway.charge(p)\n', 'job.py').findings.map((f) => f.line)).toEqual([2]);
    expect(enforce.tryDetector({ pattern: 'f(' }, 'f()').issues[0]!.message).toContain('does not parse');
  });
});
