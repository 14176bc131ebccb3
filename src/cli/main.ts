import { Command, CommanderError } from 'commander';
import { FailuresError } from '../errors.js';
import { VERSION } from '../version.js';
import { palette, quietOnBrokenPipe } from './output.js';
import * as analyze from './analyze.js';
import * as approve from './approve.js';
import * as baseline from './baseline.js';
import * as check from './check.js';
import * as context from './context.js';
import * as gaps from './gaps.js';
import * as hook from './hook.js';
import * as importCommand from './import.js';
import * as init from './init.js';
import * as log from './log.js';
import * as mcp from './mcp.js';
import * as merge from './merge.js';
import * as reject from './reject.js';
import * as retire from './retire.js';
import * as review from './review.js';
import * as similar from './similar.js';
import * as stats from './stats.js';
import * as synth from './synth.js';
import * as test from './test.js';
import * as validate from './validate.js';

/** Every command, one file each. */
const COMMANDS = [init, log, validate, analyze, similar, review, approve, reject, retire, test, check, baseline, hook, stats, gaps, importCommand, context, merge, synth, mcp];

export function buildProgram(): Command {
  const program = new Command('failures')
    .description('A git-native memory of what went wrong, and a linter that makes sure it does not go wrong again.')
    .version(VERSION, '-V, --version')
    .option('--root <dir>', 'the project directory holding .failures/ (default: found from the current directory up to the repository root)')
    .showHelpAfterError('(run `failures --help` for usage)')
    // Every subcommand's help lists --root (and the other global options) too.
    .configureHelp({ showGlobalOptions: true })
    .exitOverride();
  for (const command of COMMANDS) command.register(program);
  const inherit = (command: Command): void => {
    command.exitOverride().configureHelp({ showGlobalOptions: true });
    command.commands.forEach(inherit);
  };
  program.commands.forEach(inherit);
  return program;
}

/** Runs the CLI; resolves to the exit code. Users' mistakes print a message and a hint, never a stack. */
export async function main(argv: string[]): Promise<number> {
  quietOnBrokenPipe();
  const program = buildProgram();
  try {
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
