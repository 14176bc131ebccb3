import { describe, expect, it } from 'vitest';
import { JS_NAME, PY_NAME } from './synth-helpers.js';
import { parse } from '@ast-grep/napi';
import { synthesize, ExampleError, type Example } from '../src/enforce/synth/index.js';
import { astGrepLang, type SynthLanguage } from '../src/enforce/synth/lang.js';

const ex = (language: SynthLanguage) => (code: string): Example => ({ code, language });
const js = ex('javascript');
const ts = ex('typescript');
const py = ex('python');

/** Runs a synthesized rule with ast-grep itself, on fresh code. */
function flags(language: SynthLanguage, rule: Record<string, unknown>, code: string): string[] {
  const { constraints, ...astRule } = rule;
  return parse(astGrepLang(language) as never, code).root().findAll({ rule: astRule, ...(constraints ? { constraints } : {}) } as never).map((n) => n.text());
}

describe('synthesize', () => {
  it('JS: differing subtrees become metavariables, repeated pairs the same one', () => {
    const r = synthesize({ bad: [js('a == a'), js('b.c == b.c')], good: [js('a == b')] });
    expect(r.contradictions).toEqual([]);
    expect(r.detectors).toHaveLength(1);
    expect(r.detectors[0]!.rule.pattern).toBe('$A == $A');
    expect(flags('javascript', r.detectors[0]!.rule, 'if (x.y == x.y) f(); if (x == y) g();')).toEqual(['x.y == x.y']);
  });

  it('TS: differing argument lists become $$$, and the detector flags new code of the shape', () => {
    const r = synthesize({ bad: [ts('logger.debug(user, 1)'), ts('logger.debug(token, a, b)')], good: [ts('logger.info(user, 1)')] });
    expect(r.detectors.map((d) => d.rule.pattern)).toEqual(['logger.debug($A, $$$B)']);
    // A name shown stands for any path of names, not for a call the examples do not show.
    expect(flags('typescript', r.detectors[0]!.rule, 'logger.debug(); logger.debug(req.user, 2); logger.debug(load(), 2); logger.info(y, 2);')).toEqual(['logger.debug(req.user, 2)']);
  });

  it('one bad example: values are relaxed to metavariables, API names are kept', () => {
    const r = synthesize({ bad: [ts('await gateway.charge(payment);')], good: [ts('await gateway.charge(payment, { idempotencyKey: key });')] });
    // `$A` is any name (the examples vary the name, not the kind of code there).
    expect(r.detectors[0]!.rule).toEqual({ pattern: 'gateway.charge($A)', constraints: { A: JS_NAME } });
    expect(r.detectors[0]!.fix).toBe('gateway.charge($A, { idempotencyKey: key })');
  });

  it('a `not` from the good examples', () => {
    const r = synthesize({ bad: [js('render(a)'), js('render(a, b, c)')], good: [js('render(a, b, { safe: true })')] });
    expect(r.detectors).toHaveLength(1);
    const rule = r.detectors[0]!.rule;
    expect(rule.pattern).toBe('render($$$A)');
    expect(rule.not).toBeDefined();
    expect(flags('javascript', rule, 'render(x); render(x, { safe: true });')).toEqual(['render(x)']);
  });

  it('an `inside` from the examples: the call is wrong in a loop, right outside one', () => {
    const r = synthesize({ bad: [ts("for (const a of attempts) { notifyUser(id, 'failed'); }")], good: [ts("notifyUser(id, 'payment failed after retries');")] });
    const rule = r.detectors[0]!.rule;
    // The local name is relaxed; the literal stays: the examples do not vary it.
    expect(rule.pattern).toBe("notifyUser($A, 'failed')");
    expect(rule.inside).toEqual({ kind: 'for_in_statement', stopBy: 'end' });
    expect(r.detectors[0]!.fix).toBeUndefined();
    expect(flags('typescript', rule, "for (const x of xs) { if (x) notifyUser(x, 'failed'); }\nnotifyUser(y, 'failed');")).toEqual(["notifyUser(x, 'failed')"]);
  });

  it('a `fix` when the good example is a rewrite of the bad one', () => {
    const r = synthesize({ bad: [js('if (x == null) return;')], good: [js('if (x === null) return;')] });
    expect(r.detectors[0]!.rule.pattern).toBe('$A == null');
    expect(r.detectors[0]!.fix).toBe('$A === null');
  });

  it("a `fix` keeps the pattern's own words: the function's name is $A's, the `parse` of JSON.parse stays (QA pass: a function named load was fixed into JSON.load)", () => {
    const r = synthesize({ bad: [ts('function parse(input: any): any { console.log(input); return JSON.parse(input); }')], good: [ts('function parse(input: string): unknown { return JSON.parse(input); }')] });
    expect(r.detectors[0]!.rule.pattern).toBe('function $A($B: any): any { console.log($B); return JSON.parse($B); }');
    expect(r.detectors[0]!.fix).toBe('function $A($B: string): unknown { return JSON.parse($B); }');
  });

  it('Python: keyword arguments kept, the call shape generalized', () => {
    const r = synthesize({
      bad: [py('requests.get(url, verify=False)'), py('r = requests.post(u, data=d, verify=False)')],
      good: [py('requests.get(url, verify=True)')],
    });
    expect(r.detectors).toHaveLength(1);
    const rule = r.detectors[0]!.rule;
    // The methods the examples vary are those methods (get, post), not any method of requests.
    expect(flags('python', rule, 'requests.post(x, verify=False)\nrequests.post(x, verify=True)\nrequests.head(x, verify=False)\n')).toEqual(['requests.post(x, verify=False)']);
  });

  it('Python: a statement inside a loop (the payments job)', () => {
    const r = synthesize({ bad: [py('for payment in due:\n    gateway.charge(payment)\n')], good: [py('gateway.charge(payment)\n')] });
    expect(r.detectors[0]!.rule).toEqual({ pattern: 'gateway.charge($A)', inside: { kind: 'for_statement', stopBy: 'end' }, constraints: { A: PY_NAME } });
  });

  it('several disjoint shapes give several detectors', () => {
    const r = synthesize({ bad: [js('eval(code)'), js('x == null'), js('eval(other)')], good: [js('x === null')] });
    expect(r.detectors.map((d) => [d.rule.pattern, d.bad])).toEqual([
      ['eval($A)', [0, 2]],
      ['$A == null', [1]],
    ]);
  });

  it('contradictions name the examples', () => {
    const same = synthesize({ bad: [js('eval(code)'), js('run(x)')], good: [js('eval(code);')] });
    expect(same.contradictions).toEqual([{ bad: 0, good: [0], reason: 'the same code is given as bad and as good' }]);
    expect(same.detectors.map((d) => d.rule.pattern)).toEqual(['run($A)']);
  });

  it('unparsable code is an error naming the example and the place', () => {
    expect(() => synthesize({ bad: [js('f(a b')], good: [] })).toThrow(ExampleError);
    try {
      synthesize({ bad: [js('ok()'), js('f(a b')], good: [] });
    } catch (error) {
      expect((error as ExampleError).message).toMatch(/does not parse as javascript/);
      expect((error as ExampleError).line).toBe(1);
    }
  });

  it('an example given as a line of a larger file (rule test annotations)', () => {
    const code = 'function f(u) {\n  fetch(u, { verify: false });\n  fetch(u, { verify: true });\n}\n';
    const r = synthesize({ bad: [{ code, language: 'javascript', line: 2 }], good: [{ code, language: 'javascript', line: 3 }] });
    expect(r.detectors).toHaveLength(1);
    expect(flags('javascript', r.detectors[0]!.rule, code)).toEqual(['fetch(u, { verify: false })']);
  });

  it('the same statement bad in one function and fine in another: told apart by what the function has', () => {
    const code = [
      'def handler(event, context):',
      '    url = event["url"]',
      '    requests.get(url)',
      '',
      'def ping():',
      '    url = "https://example.com"',
      '    requests.get(url)',
      '',
    ].join('\n');
    const r = synthesize({ bad: [{ code, language: 'python', line: 3 }], good: [{ code, language: 'python', line: 7 }] });
    expect(r.contradictions).toEqual([]);
    const rule = r.detectors[0]!.rule;
    expect(rule.inside).toMatchObject({ kind: 'function_definition', stopBy: 'end' });
    expect(flags('python', rule, code)).toEqual(['requests.get(url)']);
  });

  it('identical snippets with nothing around them are a contradiction', () => {
    const r = synthesize({ bad: [py('os.system(cmd)')], good: [py('os.system(cmd)')] });
    expect(r.detectors).toEqual([]);
    expect(r.contradictions[0]!.reason).toMatch(/same code/);
  });

  it('no concrete anchor, no detector: operators and metavariables alone are too broad', () => {
    // `$A && $B` would flag every conjunction: the examples stay as written, one detector each.
    const r = synthesize({ bad: [js('a && b'), js('c && d')], good: [js('x || y')] });
    expect(r.detectors.map((d) => d.rule.pattern)).toEqual(['a && b', 'c && d']);
    // An operator is an anchor where the good example changes exactly it.
    const eq = synthesize({ bad: [js('if (a == b) f();')], good: [js('if (a === b) f();')] });
    expect(eq.detectors.map((d) => [d.rule.pattern, d.fix])).toEqual([['$A == $B', '$A === $B']]);
  });

  it('a name as a statement of its own (`a;`) is no shape either', () => {
    const r = synthesize({ bad: [js('a;')], good: [js('b;')] });
    expect(r.detectors).toEqual([]);
    expect(r.contradictions.map((c) => c.bad)).toEqual([0]);
  });

  it('a metavariable over literals and code keeps the kinds shown, not any value', () => {
    // a string and a template with a substitution (code, not a literal): `$A` is either, not `helper`.
    const r = synthesize({ bad: [js('setTimeout("x = 1;", 100)'), js('setTimeout(`x${y}`, 100)')], good: [js('window.setTimeout(function () {}, 100)')] });
    expect(r.detectors.map((d) => d.rule.pattern)).toEqual(['setTimeout($A, 100)']);
    expect(flags('javascript', r.detectors[0]!.rule, "setTimeout('y', 100); setTimeout(`a${b}`, 100); setTimeout(helper, 100); setTimeout(() => 1, 100);")).toEqual(["setTimeout('y', 100)", 'setTimeout(`a${b}`, 100)']);
  });

  it('an example given at a column inside a `return`: the return is context, as the example shows it', () => {
    const code = 'function readUser(input) {\n  return JSON.parse(input);\n}\n';
    const r = synthesize({ bad: [{ code, language: 'javascript', line: 2, column: 10 }], good: [] });
    expect(r.detectors).toHaveLength(1);
    expect(flags('javascript', r.detectors[0]!.rule, 'function f(s) { const v = JSON.parse(s); return JSON.parse(v); }')).toEqual(['JSON.parse(v)']);
  });

  it('a body where bad and good differ is read with its owner: not any block of those statements', () => {
    const r = synthesize({ bad: [js('function* foo() { return 0; }')], good: [js('function* foo() { yield 0; }')] });
    expect(r.detectors).toHaveLength(1);
    expect(flags('javascript', r.detectors[0]!.rule, 'function f(x) { if (x) { return 0; } }\nfunction* foo() { return 0; }')).toEqual(['function* foo() { return 0; }']);
  });

  it('context that names something (the file has `Api`) comes before context that is only a kind (an arrow function)', () => {
    const plugin = (body: string) => `import { Api } from "plugin-sdk";\nexport default (api: Api) => {\n  api.on("x", () => {\n    ${body}\n  });\n};\n`;
    const r = synthesize({
      bad: [{ code: plugin('console.log("loaded");'), language: 'typescript', line: 4, column: 5 }, { code: plugin('console.log(`ready ${api.name}`);'), language: 'typescript', line: 4, column: 5 }],
      good: [ts('console.log("cli output");'), ts('import { Api } from "plugin-sdk";\nexport function configure(api: Api) {\n  console.log("setup");\n}\n')],
    });
    expect(r.detectors).toHaveLength(1);
    const rule = r.detectors[0]!.rule;
    // any console.log in a callback would do for the examples; the file's `Api` is what they share.
    expect(flags('typescript', rule, 'run(() => { console.log("x"); });')).toEqual([]);
    expect(flags('typescript', rule, plugin('console.log("z");'))).toEqual(['console.log("z")']);
  });

  it('a `$$$` over a literal in one example and names in another is two shapes where only context tells bad from good', () => {
    const r = synthesize({ bad: [{ code: 'from neo import auth\nauth(user, password)\n', language: 'python', line: 2 }, { code: 'from neo import auth\nauth("")\n', language: 'python', line: 2 }], good: [py('auth(user, password)')] });
    expect(r.detectors).toHaveLength(2);
    // not `auth($$$A)` in a file naming neo: `auth("secret")` is another mistake than `auth("")`
    const flagged = r.detectors.flatMap((d) => flags('python', d.rule, 'from neo import auth\nauth("secret")\nauth("")\nauth(u, p)\n'));
    expect(flagged).toEqual(['auth(u, p)', 'auth("")']);
  });

  it('a type name reported alone (`str` in an annotation) is a name, not a literal to match as written', () => {
    const code = 'results:  Optional[Union[List[Union[str, dict]], str]]\n';
    const r = synthesize({ bad: [11, 37, 42].map((column) => ({ code, language: 'python' as const, line: 1, column })), good: [] });
    expect(r.detectors.map((d) => d.rule.pattern)).toEqual(['results:  Optional[Union[List[Union[str, dict]], str]]']);
  });

  it('examples that share little are several shapes, not one pattern with holes', () => {
    const r = synthesize({
      bad: [py('conn = mariadb.connect(password=PASSWORD1)'), py('mrdb.connect(host="h", user="root", passwd="", database="d")')],
      good: [py('db = MySQLDatabase("app", user="app", password=os.environ["P"])')],
    });
    // not `$A.connect($$$B)`: each keeps its receiver and keyword arguments; the literal "" stays.
    expect(r.detectors.map((d) => d.rule.pattern)).toEqual(['$A = mariadb.connect(password=$B)', 'mrdb.connect(host="h", user="root", passwd="", database="d")']);
  });

  it('argument lists are aligned by item: the shared keyword argument stays', () => {
    const r = synthesize({ bad: [py('requests.get(url, verify=False)'), py('requests.get(u, data=d, verify=False)')], good: [py('requests.get(url, verify=True)')] });
    expect(r.detectors.map((d) => d.rule.pattern)).toEqual(['requests.get($A, $$$B, verify=False)']);
    expect(flags('python', r.detectors[0]!.rule, 'requests.get(x, verify=False)\nrequests.get(x, a=1, b=2, verify=False)\nrequests.get(x, a=1)\n')).toEqual(['requests.get(x, verify=False)', 'requests.get(x, a=1, b=2, verify=False)']);
  });

  it('a fragment that does not parse alone (an object property) becomes a pattern with context', () => {
    const code = "connect({\n  ssl: { minVersion: 'TLSv1' },\n});\nconnect({\n  ssl: { minVersion: 'TLSv1.2' },\n});\n";
    const r = synthesize({ bad: [{ code, language: 'javascript', line: 2 }], good: [{ code, language: 'javascript', line: 5 }] });
    expect(r.detectors).toHaveLength(1);
    expect(r.detectors[0]!.rule.pattern).toEqual({ context: "({ssl: { minVersion: 'TLSv1' }})", selector: 'pair' });
    expect(flags('javascript', r.detectors[0]!.rule, code)).toEqual(["ssl: { minVersion: 'TLSv1' }"]);
  });

  it('an example given by line and column: the code reported there, widened to a shape', () => {
    const code = "const NodeRSA = require('node-rsa');\nconst key = new NodeRSA({b: 512});\n";
    const r = synthesize({ bad: [{ code, language: 'javascript', line: 2, column: 29 }], good: [js('const key = new NodeRSA({b: 2048});')] });
    // column 29 is `512`: a bare number is no shape, the object around it is.
    expect(r.detectors.map((d) => d.rule.pattern)).toEqual(['{b: 512}']);
    expect(flags('javascript', r.detectors[0]!.rule, 'new NodeRSA({b: 512}); new NodeRSA({b: 2048});')).toEqual(['{b: 512}']);
  });

  it('told apart by the function around the code, its nearest one: `yield` in a method `__init__`', () => {
    const code = [
      'class A:', '    def __init__(self):', '        yield', '',
      'def __init__():', '    yield', '',
      'class B:', '    def run(self):', '        yield', '',
    ].join('\n');
    const r = synthesize({ bad: [{ code, language: 'python', line: 3 }], good: [{ code, language: 'python', line: 6 }, { code, language: 'python', line: 10 }] });
    expect(r.contradictions).toEqual([]);
    const rule = r.detectors[0]!.rule;
    expect(rule.pattern).toBe('yield');
    expect(flags('python', rule, code + '\nclass C:\n    def __init__(self):\n        yield\n')).toHaveLength(2);
  });

  it('told apart by the call around the code: not in a call that also says TESTING=True', () => {
    const code = 'app.config.update(\n    KEY="k",\n    WTF_CSRF_ENABLED=False,\n)\napp.config.update(\n    KEY="k",\n    WTF_CSRF_ENABLED=False,\n    TESTING=True,\n)\n';
    const r = synthesize({ bad: [{ code, language: 'python', line: 3 }], good: [{ code, language: 'python', line: 7 }] });
    const rule = r.detectors[0]!.rule;
    expect(rule.pattern).toEqual({ context: 'f(WTF_CSRF_ENABLED=False)', selector: 'keyword_argument' });
    expect(rule.not).toMatchObject({ inside: { kind: 'call', has: { regex: expect.stringMatching(/^\^(TESTING|True)\$$/) } } });
    expect(flags('python', rule, code)).toEqual(['WTF_CSRF_ENABLED=False']);
  });

  it('a statement given by its line keeps the scope it sits in: `return` in a `finally`', () => {
    const code = 'function f() {\n  try {\n    work();\n  } finally {\n    return 3;\n  }\n}\nfunction g() {\n  return 4;\n}\n';
    const r = synthesize({ bad: [{ code, language: 'javascript', line: 5 }], good: [{ code, language: 'javascript', line: 9 }] });
    expect(r.detectors[0]!.rule).toEqual({ pattern: 'return 3;', inside: { kind: 'finally_clause', stopBy: 'end' } });
    expect(flags('javascript', r.detectors[0]!.rule, 'function h() { return 3; }')).toEqual([]);
  });

  it('a chain is the mistake, not its receiver: `expect(x).to.be.ok` against `expect(x).not.to.be.ok` keeps the whole chain', () => {
    const r = synthesize({ bad: [{ code: 'expect(result).to.be.ok', language: 'typescript' }], good: [{ code: 'expect(result).not.to.be.ok', language: 'typescript' }] });
    const rule = r.detectors[0]!.rule;
    expect(rule.pattern).toBe('expect($A).to.be.ok');
    // Before, the narrowed receiver `expect($A).to` flagged every assertion written with `.to`.
    expect(flags('typescript', rule, 'expect(a).to.equal(b);\nexpect(c).to.be.a("string");')).toEqual([]);
    expect(flags('typescript', rule, 'expect(value).to.be.ok;')).toEqual(['expect(value).to.be.ok']);
  });

  it('a named constant stays as written, as a literal does: `span.set_tag(SERVICE_KEY, …)`', () => {
    const r = synthesize({ bad: [{ code: 'span.set_tag(SERVICE_KEY, "web")', language: 'python' }], good: [{ code: 'span.service = "web"', language: 'python' }] });
    const rule = r.detectors[0]!.rule;
    expect(String(rule.pattern)).toContain('SERVICE_KEY');
    expect(flags('python', rule, 'span.set_tag(MANUAL_DROP_KEY, "web")')).toEqual([]);
  });

  it('keeps every scope the example shows it in: a `return` in an `if` in a `finally`, not in any `if`', () => {
    const code = 'def f():\n    try:\n        work()\n    finally:\n        if done:\n            return x\n\ndef g():\n    return x\n';
    const r = synthesize({ bad: [{ code, language: 'python', line: 6 }], good: [{ code, language: 'python', line: 9 }] });
    const rule = r.detectors[0]!.rule;
    expect(flags('python', rule, code)).toEqual(['return x']);
    expect(flags('python', rule, 'def h(x):\n    if x:\n        return x\n')).toEqual([]);
  });

  it('an index is the access, an exported declaration the export: neither is cut out of its parent', () => {
    const last = synthesize({ bad: [{ code: 'items[items.length - 1]', language: 'typescript' }], good: [{ code: 'items[items.length - 2]', language: 'typescript' }] });
    expect(flags('typescript', last.detectors[0]!.rule, 'const n = list.length - 1;')).toEqual([]);
    expect(flags('typescript', last.detectors[0]!.rule, 'f(rows[rows.length - 1]);')).toEqual(['rows[rows.length - 1]']);
    const exported = synthesize({ bad: [{ code: 'export let total = 0', language: 'typescript' }], good: [{ code: 'export const total = 0', language: 'typescript' }] });
    expect(flags('typescript', exported.detectors[0]!.rule, 'function f() { let total = 0; return total; }')).toEqual([]);
    expect(flags('typescript', exported.detectors[0]!.rule, 'export let total = 0;')).toEqual(['export let total = 0;']);
  });

  it('text is words: JSX text stays text, and string contents keep the words every example says', () => {
    const jsx = synthesize({ bad: [{ code: 'const a = <p>Hello there</p>', language: 'tsx' }, { code: 'const b = <h2>Sign in</h2>', language: 'tsx' }], good: [{ code: 'const a = <p>{t("hello")}</p>', language: 'tsx' }] });
    expect(jsx.detectors.flatMap((d) => flags('tsx', d.rule, 'const c = <div>{children}</div>;'))).toEqual([]);
    expect(jsx.detectors.flatMap((d) => flags('tsx', d.rule, 'const c = <span>Log out</span>;'))).toEqual(['<span>Log out</span>']);
    const stub = synthesize({ bad: [{ code: 'throw new Error("Not supported yet")', language: 'javascript' }, { code: 'throw new Error("Unsupported")', language: 'javascript' }], good: [{ code: 'throw new Error("bad input")', language: 'javascript' }] });
    const rule = stub.detectors[0]!.rule;
    expect(flags('javascript', rule, 'throw new Error("Could not find the file");')).toEqual([]);
    expect(flags('javascript', rule, 'throw new Error("SUPPORTED only on Linux");')).toEqual(['new Error("SUPPORTED only on Linux")']);
  });

  it('a name every example has under a metavariable stays required: `float(settings.x)` and `float(self.app.settings.f())`', () => {
    const r = synthesize({
      bad: [{ code: 'v = float(settings.volume)', language: 'python' }, { code: 'w = float(self.app.settings.width(unit=1))', language: 'python' }],
      good: [{ code: 'v = settings.volume', language: 'python' }],
    });
    const rule = r.detectors[0]!.rule;
    expect(flags('python', rule, 'x = float(value)')).toEqual([]);
    expect(flags('python', rule, 'h = float(ctx.settings.height)')).toHaveLength(1);
  });

  it('what a member is read on once names an API and stays; an assignment target keeps its assignment', () => {
    const env = synthesize({ bad: [{ code: 'const url = process.env.API_URL', language: 'typescript' }], good: [{ code: 'const url = config.apiUrl', language: 'typescript' }] });
    expect(env.detectors.flatMap((d) => flags('typescript', d.rule, 'const v = import.meta.env.VITE_X;'))).toEqual([]);
    const html = synthesize({ bad: [{ code: 'panel.innerHTML = markup', language: 'javascript' }], good: [{ code: 'panel.textContent = markup', language: 'javascript' }] });
    const rule = html.detectors[0]!.rule;
    expect(flags('javascript', rule, 'const before = panel.innerHTML;')).toEqual([]);
    expect(flags('javascript', rule, 'panel.innerHTML = other;')).toHaveLength(1);
  });

  it('an operand like the good code is not the mistake: `user && user.name` against `user?.name` keeps the `&&`', () => {
    const r = synthesize({ bad: [{ code: 'user && user.name', language: 'typescript' }], good: [{ code: 'user?.name', language: 'typescript' }] });
    expect(r.detectors.flatMap((d) => flags('typescript', d.rule, 'const m = account.name;'))).toEqual([]);
  });

  it('what keeps a good example out is where it is, never the words it happens to say', () => {
    const code = 'SAVED = tr("Saved")\nDELETED = tr("Deleted")\n\ndef label():\n    title = tr("Read later")\n    return title\n';
    const r = synthesize({ bad: [{ code, language: 'python', line: 1 }, { code, language: 'python', line: 2 }], good: [{ code, language: 'python', line: 5 }] });
    const rule = r.detectors[0]!.rule;
    expect(JSON.stringify(rule)).not.toContain('Read later');
    expect(flags('python', rule, 'TITLE = tr("Other words")\ndef f():\n    name = tr("Other words")\n')).toEqual(['TITLE = tr("Other words")']);
  });

  it('two functions that differ in several places: narrowed to the parameter default they set differently', () => {
    const code = 'def create_user(self, email, password=""):\n    save(email, password)\n\ndef login(password="helloworld"):\n    check(password)\n';
    const r = synthesize({ bad: [{ code, language: 'python', line: 1 }], good: [{ code, language: 'python', line: 4 }] });
    const rule = r.detectors[0]!.rule;
    expect(rule.pattern).toEqual({ context: 'def f(password=""): pass', selector: 'default_parameter' });
    expect(flags('python', rule, 'def reset(user, password=""):\n    pass\n')).toEqual(['password=""']);
  });
});

describe('code quoted in a correction', () => {
  it('is the code to write, except what the correction says to change (QA pass: "Replace `any` by `unknown`" made `any` a good example)', async () => {
    const { codeOfCorrection } = await import('../src/suggest/synthesis.js');
    expect(codeOfCorrection('Replace `any` by `unknown`')).toEqual({ bad: ['any'], good: ['unknown'] });
    expect(codeOfCorrection('Use `unknown` instead of `any`')).toEqual({ bad: ['any'], good: ['unknown'] });
    expect(codeOfCorrection('`==` should be `===`')).toEqual({ bad: ['=='], good: ['==='] });
    expect(codeOfCorrection('Do not call `console.log` in production; use `logger.info`')).toEqual({ bad: ['console.log'], good: ['logger.info'] });
    // A sentence boundary ends what the words before a snippet say.
    expect(codeOfCorrection('Notify once per retry batch, not per attempt: `notifyUser(id, message);` after the loop')).toEqual({ bad: [], good: ['notifyUser(id, message);'] });
    expect(codeOfCorrection('Check `res.ok` before `res.json()`')).toEqual({ bad: [], good: ['res.ok', 'res.json()'] });
  });
});

describe('proposals drafted from corrections', () => {
  it('name code as written, count sessions in words, and keep the code a correction says to change out of the good examples (QA pass)', async () => {
    const { draftAntiPattern, skillSection } = await import('../src/suggest/draft.js');
    const pattern = { id: 'p1', category: 'TypeScript', label: 'parse() returns any', kind: 'text', occurrences: 2, sessions: 1, frequency: 0.5, severity: 'medium', priority: 'P2', confidence: 'medium', cohesion: 0.8, entries: ['fb-1', 'fb-2'], examples: [], status: 'new', first_seen: '2024-03-01', last_seen: '2024-03-02' } as never;
    const entries = [
      { id: 'fb-1', timestamp: '2024-03-01T10:00:00Z', type: 'mistake', category: 'TypeScript', context: 'parse() returns `any`', feedback: 'Replace `any` by `unknown`' },
      { id: 'fb-2', timestamp: '2024-03-02T10:00:00Z', type: 'mistake', category: 'TypeScript', context: 'parse() returns `any` again', feedback: 'Replace `any` by `unknown`' },
    ] as never;
    const record = draftAntiPattern('AP-001', pattern, entries, 2, '2024-03-03T00:00:00Z');
    expect(record.name).toBe('parse() returns any');
    expect(record.examples).toEqual({ bad: ['any'], good: ['unknown'] });
    expect(skillSection(pattern, 'AP-001', entries)).toContain('Recorded 2 times in 1 session (severity medium)');
  });
});

describe('names of several proposals at once', () => {
  it('are distinct: patterns whose first 60 characters are the same are named at length, then by id (QA pass: three OpenSSH proposals had one name)', async () => {
    const { suggestChanges } = await import('../src/suggest/changes.js');
    const base = 'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=';
    const pattern = (id: string, label: string) => ({ id, category: 'Security', label, kind: 'template', occurrences: 3, sessions: 3, frequency: 1, severity: 'medium', priority: 'P2', confidence: 'high', cohesion: 1, entries: [], examples: [], status: 'new', first_seen: '2024-03-01', last_seen: '2024-03-02' });
    const patterns = [pattern('p1', `${base}a.example user=root`), pattern('p2', `${base}b.example user=root`), pattern('p3', `${base}b.example user=root`)];
    const { changes } = suggestChanges({ analysis: { patterns, sessions: 3, entries: 9 }, entries: new Map(), antiPatternIds: [], generated: '2024-03-03T00:00:00Z', skills: {}, read: () => undefined, schemaRef: '' } as never, 1);
    const { parse: parseYaml } = await import('yaml');
    const names = changes.map((c) => (parseYaml(c.after) as { name: string }).name);
    expect(new Set(names).size).toBe(3);
    expect(names[0]).toContain('a.example');
    expect(names[2]).toMatch(/\(AP-003\)$/);
  });
});

describe('the language of code no path names', () => {
  it('is Python when its words say so, though it also parses as JavaScript (QA pass: `isinstance(value, str)` got a JavaScript detector)', async () => {
    const { guessLanguage } = await import('../src/enforce/synth/guess.js');
    expect(guessLanguage(['isinstance(value, str)'])).toBe('python');
    expect(guessLanguage(['ctx.params["debug"] = True'])).toBe('python');
    expect(guessLanguage(['if (a == null) return'])).toBe('javascript');
    expect(guessLanguage(['x = "True"'])).toBe('javascript'); // a word in a string says nothing
    expect(guessLanguage(['fs.open(path, mode)'])).toBe('javascript'); // nor a property named like a builtin
    expect(guessLanguage(['const x: number = 1'])).toBe('typescript');
    // Nothing either way: JavaScript first, as before.
    expect(guessLanguage(['ctx.params["name"] = value'])).toBe('javascript');
    expect(guessLanguage(['self.x === null'])).toBe('javascript');
    expect(guessLanguage(['def f(:'])).toBeUndefined();
  });

  it('in analyze, is guessed from the words of each snippet an entry without a file quotes (QA pass: a Python correction became example.js)', async () => {
    const { examplesOfEntries } = await import('../src/suggest/synthesis.js');
    const entry = (id: string, context: string, file?: string) => ({ id, timestamp: '2025-01-01T00:00:00Z', type: 'mistake', category: 'API', severity: 'high', context, ...(file ? { file } : {}) });
    const { bad } = examplesOfEntries([
      entry('fb-1', 'used `ctx.params["name"] = value` in a callback', 'click/core.py'),
      entry('fb-2', 'again `ctx.params["debug"] = True` in a callback'),
      entry('fb-3', 'checks `isinstance(value, str)` only'),
      entry('fb-4', 'calls `charge(p)` twice'),
    ] as never);
    expect(bad.map((e) => e.language)).toEqual(['python', 'python', 'python', 'javascript']);
  });
});

describe('examples from a diff that deletes a file', () => {
  it('gives none: the deleted file has no corrected code, and its first statement is not the mistake (QA pass 7)', async () => {
    const { examplesFromDiff, examplesFromChanges } = await import('../src/enforce/synth/diff.js');
    const diff = ['diff --git a/legacy.py b/legacy.py', 'deleted file mode 100644', '--- a/legacy.py', '+++ /dev/null', '@@ -1,2 +0,0 @@', '-from __future__ import annotations', '-x = 1', ''].join('\n');
    const out = examplesFromDiff(diff);
    expect(out.bad).toEqual([]);
    expect(out.skipped).toEqual([{ path: 'legacy.py', reason: 'deleted: no corrected code to tell the mistake by' }]);
    // The same for a fix commit read from git (log --fix): the file after the commit does not exist.
    expect(examplesFromChanges([{ path: 'legacy.py', before: 'x = 1\n', hunks: [{ removed: [1], added: [] }] }]).bad).toEqual([]);
  });
});
