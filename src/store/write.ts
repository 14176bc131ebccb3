import { closeSync, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { FailuresError } from '../errors.js';

export class RecordExistsError extends FailuresError {
  constructor(readonly path: string) {
    super(`${path} already exists; records are never overwritten`, {
      hint: 'choose another id, or edit the existing record by hand and review the change in git',
    });
  }
}

/**
 * Creates a file that must not exist yet, atomically: the content goes to a temporary dot-file in
 * the same folder (readers skip dot-files), is flushed to disk, and is then hard-linked to its name.
 * link(2) fails if the name exists, so two writers can never overwrite each other, and a crash
 * leaves either nothing or the whole file under the final name.
 */
export function createFileAtomic(path: string, content: string): void {
  const dir = dirname(path);
  const temporary = writeTemporary(path, content);
  try {
    linkSync(temporary, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new RecordExistsError(path);
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV') {
      // Filesystems without hard links: an exclusive create still never overwrites.
      writeExclusive(path, content);
    } else {
      throw error;
    }
  } finally {
    unlinkSync(temporary);
  }
  syncDirectory(dir);
}

/**
 * Nothing is written through a symlink inside .failures/ (a linked folder may lead anywhere, even
 * outside the repository): every existing component below .failures/ must be a real folder or file.
 */
function refuseSymlinks(path: string): void {
  const parts = resolve(path).split(sep);
  const start = parts.lastIndexOf('.failures');
  if (start < 0) return;
  for (let i = start + 2; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join(sep) || sep;
    let link: boolean;
    try {
      link = lstatSync(prefix).isSymbolicLink();
    } catch {
      return; // does not exist yet: nothing below it does either
    }
    if (link) {
      throw new FailuresError(`${prefix} is a symlink, so nothing was written through it`, {
        hint: 'records are regular files inside .failures/: replace the link with the folder or file itself',
      });
    }
  }
}

/** The content, flushed to disk, in a dot-file beside `path` that readers skip. Returns its path. */
function writeTemporary(path: string, content: string | Buffer): string {
  refuseSymlinks(path);
  const dir = dirname(path);
  ensureDirectory(dir);
  const temporary = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(temporary, 'wx', 0o644);
  try {
    writeFileSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return temporary;
}

function writeExclusive(path: string, content: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new RecordExistsError(path);
    throw error;
  }
  try {
    writeFileSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Creates a folder and its missing parents one level at a time. Node's recursive mkdir loops
 * forever where mkdir answers ENOENT for an existing parent (/proc and other pseudo-filesystems);
 * here that is an error naming the folder.
 */
export function ensureDirectory(dir: string): void {
  const missing: string[] = [];
  for (let current = resolve(dir); ; current = dirname(current)) {
    let stat;
    try {
      stat = statSync(current);
    } catch {
      if (dirname(current) === current) break;
      missing.push(current);
      continue;
    }
    if (!stat.isDirectory()) {
      // `.failures` itself a file (a stray `touch`, another tool's file): the fix is to move it, not --root.
      throw new FailuresError(`${current} is not a folder, so ${dir} cannot be created`, {
        hint: current === resolve(dir) ? `move or rename the file ${current} (a folder of that name is needed), then run again` : `move or rename the file ${current}, or pass another folder with --root DIR`,
      });
    }
    break;
  }
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      throw new FailuresError(`cannot create ${folder}: ${code ?? (error as Error).message}`, { hint: 'choose a folder you can write to (--root DIR)' });
    }
  }
}

/** Makes the new name itself durable; not every platform can open a directory, which is fine. */
function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // best effort
  }
}

/**
 * Replaces a generated file (baseline.yaml) atomically: readers see the old content or the new, never
 * a mix. Only for files failures owns; records are never replaced.
 */
export function replaceFileAtomic(path: string, content: string | Buffer): void {
  const dir = dirname(path);
  const temporary = writeTemporary(path, content);
  try {
    renameSync(temporary, path);
  } catch (error) {
    unlinkSync(temporary);
    throw error;
  }
  syncDirectory(dir);
}
