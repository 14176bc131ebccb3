import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve, basename } from 'node:path';
import { FailuresError } from '../errors.js';
import { FOLDER } from './layout.js';

const isDir = (path: string) => existsSync(path) && statSync(path).isDirectory();

/**
 * The project directory whose .failures/ applies: `--root` when given (the project directory or its
 * .failures/ itself), else the nearest one from `cwd` up to the repository root (the first directory
 * holding .git), or to the filesystem root outside git.
 */
export function findRoot(cwd: string, rootOption?: string): string {
  if (rootOption) {
    const given = resolve(cwd, rootOption);
    const project = basename(given) === FOLDER ? dirname(given) : given;
    if (existsSync(project) && !isDir(project)) {
      throw new FailuresError(`--root ${rootOption} is a file, not a folder`, { hint: `pass the directory that holds ${FOLDER}/ (the project), or ${FOLDER}/ itself` });
    }
    if (!isDir(join(project, FOLDER))) {
      throw new FailuresError(`no ${FOLDER}/ folder in ${project} (given by --root)`, {
        hint: `run \`failures init --root ${rootOption}\` to create it, or pass the directory that holds ${FOLDER}/`,
      });
    }
    return project;
  }
  let dir = resolve(cwd);
  for (;;) {
    if (isDir(join(dir, FOLDER))) return dir;
    const parent = dirname(dir);
    if (existsSync(join(dir, '.git')) || parent === dir) break;
    dir = parent;
  }
  throw new FailuresError(`no ${FOLDER}/ folder found in ${resolve(cwd)} or above it (up to ${dir})`, {
    hint: 'run `failures init` in the repository to create one, or pass --root DIR',
  });
}

/** Where `init` puts .failures/: `--root`, else the repository root, else the current directory. */
export function projectDirForInit(cwd: string, rootOption?: string): string {
  if (rootOption) {
    const given = resolve(cwd, rootOption);
    return basename(given) === FOLDER ? dirname(given) : given;
  }
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(cwd);
    dir = parent;
  }
}
