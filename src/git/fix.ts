import { isAbsolute, relative, resolve, sep } from 'node:path';
import { FailuresError } from '../errors.js';
import { git, GitError, topLevel } from './run.js';

/** One file changed by a fix commit: paths relative to the repository's top, texts before and after. */
export interface FixFile {
  path: string;
  before?: string;
  after?: string;
  /** `git diff -U0` of the file: the changed lines. */
  diff: string;
}

export interface FixCommit {
  sha: string;
  files: FixFile[];
}

async function read(top: string, args: string[]): Promise<string | undefined> {
  try {
    return (await git(top, args)).toString('utf8');
  } catch (error) {
    if (error instanceof GitError) return undefined;
    throw error;
  }
}

/**
 * The commit that fixed a mistake, `COMMIT` or `COMMIT:PATH` (a file or folder): each changed file's
 * text before and after it and its zero-context diff. Errors say what to pass instead.
 */
export async function readFixCommit(root: string, spec: string): Promise<FixCommit> {
  const top = await topLevel(root);
  if (!top) throw new FailuresError('--fix reads a commit, and this is not a git repository', { hint: 'run it inside the repository the fix was committed to' });
  const colon = spec.indexOf(':');
  const ref = colon === -1 ? spec : spec.slice(0, colon);
  const path = colon === -1 ? undefined : spec.slice(colon + 1);
  if (!ref || path === '') throw new FailuresError(`--fix ${spec}: expected COMMIT or COMMIT:PATH`, { hint: 'for example --fix HEAD or --fix a1b2c3d:src/pay.ts' });
  const sha = (await read(top, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]))?.trim();
  if (!sha) throw new FailuresError(`--fix ${spec}: no commit '${ref}' in this repository`, { hint: 'pass a commit id, a branch or HEAD~N (git log --oneline shows them)' });
  const parent = (await read(top, ['rev-parse', '--verify', '--quiet', `${sha}^`]))?.trim();
  if (!parent) throw new FailuresError(`--fix ${spec}: ${sha.slice(0, 8)} is the first commit and has no parent to compare with`, { hint: 'pass the commit that corrected the mistake, not the one that added the code' });
  const changedUnder = async (under: string | undefined) =>
    ((await read(top, ['diff', '--name-only', '-z', '--no-renames', parent, sha, ...(under ? ['--', under] : [])])) ?? '').split('\0').filter(Boolean);
  let paths = await changedUnder(path);
  // A path from a subfolder is meant from there (as --file is): `cd src && failures log --fix HEAD:pay.ts`.
  const fromCwd = path ? relative(top, resolve(process.cwd(), path)).split(sep).join('/') : undefined;
  if (paths.length === 0 && fromCwd && fromCwd !== path && !fromCwd.startsWith('..') && !isAbsolute(fromCwd)) paths = await changedUnder(fromCwd);
  if (paths.length === 0) throw new FailuresError(`--fix ${spec}: the commit changes ${path ? `nothing under ${path}` : 'no file'}`, { hint: path ? 'check the path (relative to the top of the repository, or to the current folder)' : 'pass the commit that changed the code' });
  const files: FixFile[] = [];
  for (const file of paths) {
    const before = await read(top, ['show', `${parent}:${file}`]);
    const after = await read(top, ['show', `${sha}:${file}`]);
    const diff = (await read(top, ['diff', '-U0', '--no-color', '--no-ext-diff', '--no-renames', parent, sha, '--', file])) ?? '';
    files.push({ path: file, ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}), diff });
  }
  return { sha, files };
}
