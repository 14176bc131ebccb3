#!/usr/bin/env node
// `npm run bench`: loading and validating 10,000 records of mixed kinds (target: under 1 s), and the
// start-up cost of `failures --help` and one `failures log` (target: under 300 ms each).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, median } from './machine.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const bin = join(repoRoot, 'bin', 'failures.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

/** 10,000 records: mostly feedback (some in batch files), the rest of every other kind, all cross-referenced. */
function generate(root) {
  const dir = join(root, '.failures');
  const write = (path, text) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  write('config.yaml', 'version: 1\nmin_frequency: 3\n');
  const counts = { incident: 500, postmortem: 400, antiPattern: 1500, constraint: 300, ticketPattern: 200, failureMode: 99 };
  for (let i = 0; i < counts.incident; i++) {
    write(`incidents/INC-${i}.yaml`, `incident_id: INC-${i}\ndate: "2024-03-15"\nseverity: P${1 + (i % 3)}\ntitle: Incident ${i} duplicate payments during gateway timeout\nroot_cause: |\n  Retry logic did not check for idempotency.\ncontributing_factors:\n  - No idempotency key\n  - Retry on any non-200\nfinancial_impact: $${i * 10}\n`);
  }
  for (let i = 0; i < counts.postmortem; i++) {
    write(`postmortems/PM-${i}.yaml`, `id: PM-${i}\nincident: INC-${i}\nfive_whys:\n  - why: Duplicate payments\n    because: No idempotency check\naction_items:\n  - action: Implement idempotency keys\n    status: open\n    owner: team\n    type: prevent\n`);
  }
  for (let i = 0; i < counts.antiPattern; i++) {
    write(`anti-patterns/AP-${i}.yaml`, `id: AP-${i}\nname: Anti-pattern ${i}\nstatus: ${['proposed', 'approved', 'rejected', 'retired'][i % 4]}\ncategory: Architecture\nseverity: high\ndescription: Retrying without idempotency ${i}\npattern_signature: [Retry on any failure, No idempotency key]\norigin:\n  incidents: [INC-${i % counts.incident}]\nenforce:\n  files: ["src/**/*.ts"]\n  detect:\n    - pattern: gateway.charge($P)\n      not: "gateway.charge($P, { idempotencyKey: $K })"\n    - regex: "charge\\\\(\\\\w+\\\\)"\n      files: ["**/*.py"]\n  message: "{name}: {description}"\nexamples:\n  bad: ["gateway.charge(p)"]\n  good: ["gateway.charge(p, { idempotencyKey: k })"]\n`);
  }
  for (let i = 0; i < counts.constraint; i++) {
    write(`constraints/T_${i}.yaml`, `id: T_${i}\ntype: invariant\nstatement: All payment operations must include an idempotency key\nrationale: INC-${i} root cause\norigin: { incidents: [INC-${i}], anti_patterns: [AP-${i}] }\n`);
  }
  for (let i = 0; i < counts.ticketPattern; i++) {
    write(`tickets/TP-${i}.yaml`, `id: TP-${i}\npattern: Payment status confusion ${i}\nticket_count: ${i}\nsample_tickets: ["TKT-${i}: User charged but shows failed"]\n`);
  }
  for (let i = 0; i < counts.failureMode; i++) {
    write(`failure-modes/F_${i}.yaml`, `id: F_${i}\nscenario: Gateway timeout after successful charge ${i}\nprobability: medium\nimpact: critical\norigin: { incidents: [INC-${i}] }\n`);
  }
  const others = Object.values(counts).reduce((a, b) => a + b, 0) + 1;
  const feedback = 10_000 - others;
  const entry = (id, i) =>
    `id: ${id}\ntimestamp: "2025-01-${String(1 + (i % 28)).padStart(2, '0')}T10:30:00Z"\ntype: mistake\ncontext: pytest fixture placed before import number ${i}\nfeedback: All imports must come before fixtures\ncategory: Testing\nseverity: ${['low', 'medium', 'high'][i % 3]}\nsession: s-${i % 50}\nfile: tests/test_${i}.py\nline: ${1 + (i % 90)}\n${i % 7 === 0 ? `anti_pattern: AP-${i % counts.antiPattern}\n` : ''}`;
  let written = 0;
  let file = 0;
  while (written < feedback) {
    const stem = `fb-20250101-${String(file++).padStart(8, '0')}`;
    const batch = file % 10 === 0 ? Math.min(20, feedback - written) : 1;
    const text = batch === 1 ? entry(stem, written) : Array.from({ length: batch }, (_, j) => entry(`${stem}-${j + 1}`, written + j)).join('---\n');
    write(`feedback/2025-01/${stem}.yaml`, text);
    written += batch;
  }
  return others + feedback;
}

/** Loads the store in a fresh process (so peak memory is this load's own) and reports its time. */
function loadOnce(root) {
  const script = `
    import { loadStore } from ${JSON.stringify(join(repoRoot, 'dist', 'index.js'))};
    const start = performance.now();
    const store = loadStore(${JSON.stringify(root)});
    const ms = performance.now() - start;
    console.log(JSON.stringify({ ms, records: store.records.length, problems: store.problems.length, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

function wallMs(args, cwd) {
  const start = performance.now();
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, FAILURES_SESSION: 'bench' } });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`failures ${args.join(' ')}: ${result.stderr}`);
  return ms;
}

const root = mkdtempSync(join(tmpdir(), 'failures-bench-'));
try {
  console.log(`machine: ${machine()}`);
  const total = generate(root);
  const loads = Array.from({ length: RUNS }, () => loadOnce(root));
  const { records, problems } = loads[0];
  if (problems !== 0) throw new Error(`the generated store has ${problems} problems`);
  const loadMs = median(loads.map((l) => l.ms));
  const rss = median(loads.map((l) => l.maxRssMiB));
  console.log(`load+validate ${total} records (${records} read): median ${loadMs.toFixed(0)} ms of ${RUNS} runs, peak RSS ${rss.toFixed(0)} MiB  [target < 1000 ms] ${loadMs < 1000 ? 'ok' : 'MISSED'}`);
  const help = median(Array.from({ length: RUNS * 2 }, () => wallMs(['--help'], root)));
  console.log(`failures --help: median ${help.toFixed(0)} ms  [target < 300 ms] ${help < 300 ? 'ok' : 'MISSED'}`);
  const log = median(Array.from({ length: RUNS * 2 }, () => wallMs(['log', '--context', 'bench entry', '--category', 'Testing', '--severity', 'low'], root)));
  console.log(`failures log (one entry, in the 10,000-record store): median ${log.toFixed(0)} ms  [target < 300 ms] ${log < 300 ? 'ok' : 'MISSED'}`);
  const node = median(Array.from({ length: RUNS * 2 }, () => {
    const start = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    return performance.now() - start;
  }));
  console.log(`(node -e 0 alone: median ${node.toFixed(0)} ms)`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
