import { git, GitError, topLevel } from './run.js';

/** The commits that touched a file (relative to `root`), oldest first; empty outside git. */
export async function fileHistory(root: string, path: string): Promise<Array<{ sha: string; date: string }>> {
  if (!(await topLevel(root))) return [];
  try {
    const out = (await git(root, ['log', '--reverse', '--format=%H %aI', '--', path])).toString('utf8');
    return out
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [sha, date] = line.split(' ') as [string, string];
        return { sha, date };
      });
  } catch (error) {
    if (error instanceof GitError) return [];
    throw error;
  }
}

/** A file's content at a commit, or undefined. */
export async function showAt(root: string, sha: string, path: string): Promise<string | undefined> {
  try {
    return (await git(root, ['show', `${sha}:./${path}`])).toString('utf8');
  } catch (error) {
    if (error instanceof GitError) return undefined;
    throw error;
  }
}
