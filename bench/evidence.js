#!/usr/bin/env node
// `npm run bench:evidence`: checks the ESTree evidence map (src/enforce/evidence.ts) on real code.
// For every JS/TS file of each repository (BENCH_EVIDENCE_REPOS, ':'-separated; default: the typeorm,
// eslint, excalidraw and vue-core checkouts under /work/data), every node type its ESTree has
// (oxc, as `failures check` parses it; with BENCH_EVIDENCE_ESLINT=1 also typescript-estree/espree,
// ESLint's parsers) must have its evidence in the file: a violation is a type the map would rule
// out where it exists (a selector would be skipped where it matches). Prints violations (target 0)
// and how often the evidence rules each listed type out where it is absent (what it saves).
// Also: where import detectors are answered from oxc's module record instead of the ESTree
// (detectors.ts recordSuffices), the statements reported must be exactly the ESTree's (target 0 differ).
// And: every selector form the engine answers from the tree-sitter tree (src/enforce/tree-selector.ts)
// is compared node for node (start and end offsets) with esquery on the ESTree (oxc's; with
// BENCH_EVIDENCE_ESLINT=1 also typescript-estree's/espree's, as ESLint's no-restricted-syntax runs it)
// wherever the tree answers (no syntax error, no `unsure` shape, no \u escape): counterexamples
// per repository (target 0), and how often each form leaves a file to the ESTree.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine } from './machine.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const dist = (p) => join(repoRoot, 'dist', p);
const { ESTREE_EVIDENCE, FileEvidence } = await import(dist('enforce/evidence.js'));
const { parseCode, SyntaxFailure } = await import(dist('enforce/parsers.js'));
const { parseWith } = await import(dist('enforce/structural.js'));
const { astGrepLanguageOf } = await import(dist('enforce/languages.js'));
const { importViolation, importViolationsFromRecord, recordSuffices } = await import(dist('enforce/detectors.js'));
const { parseModuleRecord } = await import(dist('enforce/parsers.js'));
const { walk } = await import(dist('enforce/ast.js'));
const { visitorKeysFor } = await import(dist('enforce/parsers.js'));
const { childKeys, span } = await import(dist('enforce/ast.js'));
const { compileSelector } = await import(dist('enforce/selector.js'));
const { importTree, translateSelector, treeMatches } = await import(dist('enforce/tree-selector.js'));
const { default: esquery } = await import('esquery');

/** Every form tree-selector.ts translates, with names common in real code. */
const TREE_SELECTORS = [
  'DebuggerStatement',
  'TSNonNullExpression',
  'TSEnumDeclaration',
  'TSAsExpression',
  ...['TSAnyKeyword', 'TSUnknownKeyword', 'TSNeverKeyword'].flatMap((k) => [k, `TSAsExpression[typeAnnotation.type='${k}']`, `PropertyDefinition > TSTypeAnnotation > ${k}`]),
  ...['forEach', 'then', 'map', 'push', 'catch', 'log', 'call', 'apply', 'bind', 'get', 'set', 'has', 'emit', 'on', 'resolve', 'join', 'filter', 'create', 'query', 'toString'].map((n) => `CallExpression[callee.property.name='${n}']`),
  ...['require', 'setTimeout', 'expect', 'describe', 'it', 'Symbol', 'String', 'parseInt', 'assert', 'fn', 'h', 'ref', 'defineComponent', 'test'].map((n) => `CallExpression[callee.name='${n}']`),
  ...['arguments', 'eval', 'x', 'i', 'e', 'value', 'data', 'props', 'console', 'window', 'document', 'process', 'exports', 'React', 'require', 'Promise', 'Error', 'T', 'h', 'ref', 'options', 'name', 'id', 'length', 'prototype', 'key', 'node', 'context'].map((n) => `Identifier[name='${n}']`),
].map((source) => ({ source, selector: compileSelector(source).selector }));
/** Import detectors of one module, answered from the tree as the engine does, against importViolation on the ESTree. */
const TREE_IMPORTS = ['fs', 'chai', 'path', 'assert', 'node:fs', 'node:path', 'util', 'os', 'child_process', 'react', 'react-dom', 'vue', '@vue/shared', 'typeorm', 'lodash', 'sinon', 'vitest', 'espree', 'jotai', 'nanoid', '../index', './utils', '../../src/index'];
const importStats = new Map(TREE_IMPORTS.map((m) => [m, { answered: 0, matches: 0, unsure: 0, differ: new Map() }]));
/** Per selector: files the tree answered, matches compared, files left to the ESTree, counterexamples (by repository). */
const treeStats = new Map(TREE_SELECTORS.map((s) => [s.source, { answered: 0, matches: 0, unsure: 0, differ: new Map() }]));
let treeOnlyParses = 0;

const DEFAULT = ['/work/data/typeorm', '/work/data/eslint', '/work/data/excalidraw', '/work/data/vue-core'];
const repos = (process.env.BENCH_EVIDENCE_REPOS ? process.env.BENCH_EVIDENCE_REPOS.split(':') : DEFAULT).filter((r) => existsSync(r));
if (repos.length === 0) {
  console.log(`bench:evidence skipped: none of ${DEFAULT.join(', ')} exists. Set BENCH_EVIDENCE_REPOS to checkouts of JS/TS repositories.`);
  process.exit(0);
}
const withEslint = process.env.BENCH_EVIDENCE_ESLINT === '1';
const CODE = /\.(?:[cm]?[jt]s|[jt]sx)$/;

function files(root) {
  try {
    return execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n').filter((f) => CODE.test(f) && !f.includes('node_modules/'));
  } catch {
    const out = [];
    const visit = (dir) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) {
          if (e.name !== 'node_modules' && !e.name.startsWith('.')) visit(join(dir, e.name));
        } else if (CODE.test(e.name)) out.push(relative(root, join(dir, e.name)));
      }
    };
    visit(root);
    return out.sort();
  }
}

/** Every node type of an ESTree, walking every property (not only visitor keys). */
function typesOf(ast) {
  const types = new Set();
  const stack = [ast];
  const seen = new Set();
  while (stack.length) {
    const value = stack.pop();
    if (!value || typeof value !== 'object' || seen.has(value)) continue;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const v of value) stack.push(v);
      continue;
    }
    if (typeof value.type === 'string') types.add(value.type);
    for (const [k, v] of Object.entries(value)) if (k !== 'parent' && v && typeof v === 'object') stack.push(v);
  }
  return types;
}

console.log('bench:evidence — is every ESTree node type the map lists evidenced where it exists?');
console.log(machine());
const listed = Object.keys(ESTREE_EVIDENCE);
let violations = 0;
let parsedFiles = 0;
let recordFiles = 0;
let recordDiffer = 0;
let unsureRecords = 0;
let recordStatements = 0;
const absent = new Map(listed.map((t) => [t, { absent: 0, ruledOut: 0 }]));
for (const root of repos) {
  let count = 0;
  let unparsable = 0;
  for (const file of files(root)) {
    const text = readFileSync(join(root, file), 'utf8');
    const grammar = astGrepLanguageOf(file);
    const trees = [];
    const treeFamilies = [];
    let oxcTree;
    for (const family of withEslint ? ['fast', 'eslint'] : ['fast']) {
      try {
        const ast = parseCode(file, text, family).ast;
        trees.push(ast);
        treeFamilies.push(family === 'fast' ? 'oxc' : 'eslint');
        if (family === 'fast') oxcTree = ast;
      } catch (error) {
        if (!(error instanceof SyntaxFailure)) throw error;
      }
    }
    if (trees.length === 0) {
      unparsable++;
      // The tree answering where no ESTree parser reads the file: the engine then reports findings where ESLint reports a parse error.
      if (grammar && !parseWith(grammar, text).root().find({ rule: { kind: 'ERROR' } })) treeOnlyParses++;
      continue;
    }
    count++;
    // Imports: the module record against the ESTree, for any module, with and without names.
    if (oxcTree && recordSuffices(text)) {
      recordFiles++;
      const detectors = [{ kind: 'import', matches: () => true }, { kind: 'import', matches: () => true, names: ['default'] }, { kind: 'import', matches: () => true, names: ['x', 'join'] }];
      const module = parseModuleRecord(file, text);
      const fromRecord = importViolationsFromRecord(detectors, module, text);
      if (fromRecord === undefined) unsureRecords++;
      else {
        const fromTree = [];
        walk(oxcTree, (node) => {
          for (const [i, d] of detectors.entries()) {
            const hit = importViolation(d, node);
            if (hit) fromTree.push(`${i}:${hit.start}-${hit.end}`);
          }
        }, visitorKeysFor(/\.[cm]?tsx?$/.test(file) ? 'ts' : 'js'));
        const a = new Set(fromRecord.map((h) => `${detectors.indexOf(h.detector)}:${h.start}-${h.end}`));
        const b = new Set(fromTree);
        const differ = [...a].filter((x) => !b.has(x)).length + [...b].filter((x) => !a.has(x)).length;
        recordStatements += b.size;
        if (differ > 0) {
          recordDiffer++;
          console.log(`  IMPORTS DIFFER ${join(root, file)}: record ${[...a].join(' ')} / ESTree ${[...b].join(' ')}`);
        }
      }
    }
    // Selectors answered from the tree: exactly esquery's matches on each ESTree.
    if (grammar) {
      const sgRoot = parseWith(grammar, text).root();
      const keys = visitorKeysFor(/\.[cm]?tsx?$/.test(file) ? 'ts' : 'js');
      const options = { visitorKeys: keys, fallback: (n) => childKeys(n) };
      // The tree's answer (undefined: unsure) against the ESTree's, on every parser's tree.
      const compare = (stats, label, matchers, estreeSpans) => {
        const fromTree = treeMatches(sgRoot, matchers, grammar, text);
        if (fromTree === undefined) {
          stats.unsure++;
          return;
        }
        stats.answered++;
        stats.matches += fromTree.length;
        const a = fromTree.map((h) => h.join('-')).sort();
        for (const [t, ast] of trees.entries()) {
          const b = estreeSpans(ast).sort();
          if (a.join() === b.join()) continue;
          stats.differ.set(root, (stats.differ.get(root) ?? 0) + 1);
          const only = (x, y) => x.filter((k) => !y.includes(k)).slice(0, 3).map((k) => `${k} \`${text.slice(...k.split('-').map(Number)).slice(0, 40)}\``).join(', ');
          console.log(`  TREE DIFFERS (${treeFamilies[t]}) ${join(root, file)} ${label}: tree only ${only(a, b) || '-'}; ESTree only ${only(b, a) || '-'}`);
        }
      };
      for (const module of TREE_IMPORTS) {
        const detector = { kind: 'import', matches: (s) => s === module };
        compare(importStats.get(module), `import ${module}`, [importTree(module)], (ast) => {
          const spans = [];
          walk(ast, (node) => {
            const hit = importViolation(detector, node);
            if (hit) spans.push(span(hit).join('-'));
          }, keys);
          return spans;
        });
      }
      for (const { source, selector } of TREE_SELECTORS) {
        compare(treeStats.get(source), source, translateSelector(selector, grammar), (ast) => esquery.match(ast, selector, options).map((n) => span(n).join('-')));
      }
    }
    const present = new Set(trees.flatMap((t) => [...typesOf(t)]));
    const evidence = new FileEvidence(text, grammar);
    const answers = evidence.allowsAll(listed.map((type) => [[type]]), () => parseWith(grammar, text));
    for (const [i, type] of listed.entries()) {
      const has = answers[i];
      if (present.has(type) && !has) {
        violations++;
        console.log(`  VIOLATION ${join(root, file)}: ${type} exists, the evidence says it cannot`);
      }
      if (!present.has(type)) {
        const a = absent.get(type);
        a.absent++;
        if (!has) a.ruledOut++;
      }
    }
  }
  parsedFiles += count;
  console.log(`  ${root}: ${count} files parsed${unparsable ? `, ${unparsable} not (syntax errors: nothing to check)` : ''}`);
}
console.log(`\nrule-outs where the type is absent (what the evidence spares), over ${parsedFiles} files:`);
for (const [type, { absent: n, ruledOut }] of absent) if (n > 0) console.log(`  ${type.padEnd(30)} absent in ${String(n).padStart(5)}, ruled out in ${String(ruledOut).padStart(5)} (${((100 * ruledOut) / n).toFixed(0)}%)`);
console.log(`\nimports from the module record: ${recordFiles} files could use it (${unsureRecords} fell back: a dynamic import of something not plainly a string), ${recordStatements} import statements found, ${recordDiffer} files differ from the ESTree [target 0] ${recordDiffer === 0 ? 'ok' : 'MISSED'}`);
console.log(`\nselectors answered from the tree-sitter tree (compared with esquery on ${withEslint ? "oxc's and ESLint's ESTrees" : "oxc's ESTree (BENCH_EVIDENCE_ESLINT=1 adds ESLint's parsers)"}):`);
let treeDiffer = 0;
for (const [source, { answered, matches, unsure, differ }] of treeStats) {
  const n = [...differ.values()].reduce((a, b) => a + b, 0);
  treeDiffer += n;
  console.log(`  ${source.padEnd(58)} files answered ${String(answered).padStart(5)}, left to the ESTree ${String(unsure).padStart(4)}, matches ${String(matches).padStart(6)}, differ ${n}${n ? ` (${[...differ].map(([r, k]) => `${r}: ${k}`).join(', ')})` : ''}`);
}
for (const [module, { answered, matches, unsure, differ }] of importStats) {
  const n = [...differ.values()].reduce((a, b) => a + b, 0);
  treeDiffer += n;
  console.log(`  ${`import: ${module}`.padEnd(58)} files answered ${String(answered).padStart(5)}, left to the ESTree ${String(unsure).padStart(4)}, matches ${String(matches).padStart(6)}, differ ${n}${n ? ` (${[...differ].map(([r, k]) => `${r}: ${k}`).join(', ')})` : ''}`);
}
console.log(`  files no ESTree parser reads whose tree-sitter tree has no syntax error: ${treeOnlyParses}`);
console.log(`tree-answered selectors differing from esquery: ${treeDiffer} [target 0] ${treeDiffer === 0 ? 'ok' : 'MISSED'}`);
console.log(`violations: ${violations} [target 0] ${violations === 0 ? 'ok' : 'MISSED'}`);
process.exitCode = violations === 0 && recordDiffer === 0 && treeDiffer === 0 ? 0 : 1;
