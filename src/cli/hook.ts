import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { installHook, uninstallHook } from '../git/hooks.js';
import { displayPath, palette } from './output.js';

export function register(program: Command): void {
  const hook = program.command('hook').description('install or remove the pre-commit hook that runs `failures check --staged`');
  hook
    .command('install')
    .description('install the pre-commit hook; an existing hook keeps running before it; for husky, lefthook and pre-commit prints the snippet to add')
    .action(async () => install());
  hook
    .command('uninstall')
    .description('remove the hook and restore exactly the hook it replaced')
    .action(async () => uninstall());
}

/** This CLI's own entry point: the hook's fallback when the project has no node_modules/.bin/failures. */
const SELF = fileURLToPath(new URL('../../bin/failures.js', import.meta.url));

async function install(): Promise<void> {
  const c = palette(process.stderr);
  const result = await installHook(process.cwd(), SELF);
  switch (result.status) {
    case 'installed':
      process.stdout.write(`${displayPath(result.hook)}\n`);
      process.stderr.write(
        `${c.green('✓')} pre-commit hook installed${result.chained ? '; the existing hook was kept and runs first' : ''}. Commits that repeat a recorded failure are blocked; bypass once with --no-verify.\n`,
      );
      break;
    case 'already-installed':
      process.stderr.write(`the pre-commit hook is already installed (${displayPath(result.hook)}); nothing changed\n`);
      break;
    case 'manager':
      process.stderr.write(`This repository's hooks are managed by ${result.manager}: add this to its configuration, and commit it:\n\n`);
      process.stdout.write(result.snippet);
      break;
  }
}

async function uninstall(): Promise<void> {
  const result = await uninstallHook(process.cwd());
  const c = palette(process.stderr);
  if (result.status === 'not-installed') {
    process.stderr.write(`no failures pre-commit hook in ${displayPath(result.hook)}; nothing changed\n`);
    return;
  }
  process.stderr.write(`${c.green('✓')} pre-commit hook removed${result.restored ? '; the previous hook is back in place' : ''}\n`);
}
