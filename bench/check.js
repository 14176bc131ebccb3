#!/usr/bin/env node
// `npm run bench:check`: `failures check` against ESLint running the equivalent no-restricted-syntax /
// no-restricted-imports configuration, on a generated repository of 2,000 TypeScript files.
// (a) a full check: target ≤ 0.33 of ESLint's time; (b) --staged with 10 staged files against ESLint
// on those 10 files: target ≤ 0.5. Medians of several runs, in one process, on the same files.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, median } from './machine.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const bin = join(repoRoot, 'bin', 'failures.js');
const eslintBin = join(repoRoot, 'node_modules', 'eslint', 'bin', 'eslint.js');
const FILES = Number(process.env.BENCH_FILES ?? 2000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const AP = `id: AP-001
name: Retry Without Idempotency
status: approved
category: Architecture
severity: high
description: Retrying an operation without ensuring it won't duplicate effects
origin: { incidents: [] }
enforce:
  files: ["src/**/*.ts"]
  detect:
    - pattern: gateway.charge($PAYMENT)
    - selector: "CatchClause CallExpression[callee.name='markFailure']"
    - import: { from: legacy-payments }
examples:
  bad: ["gateway.charge(payment)"]
  good: ["gateway.charge(payment, { idempotencyKey: key })"]
`;

// The same three checks, as ESLint's core rules express them.
const ESLINT_CONFIG = `import tsParser from '@typescript-eslint/parser';
export default [
  {
    files: ['src/**/*.ts'],
    languageOptions: { parser: tsParser },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: {
      'no-restricted-syntax': ['error',
        { selector: "CallExpression[callee.type='MemberExpression'][callee.object.name='gateway'][callee.property.name='charge'][arguments.length=1]", message: 'AP-001' },
        { selector: "CatchClause CallExpression[callee.name='markFailure']", message: 'AP-001' },
      ],
      'no-restricted-imports': ['error', { paths: [{ name: 'legacy-payments', message: 'AP-001' }] }],
    },
  },
];
`;

/** A service-like file of about 60 lines; one in ten handles payments, one in 200 has a violation. */
function sourceFile(i) {
  const payments = i % 10 === 0;
  const violation = i % 200 === 0;
  const lines = [
    `import { helper${i % 7} } from '../lib/helpers';`,
    payments ? `import type { Gateway, Payment } from '../payments/types';` : `import { format } from '../lib/format';`,
    violation && i % 400 === 0 ? `import legacy from 'legacy-payments';` : '',
    '',
    `export interface Record${i} {`,
    '  id: string;',
    '  amount: number;',
    '  createdAt: Date;',
    '  tags: string[];',
    '}',
    '',
    `export class Service${i} {`,
    '  private readonly cache = new Map<string, Record' + i + '>();',
    '',
    `  constructor(private readonly name: string) {}`,
    '',
    `  get(id: string): Record${i} | undefined {`,
    '    return this.cache.get(id);',
    '  }',
    '',
    `  put(record: Record${i}): void {`,
    '    if (record.amount < 0) {',
    "      throw new Error(`negative amount for ${record.id}`);",
    '    }',
    '    this.cache.set(record.id, record);',
    '  }',
    '',
    '  total(): number {',
    '    let sum = 0;',
    '    for (const record of this.cache.values()) sum += record.amount;',
    '    return sum;',
    '  }',
    '',
    '  byTag(tag: string): Record' + i + '[] {',
    '    return [...this.cache.values()].filter((r) => r.tags.includes(tag));',
    '  }',
    '}',
    '',
  ];
  if (payments) {
    lines.push(
      `export async function settle${i}(gateway: Gateway, payment: Payment, key: string) {`,
      '  try {',
      violation ? '    await gateway.charge(payment);' : '    await gateway.charge(payment, { idempotencyKey: key });',
      '  } catch (error) {',
      violation ? '    markFailure(error);' : '    markAmbiguous(error);',
      '  }',
      '}',
    );
  } else {
    lines.push(`export function describe${i}(r: Record${i}): string {`, '  return `${r.id}: ${r.amount}`;', '}');
  }
  while (lines.length < 60) lines.push(`// filler ${lines.length}`);
  return lines.join('\n') + '\n';
}

function git(cwd, ...args) {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b' } });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

function time(command, args, cwd, expectCodes = [0, 1]) {
  const start = performance.now();
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - start;
  if (!expectCodes.includes(r.status)) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

const count = (jsonText) => JSON.parse(jsonText).reduce((n, f) => n + f.messages.length, 0);

const root = mkdtempSync(join(tmpdir(), 'failures-bench-check-'));
try {
  console.log(`machine: ${machine()}`);
  mkdirSync(join(root, '.failures', 'anti-patterns'), { recursive: true });
  writeFileSync(join(root, '.failures', 'config.yaml'), 'version: 1\n');
  writeFileSync(join(root, '.failures', 'anti-patterns', 'AP-001.yaml'), AP);
  writeFileSync(join(root, 'eslint.config.js'), ESLINT_CONFIG);
  mkdirSync(join(root, 'node_modules', '@typescript-eslint'), { recursive: true });
  symlinkSync(join(repoRoot, 'node_modules', '@typescript-eslint', 'parser'), join(root, 'node_modules', '@typescript-eslint', 'parser'));
  writeFileSync(join(root, '.gitignore'), 'node_modules/\n');
  for (let i = 0; i < FILES; i++) {
    const dir = join(root, 'src', `module${Math.floor(i / 100)}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `file${i}.ts`), sourceFile(i));
  }
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'generated');

  // Both tools must agree before their times mean anything.
  const ours = count(time(process.execPath, [bin, 'check', '-f', 'json'], root).stdout);
  const theirs = count(time(process.execPath, [eslintBin, '-f', 'json', 'src'], root).stdout);
  console.log(`${FILES} files, ${ours} violations found by failures check, ${theirs} by eslint`);
  if (ours !== theirs) throw new Error('the two tools disagree: the comparison would be meaningless');

  const full = { failures: [], eslint: [] };
  for (let r = 0; r < RUNS; r++) {
    full.failures.push(time(process.execPath, [bin, 'check'], root).ms);
    full.eslint.push(time(process.execPath, [eslintBin, 'src'], root).ms);
  }
  const fullRatio = median(full.failures) / median(full.eslint);
  console.log(`(a) full check: failures ${median(full.failures).toFixed(0)} ms, eslint ${median(full.eslint).toFixed(0)} ms, ratio ${fullRatio.toFixed(2)}  [target ≤ 0.33] ${fullRatio <= 0.33 ? 'ok' : 'MISSED'}`);

  // Ten modified files staged, payment files among them.
  const staged = Array.from({ length: 10 }, (_, k) => `src/module${k}/file${k * 100}.ts`);
  for (const file of staged) writeFileSync(join(root, file), `${sourceFile(Number(file.match(/file(\d+)/)[1]))}\n// edited\n`);
  git(root, 'add', ...staged);
  const quick = { failures: [], eslint: [] };
  for (let r = 0; r < RUNS + 2; r++) {
    quick.failures.push(time(process.execPath, [bin, 'check', '--staged'], root).ms);
    quick.eslint.push(time(process.execPath, [eslintBin, ...staged], root).ms);
  }
  const stagedRatio = median(quick.failures) / median(quick.eslint);
  console.log(`(b) 10 staged files: failures --staged ${median(quick.failures).toFixed(0)} ms, eslint on them ${median(quick.eslint).toFixed(0)} ms, ratio ${stagedRatio.toFixed(2)}  [target ≤ 0.5] ${stagedRatio <= 0.5 ? 'ok' : 'MISSED'}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
