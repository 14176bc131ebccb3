#!/usr/bin/env node
// `npm run bench:conformance`: Semgrep's own pattern tests (tests/patterns/{js,ts,python} of
// semgrep/semgrep: a pattern file X.sgrep beside a target X.js|ts|py whose expected matches are marked
// `ERROR:` or `MATCH:` comments on the line above) run through failures' ast-grep engine, the pattern
// used as a `pattern` detector as a record would write it (`...` is ast-grep's `$$$`). Cases come from
// SEMGREP_PATTERNS (default /work/data/semgrep-patterns/tests/patterns); skipped when absent.
//
// Semgrep's matching is not ast-grep's (deep expression matching, constant propagation, aliasing,
// typed metavariables): the figures say how much of it a user porting Semgrep patterns keeps, and that
// nothing is silent — every pattern either compiles or is a validate error with a reason.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine } from './machine.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const DIR = process.env.SEMGREP_PATTERNS ?? '/work/data/semgrep-patterns/tests/patterns';
if (!existsSync(DIR)) {
  console.log(`bench:conformance skipped: no Semgrep pattern tests at ${DIR} (tests/patterns of semgrep/semgrep; set SEMGREP_PATTERNS).`);
  process.exit(0);
}
const { compileRules } = await import(join(repoRoot, 'dist', 'enforce', 'compile.js'));
const { checkText } = await import(join(repoRoot, 'dist', 'enforce', 'engine.js'));

const EXTENSIONS = { js: ['js', 'jsx'], ts: ['ts', 'tsx'], python: ['py'] };
const ANNOTATION = /^\s*(?:\/\/|#)\s*(ERROR|MATCH)\s*:?/;

console.log(`bench:conformance on ${DIR}`);
console.log(machine());
const totals = {};
for (const [dir, exts] of Object.entries(EXTENSIONS)) {
  const folder = join(DIR, dir);
  if (!existsSync(folder)) continue;
  const t = (totals[dir] = { cases: 0, exact: 0, rejected: 0, missed: 0, extra: 0, expectedLines: 0, foundLines: 0 });
  const reasons = new Map();
  for (const name of readdirSync(folder).filter((f) => f.endsWith('.sgrep'))) {
    const base = name.slice(0, -'.sgrep'.length);
    const ext = exts.find((e) => existsSync(join(folder, `${base}.${e}`)));
    if (!ext) continue;
    const pattern = readFileSync(join(folder, name), 'utf8').trim();
    const target = `${base}.${ext}`;
    const code = readFileSync(join(folder, target), 'utf8');
    const expected = new Set();
    code.split('\n').forEach((line, i) => {
      if (ANNOTATION.test(line)) expected.add(i + 2);
    });
    t.cases++;
    const source = dir === 'python' ? pattern.replace(/\.\.\./g, '$$$$$$') : pattern;
    const record = { id: 'SG-1', name: base, status: 'approved', description: 'semgrep case', enforce: { files: [`**/*.${ext}`], detect: [{ pattern: source }] } };
    const { rules, issues } = compileRules([record]);
    if (issues.length > 0) {
      t.rejected++;
      const reason = issues[0].message.split('\n')[0].replace(/ \(at column.*$/, '').replace(/: .*$/, '').slice(0, 70);
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      continue;
    }
    const result = checkText(`cases/${target}`, code, rules);
    const found = new Set(result.findings.map((f) => f.line));
    t.expectedLines += expected.size;
    t.foundLines += [...found].filter((l) => expected.has(l)).length;
    const missed = [...expected].filter((l) => !found.has(l)).length;
    const extra = [...found].filter((l) => !expected.has(l)).length;
    if (missed === 0 && extra === 0) t.exact++;
    if (missed > 0) t.missed++;
    if (extra > 0) t.extra++;
  }
  console.log(`\n${dir}: ${t.cases} cases`);
  console.log(`  exactly Semgrep's lines      ${t.exact} (${((100 * t.exact) / t.cases).toFixed(0)}%)`);
  console.log(`  some expected line missed    ${t.missed}`);
  console.log(`  some line Semgrep does not   ${t.extra}`);
  console.log(`  rejected as validate errors  ${t.rejected} (never silent)`);
  console.log(`  expected lines found         ${t.foundLines} / ${t.expectedLines} (in cases that compile)`);
  for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 5)) console.log(`    ${String(n).padStart(3)} × ${reason}`);
}
