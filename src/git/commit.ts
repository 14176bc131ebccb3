import { relative, sep } from 'node:path';
import { simpleGit } from 'simple-git';
import { FailuresError } from '../errors.js';

/**
 * Commits exactly these files with simple-git (`git commit -- <files>`): other staged changes stay
 * staged and out of the commit. Callers check `stagedPaths` first, so that a decision's commit holds
 * the decision and nothing else. Returns the new commit's hash.
 */
export async function commitFiles(root: string, files: string[], message: string): Promise<string> {
  const git = simpleGit({ baseDir: root });
  const paths = files.map((f) => relative(root, f).split(sep).join('/'));
  await git.add(paths);
  const result = await git.commit(message, paths);
  return result.commit;
}

/** Files with staged changes right now (relative to root): checked before a decision edits anything. */
export async function stagedPaths(root: string, files: string[]): Promise<Set<string>> {
  const git = simpleGit({ baseDir: root });
  const isRepo = await git.checkIsRepo().catch(() => false);
  if (!isRepo) {
    throw new FailuresError('this decision is committed with git, and this is not a git repository', { hint: 'run it inside the repository, or pass --no-commit' });
  }
  const paths = files.map((f) => relative(root, f).split(sep).join('/'));
  const output = await git.diff(['--cached', '--name-only', '--', ...paths]);
  return new Set(output.split('\n').filter(Boolean));
}

/** Who is deciding: git's user.name, else the login name. */
export async function gitUserName(root: string, fallback: string): Promise<string> {
  try {
    const name = (await simpleGit({ baseDir: root }).raw(['config', 'user.name'])).trim();
    return name || fallback;
  } catch {
    return fallback;
  }
}
