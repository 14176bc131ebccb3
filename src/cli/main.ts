import { Command, CommanderError } from 'commander';
import { FailuresError } from '../errors.js';
import { VERSION } from '../version.js';
import { palette, quietOnBrokenPipe } from './output.js';

interface CommandModule {
  register(program: Command): void;
}

/**
 * Every command, one file each, by the name it registers, in the order help lists them. Loaded on
 * demand: `failures check --staged` (the pre-commit hook) loads only check's modules, not those of
 * every other command (XML and PDF readers, the MCP server…).
 */
const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  init: () => import('./init.js'),
  log: () => import('./log.js'),
  validate: () => import('./validate.js'),
  analyze: () => import('./analyze.js'),
  similar: () => import('./similar.js'),
  review: () => import('./review.js'),
  approve: () => import('./approve.js'),
  reject: () => import('./reject.js'),
  retire: () => import('./retire.js'),
  test: () => import('./test.js'),
  check: () => import('./check.js'),
  baseline: () => import('./baseline.js'),
  hook: () => import('./hook.js'),
  stats: () => import('./stats.js'),
  gaps: () => import('./gaps.js'),
  import: () => import('./import.js'),
  context: () => import('./context.js'),
  merge: () => import('./merge.js'),
  synth: () => import('./synth.js'),
  mcp: () => import('./mcp.js'),
};

/** Options of the program itself that take a value as the next argument. */
const GLOBAL_OPTIONS_WITH_VALUE = new Set(['--root']);

/** The command named on the command line (the first argument that is not an option), if it is one of ours. */
export function commandNamed(argv: readonly string[]): string | undefined {
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return undefined;
    if (GLOBAL_OPTIONS_WITH_VALUE.has(arg)) i++;
    else if (!arg.startsWith('-')) return Object.hasOwn(COMMANDS, arg) ? arg : undefined;
  }
  return undefined;
}

/** The program with every command, or only `only` (what the command line runs: the others' help is never shown then). */
export async function buildProgram(only?: string): Promise<Command> {
  const modules = await Promise.all((only ? [only] : Object.keys(COMMANDS)).map((name) => COMMANDS[name]!()));
  const program = new Command('failures')
    .description('A git-native memory of what went wrong, and a linter that makes sure it does not go wrong again.')
    .version(VERSION, '-V, --version')
    .option('--root <dir>', 'the project directory holding .failures/ (default: found from the current directory up to the repository root)')
    .showHelpAfterError('(run `failures --help` for usage)')
    // Every subcommand's help lists --root (and the other global options) too.
    .configureHelp({ showGlobalOptions: true })
    .exitOverride();
  for (const command of modules) command.register(program);
  // A mistake in a subcommand points to that subcommand's help (its options are not in `failures --help`).
  const inherit = (command: Command, path: string): void => {
    command.exitOverride().configureHelp({ showGlobalOptions: true }).showHelpAfterError(`(run \`${path} --help\` for usage)`);
    command.commands.forEach((sub) => inherit(sub, `${path} ${sub.name()}`));
  };
  program.commands.forEach((command) => inherit(command, `failures ${command.name()}`));
  return program;
}

/** Runs the CLI; resolves to the exit code. Users' mistakes print a message and a hint, never a stack. */
export async function main(argv: string[]): Promise<number> {
  quietOnBrokenPipe();
  try {
    const program = await buildProgram(commandNamed(argv));
    await program.parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    return handleError(error);
  }
}

function handleError(error: unknown): number {
  const c = palette(process.stderr);
  if (error instanceof CommanderError) {
    // Commander has printed its message; help and version are successes, everything else is usage.
    return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof FailuresError) {
    process.stderr.write(`${c.red('failures:')} ${error.message}\n`);
    if (error.hint) process.stderr.write(`  ${c.dim('hint:')} ${error.hint}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${c.red('failures: internal error:')} ${message}\n`);
  if (process.env.FAILURES_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  else process.stderr.write('  this is a bug in failures; please report it with FAILURES_DEBUG=1 set for the stack trace\n');
  return 2;
}
