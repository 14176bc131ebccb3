import { chmodSync, mkdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Option, type Command } from 'commander';
import { FailuresError } from '../errors.js';
import type { CompiledRule } from '../enforce/compile.js';
import type { FormatName } from '../enforce/formats/index.js';
import { findRoot } from '../store/find.js';
import { REPOSITORY_URL } from '../version.js';
import { displayPath, palette, plural } from './output.js';

/** Format names, known without loading the formatters (or the parsers behind them). */
const FORMAT_NAMES: FormatName[] = ['stylish', 'json', 'sarif', 'github'];

interface CheckOptions {
  staged?: boolean;
  format: FormatName;
  output?: string;
  baseline: boolean;
  root?: string;
  maxWarnings?: string;
  fix?: boolean;
  fixDryRun?: boolean;
  pattern?: string;
  lang?: string;
  cache: boolean;
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
    .option('--no-cache', 'neither read nor write .failures/.cache/ (results by file content hash and rules hash)')
    .option('--max-warnings <n>', 'exit 1 when there are more than n warnings (findings of rules whose severity maps to warn)')
    .option('--fix', "apply the detectors' fixes to the working tree (never with --staged)")
    .option('--fix-dry-run', 'print the fixes as a unified diff; change nothing')
    .option('-p, --pattern <code>', 'try an ast-grep pattern ad hoc instead of the approved rules')
    .option('--lang <language>', 'the language of --pattern (default: JS/TS files by extension, or the language of the files named)')
    .addHelpText('after', '\nExit status: 0 clean (or only warnings), 1 errors (violations of error-level rules, files that do not parse)\nor more warnings than --max-warnings, 2 usage or configuration error.')
    .action(async (paths: string[], _options, command: Command) => run(paths, command.optsWithGlobals<CheckOptions>()));
}

/**
 * The report to -o FILE, creating its folder as ESLint does (`-o reports/failures.sarif` in CI); a path
 * that cannot be written is a usage error (exit 2), not a crash.
 */
function writeReport(output: string, report: string): void {
  try {
    const file = resolve(process.cwd(), output);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, report);
  } catch (error) {
    throw new FailuresError(`cannot write the report to ${output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      hint: 'give -o a file path you can write to (not a folder, nor below a file)',
    });
  }
}

export async function run(paths: string[], options: CheckOptions): Promise<void> {
  const root = stagedRoot(options);
  // The parsers are heavy: loaded only when a command needs them, so --help and log stay fast.
  const [{ fingerprints }, { FORMATS, countErrors, countWarnings }, { applyProjectBaseline, checkProject }] = await Promise.all([
    import('../enforce/baseline.js'),
    import('../enforce/formats/index.js'),
    import('./check-project.js'),
  ]);
  // As ESLint: -1 (its default) is no limit; an empty value is no number.
  const written = options.maxWarnings === undefined ? undefined : String(options.maxWarnings).trim();
  const maxWarnings = written === undefined || written === '-1' ? undefined : written === '' ? NaN : Number(written);
  if (maxWarnings !== undefined && (!Number.isInteger(maxWarnings) || maxWarnings < 0)) {
    throw new FailuresError(`--max-warnings takes a whole number, not ${JSON.stringify(options.maxWarnings)}`, { hint: 'e.g. --max-warnings 0 (or -1, as in ESLint, for no limit)' });
  }
  if ((options.fix || options.fixDryRun) && options.staged) {
    throw new FailuresError('--fix changes the working tree, and --staged checks the index: they do not go together', { hint: 'run `failures check --fix` on the working tree, then stage the result' });
  }
  if (options.fix && options.fixDryRun) {
    throw new FailuresError('--fix writes the fixes and --fix-dry-run only shows them: they do not go together', { hint: 'drop one of them (as ESLint, which refuses both too)' });
  }
  if (options.pattern !== undefined && options.pattern.trim() === '') {
    throw new FailuresError('--pattern is empty: it needs the code to look for', { hint: "e.g. failures check --pattern 'gateway.charge($P)' (quote it, so the shell keeps the $)" });
  }
  if (options.lang && !options.pattern) throw new FailuresError('--lang is the language of --pattern', { hint: "e.g. failures check --pattern 'gateway.charge($P)' --lang python" });
  const staged = options.staged ?? false;
  const { enforcement, results: scanned, checked, renames } = options.pattern
    ? await scanAdHoc(root, paths, staged, options.pattern, options.lang)
    : await checkProject(root, { paths, staged, cache: options.cache, broken: 'refuse', baseline: options.baseline });
  if (!options.pattern && !staged && paths.length === 0) noteRulesWithoutFiles(enforcement.rules, checked);
  // A dry run's diff goes to stdout unless the report is there in a format a program reads (JSON, SARIF…): then to stderr.
  const diffTo = options.format === 'stylish' || options.output ? process.stdout : process.stderr;
  const all = options.fix || options.fixDryRun ? await fixFiles(root, scanned, enforcement.rules, options.fix === true, diffTo) : scanned;
  const { results, baselined } = options.baseline && !options.pattern ? await applyProjectBaseline(root, { enforcement, renames }, all, staged) : { results: all, baselined: 0 };
  const remaining = results.filter((r) => r.findings.length > 0 || r.parseError);
  const c = palette(options.output ? { isTTY: false, write: () => true } : process.stdout);
  // SARIF and GitHub annotations name files from the top of the repository: in a monorepo the project
  // (pkg/.failures) is below it, and a path relative to the project would point at another file or none.
  const prefix = options.format === 'sarif' || options.format === 'github' ? await repositoryPrefix(root) : '';
  const own = (file: string) => (prefix ? file.slice(prefix.length + 1) : file);
  const report = FORMATS[options.format]({
    // stylish names files as validate does, relative to where you stand; the others keep the repository-relative paths their consumers need.
    results: options.format === 'stylish' ? remaining.map((r) => ({ ...r, file: displayPath(join(root, r.file)) })) : prefix ? remaining.map((r) => ({ ...r, file: `${prefix}/${r.file}` })) : remaining,
    rules: enforcement.rules,
    root,
    version: enforcement.hash,
    ...(REPOSITORY_URL ? { informationUri: REPOSITORY_URL } : {}),
    fingerprint: (file, finding) => `${fingerprints(own(file), [finding])[0]}:1`,
    texts: (file) => (options.staged ? undefined : readText(join(root, own(file)))),
    color: c,
  });
  if (options.output) writeReport(options.output, report);
  else process.stdout.write(report);
  const errors = countErrors(remaining);
  const warnings = countWarnings(remaining);
  const summary = palette(process.stderr);
  const note = baselined > 0 ? ` (${plural(baselined, 'baselined violation')} not shown; --no-baseline shows them)` : '';
  if (errors + warnings === 0) {
    process.stderr.write(`${summary.green('✓')} ${plural(checked.length, 'file')} checked against ${plural(enforcement.rules.length, 'rule')}: no new violations${note}\n`);
  } else if (options.format !== 'stylish' || options.output) {
    process.stderr.write(`${errors > 0 ? summary.red('✖') : summary.yellow('⚠')} ${plural(errors, 'error')} and ${plural(warnings, 'warning')} in ${plural(remaining.length, 'file')}${note}\n`);
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
  const tooManyWarnings = maxWarnings !== undefined && warnings > maxWarnings;
  if (tooManyWarnings) process.stderr.write(`${plural(warnings, 'warning')}: more than --max-warnings ${maxWarnings}\n`);
  process.exitCode = errors > 0 || tooManyWarnings ? 1 : 0;
}

/**
 * The project; with --staged (the pre-commit hook), a .failures/ that is gone still blocks the commit
 * (it may be a mistake), and says how to stop the hook if it was meant.
 */
function stagedRoot(options: CheckOptions): string {
  try {
    return findRoot(process.cwd(), options.root);
  } catch (error) {
    if (!options.staged || !(error instanceof FailuresError)) throw error;
    throw new FailuresError(error.message, {
      hint: `${error.hint ?? ''}${error.hint ? '; ' : ''}if failures is no longer used here, remove the pre-commit hook: \`failures hook uninstall${options.root ? ` --root ${options.root}` : ''}\` (or commit once with --no-verify)`,
    });
  }
}

/**
 * A rule whose own `files` globs match no file of the project checks nothing, forever and silently
 * (`files: ["src/"]`, `/src/**`, a folder renamed): a whole-project check says so.
 */
function noteRulesWithoutFiles(rules: readonly CompiledRule[], checked: readonly string[]): void {
  const globbed = rules.filter((r) => r.record.enforce?.files?.length || r.record.enforce?.detect?.some((d) => d.files?.length));
  const idle = globbed.filter((r) => !checked.some((file) => r.detectors.some((d) => d.scope(file))));
  if (idle.length === 0) return;
  const c = palette(process.stderr);
  for (const rule of idle) {
    const globs = [...(rule.record.enforce?.files ?? []), ...(rule.record.enforce?.detect ?? []).flatMap((d) => d.files ?? [])];
    process.stderr.write(
      `${c.yellow('note:')} ${rule.id} checks no file: its files globs (${globs.map((g) => JSON.stringify(g)).join(', ')}) match none of the project's files (or its ignore globs leave none); globs are relative to the project, as in ESLint's files (\`src/**/*.ts\`)\n`,
    );
  }
}

/** The project's folder relative to the top of its git repository ('' at the top, or outside git). */
async function repositoryPrefix(root: string): Promise<string> {
  const { topLevel } = await import('../git/run.js');
  const top = await topLevel(root);
  if (!top) return '';
  const path = relative(realpathSync(top), realpathSync(root)).split(sep).join('/');
  return path.startsWith('..') ? '' : path;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** `--pattern`: one ad hoc rule, compiled like a record's detector; a pattern that cannot work is a usage error. */
async function scanAdHoc(root: string, paths: string[], staged: boolean, pattern: string, lang: string | undefined) {
  const [{ compileRules }, { scan }, { astGrepLanguageOf, isJsFamily }] = await Promise.all([import('../enforce/compile.js'), import('./scan.js'), import('../enforce/languages.js')]);
  if (!lang && paths.length > 0) {
    // Without --lang the pattern reads JS/TS files; files named on the command line in another language
    // would be left out silently: one such language is the pattern's, several are a usage error.
    const named = paths.filter((p) => statSync(resolve(process.cwd(), p), { throwIfNoEntry: false })?.isFile());
    const others = [...new Set(named.map((p) => astGrepLanguageOf(p)).filter((l): l is string => l !== undefined && !isJsFamily(l)))];
    if (others.length === 1 && named.length === paths.length && named.every((p) => astGrepLanguageOf(p) === others[0])) lang = others[0]!.toLowerCase();
    else if (others.length > 0) {
      throw new FailuresError(`--pattern: without --lang the pattern reads JS/TS files, and ${named.filter((p) => others.includes(astGrepLanguageOf(p) ?? '')).join(', ')} ${others.length === 1 ? 'is' : 'are'} ${others.join(', ')}`, {
        hint: `give the pattern's language: --lang ${others[0]!.toLowerCase()}`,
      });
    }
  }
  const record = { id: 'PATTERN', name: 'Ad hoc pattern', status: 'approved', description: pattern, enforce: { detect: [{ pattern, ...(lang ? { language: lang } : {}) }], message: `matches ${pattern}` } };
  const { rules, issues } = compileRules([record as never]);
  if (issues.length > 0) throw new FailuresError(`--pattern: ${issues[0]!.message}`, { hint: issues[0]!.fix ?? 'write code in the language, with $NAME for one node and $$$ for any sequence' });
  const enforcement = { rules, problems: [], hash: 'pattern', store: undefined as never, incidents: new Map() };
  return { enforcement, ...(await scan({ root, rules, paths, staged })) };
}

/**
 * `--fix` / `--fix-dry-run`: applies each file's fixes to its text (the working tree), then checks the
 * result again so what is reported is what remains. A dry run prints the diff and writes nothing.
 */
async function fixFiles(root: string, results: Awaited<ReturnType<typeof import('./scan.js').scan>>['results'], rules: CompiledRule[], write: boolean, diffTo: NodeJS.WritableStream) {
  const [{ fixText }, { createPatch }] = await Promise.all([import('../enforce/fix.js'), import('diff')]);
  const out = [];
  let fixed = 0;
  for (const result of results) {
    const path = join(root, result.file);
    const before = readText(path);
    if (before === undefined || !result.findings.some((f) => f.fix)) {
      out.push(result);
      continue;
    }
    const { text, applied, result: current } = fixText(result.file, before, rules, result);
    fixed += applied;
    if (!write) {
      diffTo.write(createPatch(result.file, before, text, '', '', { context: 3 }).replace(/^Index: .*\n=+\n/, ''));
      out.push(result);
      continue;
    }
    const temporary = `${path}.failures-fix-${process.pid}`;
    writeFileSync(temporary, text);
    chmodSync(temporary, statSync(path).mode);
    renameSync(temporary, path);
    out.push(current);
  }
  process.stderr.write(`${write ? 'fixed' : 'would fix'} ${plural(fixed, 'problem')}\n`);
  return out;
}
