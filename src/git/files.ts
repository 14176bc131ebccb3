import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { FailuresError } from '../errors.js';
import { git, gitSync, topLevel } from './run.js';

function splitZ(buffer: Buffer): string[] {
  return buffer.toString('utf8').split('\0').filter(Boolean);
}

/**
 * Every tracked file and every untracked file git does not ignore, relative to `root`, that exists
 * as a regular file (deleted files, symlinks and submodules are skipped). Undefined outside git.
 */
export async function repositoryFiles(root: string): Promise<string[] | undefined> {
  if (!(await topLevel(root))) return undefined;
  const paths = splitZ(await git(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--deduplicate']));
  return paths.filter((path) => {
    try {
      return lstatSync(join(root, path)).isFile();
    } catch {
      return false;
    }
  });
}

export interface StagedFile {
  /** Relative to `root`, forward slashes. */
  path: string;
  text: string;
  /** The index's blob id of the content: a content hash git has already computed. */
  sha: string;
  /** Where git's rename detection says the file came from (relative to `root`), for a staged rename. */
  from?: string;
}

/**
 * Exactly what git is about to commit: the added, modified, type-changed (symlink → file) and
 * renamed files of the index that git names (GIT_INDEX_FILE inside a hook), their content read from
 * the index in one `git cat-file --batch`. Never touches the working tree. Symlinks and submodules
 * are skipped. A rename keeps its old path, so its baseline entries follow it.
 */
export async function stagedFiles(root: string): Promise<StagedFile[]> {
  const top = await topLevel(root);
  if (!top) throw new FailuresError('--staged needs a git repository, and this is not one', { hint: 'run it inside the repository, or drop --staged' });
  const raw = splitZ(await git(root, ['diff', '--cached', '--raw', '-z', '-M', '--no-abbrev', '--diff-filter=ACMRT', '--relative']));
  const entries: Array<{ path: string; sha: string; from?: string }> = [];
  for (let i = 0; i < raw.length; ) {
    // :100644 100644 <old sha> <new sha> M, then the path; R<score> and C<score> have two paths.
    const [, newMode, , newSha, status] = raw[i]!.slice(1).split(' ');
    const twoPaths = status!.startsWith('R') || status!.startsWith('C');
    const from = twoPaths ? raw[i + 1] : undefined;
    const path = raw[i + (twoPaths ? 2 : 1)];
    i += twoPaths ? 3 : 2;
    if (path === undefined || newMode === '120000' || newMode === '160000') continue;
    entries.push({ path, sha: newSha!, ...(from !== undefined && status!.startsWith('R') ? { from } : {}) });
  }
  if (entries.length === 0) return [];
  const blobs = await readBlobs(root, entries.map((e) => e.sha));
  return entries.map((e, i) => ({ ...e, text: blobs[i]! }));
}

/**
 * Which of `paths` (relative to `root`) HEAD holds: none before the first commit. For the hook, a
 * file the commit adds was not the target of a rename committed earlier.
 */
export async function pathsInHead(root: string, paths: readonly string[]): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  try {
    return new Set(splitZ(await git(root, ['ls-tree', '-r', '-z', '--name-only', 'HEAD', '--', ...paths.map((p) => `:(literal)${p}`)])));
  } catch {
    return new Set();
  }
}

/** An entry of the index: a path (relative to the directory asked about), its blob id and file mode. */
export interface IndexEntry {
  path: string;
  sha: string;
  /** The index's file mode: 100644, 100755, 120000 (symlink)… */
  mode: string;
}

/**
 * The entries of the index (GIT_INDEX_FILE inside a hook) under the given paths, relative to `root`,
 * without their content: what `check --staged` enforces must be what is committed, not an unstaged
 * edit of the rules. Submodules are skipped; a conflicted path counts only once merged (stage 0).
 * With them, in the same `git ls-files`, the paths whose working-tree state differs from the index:
 * `unstaged`, in the index with changes not staged (modified or deleted); `untracked`, not in the
 * index at all (and not ignored); each sorted.
 */
export async function indexState(root: string, pathspecs: string[]): Promise<{ entries: IndexEntry[]; unstaged: string[]; untracked: string[] }> {
  if (!(await topLevel(root))) throw new FailuresError('--staged needs a git repository, and this is not one', { hint: 'run it inside the repository, or drop --staged' });
  const raw = splitZ(await git(root, ['ls-files', '-t', '-s', '-m', '-o', '--exclude-standard', '-z', '--', ...pathspecs]));
  const entries: IndexEntry[] = [];
  const unstaged = new Set<string>();
  const untracked = new Set<string>();
  for (const line of raw) {
    // -t tags each line: H cached, S skip-worktree, M unmerged; C changed (or deleted), ? untracked (a path alone).
    const tag = line[0];
    const rest = line.slice(2);
    if (tag === '?') {
      untracked.add(rest);
      continue;
    }
    // <mode> <sha> <stage>\t<path>; a conflicted file has several stages: the merge is not done, take stage 0 only.
    const tab = rest.indexOf('\t');
    const path = rest.slice(tab + 1);
    if (tag === 'C' || tag === 'R' || tag === 'K') {
      unstaged.add(path);
      continue;
    }
    const [mode, sha, stage] = rest.slice(0, tab).split(' ');
    if (stage !== '0' || mode === '160000') continue;
    entries.push({ path, sha: sha!, mode: mode! });
  }
  return { entries, unstaged: [...unstaged].sort(), untracked: [...untracked].sort() };
}

/** One blob's text, synchronously (a record's position for a problem message): `git cat-file blob`. */
export function readBlobSync(root: string, sha: string): string {
  return gitSync(root, ['cat-file', 'blob', sha]).toString('utf8');
}

/** Reads blobs in one `git cat-file --batch` process, in order. */
export async function readBlobs(root: string, shas: string[]): Promise<string[]> {
  const output = await git(root, ['cat-file', '--batch'], `${shas.join('\n')}\n`);
  const texts: string[] = [];
  let offset = 0;
  for (const sha of shas) {
    const newline = output.indexOf(10, offset);
    const header = output.subarray(offset, newline).toString('utf8');
    const [, type, size] = header.split(' ');
    if (type !== 'blob') throw new FailuresError(`git cat-file could not read ${sha}: ${header}`);
    const start = newline + 1;
    texts.push(output.subarray(start, start + Number(size)).toString('utf8'));
    offset = start + Number(size) + 1;
  }
  return texts;
}
