import { basename } from 'node:path';
import type { Command } from 'commander';
import { FailuresError } from '../errors.js';
import { findRoot } from '../store/find.js';
import { formatOption, formatProblems, palette, plural, problemsAsJson } from './output.js';

interface TestOptions {
  format: 'text' | 'json';
  root?: string;
}

export function register(program: Command): void {
  program
    .command('test')
    .argument('[ids...]', 'anti-pattern ids (default: every approved and proposed one)')
    .description("test anti-patterns' rules (approved and proposed: test before approving) against their own examples: each bad one flagged (and fixed as `fixed:` says), no good one; `ruleid:`/`ok:` comments check line by line")
    .addOption(formatOption())
    .action(async (ids: string[], _options, command: Command) => run(ids, command.optsWithGlobals<TestOptions>()));
}

async function run(ids: string[], options: TestOptions): Promise<void> {
  const { loadEnforcement, selfTestProblems } = await import('../store/enforcement.js');
  const enforcement = loadEnforcement(findRoot(process.cwd(), options.root), { statuses: ['approved', 'proposed'] });
  const known = new Map(enforcement.rules.map((r) => [r.id.toLowerCase(), r.id]));
  // A record that does not read or validate has no rule: say why, rather than that it does not exist.
  const broken = ids.filter((id) => !known.has(id.toLowerCase())).flatMap((id) => {
    const problems = enforcement.problems.filter((p) => p.severity === 'error' && /[\\/]anti-patterns[\\/]/.test(p.file) && basename(p.file, '.yaml').toLowerCase() === id.toLowerCase());
    return problems.length > 0 ? [{ id, problems }] : [];
  });
  if (broken.length > 0) {
    throw new FailuresError(`${broken.map((b) => b.id).join(', ')} cannot be tested: ${broken.length === 1 ? 'its record is' : 'their records are'} invalid\n${formatProblems(broken.flatMap((b) => b.problems), process.stderr)}`, {
      hint: 'fix the record at the line shown (`failures validate` lists every problem), then test again',
      exitCode: 1,
    });
  }
  const unknown = ids.filter((id) => !known.has(id.toLowerCase()));
  if (unknown.length > 0) {
    throw new FailuresError(`not an approved or proposed anti-pattern: ${unknown.join(', ')}`, {
      hint: `testable: ${[...known.values()].join(', ') || 'none'}; rejected and retired ones have no rule to test`,
    });
  }
  const wanted = ids.map((id) => known.get(id.toLowerCase())!);
  const selfTest = selfTestProblems(enforcement, wanted);
  // A detector that does not compile is left out of its rule, and a record that does not read or
  // validate has no rule at all: say why, at its line, before any example — never pass without it.
  const compile = enforcement.problems.filter(
    (p) =>
      p.severity === 'error' &&
      (p.rule === 'detector' || /[\\/]anti-patterns[\\/]/.test(p.file)) &&
      (wanted.length === 0 || enforcement.rules.some((r) => wanted.includes(r.id) && p.file.endsWith(`${r.id}.yaml`))),
  );
  const tested = selfTest.tested;
  const problems = [...compile, ...selfTest.problems];
  // A rule with no examples passes trivially: name it rather than count it as tested.
  const inScope = wanted.length > 0 ? enforcement.rules.filter((r) => wanted.includes(r.id)) : enforcement.rules;
  const untested = inScope.filter((r) => !r.record.examples?.bad?.length && !r.record.examples?.good?.length).map((r) => r.id);
  if (options.format === 'json') {
    process.stdout.write(`${JSON.stringify({ tested, passed: problems.length === 0, problems: problemsAsJson(problems), without_examples: untested }, null, 2)}\n`);
  } else {
    if (untested.length > 0) {
      process.stderr.write(`${palette(process.stderr).yellow('note:')} ${untested.join(', ')} ${untested.length === 1 ? 'has' : 'have'} no examples, so nothing of ${untested.length === 1 ? 'it' : 'them'} was tested: add examples.bad (code it must flag) and examples.good\n`);
    }
    if (problems.length > 0) process.stdout.write(`${formatProblems(problems, process.stdout)}\n`);
    const c = palette(process.stderr);
    process.stderr.write(
      problems.length === 0
        ? tested === untested.length
          ? `no rule with examples to test\n`
          : `${c.green('✓')} ${plural(tested - untested.length, 'rule')} ${tested - untested.length === 1 ? 'passes its' : 'pass their'} examples\n`
        : `${c.red('✖')} ${plural(problems.length, 'problem')} (records that do not read, detectors that do not compile, examples that misbehave) in ${plural(new Set(problems.map((p) => p.file)).size, 'rule')}\n`,
    );
  }
  process.exitCode = problems.length > 0 ? 1 : 0;
}
