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
    .argument('[ids...]', 'anti-pattern ids (default: every approved one)')
    .description("test every approved anti-pattern's rule against its own examples: each bad one flagged, no good one")
    .addOption(formatOption())
    .action(async (ids: string[], _options, command: Command) => run(ids, command.optsWithGlobals<TestOptions>()));
}

async function run(given: string[], options: TestOptions): Promise<void> {
  const { loadEnforcement, selfTestProblems } = await import('../store/enforcement.js');
  const enforcement = loadEnforcement(findRoot(process.cwd(), options.root));
  const known = new Set(enforcement.rules.map((r) => r.id));
  // `test ap-001` means AP-001, as rule ids (failures/ap-001) spell it.
  const byLowerCase = new Map([...known].map((id) => [id.toLowerCase(), id]));
  const ids = given.map((id) => byLowerCase.get(id.toLowerCase()) ?? id);
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new FailuresError(`not an approved anti-pattern: ${unknown.join(', ')}`, {
      hint: `approved: ${[...known].join(', ') || 'none'}; proposed, rejected and retired ones have no rule to test`,
    });
  }
  const { tested, problems } = selfTestProblems(enforcement, ids);
  if (options.format === 'json') {
    process.stdout.write(`${JSON.stringify({ tested, passed: problems.length === 0, problems: problemsAsJson(problems) }, null, 2)}\n`);
  } else {
    if (problems.length > 0) process.stdout.write(`${formatProblems(problems, process.stdout)}\n`);
    const c = palette(process.stderr);
    process.stderr.write(
      problems.length === 0
        ? `${c.green('✓')} ${plural(tested, 'rule')} ${tested === 1 ? 'passes its' : 'pass their'} examples\n`
        : `${c.red('✖')} ${plural(problems.length, 'example')} misbehave in ${plural(new Set(problems.map((p) => p.file)).size, 'rule')}\n`,
    );
  }
  process.exitCode = problems.length > 0 ? 1 : 0;
}
