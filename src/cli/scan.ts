import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { FailuresError } from '../errors.js';
import type { CompiledRule } from '../enforce/compile.js';
import { checkText, type FileResult } from '../enforce/engine.js';
import { repositoryFiles, stagedFiles } from '../git/files.js';

export interface ScanOptions {
  root: string;
  rules: CompiledRule[];
  /** Paths given on the command line (files or folders), relative to the current directory. */
  paths?: string[];
  /** Check what git is about to commit instead of the working tree. */
  staged?: boolean;
  /** Results by file and content hash: read and updated (see store/cache.ts). */
  cache?: Record<string, { hash: string; result?: FileResult }>;
}

export interface Scan {
  /** Every file with a finding or a parse error. */
  results: FileResult[];
  /** Every file looked at (relative to the root). */
  checked: string[];
}

const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

/** Outside git: every file below the root but dependencies and dot-folders. */
function walkFiles(root: string): string[] {
  const out: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name) && !entry.name.startsWith('.')) visit(join(dir, entry.name));
      } else if (entry.isFile()) {
        out.push(relative(root, join(dir, entry.name)).split(sep).join('/'));
      }
    }
  };
  visit(root);
  return out.sort();
}

/** Keeps the files at or below the given paths; a path that does not exist is a usage error. */
function selectPaths(files: string[], root: string, paths: string[]): string[] {
  const prefixes = paths.map((p) => {
    const absolute = resolve(process.cwd(), p);
    try {
      statSync(absolute);
    } catch {
      throw new FailuresError(`no such file or folder: ${p}`, { hint: 'pass files or folders inside the project' });
    }
    const rel = relative(root, absolute).split(sep).join('/');
    if (rel.startsWith('..')) throw new FailuresError(`${p} is outside the project (${root})`, { hint: 'pass paths inside the project, or use --root' });
    return rel;
  });
  return files.filter((file) => prefixes.some((prefix) => prefix === '' || file === prefix || file.startsWith(`${prefix}/`)));
}

function isBinary(text: string): boolean {
  return text.slice(0, 8000).includes('\0');
}

/** Reads the files the rules apply to and runs them: the working tree, or the index with `staged`. */
export async function scan(options: ScanOptions): Promise<Scan> {
  const { root, rules } = options;
  // Globs and languages only: nothing is compiled for a file the cache answers.
  const wanted = (file: string) => rules.some((rule) => rule.detectors.some((d) => d.scope(file)));
  const cache = options.cache;
  const results: FileResult[] = [];
  const checked: string[] = [];
  const consider = (file: string, text: string) => {
    checked.push(file);
    if (isBinary(text)) return;
    const hash = cache ? createHash('sha1').update(text).digest('base64') : '';
    const hit = cache?.[file];
    if (hit && hit.hash === hash) {
      if (hit.result) results.push(hit.result);
      return;
    }
    const result = checkText(file, text, rules);
    const found = result.findings.length > 0 || result.parseError !== undefined;
    if (found) results.push(result);
    if (cache) cache[file] = found ? { hash, result } : { hash };
  };
  if (options.staged) {
    let staged = await stagedFiles(root);
    if (options.paths?.length) {
      const keep = new Set(selectPaths(staged.map((s) => s.path), root, options.paths));
      staged = staged.filter((s) => keep.has(s.path));
    }
    for (const { path, text } of staged) if (wanted(path)) consider(path, text);
  } else {
    let files = (await repositoryFiles(root)) ?? walkFiles(root);
    if (options.paths?.length) files = selectPaths(files, root, options.paths);
    for (const file of files) {
      if (!wanted(file)) continue;
      consider(file, readFileSync(join(root, file), 'utf8'));
    }
  }
  results.sort((a, b) => a.file.localeCompare(b.file));
  return { results, checked };
}
