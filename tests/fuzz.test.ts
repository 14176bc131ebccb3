import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSeeds, mutateJson, mutateText, prng, recordSeeds } from './fuzz/generate.js';
import { FIXTURES, REPO } from './helpers.js';

/**
 * Seeded fuzzing of every record kind and every import format through the built CLI: each input must
 * end with exit 0, 1 or 2, no stack trace, within seconds, and with nothing written when it fails.
 * FUZZ_SEED and FUZZ_CASES (per kind and format) reproduce or widen a run.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20251121);
const PER_KIND = Number(process.env.FUZZ_CASES ?? 100);
const PER_FORMAT = Number(process.env.FUZZ_CASES ?? 100) * 2;
const CASE_LIMIT_MS = 5_000;

interface Run {
  args: string;
  code: number;
  ms: number;
  stderr: string;
}
interface Outcome {
  n: number;
  id: string;
  unchanged: boolean;
  runs: Run[];
}

/** Runs cases in one child process; a case that hangs is named (the child is killed after `budget`). */
function runBatch(cases: object[], budget: number): Promise<{ outcomes: Outcome[]; hung?: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO, 'tests', 'fuzz', 'runner.js')], { env: { ...process.env, NO_COLOR: '1' } });
    let buffer = '';
    let errors = '';
    child.stderr.on('data', (d: Buffer) => (errors = (errors + d.toString()).slice(-2000)));
    const outcomes: Outcome[] = [];
    let started = -1;
    let lastEnd = Date.now();
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.startsWith('start ')) started = Number(line.slice(6));
        else if (line.startsWith('{')) {
          outcomes.push(JSON.parse(line) as Outcome);
          lastEnd = Date.now();
        }
      }
    });
    const watchdog = setInterval(() => {
      if (Date.now() - lastEnd > CASE_LIMIT_MS * 3) child.kill('SIGKILL');
    }, 500);
    const overall = setTimeout(() => child.kill('SIGKILL'), budget);
    child.on('close', (code, signal) => {
      clearInterval(watchdog);
      clearTimeout(overall);
      const hung = outcomes.length < cases.length ? `${JSON.stringify(cases[started]).slice(0, 300)} (runner ${signal ?? `exit ${code}`}: ${errors.replace(/.*MaxListeners.*\n|\(Use .*\n/g, '').slice(-600)})` : undefined;
      resolve({ outcomes, ...(hung ? { hung } : {}) });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(cases.map((c) => JSON.stringify(c)).join('\n') + '\n');
  });
}

function failuresOf(outcomes: Outcome[]): string[] {
  const bad: string[] = [];
  for (const o of outcomes) {
    for (const run of o.runs) {
      const why = ![0, 1, 2].includes(run.code)
        ? `exit ${run.code}`
        : /internal error|\n\s+at .+:\d+:\d+/.test(run.stderr)
          ? 'stack trace or internal error'
          : run.ms > CASE_LIMIT_MS
            ? `took ${run.ms} ms`
            : undefined;
      if (why) bad.push(`${o.id} ${run.args}: ${why}\n${run.stderr.slice(0, 400)}`);
    }
    if (!o.unchanged) bad.push(`${o.id}: something was written although the command failed`);
  }
  return bad;
}

/**
 * A store for the fuzzed records: the payments fixture (every kind, cross-references intact). Not
 * helpers' tempDir: its afterEach would remove it under the other batch running concurrently.
 */
function store(): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'failures-fuzz-')));
  cpSync(join(FIXTURES, 'payments'), root, { recursive: true });
  return root;
}

// The two batches run side by side, each in its own process and store.
describe.concurrent('fuzz (seeded)', () => {
  it(`every record kind: ${PER_KIND} mutants each through validate, check and approve`, async () => {
    const r = prng(SEED);
    const root = store();
    const cases = recordSeeds(FIXTURES).flatMap((seed) =>
      Array.from({ length: PER_KIND }, (_, i) => ({
        kind: 'record',
        id: `${seed.kind}#${i}`,
        store: root,
        path: seed.path,
        // Half the anti-patterns are proposed, so that approve edits (and must restore) them.
        text: mutateText(r, seed.kind === 'anti-pattern' && i % 2 === 1 ? seed.text.replace('status: approved', 'status: proposed') : seed.text),
        check: ['anti-pattern', 'config', 'baseline', 'incident'].includes(seed.kind),
        approve: seed.kind === 'anti-pattern' ? 'AP-001' : undefined,
      })),
    );
    const { outcomes, hung } = await runBatch(cases, 100_000);
    rmSync(root, { recursive: true, force: true });
    expect(hung, `a case hung: ${hung}`).toBeUndefined();
    expect(failuresOf(outcomes)).toEqual([]);
    expect(outcomes).toHaveLength(cases.length);
    console.log(`fuzz: ${cases.length} record mutants (seed ${SEED}), ${outcomes.reduce((n, o) => n + o.runs.length, 0)} commands; exits ${JSON.stringify(tally(outcomes))}`);
  }, 120_000);

  it(`every import format: ${PER_FORMAT} mutants each through log --from`, async () => {
    const r = prng(SEED + 1);
    const root = store();
    const inputs = join(root, 'inputs');
    mkdirSync(inputs);
    const cases = importSeeds(FIXTURES).flatMap((seed) =>
      Array.from({ length: PER_FORMAT }, (_, i) => ({
        kind: 'import',
        id: `${seed.format}#${i}`,
        store: root,
        file: join(inputs, `report-${i}.${seed.ext}`),
        text:
          seed.format === 'jsonl'
            ? seed.text.split('\n').map((line) => (r() < 0.5 && line ? mutateJson(r, line) : line)).join('\n')
            : seed.json && r() < 0.6
              ? mutateJson(r, seed.text)
              : mutateText(r, seed.text),
      })),
    );
    const { outcomes, hung } = await runBatch(cases, 100_000);
    rmSync(root, { recursive: true, force: true });
    expect(hung, `a case hung: ${hung}`).toBeUndefined();
    expect(failuresOf(outcomes)).toEqual([]);
    expect(outcomes).toHaveLength(cases.length);
    console.log(`fuzz: ${cases.length} import mutants (seed ${SEED + 1}); exits ${JSON.stringify(tally(outcomes))}`);
  }, 120_000);
});

function tally(outcomes: Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) for (const run of o.runs) counts[`${run.args}:${run.code}`] = (counts[`${run.args}:${run.code}`] ?? 0) + 1;
  return counts;
}
