import { chmodSync, existsSync, readFileSync, realpathSync, renameSync, unlinkSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { FailuresError } from '../errors.js';
import { isOutside } from '../paths.js';
import { createFileAtomic, replaceFileAtomic } from '../store/write.js';
import { git, topLevel } from './run.js';

const MARKER = '# failures-hook v1';

/** The hooks failures installs: pre-commit always; pre-merge-commit with `--merge` (a clean merge commits without pre-commit). */
export type HookName = 'pre-commit' | 'pre-merge-commit';
const chainedName = (name: HookName) => `${name}.failures-chained`;

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

/** The command a hook manager should run for the store at `root` (relative to the repository top, '.' for the top). */
function checkCommand(root: string): string {
  return `npx --no-install failures check --staged${root === '.' ? '' : ` --root ${shellQuote(root)}`}`;
}

export function snippet(manager: HookManager, root: string, merge = false): string {
  const command = checkCommand(root);
  switch (manager) {
    case 'husky':
      return `# .husky/pre-commit\n${command}\n${merge ? `# .husky/pre-merge-commit\n${command}\n` : ''}`;
    case 'lefthook':
      return `# lefthook.yml\npre-commit:\n  commands:\n    failures:\n      run: ${command}\n${merge ? `pre-merge-commit:\n  commands:\n    failures:\n      run: ${command}\n` : ''}`;
    case 'pre-commit':
      return `# .pre-commit-config.yaml\n${merge ? 'default_install_hook_types: [pre-commit, pre-merge-commit]\n' : ''}repos:\n  - repo: local\n    hooks:\n      - id: failures\n        name: failures check --staged\n        entry: ${command}\n        language: system\n        pass_filenames: false\n${merge ? '        stages: [pre-commit, pre-merge-commit]\n' : ''}`;
  }
}

function shellQuote(text: string): string {
  return /^[\w./@-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

const ROOT_LINE = /^check_root '((?:[^']|'\\'')*)' \|\| status=\$\?$/gm;

/** The store roots (relative to the repository top) an installed hook checks. */
function rootsOf(script: string): string[] {
  return [...script.matchAll(ROOT_LINE)].map((m) => m[1]!.replaceAll(`'\\''`, "'"));
}

/**
 * The hook: runs the hook it replaced (if any), then `failures check --staged --root <dir>` for each
 * store it was installed for, with the project's CLI. Git runs hooks at the top of the work tree, so
 * every root is relative to it: the hook holds no absolute path of the repository and survives a move.
 */
function hookScript(name: HookName, fallbackBin: string, roots: string[]): string {
  const quote = (root: string) => `'${root.replaceAll("'", `'\\''`)}'`;
  return `#!/bin/sh
${MARKER}: blocks commits that repeat a recorded failure (failures check --staged).
# Installed by \`failures hook install\`; \`failures hook uninstall\` restores what was here before.
# Bypass once with: git commit --no-verify
hooks_dir=$(dirname "$0")
if [ -x "$hooks_dir/${chainedName(name)}" ]; then
  "$hooks_dir/${chainedName(name)}" "$@" || exit $?
fi
check_root() {
  if [ -x "$1/node_modules/.bin/failures" ]; then
    "$1/node_modules/.bin/failures" check --staged --root "$1"
  elif [ -x ./node_modules/.bin/failures ]; then
    ./node_modules/.bin/failures check --staged --root "$1"
  elif [ -f ${JSON.stringify(fallbackBin)} ]; then
    node ${JSON.stringify(fallbackBin)} check --staged --root "$1"
  else
    npx --no-install failures check --staged --root "$1"
  fi
}
status=0
${roots.map((root) => `check_root ${quote(root)} || status=$?`).join('\n')}
exit $status
`;
}

export type InstallResult =
  | { status: 'installed'; hooks: string[]; chained: boolean; root: string }
  | { status: 'already-installed'; hooks: string[]; root: string }
  | { status: 'manager'; manager: HookManager; snippet: string; root: string };

/**
 * Installs the pre-commit hook (and with `merge` the pre-merge-commit hook) for the store at
 * `projectDir`. An existing hook keeps running (moved aside and chained); installing twice changes
 * nothing; installing for a second store in the same repository adds it to the hook; a hook
 * manager's configuration is left to the user with the exact snippet.
 */
export async function installHook(projectDir: string, fallbackBin: string, options: { merge?: boolean } = {}): Promise<InstallResult> {
  const dir = await hooksDirectory(projectDir);
  const top = (await topLevel(projectDir))!;
  const rel = relative(realpathSync(top), realpathSync(projectDir)).split(sep).join('/');
  if (isOutside(realpathSync(top), realpathSync(projectDir))) throw new FailuresError(`${projectDir} is outside the repository at ${top}`, { hint: 'run it inside the repository' });
  const root = rel || '.';
  const manager = await hookManager(top);
  if (manager) return { status: 'manager', manager, snippet: snippet(manager, root, options.merge), root };
  const names: HookName[] = options.merge ? ['pre-commit', 'pre-merge-commit'] : ['pre-commit'];
  // Refuse before changing anything: a foreign hook that cannot be moved aside.
  for (const name of names) {
    const hook = join(dir, name);
    const chained = join(dir, chainedName(name));
    if (existsSync(hook) && !readFileSync(hook, 'utf8').includes(MARKER) && existsSync(chained)) {
      throw new FailuresError(`${chained} already exists, so the current ${name} hook cannot be moved aside`, {
        hint: `look at both files, keep what you need as ${name}, delete the other, and install again`,
      });
    }
  }
  const hooks: string[] = [];
  let chained = false;
  let changed = false;
  for (const name of names) {
    const hook = join(dir, name);
    hooks.push(hook);
    if (existsSync(hook)) {
      const current = readFileSync(hook, 'utf8');
      if (current.includes(MARKER)) {
        const roots = rootsOf(current);
        if (roots.includes(root)) continue;
        replaceFileAtomic(hook, hookScript(name, fallbackBin, [...roots, root]));
        chmodSync(hook, 0o755);
        changed = true;
        continue;
      }
      renameSync(hook, join(dir, chainedName(name)));
    }
    createFileAtomic(hook, hookScript(name, fallbackBin, [root]));
    chmodSync(hook, 0o755);
    changed = true;
    chained ||= existsSync(join(dir, chainedName(name)));
  }
  return changed ? { status: 'installed', hooks, chained, root } : { status: 'already-installed', hooks, root };
}

export type UninstallResult = { status: 'removed'; hooks: string[]; restored: boolean } | { status: 'not-installed'; hook: string };

/** Removes our hooks and puts back exactly the hooks they replaced. A hook that is not ours is never touched. */
export async function uninstallHook(cwd: string): Promise<UninstallResult> {
  const dir = await hooksDirectory(cwd);
  const removed: string[] = [];
  let restored = false;
  for (const name of ['pre-commit', 'pre-merge-commit'] as const) {
    const hook = join(dir, name);
    const chained = join(dir, chainedName(name));
    if (!existsSync(hook) || !readFileSync(hook, 'utf8').includes(MARKER)) continue;
    unlinkSync(hook);
    removed.push(hook);
    if (existsSync(chained)) {
      renameSync(chained, hook);
      restored = true;
    }
  }
  if (removed.length === 0) return { status: 'not-installed', hook: join(dir, 'pre-commit') };
  return { status: 'removed', hooks: removed, restored };
}
