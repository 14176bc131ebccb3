import { describe, expect, it } from 'vitest';
import esquery from 'esquery';
import { kind, Lang, parse } from '@ast-grep/napi';
import type { AntiPatternRecord } from '../src/types/records.js';
import { compileRules } from '../src/enforce/compile.js';
import { checkText } from '../src/enforce/engine.js';
import { ESTREE_EVIDENCE, FileEvidence, type Grammar } from '../src/enforce/evidence.js';
import { parseCode } from '../src/enforce/parsers.js';
import { needsAncestry, requiredTypes } from '../src/enforce/selector.js';

type Detect = NonNullable<NonNullable<AntiPatternRecord['enforce']>['detect']>;

function rules(detect: Detect) {
  const record: AntiPatternRecord = { id: 'AP-001', name: 'n', status: 'approved', description: 'd', enforce: { detect } };
  const { rules, issues } = compileRules([record]);
  expect(issues).toEqual([]);
  return rules;
}

function flagged(detect: Detect, code: string, file = 'src/a.ts'): string[] {
  const result = checkText(file, code, rules(detect));
  return result.findings.map((f) => `${f.line}:${f.column} ${f.code}`);
}

/** Every node type of an ESTree. */
function typesOf(ast: unknown): Set<string> {
  const out = new Set<string>();
  const stack = [ast];
  while (stack.length > 0) {
    const value = stack.pop();
    if (!value || typeof value !== 'object') continue;
    if (Array.isArray(value)) stack.push(...value);
    else {
      if (typeof (value as { type?: unknown }).type === 'string') out.add((value as { type: string }).type);
      for (const [key, child] of Object.entries(value)) if (key !== 'parent') stack.push(child);
    }
  }
  return out;
}

const GRAMMARS: Record<Grammar, Lang> = { TypeScript: Lang.TypeScript, Tsx: Lang.Tsx, JavaScript: Lang.JavaScript };

/** Code written to hit the corners of the map: every construct in its odd spellings. */
const CORNERS: Array<[string, string]> = [
  ['a.ts', 'let a = b!; let c = (d as any)!.e; f!(); g![0]; h!.i!.j; (k)!; l! = 1; m!++;'],
  ['b.ts', 'const enum E { A } declare enum F { B } export enum G { C = 1 } export const enum H {}'],
  ['c.ts', 'let x = y satisfies Z; let u = <any>v; let w = v as unknown as never; type T = keyof any; function f(this: any): asserts x is any {}'],
  ['d.ts', 'class A { p: any; q = 1; #r: any; static s?: unknown; declare t: any; accessor u = 1; [k: string]: any; m() {} static { } }\nabstract class B { abstract v: any; abstract w(): void; }'],
  ['e.ts', 'export default class { x = 1 }\nconst C = class { y: any };\ninterface I { z: any }\ntype U = { [K in keyof any]: never };'],
  ['f.ts', 'async function g() { await h; for await (const x of y) {} }\nawait top;\nconst a = async () => await b;'],
  ['g.ts', 'declare module "m" { export const a: any; }\nnamespace N { export import X = Y.Z; }\ndeclare global { var q: any }\nimport fs = require("fs");'],
  ['h.ts', 'debugger; with0; label: for (;;) { break label; }\nfunction* gen() { yield 1; yield* other(); }\nswitch (x) { case 1: default: }'],
  ['i.tsx', 'const el = <div a={b!}>{c as any}</div>; enum E { A }\nclass K { f: any = <span/> }'],
  ['j.js', 'class A { f = 1; static g; #h = 2; m() { return this.#h } }\nasync function x() { await y; }\ndebugger;'],
  ['k.d.ts', 'declare function f(x: any): void;\ndeclare class C { p: any; }\nexport declare enum E { A }\ndeclare const v: unknown;'],
];

describe('the ESTree evidence map', () => {
  it('names kinds each grammar has', () => {
    for (const [type, evidence] of Object.entries(ESTREE_EVIDENCE)) {
      for (const [grammar, kinds] of Object.entries(evidence.kinds ?? {})) {
        for (const k of kinds!) expect(kind(GRAMMARS[grammar as Grammar], k.kind), `${type}: ${grammar} has no ${k.kind}`).not.toBe(0);
      }
    }
  });

  it('every listed type that exists in a file has its evidence there (oxc and ESLint parsers)', () => {
    const listed = Object.keys(ESTREE_EVIDENCE);
    let checked = 0;
    for (const [file, code] of CORNERS) {
      const grammar = /\.tsx$/.test(file) ? 'Tsx' : /\.js$/.test(file) ? 'JavaScript' : 'TypeScript';
      const present = new Set([...typesOf(parseCode(file, code, 'fast').ast), ...typesOf(parseCode(file, code, 'eslint').ast)]);
      const answers = new FileEvidence(code, grammar).allowsAll(
        listed.map((type) => [[type]]),
        () => parse(GRAMMARS[grammar], code),
      );
      listed.forEach((type, i) => {
        if (present.has(type)) {
          checked++;
          expect(answers[i], `${file}: ${type} exists but its evidence says it cannot`).toBe(true);
        }
      });
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('rules types out where their evidence is missing', () => {
    const evidence = new FileEvidence('const a = b; // as any, enum, any', 'TypeScript');
    expect(evidence.allowsAll([[['TSNonNullExpression']], [['TSAsExpression']], [['TSEnumDeclaration']], [['DebuggerStatement']], [['CallExpression']]], () => parse(Lang.TypeScript, 'const a = b; // as any, enum, any'))).toEqual([
      false,
      false,
      false,
      false,
      true,
    ]);
  });

  it('rules TSNonNullExpression out by its mark: a `!` not followed by `=`', () => {
    const nonNull = (code: string) => new FileEvidence(code, 'TypeScript').allowsAll([[['TSNonNullExpression']]], () => undefined)[0];
    expect(nonNull('if (a != b && c !== d) {}')).toBe(false);
    expect(nonNull('a.b! = 1;')).toBe(true);
    expect(nonNull('f(x!);')).toBe(true);
    expect(nonNull('if (!x) {}')).toBe(true);
  });

  it('trusts no kind in a tree with a syntax error, and no word in a text with \\u escapes', () => {
    const broken = 'const a = ; if (!b) debugger';
    expect(new FileEvidence(broken, 'TypeScript').allowsAll([[['TSNonNullExpression']]], () => parse(Lang.TypeScript, broken))).toEqual([true]);
    const escaped = 'x \\u0061s y';
    expect(new FileEvidence(escaped, 'JavaScript').allowsAll([[['TSAsExpression']]], () => undefined)).toEqual([true]);
  });
});

describe('the node types a selector needs', () => {
  const types = (selector: string) => requiredTypes(esquery.parse(selector) as never);
  it('takes the subject, attribute types, relatives and :has, and nothing from what it does not understand', () => {
    expect(types("TSAsExpression[typeAnnotation.type='TSAnyKeyword']")).toEqual([['TSAsExpression'], ['TSAnyKeyword']]);
    expect(types('PropertyDefinition > TSTypeAnnotation > TSAnyKeyword')).toEqual([['PropertyDefinition'], ['TSTypeAnnotation'], ['TSAnyKeyword']]);
    expect(types(':matches(AwaitExpression, YieldExpression)')).toEqual([['AwaitExpression', 'YieldExpression']]);
    expect(types('CallExpression:has(AwaitExpression)')).toEqual([['CallExpression'], ['AwaitExpression']]);
    expect(types(':matches(AwaitExpression, [name="x"])')).toEqual([]);
    expect(types(':not(AwaitExpression)')).toEqual([]);
    expect(types('[type=/TS.*/]')).toEqual([]);
    expect(types(':function')).toEqual([]);
  });

  it('knows which selectors look at ancestors (esquery gets them only then)', () => {
    const needs = (selector: string) => needsAncestry(esquery.parse(selector) as never);
    for (const s of ["CallExpression[callee.property.name='forEach']", 'TSNonNullExpression', ':matches(A, B[x=1])', ':not(Identifier)', '*']) expect(needs(s), s).toBe(false);
    for (const s of ['A > B', 'A B', 'A ~ B', 'A + B', ':nth-child(1)', ':first-child', '.init', ':expression', 'A:has(B)', ':not(A > B)']) expect(needs(s), s).toBe(true);
    const code = 'function f() { return arguments.length; }\nconst o = { a: arguments };';
    expect(flagged([{ selector: "Identifier[name='arguments']" }], code)).toEqual(['1:23 arguments', '2:16 arguments']);
    expect(flagged([{ selector: "ReturnStatement > MemberExpression > Identifier[name='arguments']" }], code)).toEqual(['1:23 arguments']);
  });
});

describe('selectors and imports skip files only where they cannot match', () => {
  it('finds what the evidence allows, and nothing is lost where a word or kind is present', () => {
    expect(flagged([{ selector: 'TSNonNullExpression' }], 'const a = b!.c;\nif (!d) {}')).toEqual(['1:11 b!']);
    expect(flagged([{ selector: 'TSNonNullExpression' }], 'if (!d) {}\nconst e = f !== g;')).toEqual([]);
    expect(flagged([{ selector: "TSAsExpression[typeAnnotation.type='TSAnyKeyword']" }], 'import * as m from "m";\nconst x = y as any;')).toEqual(['2:11 y as any']);
    expect(flagged([{ selector: 'TSEnumDeclaration' }], 'declare const enum E { A }')).toEqual(['1:1 declare const enum E { A }']);
  });

  it('names written with escapes are still found (ESTree decodes them, as ESLint sees them)', () => {
    expect(flagged([{ selector: "CallExpression[callee.property.name='forEach']" }], 'a.\\u0066orEach(f);')).toEqual(['1:1 a.\\u0066orEach(f)']);
    expect(flagged([{ import: 'fs' }], "const x = require('\\x66s');", 'src/a.js')).toEqual(["1:11 require('\\x66s')"]);
  });

  it('a pattern and evidence for a selector share one walk of the tree: both report', () => {
    const detect: Detect = [{ pattern: '$X as any' }, { selector: 'TSAsExpression' }, { regex: 'todo', in: 'comments' }];
    const found = checkText('src/a.ts', 'const a = b as any; // todo\nconst s = "todo";', rules(detect)).findings.map((f) => `${f.detector} ${f.line}:${f.column}`);
    expect(found.sort()).toEqual(['0 1:11', '1 1:11', '2 1:24']);
  });

  it('many patterns in one walk (nested groups of the walk rule): every pattern a node matches reports it, in any order', () => {
    const many: Detect = [{ pattern: 'foo($X)' }, { pattern: 'bar($X)' }, { pattern: 'a.b' }, { pattern: '$A == null' }, { pattern: 'new Set($$$)' }, { pattern: 'typeof $X' }, { pattern: '$F(1)' }, { selector: 'DebuggerStatement' }];
    const code = 'foo(1);\nif (x == null) debugger;\nconst s = new Set([a.b]);\n';
    const report = (detect: Detect) => checkText('src/a.ts', code, rules(detect)).findings.map((f) => `${String(detect[f.detector]!.pattern ?? detect[f.detector]!.selector)} ${f.line}:${f.column}`).sort();
    const expected = ['$A == null 2:5', '$F(1) 1:1', 'DebuggerStatement 2:16', 'a.b 3:20', 'foo($X) 1:1', 'new Set($$$) 3:11'];
    expect(report(many)).toEqual(expected);
    expect(report([...many].reverse())).toEqual(expected);
  });

  it('a syntax error is reported where some detector could match, even when no selector needs the ESTree', () => {
    const detect: Detect = [{ selector: 'TSEnumDeclaration' }, { pattern: 'foo($X)' }];
    expect(checkText('src/a.ts', 'const a = ;\nenum E { A }\n', rules(detect)).parseError?.message).toMatch(/Parsing error/);
    expect(checkText('src/a.ts', 'const a = ;\nfoo(1);\n', rules(detect)).parseError?.message).toMatch(/Parsing error/);
  });

  it('a file no detector can match (none of its words or marks occur) is not parsed, so its syntax errors are not reported', () => {
    const detect: Detect = [{ selector: 'TSEnumDeclaration' }, { selector: 'TSNonNullExpression' }, { pattern: 'foo($X)' }, { any: [{ pattern: 'new Promise($$$)' }, { pattern: 'new Promise<$T>($$$)' }] }];
    expect(checkText('src/a.ts', 'const a = ;\nif (a !== b) {}\n', rules(detect))).toEqual({ file: 'src/a.ts', findings: [] });
    // Each detector's own evidence brings the parse back: `!` not before `=`, the words of every `any` branch.
    expect(checkText('src/a.ts', 'const a = ;\nif (!b) {}\n', rules(detect)).parseError?.message).toMatch(/Parsing error/);
    expect(checkText('src/a.ts', 'const a = ;\nnew Promise(r);\n', rules(detect)).parseError?.message).toMatch(/Parsing error/);
  });

  it('imports read from the module record report what the ESTree reports', () => {
    const code = [
      'import a, { b as c } from "m";',
      'export { d as e } from "m";',
      'export * from "m";',
      'const f = import("m");',
      'const g = import(("m"));',
      'import "other";',
      'export { default } from "m";',
    ].join('\n');
    expect(flagged([{ import: 'm' }], code)).toEqual([
      '1:1 import a, { b as c } from "m";',
      '2:1 export { d as e } from "m";',
      '3:1 export * from "m";',
      '4:11 import("m")',
      '5:11 import(("m"))',
      '7:1 export { default } from "m";',
    ]);
    expect(flagged([{ import: { from: 'm', names: ['default'] } }], code)).toEqual(['1:1 import a, { b as c } from "m";', '3:1 export * from "m";', '7:1 export { default } from "m";']);
    // What the record lacks goes to the ESTree: `export {} from`, imports inside `declare module`.
    expect(flagged([{ import: 'm' }], 'export {} from "m";\ndeclare module "x" { import y from "m"; }', 'src/a.d.ts')).toEqual(['1:1 export {} from "m";', '2:22 import y from "m";']);
  });
});

