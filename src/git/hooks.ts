import { chmodSync, existsSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { FailuresError } from '../errors.js';
import { createFileAtomic } from '../store/write.js';
import { git, topLevel } from './run.js';

const MARKER = '# failures-hook v1';
export const CHAINED = 'pre-commit.failures-chained';

/** The hooks folder git uses: worktrees, submodules and core.hooksPath included. */
export async function hooksDirectory(cwd: string): Promise<string> {
  if (!(await topLevel(cwd))) {
    throw new FailuresError('the pre-commit hook needs a git repository, and this is not one', { hint: 'run `git init` first, or run it inside the repository' });
  }
  return (await git(cwd, ['rev-parse', '--path-format=absolute', '--git-path', 'hooks'])).toString('utf8').trim();
}

/** Hook managers whose configuration owns pre-commit: we print their snippet rather than fight them. */
export type HookManager = 'husky' | 'lefthook' | 'pre-commit';

export async function hookManager(top: string): Promise<HookManager | undefined> {
  let hooksPath = '';
  try {
    hooksPath = (await git(top, ['config', '--get', 'core.hooksPath'])).toString('utf8').trim();
  } catch {
    // not set
  }
  if (hooksPath.includes('.husky') || existsSync(join(top, '.husky'))) return 'husky';
  if (['lefthook.yml', '.lefthook.yml', 'lefthook.yaml', '.lefthook.yaml'].some((f) => existsSync(join(top, f)))) return 'lefthook';
  if (existsSync(join(top, '.pre-commit-config.yaml'))) return 'pre-commit';
  return undefined;
}

export const SNIPPETS: Record<HookManager, string> = {
  husky: '# .husky/pre-commit\nnpx --no-install failures check --staged\n',
  lefthook: '# lefthook.yml\npre-commit:\n  commands:\n    failures:\n      run: npx --no-install failures check --staged\n',
  'pre-commit': '# .pre-commit-config.yaml\nrepos:\n  - repo: local\n    hooks:\n      - id: failures\n        name: failures check --staged\n        entry: npx --no-install failures check --staged\n        language: system\n        pass_filenames: false\n',
};

/** The hook: runs the hook it replaced (if any), then `failures check --staged` with the project's CLI. */
function hookScript(fallbackBin: string): string {
  return `#!/bin/sh
${MARKER}: blocks commits that repeat a recorded failure (failures check --staged).
# Installed by \`failures hook install\`; \`failures hook uninstall\` restores what was here before.
# Bypass once with: git commit --no-verify
hooks_dir=$(dirname "$0")
if [ -x "$hooks_dir/${CHAINED}" ]; then
  "$hooks_dir/${CHAINED}" "$@" || exit $?
fi
if [ -x ./node_modules/.bin/failures ]; then
  exec ./node_modules/.bin/failures check --staged
elif [ -f ${JSON.stringify(fallbackBin)} ]; then
  exec node ${JSON.stringify(fallbackBin)} check --staged
else
  exec npx --no-install failures check --staged
fi
`;
}

export type InstallResult =
  | { status: 'installed'; hook: string; chained: boolean }
  | { status: 'already-installed'; hook: string }
  | { status: 'manager'; manager: HookManager; snippet: string };

/**
 * Installs the pre-commit hook. An existing hook keeps running (moved aside and chained); installing
 * twice changes nothing; a hook manager's configuration is left to the user with the exact snippet.
 */
export async function installHook(cwd: string, fallbackBin: string): Promise<InstallResult> {
  const dir = await hooksDirectory(cwd);
  const top = (await topLevel(cwd))!;
  const manager = await hookManager(top);
  if (manager) return { status: 'manager', manager, snippet: SNIPPETS[manager] };
  const hook = join(dir, 'pre-commit');
  const chained = join(dir, CHAINED);
  if (existsSync(hook)) {
    if (readFileSync(hook, 'utf8').includes(MARKER)) return { status: 'already-installed', hook };
    if (existsSync(chained)) {
      throw new FailuresError(`${chained} already exists, so the current pre-commit hook cannot be moved aside`, {
        hint: 'look at both files, keep what you need as pre-commit, delete the other, and install again',
      });
    }
    renameSync(hook, chained);
  }
  createFileAtomic(hook, hookScript(fallbackBin));
  chmodSync(hook, 0o755);
  return { status: 'installed', hook, chained: existsSync(chained) };
}

export type UninstallResult = { status: 'removed'; hook: string; restored: boolean } | { status: 'not-installed'; hook: string };

/** Removes our hook and puts back exactly the hook it replaced. A hook that is not ours is never touched. */
export async function uninstallHook(cwd: string): Promise<UninstallResult> {
  const dir = await hooksDirectory(cwd);
  const hook = join(dir, 'pre-commit');
  const chained = join(dir, CHAINED);
  if (!existsSync(hook) || !readFileSync(hook, 'utf8').includes(MARKER)) return { status: 'not-installed', hook };
  unlinkSync(hook);
  if (existsSync(chained)) {
    renameSync(chained, hook);
    return { status: 'removed', hook, restored: true };
  }
  return { status: 'removed', hook, restored: false };
}
