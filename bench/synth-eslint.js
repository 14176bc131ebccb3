// Part of `npm run bench:synth`: ESLint's own rule tests (tests/lib/rules/*.js of the eslint repository)
// as example sets — invalid code is bad (the statement on the first reported line), valid code good —
// read by running each test file with a RuleTester that only records its cases.
import { existsSync, readdirSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { join } from 'node:path';
import { createHash } from 'node:crypto';

const stub = new Proxy(function () {}, { get: (_t, key) => (key === Symbol.toPrimitive ? () => '' : stub), apply: () => stub, construct: () => stub });

/** The valid/invalid cases of every rule test (string code, no options, no special parser). */
export function eslintSets(root) {
  const dir = join(root, 'tests', 'lib', 'rules');
  if (!existsSync(dir)) return [];
  const sets = [];
  const originalRequire = Module.prototype.require;
  let captured;
  class RuleTester {
    constructor() {}
    run(name, _rule, tests) {
      captured = { name, tests };
    }
    static RuleTester = RuleTester;
    static setDefaultConfig() {}
    static only(x) {
      return x;
    }
  }
  Module.prototype.require = function (request) {
    if (request.startsWith('.') && request.includes('rule-tester')) return RuleTester;
    if (request.startsWith('../../../lib/')) return {};
    // Parsers and plugins named in test configurations are not needed to read the cases.
    if (!request.startsWith('.') && !request.startsWith('/') && !request.startsWith('node:')) return stub;
    return originalRequire.call(this, request);
  };
  try {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.js')).sort()) {
      captured = undefined;
      if (process.env.SYNTH_DEBUG) process.stderr.write(file + '\n');
      try {
        createRequire(join(dir, file))(join(dir, file));
      } catch {
        continue;
      }
      if (!captured) continue;
      const plain = (c) => typeof c === 'string' || (!c.options && !c.languageOptions?.parser && !c.filename && !c.settings && typeof c.code === 'string');
      const code = (c) => (typeof c === 'string' ? c : c.code);
      const invalid = captured.tests.invalid.filter(plain).filter((c) => Array.isArray(c.errors) && c.errors[0]?.line !== undefined);
      const valid = captured.tests.valid.filter(plain).map(code);
      if (invalid.length < 2) continue;
      sets.push({
        name: captured.name,
        bad: invalid.map((c) => ({ code: c.code, line: c.errors[0].line, ...(c.errors[0].column ? { column: c.errors[0].column } : {}) })),
        good: valid,
        split: createHash('sha1').update(captured.name).digest()[0] % 2 === 0 ? 'dev' : 'test',
      });
    }
  } finally {
    Module.prototype.require = originalRequire;
  }
  return sets;
}
