import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { FailuresError } from '../errors.js';
import type { FormatName } from '../enforce/formats/index.js';
import { findRoot } from '../store/find.js';
import { displayPath, palette, plural } from './output.js';

/** Format names, known without loading the formatters (or the parsers behind them). */
const FORMAT_NAMES: FormatName[] = ['stylish', 'json', 'sarif', 'github'];

interface CheckOptions {
  staged?: boolean;
  format: FormatName;
  output?: string;
  baseline: boolean;
  root?: string;
}

export function register(program: Command): void {
  program
    .command('check')
    .argument('[paths...]', 'files or folders to check (default: every tracked and untracked, not ignored file)')
    .description('check code against the approved anti-patterns (the same rules as the ESLint plugin, plus regex detectors on any file)')
    .option('--staged', 'check exactly what git is about to commit (the index), never the working tree')
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMAT_NAMES).default('stylish'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--no-baseline', 'report violations listed in .failures/baseline.yaml too')
    .addHelpText('after', '\nExit status: 0 clean, 1 violations (or files that do not parse), 2 usage or configuration error.')
    .action(async (paths: string[], _options, command: Command) => run(paths, command.optsWithGlobals<CheckOptions>()));
}

/** The report to -o FILE; a path that cannot be written is a usage error (exit 2), not a crash. */
function writeReport(output: string, report: string): void {
  try {
    writeFileSync(resolve(process.cwd(), output), report);
  } catch (error) {
    throw new FailuresError(`cannot write the report to ${output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      hint: 'give -o a file in a folder that exists and that you can write to',
    });
  }
}

export async function run(paths: string[], options: CheckOptions): Promise<void> {
  const root = findRoot(process.cwd(), options.root);
  // The parsers are heavy: loaded only when a command needs them, so --help and log stay fast.
  const [{ fingerprints }, { FORMATS, countErrors }, { baselineOf }, { applyBaselineAcrossRenames, enforcementFor, scan }] = await Promise.all([
    import('../enforce/baseline.js'),
    import('../enforce/formats/index.js'),
    import('../store/baseline.js'),
    import('./scan.js'),
  ]);
  // With --staged, the rules, config and baseline are read from the index too.
  const enforcement = await enforcementFor(root, options.staged ?? false);
  const { results: all, checked, renames } = await scan({ root, rules: enforcement.rules, paths, staged: options.staged ?? false });
  // A renamed file keeps its baseline entries (git's rename detection on the staged diff).
  const gone = (file: string) => !existsSync(join(root, file));
  const { results, baselined } = options.baseline ? applyBaselineAcrossRenames(all, baselineOf(enforcement.store), renames, gone) : { results: all, baselined: 0 };
  const remaining = results.filter((r) => r.findings.length > 0 || r.parseError);
  const c = palette(options.output ? { isTTY: false, write: () => true } : process.stdout);
  const report = FORMATS[options.format]({
    // stylish names files as validate does, relative to where you stand; the others keep the repository-relative paths their consumers need.
    results: options.format === 'stylish' ? remaining.map((r) => ({ ...r, file: displayPath(join(root, r.file)) })) : remaining,
    rules: enforcement.rules,
    root,
    version: enforcement.hash,
    fingerprint: (file, finding) => `${fingerprints(file, [finding])[0]}:1`,
    color: c,
  });
  if (options.output) writeReport(options.output, report);
  else process.stdout.write(report);
  const errors = countErrors(remaining);
  const summary = palette(process.stderr);
  const note = baselined > 0 ? ` (${plural(baselined, 'baselined violation')} not shown; --no-baseline shows them)` : '';
  if (errors === 0) {
    process.stderr.write(`${summary.green('✓')} ${plural(checked.length, 'file')} checked against ${plural(enforcement.rules.length, 'rule')}: no new violations${note}\n`);
  } else if (options.format !== 'stylish' || options.output) {
    process.stderr.write(`${summary.red('✖')} ${plural(errors, 'problem')} in ${plural(remaining.length, 'file')}${note}\n`);
  } else if (note) {
    process.stderr.write(`${note.trim()}\n`);
  }
  if (errors > 0 && options.staged) {
    process.stderr.write(
      [
        '',
        'The commit is blocked: the code above repeats a recorded failure. Each message says why the rule',
        'exists; `failures test` and the record in .failures/anti-patterns/ show what good code looks like.',
        'Fix it and stage again; or, if this is a deliberate exception, add `failures-ignore <ID> -- reason`',
        'in a comment on that line. To bypass the hook once: git commit --no-verify',
        '',
      ].join('\n'),
    );
  }
  process.exitCode = errors > 0 ? 1 : 0;
}
