import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FileResult } from '../enforce/engine.js';
import type { CheckCache } from '../store/check-cache.js';
import type { Enforcement } from '../store/enforcement.js';

export interface ProjectCheckOptions {
  /** Files or folders, relative to `cwd`; none means every file. */
  paths: string[];
  /** The index instead of the working tree, rules and baseline included. */
  staged: boolean;
  /** Read and update .failures/.cache/ (results by file content hash and rules hash). */
  cache: boolean;
  /** Where `paths` are taken from (default: the current directory). */
  cwd?: string;
  /**
   * An approved rule that cannot load: `refuse` stops with exit 2 (the CLI and the hook never pass
   * silently); `skip` checks with the rules that load and leaves the caller to name the others (MCP).
   */
  broken: 'refuse' | 'skip';
  /** The baseline will be applied: a baseline.yaml that does not read stops the check (exit 2) before anything is checked. */
  baseline?: boolean;
}

export interface ProjectCheck {
  enforcement: Enforcement;
  /** Every file with a finding or a parse error. */
  results: FileResult[];
  /** Every file looked at (relative to the root). */
  checked: string[];
  /** Staged renames (new path → old path): their baseline entries follow them. */
  renames: Map<string, string>;
}

/**
 * `failures check`'s steps, shared by the command line and the MCP server: the rules (from the index
 * with `staged`), the result cache, and the scan.
 */
export async function checkProject(root: string, options: ProjectCheckOptions): Promise<ProjectCheck> {
  const [{ compileEnforcement, enforcementHash }, { enforcementStore, refuseBrokenRules, refuseInvalidBaseline, scan }, { keepRecent, readCheckCache, writeCheckCache, STAGED_LIMIT }, { refuseInvalidConfig }] = await Promise.all([
    import('../store/enforcement.js'),
    import('./scan.js'),
    import('../store/check-cache.js'),
    import('./output.js'),
  ]);
  // The hook's cache is its own (by blob id, bounded): it never reads or rewrites the working tree's.
  const cacheName = options.staged ? 'staged' : 'check';
  const store = await enforcementStore(root, options.staged);
  // An invalid config.yaml would be read as the defaults (other levels, other globs): never check with
  // rules other than the ones written, as log and analyze refuse it.
  refuseInvalidConfig(store.problems, store.dir, options.staged ? 'nothing was checked (the staged version is enforced: fix it, then git add it)' : 'nothing was checked');
  if (options.baseline) refuseInvalidBaseline(store, options.staged, 'nothing was checked');
  // A warm cache under the same rules hash knows the detectors compile: they compile lazily, on a miss.
  const key = enforcementHash(store);
  const previous = options.cache ? readCheckCache(root, key, cacheName) : undefined;
  const compiled = compileEnforcement(store, previous ? { validate: false } : {});
  const problems = previous ? [...compiled.problems.filter((p) => p.rule !== 'detector'), ...previous.problems] : compiled.problems;
  const enforcement = { ...compiled, problems };
  if (options.broken === 'refuse') refuseBrokenRules(enforcement);
  const cache: CheckCache | undefined = options.cache ? { key, problems: problems.filter((p) => p.rule === 'detector'), files: previous?.files ?? {} } : undefined;
  const before = previous ? cacheState(previous) : undefined;
  const { results, checked, renames, misses } = await scan({
    root,
    rules: enforcement.rules,
    paths: options.paths,
    staged: options.staged,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(cache ? { cache: cache.files } : {}),
  });
  // Written only when something new was learnt (a miss, a new stat, or a first run).
  if (cache && (misses > 0 || before === undefined || before !== cacheState(cache))) {
    if (options.staged) cache.files = keepRecent(cache.files, checked, STAGED_LIMIT);
    writeCheckCache(root, cache, cacheName);
  }
  return { enforcement, results, checked, renames };
}

function cacheState(cache: CheckCache): string {
  return JSON.stringify(Object.entries(cache.files).map(([f, e]) => [f, e.hash, e.size, e.mtime]));
}

/**
 * The baseline applied as check applies it: renamed files keep their entries (git's staged renames,
 * or baselined files no longer in the working tree); in the hook only files HEAD already holds may
 * take an old path's entries, so code a commit adds is never passed as old.
 */
export async function applyProjectBaseline(root: string, check: Pick<ProjectCheck, 'enforcement' | 'renames'>, results: FileResult[], staged: boolean): Promise<{ results: FileResult[]; baselined: number }> {
  const [{ applyBaselineAcrossRenames }, { baselineOf }, { pathsInHead }] = await Promise.all([import('../enforce/baseline.js'), import('../store/baseline.js'), import('../git/files.js')]);
  const gone = (file: string) => !existsSync(join(root, file));
  const inHead = staged ? await pathsInHead(root, results.filter((r) => r.findings.length > 0).map((r) => r.file)) : undefined;
  return applyBaselineAcrossRenames(results, baselineOf(check.enforcement.store), check.renames, gone, inHead ? (file) => inHead.has(file) : undefined);
}
