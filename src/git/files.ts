import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { FailuresError } from '../errors.js';
import { git, topLevel } from './run.js';

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
}

/**
 * Exactly what git is about to commit: the added and modified files of the index that git names
 * (GIT_INDEX_FILE inside a hook), their content read from the index in one `git cat-file --batch`.
 * Never touches the working tree. Symlinks and submodules are skipped.
 */
export async function stagedFiles(root: string): Promise<StagedFile[]> {
  const top = await topLevel(root);
  if (!top) throw new FailuresError('--staged needs a git repository, and this is not one', { hint: 'run it inside the repository, or drop --staged' });
  const raw = splitZ(await git(root, ['diff', '--cached', '--raw', '-z', '--no-renames', '--no-abbrev', '--diff-filter=AM', '--relative']));
  const entries: Array<{ path: string; sha: string }> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    // :100644 100644 <old sha> <new sha> M
    const [, newMode, , newSha] = raw[i]!.slice(1).split(' ');
    if (newMode === '120000' || newMode === '160000') continue;
    entries.push({ path: raw[i + 1]!, sha: newSha! });
  }
  if (entries.length === 0) return [];
  const blobs = await readBlobs(root, entries.map((e) => e.sha));
  return entries.map((e, i) => ({ path: e.path, text: blobs[i]! }));
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
