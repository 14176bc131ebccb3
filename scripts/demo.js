#!/usr/bin/env node
// `npm run demo`: the whole failures loop on the seed's payments story, narrated, in a throw-away git
// repository: log (with the fixing commit) → analyze (report, diff, synthesized detectors) → review and apply → approve → check → baseline →
// pre-commit hook → stats and gaps. It exits 0 and leaves nothing behind.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseDocument } from 'yaml';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const bin = join(repoRoot, 'bin', 'failures.js');
const work = realpathSync(mkdtempSync(join(tmpdir(), 'failures-demo-')));
const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Dana Reviewer',
  GIT_AUTHOR_EMAIL: 'dana@example.com',
  GIT_COMMITTER_NAME: 'Dana Reviewer',
  GIT_COMMITTER_EMAIL: 'dana@example.com',
  FAILURES_SESSION: 's-06',
};
delete env.GIT_INDEX_FILE;
delete env.GIT_DIR;

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const bold = (text) => (color ? `\x1b[1m${text}\x1b[22m` : text);
let step = 0;
const say = (text) => process.stdout.write(`\n${bold(`${++step}. ${text}`)}\n`);

/** Runs a command in the demo repository and shows it; stops the demo if it exits unexpectedly. */
function run(args, { expect = 0, show = true, quiet = false, extraEnv = {} } = {}) {
  const [command, ...rest] = args;
  const argv = command === 'failures' ? [process.execPath, bin, ...rest] : args;
  if (show) process.stdout.write(`$ ${args.map((a) => (/[\s"$(){}]/.test(a) ? JSON.stringify(a) : a)).join(' ')}\n`);
  const result = spawnSync(argv[0], argv.slice(1), { cwd: work, env: { ...env, ...extraEnv }, encoding: 'utf8' });
  const output = `${result.stdout}${result.stderr}`.trimEnd();
  if (show && !quiet && output) process.stdout.write(`${output.replace(/^/gm, '  ')}\n`);
  const expected = Array.isArray(expect) ? expect : [expect];
  if (!expected.includes(result.status) && !(expected.includes('nonzero') && result.status !== 0)) {
    throw new Error(`\`${args.join(' ')}\` exited ${result.status}, expected ${expected.join(' or ')}:\n${output}`);
  }
  return result;
}

try {
  say("The payments service, its incident (INC-2024-089) and postmortem, and a month of review corrections, in git");
  process.stdout.write(`  ${work}\n`);
  cpSync(join(repoRoot, 'examples', 'payments'), work, { recursive: true });
  const review = parse(readFileSync(join(work, 'review.yaml'), 'utf8'));
  rmSync(join(work, 'review.yaml'));
  run(['git', 'init', '-q', '-b', 'main'], { show: false });
  run(['git', 'add', '-A'], { show: false });
  run(['git', 'commit', '-q', '-m', 'payments service'], { show: false });
  run(['failures', 'validate']);

  say('Today a reviewer corrects the same retry mistake once more, in a Python job, and logs the fixing commit with it');
  const job = (charge) => `def refund_all(refunds):\n    for refund in refunds:\n        ${charge}\n`;
  writeFileSync(join(work, 'jobs', 'refund_job.py'), job('gateway.charge(refund)'));
  run(['git', 'add', 'jobs/refund_job.py'], { show: false });
  run(['git', 'commit', '-q', '-m', 'feat: refund job'], { show: false });
  writeFileSync(join(work, 'jobs', 'refund_job.py'), job('gateway.charge(refund, idempotency_key=refund.id)'));
  run(['git', 'commit', '-q', '-am', 'fix: refunds are charged with an idempotency key']);
  run(['failures', 'log', '--type', 'repetition', '--context', 'new refund retry calls gateway.charge(refund) with no idempotency key', '--feedback', 'Retries must carry an idempotency key', '--category', 'Architecture', '--severity', 'high', '--fix', 'HEAD']);

  say('failures analyze: the same mistakes keep coming back — quantified, and proposed as anti-patterns');
  run(['failures', 'analyze', '--diff', 'proposals.diff'], { extraEnv: { FORCE_COLOR: '0' } });
  const report = readFileSync(join(work, 'skill_update_suggestions.md'), 'utf8');
  process.stdout.write(`${report.split('\n').slice(0, 21).map((l) => `  | ${l}`).join('\n')}\n  | …\n`);

  say('Nothing is applied without a person: the proposals are a diff to review, then apply');
  run(['git', 'apply', '--stat', 'proposals.diff']);
  run(['git', 'apply', 'proposals.diff'], { show: false });

  say('Each proposal already holds detectors synthesized from the code in the feedback and the fix, verified and counted; the reviewer reads them, names each, and links it to INC-2024-089');
  const folder = join(work, '.failures', 'anti-patterns');
  for (const file of readdirSync(folder).sort()) {
    const path = join(folder, file);
    const doc = parseDocument(readFileSync(path, 'utf8'));
    const record = doc.toJS();
    const text = JSON.stringify(record).toLowerCase();
    const decision = review.find((r) => text.includes(r.match));
    if (!decision) continue;
    const synthesized = record.enforce?.detect ?? [];
    const codebase = record.review?.evidence?.codebase;
    process.stdout.write(`  ${file}: ${decision.name} — ${synthesized.length} synthesized detector(s)${codebase ? `, would flag ${codebase.places} place(s) in ${codebase.files} file(s)` : ''}\n`);
    for (const d of synthesized) process.stdout.write(`    pattern: ${d.pattern}${d.inside ? ` (inside a ${d.inside.kind})` : ''}${d.files ? ` in ${d.files.join(', ')}` : ''}${d.fix ? `  → fix: ${d.fix}` : ''}\n`);
    // The reviewer adds what only a person knows: the name and the incident. Detectors are written by hand only where none could be synthesized.
    for (const key of ['name', 'description', 'prevention', 'origin']) doc.set(key, doc.createNode(decision[key]));
    if (synthesized.length === 0) for (const key of ['enforce', 'examples']) doc.set(key, doc.createNode(decision[key]));
    writeFileSync(path, doc.toString({ lineWidth: 100 }));
  }
  run(['failures', 'validate']);
  run(['git', 'add', '.failures'], { show: false });
  run(['git', 'commit', '-q', '-m', 'chore(failures): propose anti-patterns from recurring feedback'], { show: false });

  say('Approval is a commit: one per decision, with the evidence counted at approval');
  for (const file of readdirSync(folder).sort()) run(['failures', 'approve', file.replace('.yaml', '')]);
  run(['git', 'log', '--format=%h %s', '-3']);
  run(['failures', 'test']);

  say('failures check finds the existing violations, each message saying why the rule exists');
  run(['failures', 'check'], { expect: 1, extraEnv: { FORCE_COLOR: '0' } });

  say('Approval must not block old code: baseline the existing violations, commit the baseline');
  run(['failures', 'baseline']);
  run(['git', 'add', '.failures/baseline.yaml'], { show: false });
  run(['git', 'commit', '-q', '-m', 'chore(failures): baseline existing violations'], { show: false });
  run(['failures', 'check']);

  say('The pre-commit hook blocks a new violation…');
  run(['failures', 'hook', 'install']);
  writeFileSync(
    join(work, 'src', 'payments', 'payout.ts'),
    "import type { Gateway, Payment } from './gateway';\n\nexport async function payout(gateway: Gateway, payment: Payment) {\n  await gateway.charge(payment);\n}\n",
  );
  run(['git', 'add', 'src/payments/payout.ts']);
  run(['git', 'commit', '-m', 'feat: payouts'], { expect: 'nonzero', extraEnv: { FORCE_COLOR: '0' } });

  say('…and lets the fixed code through');
  writeFileSync(
    join(work, 'src', 'payments', 'payout.ts'),
    "import type { Gateway, Payment } from './gateway';\n\nexport async function payout(gateway: Gateway, payment: Payment) {\n  await gateway.charge(payment, { idempotencyKey: `payout-${payment.id}` });\n}\n",
  );
  run(['git', 'add', 'src/payments/payout.ts'], { show: false });
  run(['git', 'commit', '-q', '-m', 'feat: payouts']);
  run(['git', 'log', '--format=%h %s', '-1']);

  say('failures stats: is the loop working?');
  run(['failures', 'stats'], { extraEnv: { FORCE_COLOR: '0' } });

  say('failures gaps: what is still not prevented');
  run(['failures', 'gaps'], { extraEnv: { FORCE_COLOR: '0' } });

  say('New work: failures context loads the history as constraints on the next feature (payment-retry-v2)');
  run(['failures', 'context', 'payment-retry-v2.yaml', '--timeframe', '12', '--as-of', '2024-12-31'], { extraEnv: { FORCE_COLOR: '0' } });

  say('failures merge adds the derived constraints, failure modes and exclusions to the spec, its comments kept');
  const diff = run(['failures', 'merge', 'payment-retry-v2.yaml', '--from', 'payment-retry-v2-failures.yaml', '--dry-run'], { quiet: true });
  process.stdout.write(`${diff.stdout.split('\n').slice(0, 22).map((l) => `  | ${l}`).join('\n')}\n  | …\n`);
  run(['failures', 'merge', 'payment-retry-v2.yaml', '--from', 'payment-retry-v2-failures.yaml']);
  run(['failures', 'merge', 'payment-retry-v2.yaml', '--from', 'payment-retry-v2-failures.yaml']);

  process.stdout.write('\nDone: the demo repository has been removed. Next: `npm test`, and the README for every command.\n');
} catch (error) {
  process.stderr.write(`\ndemo failed: ${error.message}\n`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
