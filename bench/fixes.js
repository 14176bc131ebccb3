#!/usr/bin/env node
// `npm run bench:fixes`: autofix parity with the ast-grep CLI on published rules. Every ast-grep rule
// with a `fix` under FIX_RULES (':'-separated folders of rule repositories; default the fetched
// coderabbitai/ast-grep-essentials and ast-grep rule repositories under /work/data) in JS/TS/Python
// becomes a failures `pattern` detector as written (`rule`, `constraints`, `utils`, `transform`, `fix`)
// and runs:
//   1. on the rules' own test cases (`invalid:` code of the repositories' ast-grep test files);
//   2. on real repositories (BENCH_REPOS, ':'-separated; default excalidraw, typeorm, pycode, vue-core
//      under /work/data), every file the language's extensions name, all rules at once.
// For each match the CLI fixes, failures' replacement must be the same text at the same place.
// Matches only one side reports are counted apart: failures honours `eslint-disable` comments
// (ast-grep does not). BENCH_ALL_RULES=1 takes every rule, with a fix or not, and compares every match
// (place, and fix text where there is one): how far an ast-grep user's rules work as written (slow:
// minutes per repository). Columns are compared in UTF-16 units, as ESLint and failures count them
// (the CLI counts characters).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { machine } from './machine.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const sgBin = join(repoRoot, 'node_modules', '.bin', 'ast-grep');
const ruleRoots = (process.env.FIX_RULES ?? '/work/data/ast-grep-essentials:/work/data/ast-grep-rules:/work/data/ast-grep-rules-fresh:/work/data/ast-grep-rules-fresh2:/work/data/ast-grep-rules-fresh3:/work/data/ast-grep-rules-fresh4').split(':').filter(existsSync);
const ALL = process.env.BENCH_ALL_RULES === '1';
const targets = (process.env.BENCH_REPOS ?? '/work/data/excalidraw:/work/data/typeorm:/work/data/pycode:/work/data/vue-core').split(':');
if (ruleRoots.length === 0) {
  console.log('bench:fixes skipped: no ast-grep rule repositories (set FIX_RULES to folders holding ast-grep rule .yml files with a fix, e.g. a checkout of coderabbitai/ast-grep-essentials).');
  process.exit(0);
}
const { compileRules } = await import(join(repoRoot, 'dist', 'enforce', 'compile.js'));
const { checkText } = await import(join(repoRoot, 'dist', 'enforce', 'engine.js'));

const LANGUAGES = { typescript: 'typescript', ts: 'typescript', tsx: 'tsx', javascript: 'javascript', js: 'javascript', jsx: 'javascript', python: 'python', py: 'python' };
const EXTENSION = { typescript: 'ts', tsx: 'tsx', javascript: 'js', python: 'py' };
const CODE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|py)$/;

function yamlFiles(dir, out = []) {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === '.git') continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yamlFiles(path, out);
    else if (/\.ya?ml$/.test(entry)) out.push(path);
  }
  return out;
}

function documents(file) {
  try {
    return YAML.parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS()).filter((d) => d && typeof d === 'object');
  } catch {
    return [];
  }
}

// The rules with a fix, and the test cases of each rule id.
const rules = [];
const casesOf = new Map();
for (const root of ruleRoots) {
  for (const file of yamlFiles(root)) {
    for (const doc of documents(file)) {
      if (typeof doc.id === 'string' && Array.isArray(doc.invalid)) casesOf.set(`${root} ${doc.id}`, [...(casesOf.get(`${root} ${doc.id}`) ?? []), ...doc.invalid.filter((c) => typeof c === 'string')]);
      const language = LANGUAGES[String(doc.language ?? '').toLowerCase()];
      if (!doc.rule || (!ALL && typeof doc.fix !== 'string') || !language) continue;
      rules.push({ root, file: relative(root, file), doc, language });
    }
  }
}
const keys = ['rule', 'constraints', 'utils', 'transform', 'fix'];
const pick = (doc) => Object.fromEntries(keys.filter((k) => doc[k] !== undefined).map((k) => [k, doc[k]]));
const ruleId = (i) => `failures/ap-${String(i + 1).padStart(3, '0')}`;
const records = rules.map(({ doc, language }, i) => ({
  id: `AP-${String(i + 1).padStart(3, '0')}`,
  name: String(doc.id),
  status: 'approved',
  description: 'bench',
  enforce: { detect: [{ ...pick(doc), language }] },
}));
const { rules: compiled, issues } = compileRules(records);
const refused = new Set(issues.map((i) => i.id));

console.log(`bench:fixes on ${ruleRoots.length} rule repositories (${ruleRoots.join(', ')})`);
console.log(machine());
console.log(`${rules.length} JS/TS/Python rules${ALL ? '' : ' with a fix'}; ${refused.size} refused by validate:`);
for (const issue of issues) {
  const { root, file, doc } = rules[Number(issue.id.slice(3)) - 1];
  console.log(`  ${relative('/work/data', root)}/${file} ${doc.id}: ${issue.path.join('.')}: ${issue.message.slice(0, 140)}`);
}

const work = mkdtempSync(join(tmpdir(), 'failures-bench-fixes-'));
try {
  mkdirSync(join(work, 'rules'));
  // A rule the CLI itself cannot read (napi is more lenient, e.g. with utility ids) is left out of both.
  writeFileSync(join(work, 'empty.txt'), '');
  const cliRefused = [];
  rules.forEach(({ doc }, i) => {
    const file = join(work, 'rules', `${i}.yml`);
    writeFileSync(file, YAML.stringify({ id: ruleId(i), language: doc.language, ...pick(doc) }));
    const probe = spawnSync(sgBin, ['scan', '--rule', file, join(work, 'empty.txt')], { encoding: 'utf8' });
    if (probe.status !== 0 && /Cannot parse rule/.test(probe.stderr)) {
      rmSync(file);
      refused.add(records[i].id);
      cliRefused.push(doc.id);
    }
  });
  if (cliRefused.length > 0) console.log(`${cliRefused.length} more the ast-grep CLI cannot read, left out: ${cliRefused.slice(0, 5).join(', ')}${cliRefused.length > 5 ? ', …' : ''}`);
  const config = join(work, 'sgconfig.yml');
  writeFileSync(config, `ruleDirs: [${join(work, 'rules')}]\n`);
  const astGrep = (cwd, args) => {
    const run = spawnSync(sgBin, ['scan', '-c', config, '--json=compact', ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
    if (run.status !== 0 && !run.stdout) throw new Error(`ast-grep scan failed: ${run.stderr}`);
    return JSON.parse(run.stdout || '[]');
  };
  const key = (id, file, line, column) => `${id} ${file} ${line}:${column}`;
  // The CLI's column counts characters; failures', as ESLint's, UTF-16 units.
  const theirKey = (m, file, text) => {
    const line = text.split('\n', m.range.start.line + 1)[m.range.start.line] ?? '';
    return key(m.ruleId, file, m.range.start.line + 1, [...line].slice(0, m.range.start.column).join('').length + 1);
  };
  const fixOf = (m) => (m.replacement === undefined ? null : m.replacement);
  const wanted = (m) => ALL || m.replacement !== undefined;
  const compare = (label, theirs, ours) => {
    let same = 0;
    let differ = 0;
    const examples = [];
    for (const [k, text] of theirs) {
      if (!ours.has(k)) continue;
      if (ours.get(k) === text) same++;
      else {
        differ++;
        if (examples.length < 3) examples.push(`    ${k}\n      ast-grep: ${JSON.stringify(text).slice(0, 160)}\n      failures: ${JSON.stringify(ours.get(k)).slice(0, 160)}`);
      }
    }
    const onlyTheirs = [...theirs.keys()].filter((k) => !ours.has(k)).length;
    const onlyOurs = [...ours.keys()].filter((k) => !theirs.has(k)).length;
    console.log(`  ${label.padEnd(34)} ${ALL ? 'matches both report' : 'fixes both make'} ${String(same + differ).padStart(6)}: identical ${String(same).padStart(6)}, different ${String(differ).padStart(4)}   (only ast-grep ${onlyTheirs}, only failures ${onlyOurs})`);
    for (const e of examples) console.log(e);
  };

  // 1. The rules' own test cases.
  console.log(`\n${ALL ? 'match and autofix parity' : 'autofix parity'} with the ast-grep CLI (same place${ALL ? ', and the same replacement text where the rule has a fix' : ', same replacement text'}):`);
  const caseTheirs = new Map();
  const caseOurs = new Map();
  let cases = 0;
  rules.forEach(({ root, doc, language }, i) => {
    if (refused.has(records[i].id)) return;
    for (const [n, code] of (casesOf.get(`${root} ${doc.id}`) ?? []).entries()) {
      const name = `case${i}-${n}.${EXTENSION[language]}`;
      writeFileSync(join(work, name), code);
      cases++;
      for (const m of astGrep(work, ['--filter', `^${ruleId(i)}$`, name])) if (wanted(m)) caseTheirs.set(theirKey(m, name, code), fixOf(m));
      for (const f of checkText(name, code, [compiled.find((r) => r.ruleId === ruleId(i))]).findings) if (ALL || f.fix) caseOurs.set(key(f.ruleId, name, f.line, f.column), f.fix?.text ?? null);
      rmSync(join(work, name));
    }
  });
  compare(`the rules' own ${cases} test cases`, caseTheirs, caseOurs);

  // 2. Real repositories.
  for (const target of targets) {
    if (!existsSync(target)) {
      console.log(`  ${target}: absent, skipped (BENCH_REPOS names checkouts of real repositories)`);
      continue;
    }
    const theirs = new Map();
    const texts = new Map();
    const textOf = (file) => texts.get(file) ?? texts.set(file, readFileSync(join(target, file), 'utf8')).get(file);
    for (const m of astGrep(target, ['.'])) {
      if (!wanted(m) || !CODE.test(m.file) || refused.has(`AP-${m.ruleId.slice('failures/ap-'.length)}`)) continue;
      const file = m.file.replace(/^\.\//, '');
      theirs.set(theirKey(m, file, textOf(file)), fixOf(m));
    }
    const ours = new Map();
    let files = 0;
    const visit = (dir) => {
      for (const entry of readdirSync(dir)) {
        if (entry === 'node_modules' || entry.startsWith('.')) continue;
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) visit(path);
        else if (CODE.test(entry)) {
          files++;
          const file = relative(target, path);
          for (const f of checkText(file, readFileSync(path, 'utf8'), compiled).findings) if (ALL || f.fix) ours.set(key(f.ruleId, file, f.line, f.column), f.fix?.text ?? null);
        }
      }
    };
    visit(target);
    compare(`${relative('/work/data', target) || target} (${files} files)`, theirs, ours);
  }
  console.log('\n(only ast-grep: places an eslint-disable comment switches off in failures; only failures: none expected)');
} finally {
  rmSync(work, { recursive: true, force: true });
}
