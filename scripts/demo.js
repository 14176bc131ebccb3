#!/usr/bin/env node
// `npm run demo`: the failures loop on a throw-away git repository, narrated step by step.
// It grows as capabilities land; today: init → log → import a seed-format log and a CI report →
// validate → analyze (report and diff) → git apply → validate.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, realpathSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const bin = join(repoRoot, 'bin', 'failures.js');
const work = realpathSync(mkdtempSync(join(tmpdir(), 'failures-demo-')));
const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Demo',
  GIT_AUTHOR_EMAIL: 'demo@example.com',
  GIT_COMMITTER_NAME: 'Demo',
  GIT_COMMITTER_EMAIL: 'demo@example.com',
  FAILURES_SESSION: 'demo-session-1',
};

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const bold = (text) => (color ? `\x1b[1m${text}\x1b[22m` : text);
let step = 0;
function say(text) {
  process.stdout.write(`\n${bold(`${++step}. ${text}`)}\n`);
}

/** Runs a command in the demo repository, shows it, and stops the demo if it fails unexpectedly. */
function run(args, { expect = 0, show = true, extraEnv = {} } = {}) {
  const [command, ...rest] = args;
  const argv = command === 'failures' ? [process.execPath, bin, ...rest] : args;
  if (show) process.stdout.write(`$ ${args.map((a) => (/[\s"$]/.test(a) ? JSON.stringify(a) : a)).join(' ')}\n`);
  const result = spawnSync(argv[0], argv.slice(1), { cwd: work, env: { ...env, ...extraEnv }, encoding: 'utf8' });
  const output = `${result.stdout}${result.stderr}`.trimEnd();
  if (show && output) process.stdout.write(`${output.replace(/^/gm, '  ')}\n`);
  if (result.status !== expect) {
    throw new Error(`\`${args.join(' ')}\` exited ${result.status}, expected ${expect}:\n${output}`);
  }
  return result;
}

try {
  say('A fresh git repository');
  run(['git', 'init', '-q', '-b', 'main'], { show: false });
  run(['git', 'commit', '-q', '--allow-empty', '-m', 'initial'], { show: false });
  process.stdout.write(`  ${work}\n`);

  say('failures init creates .failures/ with its configuration');
  run(['failures', 'init']);

  say('A reviewer corrects the same mistake twice: each correction is one new file');
  run(['failures', 'log', '--type', 'mistake', '--context', 'pytest fixture placed before import pytest', '--feedback', 'All imports must come before @pytest.fixture decorators', '--category', 'Testing', '--severity', 'high', '--file', 'tests/test_mode.py:1']);
  run(['failures', 'log', '--type', 'repetition', '--context', 'fixture defined above the pytest import again', '--feedback', 'Imports first, then fixtures', '--category', 'Testing', '--severity', 'high'], { extraEnv: { FAILURES_SESSION: 'demo-session-2' } });

  say('A bad value is refused before anything is written (exit 2)');
  run(['failures', 'log', '--context', 'x', '--category', 'Testing', '--severity', 'extreme'], { expect: 2 });

  say("The seed's JSONL log imports as one new file, ids in input order");
  writeFileSync(join(work, 'feedback.jsonl'), readFileSync(join(repoRoot, 'examples', 'seed', 'feedback.jsonl')));
  run(['failures', 'log', '--from', 'feedback.jsonl', '--format', 'json']);

  say('failures validate checks every record and every reference');
  run(['failures', 'validate']);

  say('A hand-edited record with a mistake is reported at file:line:col, with the fix (exit 1)');
  writeFileSync(
    join(work, '.failures', 'incidents', 'INC-2024-089.yaml'),
    'incident_id: INC-2024-089\ntitle: Duplicate payments during gateway timeout\nseverity: P1\ndate: 2024-03-15\nrootcause: Retry logic did not check for idempotency\n',
  );
  run(['failures', 'validate'], { expect: 1 });

  say('CI failures become entries too: a JUnit report, one entry per failed test');
  writeFileSync(join(work, 'junit.xml'), readFileSync(join(repoRoot, 'tests', 'fixtures', 'reports', 'junit.xml')));
  run(['failures', 'log', '--from', 'junit.xml'], { extraEnv: { FAILURES_SESSION: '', GITHUB_RUN_ID: '4242' } });

  say('The same correction a third time, in other words and another session');
  run(['failures', 'log', '--type', 'repetition', '--context', 'conftest defines the setup function above the import statements', '--feedback', 'Put every import first', '--category', 'Testing', '--severity', 'high'], { extraEnv: { FAILURES_SESSION: 'demo-session-3' } });

  say('Commit the records (the broken incident removed): the git history of each file is its audit trail');
  rmSync(join(work, '.failures', 'incidents', 'INC-2024-089.yaml'));
  run(['git', 'add', '.failures']);
  run(['git', 'commit', '-q', '-m', 'chore(failures): record feedback']);
  run(['git', 'log', '--stat', '--format=%s', '-1']);

  say('failures analyze finds the recurring mistake, quantifies it, and proposes an anti-pattern as a diff');
  run(['failures', 'analyze', '--diff', 'proposals.diff']);
  const report = readFileSync(join(work, 'skill_update_suggestions.md'), 'utf8');
  process.stdout.write(`${report.split('\n').slice(0, 22).map((l) => `  | ${l}`).join('\n')}\n`);

  say('"Have we seen this before?"');
  run(['failures', 'similar', 'fixture declared before importing pytest', '--limit', '3']);

  say('Nothing is applied without a person: review the diff, then apply it and validate');
  run(['git', 'apply', '--stat', 'proposals.diff']);
  run(['git', 'apply', 'proposals.diff'], { show: false });
  run(['failures', 'validate']);

  process.stdout.write('\nDone: the demo repository has been removed. Next: `npm test`, and the README for every command.\n');
} catch (error) {
  process.stderr.write(`\ndemo failed: ${error.message}\n`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
