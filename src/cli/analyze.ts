import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { FailuresError } from '../errors.js';
import { findRoot } from '../store/find.js';
import { loadStore, recordsOf } from '../store/read.js';
import { checkAnalyzeOutputs, dateOption, recordFileIds, displayPath, formatOption, palette, plural, refuseInvalidConfig, warnAboutInvalidRecords, writeOutputFile } from './output.js';
import type { TicketAnalyzeOptions } from './analyze-tickets.js';

/** The same options as `analyze --tickets` takes, and the flag that chooses it. */
interface AnalyzeCliOptions extends TicketAnalyzeOptions {
  tickets?: boolean;
}

export function register(program: Command): void {
  program
    .command('analyze')
    .description('find recurring mistakes in the feedback and suggest anti-patterns: a report, a git diff, or a review branch')
    .option('--category <name>', 'only this category (patterns are always found within a category)')
    .option('--min-frequency <n>', 'entries that make a pattern (default: min_frequency in config.yaml)')
    .option('--since <date>', 'only entries from this date (ISO 8601) on')
    .option('--weekly', 'only the last 7 days')
    .option('--out <file>', 'where to write the report (default: skill_update_suggestions.md); - for stdout')
    .option('--diff <file>', 'write a unified diff (for git apply) proposing anti-patterns and skill-document sections; - for stdout')
    .option('--branch <name>', 'commit the same changes on a new branch, without touching the working tree, the index or HEAD')
    .option('--tickets', 'group imported support tickets into ticket patterns (tickets/TP-*.yaml) instead of feedback into anti-patterns')
    .addOption(formatOption('text writes the report; json prints the analysis on stdout'))
    .addHelpText('after', '\nNothing is written into .failures/: proposals reach the records only through the diff or the branch, after review.')
    .action(async (_options, command: Command) => run(command.optsWithGlobals<AnalyzeCliOptions>()));
}

function parseOptions(options: AnalyzeCliOptions, categories: string[], configMinimum: number, now: Date) {
  if (options.since !== undefined && options.weekly) throw new FailuresError('--since and --weekly cannot be used together', { hint: '--weekly means --since one week ago' });
  let since: string | undefined;
  if (options.weekly) since = new Date(now.getTime() - 7 * 24 * 3600 * 1000).toISOString();
  if (options.since !== undefined) since = dateOption('--since', options.since);
  let minFrequency = configMinimum;
  if (options.minFrequency !== undefined) {
    minFrequency = Number(options.minFrequency);
    if (!Number.isInteger(minFrequency) || minFrequency < 1) throw new FailuresError(`--min-frequency must be a whole number ≥ 1; got '${options.minFrequency}'`);
  }
  if (options.category !== undefined && !categories.includes(options.category)) {
    throw new FailuresError(`--category must be one of ${categories.join(', ')}; got '${options.category}'`);
  }
  if (options.diff === '-' && options.format === 'json') throw new FailuresError('--diff - and --format json both write to stdout', { hint: 'write the diff to a file with --diff FILE' });
  if (options.out === '-' && options.format === 'json') throw new FailuresError('--out - and --format json both write to stdout', { hint: 'write the report to a file with --out FILE' });
  return { since, minFrequency };
}

/** Pattern id → the anti-pattern id its proposal gets: as suggestChanges numbers them, without drafting the records. */
function proposalIds(
  analysis: import('../analyze/index.js').Analysis,
  existing: string[],
  minFrequency: number,
  newPatterns: typeof import('../suggest/changes.js').newPatterns,
  nextIds: typeof import('../suggest/draft.js').nextIds,
): Map<string, string> {
  const fresh = newPatterns(analysis, minFrequency);
  const ids = nextIds(existing, fresh.length);
  return new Map(fresh.map((p, i) => [p.id, ids[i]!]));
}

async function run(options: AnalyzeCliOptions): Promise<void> {
  if (options.tickets) return (await import('./analyze-tickets.js')).runTickets(options);
  const root = findRoot(process.cwd(), options.root);
  // Only what analysis reads; validate reports the rest (and the cross-checks, which need every record).
  const store = loadStore(root, { kinds: ['config', 'feedback', 'anti-pattern'] });
  const now = new Date();
  const generated = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const { since, minFrequency } = parseOptions(options, store.config.categories, store.config.min_frequency, now);
  const outPath = options.out ?? (options.format === 'text' ? 'skill_update_suggestions.md' : undefined);
  // The config's own cross-checks too (a skill document outside the repository would be dropped silently).
  const { crossCheck } = await import('../store/crosscheck.js');
  const configChecks = crossCheck(store.records.filter((r) => r.kind === 'config'), store.config, store.dir);
  refuseInvalidConfig([...store.problems, ...configChecks], store.dir, 'nothing was analyzed');
  // Before any work: a path that cannot be written must not leave the report, diff or branch half done.
  await checkAnalyzeOutputs(root, store.dir, { out: outPath, diff: options.diff, branch: options.branch, outDefault: options.out === undefined });
  warnAboutInvalidRecords(store.problems);
  // Two records with one id (a copied file, two branches' AP-004) are both counted: said, not silent.
  const duplicates = crossCheck(store.records.filter((r) => r.kind !== 'config'), store.config, store.dir).filter((p) => p.rule === 'duplicate-id');
  if (duplicates.length > 0) {
    const ids = [...new Set(duplicates.map((p) => /duplicate id (\S+):/.exec(p.message)?.[1]).filter(Boolean))];
    process.stderr.write(`${palette(process.stderr).yellow('warning:')} ${plural(ids.length, 'id')} used by two records or more (${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ', …' : ''}): each is counted; \`failures validate\` says where and how to fix it\n`);
  }
  const { suggestChanges, newPatterns } = await import('../suggest/changes.js');
  const { nextIds } = await import('../suggest/draft.js');
  const { renderReport } = await import('../suggest/report.js');
  const { schemaRefFor } = await import('../store/serialize.js');
  const entries = recordsOf(store, 'feedback').map((r) => r.data);
  const antiPatterns = recordsOf(store, 'anti-pattern').map((r) => r.data);
  const { analyzeRecords, analysisJson } = await import('./analysis.js');
  const analysis = await analyzeRecords(root, store.config, entries, antiPatterns, {
    minFrequency,
    ...(options.category ? { category: options.category } : {}),
    ...(since ? { since } : {}),
  });
  const entryMap = new Map(entries.map((e) => [e.id, e]));
  // Ids taken: the records read, and every file name in anti-patterns/ — one that does not parse keeps its
  // id too, or the diff would propose a "new" file over it (and --branch commit one).
  const takenIds = [...new Set([...store.records.filter((r) => r.kind === 'anti-pattern').map((r) => r.id), ...recordFileIds(join(store.dir, 'anti-patterns'))])];
  const schemaRef = schemaRefFor(root, join(store.dir, 'anti-patterns', 'AP.yaml'), 'anti-pattern');
  // Detectors for each new pattern whose entries hold code (backticked, or recorded with log --fix):
  // synthesized and run over the repository only when proposals are drafted (--diff, --branch).
  const { synthesizeProposals } = await import('./synth.js');
  const synthesized =
    options.diff || options.branch
      ? await synthesizeProposals(
          root,
          newPatterns(analysis, minFrequency).map((p) => ({ id: p.id, entries: p.entries.map((e) => entryMap.get(e)!).filter(Boolean) })),
        )
      : new Map<string, import('../suggest/draft.js').Synthesized>();
  const suggestionInput = (read: (path: string) => string | undefined) => ({
    synthesized,
    analysis,
    entries: entryMap,
    antiPatternIds: takenIds,
    skills: store.config.skills,
    generated,
    read,
    ...(schemaRef ? { schemaRef } : {}),
  });
  const readWorkingTree = (path: string) => {
    const file = join(root, path);
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  };
  // The proposed records' text is needed only for a diff; the report and JSON need only their ids.
  const suggestions = options.diff
    ? suggestChanges(suggestionInput(readWorkingTree), minFrequency)
    : { changes: [], proposals: proposalIds(analysis, takenIds, minFrequency, newPatterns, nextIds) };
  const c = palette(process.stderr);

  if (options.format === 'json') {
    const json = analysisJson(analysis, generated, (id) => suggestions.proposals.get(id));
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  }
  if (outPath) {
    writeOutputFile(outPath, renderReport(analysis, { generated, minFrequency, proposals: suggestions.proposals, skills: store.config.skills }), '--out');
  }
  if (options.diff) {
    const { unifiedDiff } = await import('../suggest/diff.js');
    // Paths from the top of the repository, so git apply puts them in the project from any folder of it.
    const prefix = await (await import('../git/branch.js')).projectPrefix(root);
    const patch = unifiedDiff(suggestions.changes.map((ch) => ({ ...ch, path: prefix + ch.path })));
    if (options.diff === '-') process.stdout.write(patch);
    else writeOutputFile(options.diff, patch, '--diff');
  }
  let branchNote = '';
  if (options.branch) {
    const { commitOnNewBranch, readAtHead } = await import('../git/branch.js');
    const atHead = new Map<string, string | undefined>();
    for (const path of Object.values(store.config.skills)) atHead.set(path, await readAtHead(root, path));
    const fromHead = suggestChanges(suggestionInput((path) => atHead.get(path)), minFrequency);
    if (fromHead.changes.length === 0) {
      branchNote = `no new patterns, so no branch was created`;
    } else {
      const ids = [...fromHead.proposals.values()];
      const message = `chore(failures): propose ${ids.join(', ')} from recurring feedback\n\n${analysis.patterns
        .filter((p) => fromHead.proposals.has(p.id))
        .map((p) => `- ${fromHead.proposals.get(p.id)}: ${p.label} (${p.occurrences}x in ${p.sessions} sessions, ${p.category}, ${p.priority})`)
        .join('\n')}\n`;
      const commit = await commitOnNewBranch(root, options.branch, fromHead.changes.map((ch) => ({ path: ch.path, content: ch.after })), message);
      branchNote = `branch ${options.branch} (${commit.slice(0, 8)}) proposes ${ids.join(', ')}. Review: git log -p HEAD..${options.branch}; take it: git merge ${options.branch}`;
    }
  }
  const fresh = analysis.patterns.filter((p) => p.status === 'new').length;
  const recurring = analysis.patterns.filter((p) => p.status === 'recurring').length;
  const lines = [
    `${c.green('✓')} ${plural(analysis.patterns.length, 'pattern')} (${fresh} new, ${recurring} recurring after approval) in ${plural(analysis.entries, 'entry', 'entries')} from ${plural(analysis.sessions, 'session')}`,
    ...(outPath && outPath !== '-' ? [`  report: ${displayPath(resolve(process.cwd(), outPath))}`] : []),
    ...(options.diff && options.diff !== '-' ? [`  diff: ${displayPath(resolve(process.cwd(), options.diff))} — review, then: git apply ${options.diff}`] : []),
    ...(branchNote ? [`  ${branchNote}`] : []),
    ...analysis.uncertain
      .slice(0, 5)
      .map((u) => `  ${u.pattern} is possibly the same as ${u.other.kind === 'pattern' ? u.other.id : `entry ${u.other.id}`} (similarity ${u.score.toFixed(2)}); link with \`failures log --same-as ${u.same_as}\``),
    ...(analysis.uncertain.length > 5 ? [`  … ${analysis.uncertain.length - 5} more pairs almost merged (--format json lists them as "uncertain")`] : []),
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
}
