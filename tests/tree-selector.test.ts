import { describe, expect, it } from 'vitest';
import esquery from 'esquery';
import { parse } from '@ast-grep/napi';
import type { AntiPatternRecord } from '../src/types/records.js';
import { compileRules } from '../src/enforce/compile.js';
import { checkText } from '../src/enforce/engine.js';
import { span, type AstNode } from '../src/enforce/ast.js';
import { parseCode, visitorKeysFor } from '../src/enforce/parsers.js';
import { compileSelector } from '../src/enforce/selector.js';
import { importTree, translateSelector, treeMatches, type Grammar } from '../src/enforce/tree-selector.js';
import { importViolation } from '../src/enforce/detectors.js';
import { walk } from '../src/enforce/ast.js';

/** What ESLint's no-restricted-syntax reports: esquery on the ESTree, [start, end) of each match, in its order. */
function estreeMatches(selector: string, file: string, code: string, family: 'fast' | 'eslint'): string[] {
  const { ast, language } = parseCode(file, code, family);
  const options = { visitorKeys: visitorKeysFor(language), fallback: (n: AstNode) => Object.keys(n).filter((k) => k !== 'parent') } as never;
  return (esquery.match(ast as never, esquery.parse(selector), options) as unknown as AstNode[]).map((n) => span(n).join('-'));
}

function fromTree(selector: string, code: string, grammar: Grammar): string[] | undefined {
  const matchers = translateSelector(compileSelector(selector).selector, grammar);
  if (!matchers) throw new Error(`not translated: ${selector}`);
  const hits = treeMatches(parse(grammar as never, code).root(), matchers, grammar, code);
  return hits?.sort((a, b) => a[0] - b[0] || b[1] - a[1]).map((h) => h.join('-'));
}

/** Where the tree answers, it answers exactly as both parsers' ESTrees do; `unsure` cases answer undefined. */
function agrees(selector: string, code: string, file = 'a.ts'): string[] | undefined {
  const grammar: Grammar = file.endsWith('.tsx') ? 'Tsx' : file.endsWith('.ts') ? 'TypeScript' : 'JavaScript';
  const tree = fromTree(selector, code, grammar);
  const oxc = estreeMatches(selector, file, code, 'fast');
  const eslint = estreeMatches(selector, file, code, 'eslint');
  expect(oxc).toEqual(eslint);
  if (tree !== undefined) expect(tree).toEqual(oxc);
  return tree;
}

describe('selectors answered from the tree-sitter tree', () => {
  it('translates only its subset, and knows TypeScript types never occur in JavaScript', () => {
    const t = (s: string, g: Grammar = 'TypeScript') => translateSelector(compileSelector(s).selector, g);
    expect(t('DebuggerStatement')).toHaveLength(1);
    expect(t("CallExpression[callee.property.name='forEach']")).toHaveLength(1);
    expect(t("CallExpression[callee.property.name='forEach']", 'JavaScript')).toHaveLength(1);
    expect(t('TSNonNullExpression', 'JavaScript')).toEqual([]);
    expect(t('PropertyDefinition > TSTypeAnnotation > TSAnyKeyword', 'JavaScript')).toEqual([]);
    for (const outside of ["Identifier[name='this']", "Identifier[name='target']", 'Identifier', 'CallExpression', "CallExpression[callee.property.name=/each/]", "CallExpression[callee.name='undefined']", 'ClassBody > PropertyDefinition', 'debuggerstatement', ':not(DebuggerStatement)', "CallExpression[callee.property.name='a'][callee.object.name='b']"]) {
      expect(t(outside), outside).toBeUndefined();
    }
  });

  it('non-null assertions: tree-sitter reads `a === b!` as `(a === b)!`', () => {
    expect(agrees('TSNonNullExpression', 'a!.b!.c; x = y!!; f(a!)[0]!; (a as B)!;')).toHaveLength(7);
    // The misread assertion itself is repaired to ESTree's range (from its real operand to the `!`)…
    expect(agrees('TSNonNullExpression', 'const ok = a === b!;')).toEqual(['17-19']);
    expect(agrees('TSNonNullExpression', 'f(x ? y : a.b!); g(!c!); h(await d!, e = k!, p || q && r.s!)')).toHaveLength(5);
    // …any other in the expression it damaged is left to the ESTree.
    expect(agrees('TSNonNullExpression', 'const ok = x && a === b!.c!;')).toBeUndefined();
    expect(agrees('TSNonNullExpression', 'let x!: number; class C { y!: string }')).toEqual([]);
    // A `\\u` escape in a string leaves the tree to answer; one in a name does not (ESTree decodes it).
    expect(agrees('TSNonNullExpression', 'const s = "\\u0041"; a!;')).toHaveLength(1);
    expect(agrees("CallExpression[callee.property.name='forEach']", 'a.\\u0066orEach(f);')).toBeUndefined();
    expect(agrees("CallExpression[callee.name='require']", 'const s = "\\u0041"; require("x"); \\u0072equire("y");', 'a.js')).toBeUndefined();
    expect(agrees("CallExpression[callee.name='require']", 'const s = "\\u0041"; require("x");', 'a.js')).toHaveLength(1);
    // …and the misread spoils the nodes around it: no selector is answered from such a tree.
    expect(agrees("CallExpression[callee.property.name='filter']", 'const x = a === "b" && c.d!.e.filter(f).g;')).toBeUndefined();
    // …but only the expression it belongs to.
    expect(agrees("CallExpression[callee.property.name='forEach']", 'const ok = a === b!;\nx.forEach(f);')).toEqual(['21-33']);
    expect(agrees("CallExpression[callee.property.name='forEach']", 'f(a === b!, x.forEach(g));')).toEqual(['12-24']);
  });

  it('enums start at `declare` and `const` as in ESTree', () => {
    expect(agrees('TSEnumDeclaration', 'declare enum A {}\nexport declare const enum B { x }\nexport enum C {}\nconst enum D {}\ndeclare namespace N { enum E {} }')).toHaveLength(5);
    expect(agrees('TSEnumDeclaration', 'enum A {}', 'a.d.ts')).toHaveLength(1);
  });

  it('calls by callee name and property name: optional chains, private names, computed names, decorators; not tagged templates or `new`', () => {
    const code = 'a.forEach(f); a?.b.forEach(f); a.forEach?.(f); this.#forEach(); a[forEach](); a["forEach"](); a.forEach`x`; new a.forEach(); @a.forEach() class C { #forEach() {} m() { this.#forEach(); } }; a.forEach<T>(f); a.forEach!(f); x.forEach; ({ forEach() {} });';
    expect(agrees("CallExpression[callee.property.name='forEach']", code)).toHaveLength(8);
    expect(agrees("CallExpression[callee.property.name='then']", 'p.then(a).then(b).catch(c)')).toEqual(['0-17', '0-9']);
    expect(agrees("CallExpression[callee.property.name='forEach']", '(a.forEach)(f)')).toBeUndefined();
    expect(agrees("CallExpression[callee.property.name='forEach']", '(a?.forEach)(f)')).toBeUndefined();
    expect(agrees("CallExpression[callee.name='setTimeout']", 'setTimeout(f); setTimeout?.(f); x.setTimeout(f); setTimeout`t`; new setTimeout(); @setTimeout() class C {}')).toHaveLength(3);
    expect(agrees("CallExpression[callee.name='require']", 'const x = require("y");', 'a.js')).toHaveLength(1);
  });

  it('as-expressions and keyword types; parenthesised types are left to the ESTree', () => {
    expect(agrees("TSAsExpression[typeAnnotation.type='TSAnyKeyword']", 'a as any; (b as any) as unknown; c as any[]; <any>d; e as Any; f satisfies any;')).toHaveLength(2);
    expect(agrees("TSAsExpression[typeAnnotation.type='TSAnyKeyword']", 'a as (any);')).toBeUndefined();
    expect(agrees('TSAnyKeyword', 'let a: any; type T = (any)[]; function f(x: any): any {}')).toHaveLength(4);
  });

  it('class fields typed with a keyword type: not abstract fields, accessors, parameters, signatures or initialisers', () => {
    const code = 'abstract class C { a: any; b?: any; static c: any = 1; declare d: any; abstract e: any; accessor f: any; g = (x: any): any => x; h: Array<any>; [k: string]: any; constructor(public i: any) {} }\ninterface I { j: any }';
    expect(agrees('PropertyDefinition > TSTypeAnnotation > TSAnyKeyword', code)).toHaveLength(4);
    expect(agrees('PropertyDefinition > TSTypeAnnotation > TSAnyKeyword', 'class C { a: (any) }')).toBeUndefined();
    expect(agrees('PropertyDefinition > TSTypeAnnotation > TSUnknownKeyword', 'class C { a: unknown; b: any }')).toHaveLength(1);
  });

  it('imports of one module: every way importViolation reads the ESTree, escapes and misread shapes left to it', () => {
    const imports = (module: string, code: string, file = 'a.ts') => {
      const grammar: Grammar = file.endsWith('.ts') ? 'TypeScript' : 'JavaScript';
      const tree = treeMatches(parse(grammar as never, code).root(), [importTree(module)], grammar, code)?.map((h) => h.join('-')).sort();
      for (const family of ['fast', 'eslint'] as const) {
        const { ast, language } = parseCode(file, code, family);
        const estree: string[] = [];
        walk(ast, (node) => {
          const hit = importViolation({ kind: 'import', matches: (s: string) => s === module } as never, node);
          if (hit) estree.push(span(hit).join('-'));
        }, visitorKeysFor(language));
        if (tree !== undefined) expect(tree).toEqual(estree.sort());
      }
      return tree;
    };
    const code = "import a from 'chai';\nimport type { B } from \"chai\";\nimport 'chai';\nexport * from 'chai';\nexport { c } from 'chai';\nimport d = require('chai');\nconst e = require('chai');\nconst f = require(`chai`, 1);\nimport('chai');\nimport(`chai`, {});\ndeclare module 'chai' { import g from 'chai'; }\nconst h = { 'chai': 1 }; x('chai'); new require('chai'); require.resolve('chai'); require(...['chai']);";
    expect(imports('chai', code)).toHaveLength(10);
    expect(imports('chai', "const a = require(/* c */ 'chai');", 'a.js')).toHaveLength(1);
    expect(imports('chai', "const a = require(('chai'));")).toBeUndefined();
    expect(imports('chai', "const a = (require)('chai');")).toBeUndefined();
    expect(imports('fs', "import x from '\\x66s';")).toBeUndefined();
    expect(imports('fs', "import x from 'fs';\nconst s = '\\x66s';")).toHaveLength(1);
  });

  it('identifiers by name: every place ESTree has one, and the places it has two or a wider one left to it', () => {
    const code = 'function f() { return arguments.length + g(...arguments) + arguments[0]; }\nconst o = { arguments: 1, m() { arguments; } };\nclass C { arguments = 1; arguments() {} }\nlabel: for (;;) break label;\ntype T = arguments;\nx.arguments; x?.arguments; x[arguments];';
    expect(agrees("Identifier[name='arguments']", code, 'a.ts')).toHaveLength(11);
    expect(agrees("Identifier[name='label']", code, 'a.ts')).toHaveLength(2);
    for (const unsure of ['const { arguments } = o;', 'const o = { arguments };', 'import { arguments } from "m";', 'export { x as arguments };', 'function g(arguments: number) {}', 'let arguments: number;', 'namespace a.arguments {}']) {
      expect(agrees("Identifier[name='arguments']", unsure, 'a.ts'), unsure).toBeUndefined();
    }
    expect(agrees("Identifier[name='div']", 'const a = <div>{div}</div>;', 'a.tsx')).toBeUndefined();
    expect(agrees("Identifier[name='a']", 'const x = a + b;', 'a.js')).toHaveLength(1);
  });

  it('JSX files read with the Tsx grammar', () => {
    expect(agrees("CallExpression[callee.property.name='map']", 'const x = <ul>{items.map((i) => <li>{i!.name}</li>)}</ul>;', 'a.tsx')).toHaveLength(1);
    expect(agrees('TSNonNullExpression', 'const x = <ul>{items.map((i) => <li>{i!.name}</li>)}</ul>;', 'a.tsx')).toHaveLength(1);
  });

  it('checkText reports the same findings whichever way a selector is answered, and falls back where the tree is unsure or broken', () => {
    const record = (selector: string): AntiPatternRecord => ({ id: 'AP-001', name: 'n', status: 'approved', description: 'd', enforce: { detect: [{ selector }] } });
    const run = (selector: string, code: string) => checkText('src/a.ts', code, compileRules([record(selector)]).rules).findings.map((f) => `${f.line}:${f.column}-${f.endLine}:${f.endColumn}`);
    // Unsure shapes, escapes and syntax errors go to the ESTree: the ESTree's answer.
    expect(run('TSNonNullExpression', 'const ok = a === b!;\nc!;')).toEqual(['1:18-1:20', '2:1-2:3']);
    expect(run("CallExpression[callee.property.name='forEach']", 'a.\\u0066orEach(f);')).toEqual(['1:1-1:18']);
    expect(run("CallExpression[callee.property.name='forEach']", '(a.forEach)(f);')).toEqual(['1:1-1:15']);
    expect(run("CallExpression[callee.property.name='filter']", 'const x = a === "b" && c.d!.e.filter(f).g;')).toEqual(['1:24-1:40']);
    expect(checkText('src/a.ts', 'a.forEach(f) +;', compileRules([record("CallExpression[callee.property.name='forEach']")]).rules).parseError).toBeDefined();
    // Answered from the tree.
    expect(run("CallExpression[callee.property.name='then']", 'p.then(a).then(b);')).toEqual(['1:1-1:18', '1:1-1:10']);
  });
});
