#!/usr/bin/env node
// `npm run bench:mcp`: how long `failures mcp` takes to answer `initialize` (target: under 300 ms),
// measured as an agent's client sees it (spawn → initialize result), beside bare `node -e 0` and
// `failures --help` in the same run; then the first and a warm `similar` call on this project.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { machine, median } from './machine.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const bin = join(repoRoot, 'bin', 'failures.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 9);

function timeCommand(args, cwd) {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { cwd, stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}`);
  return performance.now() - start;
}

async function timeInitialize(cwd) {
  const client = new Client({ name: 'bench', version: '1.0.0' });
  const start = performance.now();
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [bin, 'mcp'], cwd, stderr: 'ignore' }));
  const initialize = performance.now() - start;
  const first = performance.now();
  await client.callTool({ name: 'similar', arguments: { text: 'retry without idempotency key' } });
  const firstCall = performance.now() - first;
  const warm = performance.now();
  await client.callTool({ name: 'similar', arguments: { text: 'fixture placed before import' } });
  const warmCall = performance.now() - warm;
  await client.close();
  return { initialize, firstCall, warmCall };
}

const dir = mkdtempSync(join(tmpdir(), 'failures-bench-mcp-'));
try {
  spawnSync('git', ['init', '-q'], { cwd: dir });
  spawnSync(process.execPath, [bin, 'init'], { cwd: dir, stdio: 'ignore' });
  const node = [];
  const help = [];
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    node.push(timeCommand(['-e', '0'], dir));
    help.push(timeCommand([bin, '--help'], dir));
    runs.push(await timeInitialize(repoRoot));
  }
  const ms = (v) => `${median(v).toFixed(0)} ms`;
  console.log(`machine: ${machine()}`);
  console.log(`runs: ${RUNS} (medians)`);
  console.log(`node -e 0                      ${ms(node)}`);
  console.log(`failures --help                ${ms(help)}`);
  console.log(`failures mcp → initialize      ${ms(runs.map((r) => r.initialize))}   (target < 300 ms; ${(median(runs.map((r) => r.initialize)) / median(node)).toFixed(1)}× bare node)`);
  console.log(`first similar call (this repo) ${ms(runs.map((r) => r.firstCall))}   (loads the store and the analyzer on first use)`);
  console.log(`warm similar call              ${ms(runs.map((r) => r.warmCall))}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
