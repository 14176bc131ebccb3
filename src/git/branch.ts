import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FailuresError } from '../errors.js';
import { git, GitError, topLevel } from './run.js';

const ZERO = '0000000000000000000000000000000000000000';

async function headCommit(root: string): Promise<string> {
  if (!(await topLevel(root))) throw new FailuresError('--branch needs a git repository, and this is not one', { hint: 'use --diff instead, or run `git init`' });
  try {
    return (await git(root, ['rev-parse', '--verify', 'HEAD^{commit}'])).toString('utf8').trim();
  } catch (error) {
    if (error instanceof GitError) throw new FailuresError('--branch needs a commit to branch from, and HEAD has none yet', { hint: 'commit once first, or use --diff' });
    throw error;
  }
}

/** A file's content at HEAD (paths relative to `root`), or undefined when HEAD has no such file. */
export async function readAtHead(root: string, path: string): Promise<string | undefined> {
  try {
    return (await git(root, ['show', `HEAD:./${path}`])).toString('utf8');
  } catch (error) {
    if (error instanceof GitError) return undefined;
    throw error;
  }
}

/**
 * What --branch needs, checked before any work is done or written: a repository with a commit, a
 * valid name, and no branch of that name yet. Returns HEAD's commit.
 */
export async function checkNewBranch(root: string, branch: string): Promise<string> {
  const head = await headCommit(root);
  try {
    await git(root, ['check-ref-format', '--branch', branch]);
  } catch {
    throw new FailuresError(`'${branch}' is not a valid branch name`, { hint: 'use letters, digits, -, _ and /, e.g. failures/suggestions' });
  }
  const exists = await git(root, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]).then(
    () => true,
    () => false,
  );
  if (exists) throw new FailuresError(`branch ${branch} already exists`, { hint: 'choose another name with --branch, or delete the old branch' });
  return head;
}

/**
 * Commits files on a new branch off HEAD without switching branches and without touching the
 * working tree or the index: the blobs, a temporary index, write-tree, commit-tree, and a ref
 * update that fails if the branch exists. Returns the new commit.
 */
/**
 * Where the project sits in its repository (`app/` when .failures/ is in app/ of a monorepo, else ''):
 * what git apply and the index need before the project-relative paths of proposals. '' without git.
 */
export async function projectPrefix(root: string): Promise<string> {
  try {
    return (await git(root, ['rev-parse', '--show-prefix'])).toString('utf8').trim();
  } catch {
    return '';
  }
}

export async function commitOnNewBranch(root: string, branch: string, files: Array<{ path: string; content: string }>, message: string): Promise<string> {
  const head = await checkNewBranch(root, branch);
  // Paths are the project's; the index's are the repository's (a project in a subfolder of a monorepo).
  const prefix = await projectPrefix(root);
  const index = join(tmpdir(), `failures-index-${process.pid}-${randomBytes(4).toString('hex')}`);
  const env = { GIT_INDEX_FILE: index };
  try {
    await git(root, ['read-tree', head], undefined, env);
    for (const file of files) {
      const sha = (await git(root, ['hash-object', '-w', '--stdin', `--path=${prefix}${file.path}`], file.content)).toString('utf8').trim();
      await git(root, ['update-index', '--add', '--cacheinfo', `100644,${sha},${prefix}${file.path}`], undefined, env);
    }
    const tree = (await git(root, ['write-tree'], undefined, env)).toString('utf8').trim();
    const commit = (await git(root, ['commit-tree', tree, '-p', head, '-F', '-'], message, env)).toString('utf8').trim();
    await git(root, ['update-ref', '-m', 'failures analyze --branch', `refs/heads/${branch}`, commit, ZERO]);
    return commit;
  } finally {
    rmSync(index, { force: true });
  }
}
