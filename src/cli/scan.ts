import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { FailuresError } from '../errors.js';
import { isOutside } from '../paths.js';
import type { CompiledRule } from '../enforce/compile.js';
import { checkSteps, checkText, walkHere, type FileResult } from '../enforce/engine.js';
import { loadAstGrep } from '../enforce/languages.js';
import { languageWalk } from '../enforce/walk.js';
import { indexState, readBlobs, readBlobSync, repositoryFiles, stagedFiles } from '../git/files.js';
import { blockingProblems, compileEnforcement, ENFORCEMENT_KINDS, ENFORCEMENT_PATHS, loadEnforcementStore, type Enforcement } from '../store/enforcement.js';
import type { Store } from '../store/read.js';
import { baselineProblems, conflictMarkerLines } from '../store/baseline.js';
import { storeFromIndex } from '../store/from-files.js';
import { formatProblems, palette, plural, warnAboutAntiPatterns } from './output.js';

export interface ScanOptions {
  root: string;
  rules: CompiledRule[];
  /** Paths given on the command line (files or folders), relative to `cwd`. */
  paths?: string[];
  /** Where `paths` are taken from (default: the current directory). */
  cwd?: string;
  /** Check what git is about to commit instead of the working tree. */
  staged?: boolean;
  /** Results by file and content hash (in the working tree, also size and mtime; staged, the blob id): read and updated (see store/check-cache.ts). */
  cache?: Record<string, { hash: string; size?: number; mtime?: number; result?: FileResult }>;
}

export interface Scan {
  /** Files the cache did not answer (checked anew). */
  misses: number;
  /** Every file with a finding or a parse error. */
  results: FileResult[];
  /** Every file looked at (relative to the root). */
  checked: string[];
  /** Staged renames (new path → old path), from git's rename detection: their baseline entries follow them. */
  renames: Map<string, string>;
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
function selectPaths(files: string[], root: string, paths: string[], cwd: string, missing = 'is ignored (by .gitignore, or not a regular file)'): string[] {
  const prefixes = paths.map((p) => {
    const absolute = resolve(cwd, p);
    try {
      statSync(absolute);
    } catch {
      throw new FailuresError(`no such file or folder: ${p}`, { hint: 'pass files or folders inside the project' });
    }
    const rel = relative(root, absolute).split(sep).join('/');
    if (isOutside(root, absolute)) throw new FailuresError(`${p} is outside the project (${root})`, { hint: 'pass paths inside the project, or use --root' });
    return rel;
  });
  const known = new Set(files);
  for (const [i, prefix] of prefixes.entries()) {
    if (!known.has(prefix) && statSync(resolve(cwd, paths[i]!)).isFile()) {
      process.stderr.write(`warning: ${paths[i]} ${missing}, so it was not checked\n`);
    }
  }
  return files.filter((file) => prefixes.some((prefix) => prefix === '' || file === prefix || file.startsWith(`${prefix}/`)));
}

function isBinary(text: string): boolean {
  return text.slice(0, 8000).includes('\0');
}

function keep(result: FileResult): FileResult | null {
  return result.findings.length > 0 || result.parseError ? result : null;
}

type Steps = ReturnType<typeof checkSteps>;

/** Files a findInFiles call is given at once: the next share's text is read while ast-grep parses these. */
const SHARE = 256;
/** Shares ast-grep may be given before this thread has finished the earlier ones' files. */
const AHEAD = 1;

/**
 * Checks files of the working tree. Where a file's own tree is walked, ast-grep parses and walks such
 * files of a language on its own threads (findInFiles: the language's walk rule is compiled once per
 * share of files, not once per file), and this thread finishes each file as its walk arrives. A file
 * ast-grep does not read (not UTF-8, gone) is parsed here: the walk rule finds every file's root, so a
 * file without an answer is one it did not read.
 */
async function checkFiles(root: string, files: Array<{ file: string; text: string }>, rules: readonly CompiledRule[]): Promise<Array<FileResult | null>> {
  const results: Array<FileResult | null> = files.map(() => null);
  const finish = (index: number, step: IteratorResult<string, FileResult>) => {
    if (!step.done) throw new Error(`internal error: the check of ${files[index]!.file} asked for a second walk`);
    results[index] = keep(step.value);
  };
  const walks: Array<Promise<void>> = [];
  for (let from = 0; from < files.length; from += SHARE) {
    const waiting = new Map<string, Map<string, { index: number; steps: Steps }>>();
    for (let index = from; index < Math.min(files.length, from + SHARE); index++) {
      const { file, text } = files[index]!;
      const steps = checkSteps(file, text, rules);
      const step = steps.next();
      if (step.done) finish(index, step);
      else {
        if (!waiting.has(step.value)) waiting.set(step.value, new Map());
        waiting.get(step.value)!.set(join(root, file), { index, steps });
      }
    }
    for (const [language, byPath] of waiting) {
      const walked = walkInFiles(language, byPath, rules, (entry, step) => finish(entry.index, step));
      // What ast-grep did not read is parsed here.
      walks.push(walked.then(() => byPath.forEach((entry) => finish(entry.index, entry.steps.next(walkHere(language, files[entry.index]!.text, rules))))));
    }
    // The answers that arrived meanwhile are taken before the next share is read; ast-grep runs at most
    // one share ahead (its trees wait for this thread, in memory, until their files are finished).
    await new Promise((resolve) => setImmediate(resolve));
    if (walks.length > AHEAD) await Promise.allSettled(walks.slice(0, walks.length - AHEAD));
  }
  const failure = (await Promise.allSettled(walks)).find((w) => w.status === 'rejected');
  if (failure) throw failure.reason;
  return results;
}

/** ast-grep's findInFiles over the files of one language (absolute paths); each answered file is taken out of `byPath`. */
async function walkInFiles(
  language: string,
  byPath: Map<string, { index: number; steps: Steps }>,
  rules: readonly CompiledRule[],
  done: (entry: { index: number; steps: Steps }, step: IteratorResult<string, FileResult>) => void,
): Promise<void> {
  const { findInFiles } = loadAstGrep(language);
  let received = 0;
  let failure: unknown;
  const sent = await findInFiles(language as never, { paths: [...byPath.keys()], matcher: languageWalk(rules, language).config }, (error, nodes) => {
    received++;
    if (failure) return;
    try {
      if (error) throw error;
      const tree = nodes[0]!.getRoot();
      const path = tree.filename();
      const entry = byPath.get(path);
      if (!entry) return;
      byPath.delete(path);
      done(entry, entry.steps.next({ nodes, root: tree }));
    } catch (caught) {
      failure = caught;
    }
  });
  // The last answers may still be queued behind the count.
  while (received < sent) await new Promise((resolve) => setImmediate(resolve));
  if (failure) throw failure;
}

/** Reads the files the rules apply to and runs them: the working tree, or the index with `staged`. */
export async function scan(options: ScanOptions): Promise<Scan> {
  const { root, rules } = options;
  // Globs and languages only: nothing is compiled for a file the cache answers.
  const wanted = (file: string) => rules.some((rule) => rule.detectors.some((d) => d.scope(file)));
  const cache = options.cache;
  const results: FileResult[] = [];
  const checked: string[] = [];
  const renames = new Map<string, string>();
  const pending: Array<{ file: string; text: string; hash: string; stat?: { size: number; mtime: number } }> = [];
  const consider = (file: string, text: string, stat?: { size: number; mtime: number }, blob?: string) => {
    checked.push(file);
    if (isBinary(text)) return;
    // Staged content is keyed by its blob id, which git has already computed.
    const hash = !cache ? '' : (blob ?? createHash('sha1').update(text).digest('base64'));
    const hit = cache?.[file];
    if (hit && hit.hash === hash) {
      if (hit.result) results.push(hit.result);
      if (stat && cache) cache[file] = { ...hit, ...stat };
      return;
    }
    pending.push({ file, text, hash, ...(stat ? { stat } : {}) });
  };
  if (options.staged) {
    let staged = await stagedFiles(root);
    if (options.paths?.length) {
      const keep = new Set(selectPaths(staged.map((s) => s.path), root, options.paths, options.cwd ?? process.cwd(), 'has no staged changes (git add it first)'));
      staged = staged.filter((s) => keep.has(s.path));
    }
    for (const { path, text, from, sha } of staged) {
      if (from !== undefined) renames.set(path, from);
      if (wanted(path)) consider(path, text, undefined, sha);
    }
  } else {
    let files = (await repositoryFiles(root)) ?? walkFiles(root);
    if (options.paths?.length) files = selectPaths(files, root, options.paths, options.cwd ?? process.cwd());
    for (const file of files) {
      if (!wanted(file)) continue;
      const path = join(root, file);
      if (cache) {
        // As ESLint's cache: an unchanged size and mtime answer without reading the file.
        const stats = statSync(path, { throwIfNoEntry: false });
        const hit = cache[file];
        if (!stats) continue;
        const stat = { size: stats.size, mtime: stats.mtimeMs };
        if (hit && hit.size === stat.size && hit.mtime === stat.mtime) {
          checked.push(file);
          if (hit.result) results.push(hit.result);
          continue;
        }
        consider(file, readFileSync(path, 'utf8'), stat);
      } else consider(file, readFileSync(path, 'utf8'));
    }
  }
  // Staged content is not on disk: checked here, file by file.
  const checkedResults = options.staged ? pending.map(({ file, text }) => keep(checkText(file, text, rules))) : await checkFiles(root, pending, rules);
  pending.forEach(({ file, hash, stat }, i) => {
    const result = checkedResults[i];
    if (result) results.push(result);
    if (cache) cache[file] = { hash, ...stat, ...(result ? { result } : {}) };
  });
  results.sort((a, b) => a.file.localeCompare(b.file));
  return { results, checked, renames, misses: pending.length };
}

/**
 * What enforcement reads, from the index with `staged` (what is about to be committed: an unstaged
 * `status: retired` or baseline does not count), else from the working tree. Not compiled yet:
 * check compiles only when its cache does not answer.
 */
export async function enforcementStore(root: string, staged: boolean): Promise<Store> {
  if (!staged) return loadEnforcementStore(root);
  const { entries, unstaged, untracked } = await indexState(root, ENFORCEMENT_PATHS);
  const store = await storeFromIndex(root, entries, ENFORCEMENT_KINDS, { read: (shas) => readBlobs(root, shas), readOne: (sha) => readBlobSync(root, sha) });
  const note = palette(process.stderr).yellow('note:');
  if (unstaged.length > 0) {
    process.stderr.write(`${note} ${unstaged.join(', ')} ${unstaged.length === 1 ? 'has' : 'have'} changes that are not staged: the staged version is enforced (git add them to change that)\n`);
  }
  // A record git has never been told about is not part of the commit: it is not enforced (other files there are not records).
  const records = untracked.filter((path) => /\.ya?ml$/.test(path) && !path.split('/').slice(1).some((part) => part.startsWith('.')));
  if (records.length > 0) {
    process.stderr.write(`${note} ${records.join(', ')} ${records.length === 1 ? 'is' : 'are'} not staged, so not enforced (git add ${records.length === 1 ? 'it' : 'them'} to change that)\n`);
  }
  return store;
}

/**
 * An approved rule that cannot load stops the check with exit 2 and says where: it never passes
 * silently. Other problems of the records are warnings.
 */
export function refuseBrokenRules(enforcement: Enforcement): void {
  const blocking = blockingProblems(enforcement);
  if (blocking.length > 0) {
    throw new FailuresError(
      `${plural(blocking.length, 'problem')} in approved anti-patterns: their rules cannot be enforced, so nothing was checked:\n${formatProblems(blocking, process.stderr)}`,
      { hint: 'fix the records (`failures validate` lists every problem); a rule that cannot load blocks until it is fixed or retired' },
    );
  }
  warnAboutAntiPatterns(enforcement.problems);
}

/**
 * A baseline.yaml that does not read would read as empty, and every violation it lists would come
 * back as new with no word why: check stops with exit 2 at its line instead, and says how to resolve
 * a merge conflict left in it. `staged`: the index's version is the one read.
 */
export function refuseInvalidBaseline(store: Store, staged: boolean, what: string): void {
  const problems = baselineProblems(store);
  if (problems.length === 0) return;
  let text: string | undefined;
  try {
    text = staged ? readBlobSync(store.root, ':./.failures/baseline.yaml') : readFileSync(join(store.dir, 'baseline.yaml'), 'utf8');
  } catch {
    text = undefined;
  }
  const markers = text === undefined ? [] : conflictMarkerLines(text);
  const conflict = markers[0];
  const version = staged ? 'the staged .failures/baseline.yaml' : '.failures/baseline.yaml';
  const where = `${relative(process.cwd(), join(store.dir, 'baseline.yaml')) || 'baseline.yaml'}:${conflict ?? problems[0]!.line}`;
  // The YAML parser's advice for a marker line (about keys and quotes) would mislead.
  const marker = { fix: 'a merge-conflict marker git left: resolve the conflict' };
  const listed = formatProblems(
    problems.map((p) => (markers.includes(p.line) ? { ...p, ...marker } : p)),
    process.stderr,
  );
  const then = staged ? ', then git add it' : '';
  throw conflict !== undefined
    ? new FailuresError(`${version} has merge-conflict markers (${where}), so ${what}:\n${listed}`, {
        hint: `resolve the conflict: keep both sides' entries and delete the <<<<<<< / ======= / >>>>>>> lines${then}; or run \`failures baseline\` to record today's violations afresh (--no-baseline checks without it)`,
      })
    : new FailuresError(`${version} is invalid (${where}), so ${what}:\n${listed}`, {
        hint: `fix it at the line shown${then}, or run \`failures baseline\` to record today's violations afresh (--no-baseline checks without it)`,
      });
}

/** The rules to enforce (see enforcementStore), compiled, refusing broken ones. */
export async function enforcementFor(root: string, staged: boolean): Promise<Enforcement> {
  const enforcement = compileEnforcement(await enforcementStore(root, staged));
  refuseBrokenRules(enforcement);
  return enforcement;
}
