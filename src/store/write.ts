import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
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

/** The content, flushed to disk, in a dot-file beside `path` that readers skip. Returns its path. */
function writeTemporary(path: string, content: string | Buffer): string {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
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
