import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { installHook, uninstallHook } from '../git/hooks.js';
import { FailuresError } from '../errors.js';
import { findRoot } from '../store/find.js';
import { displayPath, palette } from './output.js';

export function register(program: Command): void {
  const hook = program.command('hook').description('install or remove the pre-commit hook that runs `failures check --staged`');
  hook
    .command('install')
    .description('install the pre-commit hook for the .failures/ found from here (or --root); an existing hook keeps running before it; for husky, lefthook and pre-commit prints the snippet to add')
    .option('--merge', 'also install a pre-merge-commit hook, so a clean merge cannot bring violations in unchecked')
    .action(async (_options, command: Command) => install(command.optsWithGlobals<{ root?: string; merge?: boolean }>()));
  hook
    .command('uninstall')
    .description('remove the hooks and restore exactly the hooks they replaced')
    .action(async () => uninstall());
}

/** This CLI's own entry point: the hook's fallback when the project has no node_modules/.bin/failures. */
const SELF = fileURLToPath(new URL('../../bin/failures.js', import.meta.url));

async function install(options: { root?: string; merge?: boolean }): Promise<void> {
  const c = palette(process.stderr);
  let root: string;
  try {
    root = findRoot(process.cwd(), options.root);
  } catch (error) {
    // A hook without a store would block every commit in the repository: refuse instead.
    if (!(error instanceof FailuresError)) throw error;
    throw new FailuresError(`${error.message}, so no hook was installed (it would block every commit)`, {
      hint: 'run `failures init` first, or run `failures hook install` in (or with --root pointing at) the folder that holds .failures/',
    });
  }
  const result = await installHook(root, SELF, { merge: options.merge ?? false });
  const where = result.root === '.' ? '' : ` for ${result.root}/.failures`;
  switch (result.status) {
    case 'installed':
      for (const hook of result.hooks) process.stdout.write(`${displayPath(hook)}\n`);
      process.stderr.write(
        `${c.green('✓')} ${options.merge ? 'pre-commit and pre-merge-commit hooks' : 'pre-commit hook'} installed${where}${result.chained ? '; the existing hook was kept and runs first' : ''}. Commits that repeat a recorded failure are blocked; bypass once with --no-verify.\n`,
      );
      break;
    case 'already-installed':
      process.stderr.write(`the hook is already installed${where} (${result.hooks.map((h) => displayPath(h)).join(', ')}); nothing changed\n`);
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
    process.stderr.write(`no failures hook in ${displayPath(result.hook)}; nothing changed\n`);
    return;
  }
  process.stderr.write(`${c.green('✓')} ${result.hooks.map((h) => h.split('/').pop()).join(' and ')} hook removed${result.restored ? '; the previous hook is back in place' : ''}\n`);
}
