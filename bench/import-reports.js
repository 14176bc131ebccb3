// Imports of real JUnit XML reports (written by catch2, cunit, mocha, marathon, surefire, nextest,
// pytest, perl, xunit… — the fixtures of github.com/mikepenz/action-junit-report, data nobody here
// wrote): every report is either imported (one entry per failed or errored test case) or refused
// with a located problem, never an internal error; and imports stay linear as real test cases are
// repeated up to 20,000.
//   FAILURES_JUNIT_DIR=/work/data/junit-action/test_results node bench/import-reports.js   (developed on)
//   FAILURES_JUNIT_DIR=/work/data/test-reporter/__tests__/fixtures node bench/import-reports.js   (held out:
//   the fixtures of github.com/dorny/test-reporter — JUnit from Java, Jest, PHPUnit, pytest, Swift, Nette…)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseImport } from '../dist/ingest/reports.js';
import { machine, median } from './machine.js';

const dir = process.env.FAILURES_JUNIT_DIR ?? '/work/data/junit-action/test_results';
if (!existsSync(dir)) {
  console.log(`skipped: no JUnit reports at ${dir} (set FAILURES_JUNIT_DIR; see the header of bench/import-reports.js)`);
  process.exit(0);
}
const files = readdirSync(dir, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.xml') && !f.endsWith('pom.xml') && statSync(join(dir, f)).isFile())
  .sort();

console.log(machine());
console.log(`${files.length} real JUnit reports from ${dir}\n`);
let imported = 0;
let refused = 0;
let entries = 0;
let mismatched = 0;
const cases = [];
for (const file of files) {
  const text = readFileSync(join(dir, file), 'utf8');
  // What a reader counts by hand: test cases holding a <failure> or an <error>.
  const expected = [...text.matchAll(/<testcase\b[^>]*?(?:\/>|>([\s\S]*?)<\/testcase>)/g)].filter((m) => /<(failure|error)\b/.test(m[1] ?? '')).length;
  const result = parseImport(join(dir, file), text);
  const internal = result.problems.some((p) => /could not be read/.test(p.message));
  if (result.problems.length > 0) refused++;
  else imported++;
  entries += result.entries.length;
  const ok = result.problems.length > 0 || result.entries.length === expected;
  if (!ok) mismatched++;
  const note = result.problems.length > 0 ? `refused: ${result.problems[0].line}:${result.problems[0].column} ${result.problems[0].message}` : `${result.entries.length} entries`;
  console.log(`${ok && !internal ? ' ' : '!'} ${relative(dir, join(dir, file)).padEnd(72)} ${note}${ok ? '' : ` (expected ${expected})`}`);
  for (const m of text.matchAll(/<testcase\b[\s\S]*?<\/testcase>/g)) cases.push(m[0]);
}
console.log(`\n${imported} imported (${entries} entries), ${refused} refused with a located problem, ${mismatched} with an entry count other than the failing test cases\n`);

// Linearity: the real test cases repeated (names made unique), 2,500 to 20,000 of them.
const failing = cases.filter((c) => /<(failure|error)\b/.test(c));
console.log(`scaling from ${failing.length} real failing test cases:`);
console.log('cases     median ms   ms per 1,000');
let previous;
for (const n of [2500, 5000, 10000, 20000]) {
  const body = Array.from({ length: n }, (_, i) => failing[i % failing.length].replace(/name="([^"]*)"/, `name="$1 #${i}"`)).join('\n');
  const text = `<?xml version="1.0"?>\n<testsuites><testsuite name="scaled">\n${body}\n</testsuite></testsuites>\n`;
  const times = [];
  let count = 0;
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    count = parseImport('scaled.xml', text).entries.length;
    times.push(performance.now() - started);
  }
  const ms = median(times);
  console.log(`${String(n).padEnd(9)} ${ms.toFixed(0).padStart(9)}   ${((ms / n) * 1000).toFixed(1).padStart(12)}${count === n ? '' : `  (${count} entries!)`}${previous ? `   ×${(ms / previous).toFixed(2)} for ×2 input` : ''}`);
  previous = ms;
}
