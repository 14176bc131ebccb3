import { isAbsolute, relative, sep } from 'node:path';

/**
 * Whether `path` (absolute) lies outside `dir`: a `..` step, or another drive. A name that merely
 * starts with two dots (`..env.ts`, `..cache/`) is inside.
 */
export function isOutside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}
