import { existsSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { FailuresError } from '../errors.js';
import { git, GitError, topLevel } from './run.js';

const relativePaths = (root: string, files: string[]) => files.map((f) => relative(root, f).split(sep).join('/'));

/**
 * Everything a commit needs, checked before a decision edits anything: a repository, an identity
 * (git would refuse to commit without one), and an index nobody else holds (index.lock).
 */
export async function checkCanCommit(root: string): Promise<void> {
  if (!(await topLevel(root))) {
    throw new FailuresError('this decision is committed with git, and this is not a git repository', { hint: 'run it inside the repository, or pass --no-commit' });
  }
  for (const who of ['GIT_AUTHOR_IDENT', 'GIT_COMMITTER_IDENT']) {
    try {
      await git(root, ['var', who]);
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
      throw new FailuresError('git does not know who you are, so the decision could not be committed; nothing was changed', {
        hint: 'set it once: git config --global user.name "Your Name" && git config --global user.email you@example.com (or pass --no-commit)',
      });
    }
  }
  const lock = (await git(root, ['rev-parse', '--path-format=absolute', '--git-path', 'index.lock'])).toString('utf8').trim();
  if (existsSync(lock)) {
    throw new FailuresError(`${lock} exists: another git process is using this repository, so nothing was changed`, {
      hint: 'wait for it to finish; if no git process is running, a crashed one left the lock behind: delete the file and try again',
    });
  }
}

/**
 * Commits exactly these files (`git commit -- <files>`): other staged changes stay staged and out of
 * the commit. Callers check `stagedPaths` first, so that a decision's commit holds the decision and
 * nothing else. Runs with the caller's environment (hooks, GIT_* variables). Returns the new commit.
 */
export async function commitFiles(root: string, files: string[], message: string): Promise<string> {
  const paths = relativePaths(root, files);
  await git(root, ['add', '--', ...paths]);
  await git(root, ['commit', '-q', '-F', '-', '--', ...paths], message);
  return (await git(root, ['rev-parse', 'HEAD'])).toString('utf8').trim();
}

/** Puts the index entries of these files back as HEAD has them (after a decision that could not be committed). */
export async function resetIndex(root: string, files: string[]): Promise<void> {
  await git(root, ['reset', '-q', '--', ...relativePaths(root, files)]).catch(() => undefined);
}

/** Files with staged changes right now (relative to root): checked before a decision edits anything. */
export async function stagedPaths(root: string, files: string[]): Promise<Set<string>> {
  const output = (await git(root, ['diff', '--cached', '--name-only', '-z', '--', ...relativePaths(root, files)])).toString('utf8');
  return new Set(output.split('\0').filter(Boolean));
}

/** Whether a file's working-tree content differs from HEAD's (or HEAD has no such file). */
export async function differsFromHead(root: string, file: string): Promise<boolean> {
  try {
    await git(root, ['diff', '--quiet', 'HEAD', '--', ...relativePaths(root, [file])]);
    return false;
  } catch (error) {
    if (error instanceof GitError) return true;
    throw error;
  }
}

/** Who is deciding: git's user.name, else the login name. */
export async function gitUserName(root: string, fallback: string): Promise<string> {
  try {
    const name = (await git(root, ['config', 'user.name'])).toString('utf8').trim();
    return name || fallback;
  } catch {
    return fallback;
  }
}
