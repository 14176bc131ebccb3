#!/usr/bin/env node
// `npm run bench:scale`: `failures validate` and `failures analyze` through the CLI on 10,000 and
// 100,000 feedback files (one file per entry, as `failures log` writes them), cold (no cache) and
// warm (the parsed-record cache in .failures/.cache/ in place), and warm after one new entry.
// Targets (warm, 100k): analyze < 3 s, validate < 2 s. Wall and CPU time are printed: on a shared
// machine the wall time is mostly waiting for a core.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, median } from './machine.js';

// analyze.js runs its benchmark when imported, unless told it is a helper.
process.env.FAILURES_BENCH_CHILD = '1';
const { scaleRecords } = await import('./analyze.js');
delete process.env.FAILURES_BENCH_CHILD;

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const bin = join(repoRoot, 'bin', 'failures.js');
const SIZES = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

const yamlString = (s) => JSON.stringify(s);

function generate(root, n) {
  const dir = join(root, '.failures');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.yaml'), 'version: 1\nmin_frequency: 3\n');
  const months = new Set();
  scaleRecords(n).forEach((r, i) => {
    const month = `2025-${String(1 + (i % 12)).padStart(2, '0')}`;
    if (!months.has(month)) {
      mkdirSync(join(dir, 'feedback', month), { recursive: true });
      months.add(month);
    }
    const id = `fb-2025${String(i).padStart(8, '0')}`;
    const lines = [`id: ${id}`, `timestamp: "${r.timestamp}"`, `type: ${r.type}`, `context: ${yamlString(r.context)}`];
    if (r.feedback) lines.push(`feedback: ${yamlString(r.feedback)}`);
    lines.push(`category: ${r.category}`, `severity: ${r.severity}`, `session: ${r.session}`);
    if (r.source) lines.push(`source:\n  format: ${r.source.format}${r.source.test ? `\n  test: ${yamlString(r.source.test)}` : ''}`);
    writeFileSync(join(dir, 'feedback', month, `${id}.yaml`), `${lines.join('\n')}\n`);
  });
}

/** One more entry, as `failures log` writes it, dated a minute ago (so the cache may keep it). */
function addEntry(root, tag) {
  const id = `fb-20251231-new-${tag}`;
  const file = join(root, '.failures', 'feedback', '2025-12', `${id}.yaml`);
  writeFileSync(file, `id: ${id}\ntimestamp: "2025-12-31T00:00:00.000Z"\ntype: mistake\ncontext: "new entry ${tag}"\nfeedback: "a correction"\ncategory: Testing\nseverity: low\nsession: s-new\n`);
  const past = new Date(Date.now() - 60_000);
  utimesSync(file, past, past);
}

/** CPU time of the finished children so far, in ms (Linux: /proc/self/stat cutime + cstime); NaN elsewhere. */
function childrenCpu() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return NaN;
  }
}

/** Wall and CPU time of one run: on a shared machine the CPU time is the steadier figure. */
function time(root, args) {
  const start = performance.now();
  const cpu = childrenCpu();
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1' } });
  const ms = performance.now() - start;
  if (result.status !== 0 && result.status !== 1) throw new Error(`failures ${args.join(' ')}: exit ${result.status}\n${result.stderr}`);
  return { ms, cpu: childrenCpu() - cpu };
}

console.log(`machine: ${machine()}`);
for (const n of SIZES) {
  const root = mkdtempSync(join(tmpdir(), 'failures-scale-'));
  try {
    generate(root, n);
    for (const [name, args] of [['validate', ['validate', '--format', 'json']], ['analyze', ['analyze', '--format', 'json']]]) {
      const cold = [];
      for (let i = 0; i < RUNS; i++) {
        rmSync(join(root, '.failures', '.cache'), { recursive: true, force: true });
        cold.push(time(root, args));
      }
      time(root, args);
      const warm = Array.from({ length: RUNS }, () => time(root, args));
      // The usual warm case: one entry logged since the last run (read, then the cache rewritten).
      const added = Array.from({ length: RUNS }, (_, i) => {
        addEntry(root, `${name}-${i}`);
        return time(root, args);
      });
      const show = (runs) => `${median(runs.map((r) => r.ms)).toFixed(0)} ms (CPU ${median(runs.map((r) => r.cpu)).toFixed(0)} ms)`;
      console.log(`${name} ${n} files: cold ${show(cold)}, warm ${show(warm)}, warm + 1 new entry ${show(added)}; medians of ${RUNS}`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
