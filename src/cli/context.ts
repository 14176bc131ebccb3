import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { FailuresError } from '../errors.js';
import { isOutside } from '../paths.js';
import type { History, Occurrence, Source } from '../context/index.js';
import type { AntiPatternRecord } from '../types/records.js';
import { findRoot } from '../store/find.js';
import { loadStore, recordsOf } from '../store/read.js';
import { replaceFileAtomic } from '../store/write.js';
import { checkOutputFile, dateOption, displayPath, palette, plural } from './output.js';
import { readManifold, resolveManifold } from './manifold-file.js';

interface ContextOptions {
  sources: string;
  timeframe: string;
  asOf?: string;
  out?: string;
  format: 'yaml' | 'json';
  root?: string;
}

const SOURCES: readonly Source[] = ['incidents', 'postmortems', 'tickets'];

export function register(program: Command): void {
  program
    .command('context')
    .argument('<manifold>', 'the feature spec (a manifold YAML file, or its name when NAME.yaml is here or in manifolds/)')
    .description('load past incidents, postmortems and ticket patterns as constraints for a new feature: writes <manifold>-failures.yaml')
    .option('--sources <list>', 'which history to read: incidents,postmortems,tickets or all', 'all')
    .option('--timeframe <months>', 'keep failures of the last N months, or all', 'all')
    .option('--as-of <date>', 'the end of the timeframe (YYYY-MM-DD; default today)')
    .option('--out <file>', 'where to write the report (default: <manifold-name>-failures.yaml here; with --format json, stdout)')
    .addOption(new Option('--format <format>', 'yaml writes the report file; json prints it on stdout, or writes it to --out').choices(['yaml', 'json']).default('yaml'))
    .addHelpText('after', '\nThe summary goes to stderr; the report to the file (yaml, or json with --out) or stdout (json). With --timeframe, incidents without a date are kept and counted as undated. Exit status: 0 written, 2 usage or a bad manifold.')
    .action(async (manifold: string, _options, command: Command) => run(manifold, command.optsWithGlobals<ContextOptions>()));
}

function parseSources(value: string): Source[] {
  const parts = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.includes('all')) return [...SOURCES];
  for (const part of parts) {
    if (!SOURCES.includes(part as Source)) {
      throw new FailuresError(`--sources: unknown source '${part}'`, { hint: `use a comma-separated list of ${SOURCES.join(', ')}, or all` });
    }
  }
  if (parts.length === 0) throw new FailuresError('--sources is empty', { hint: `use a comma-separated list of ${SOURCES.join(', ')}, or all` });
  return [...new Set(parts as Source[])];
}

function parseTimeframe(value: string): number | undefined {
  if (value.trim() === 'all') return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) === 0) {
    throw new FailuresError(`--timeframe: '${value}' is not a number of months`, { hint: 'write a whole number of months (--timeframe 12), or all' });
  }
  return Number(value);
}

function parseAsOf(value: string | undefined): string {
  if (value === undefined) return new Date().toISOString().slice(0, 10);
  // The same check as analyze --since (2024-02-30 is refused, not read as 1 March), then the day alone.
  dateOption('--as-of', value);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new FailuresError(`--as-of ${value} is not a day`, { hint: 'write it as YYYY-MM-DD, e.g. --as-of 2025-01-01' });
  return value;
}

/** Where the check engine finds each anti-pattern with detectors, proposed ones included: the codebase as it is now. */
async function findOccurrences(root: string, antiPatterns: readonly AntiPatternRecord[], history: History): Promise<Map<string, Occurrence[]>> {
  const withDetectors = antiPatterns.filter((ap) => ap.enforce?.detect?.length);
  const occurrences = new Map<string, Occurrence[]>();
  if (withDetectors.length === 0) return occurrences;
  const [{ compileRules }, { scan }] = await Promise.all([import('../enforce/compile.js'), import('./scan.js')]);
  const incidents = new Map(history.incidents.map((i) => [i.incident_id, i]));
  const { rules } = compileRules(
    withDetectors.map((ap) => ({ ...ap, status: 'approved' as const })),
    incidents,
  );
  const { results } = await scan({ root, rules });
  for (const result of results) {
    let lines: string[] | undefined;
    for (const finding of result.findings) {
      lines ??= readFileSync(join(root, result.file), 'utf8').split(/\r?\n/);
      const code = lines[finding.line - 1]?.trim() || finding.code;
      const list = occurrences.get(finding.id) ?? [];
      if (!list.some((o) => o.file === result.file && o.line === finding.line)) list.push({ file: result.file, line: finding.line, code });
      occurrences.set(finding.id, list);
    }
  }
  return occurrences;
}

/** The markdown documents imported incidents were read from, when they are still there (the words the records do not keep). */
function sourceTexts(root: string, incidents: History['incidents']): Map<string, string> {
  const texts = new Map<string, string>();
  const cache = new Map<string, string | undefined>();
  for (const incident of incidents) {
    const source = incident.source;
    if (!source || source.format !== 'markdown') continue;
    const path = resolve(root, source.file);
    if (!cache.has(path)) {
      try {
        const stat = statSync(path);
        cache.set(path, stat.isFile() && stat.size <= 2_000_000 ? readFileSync(path, 'utf8') : undefined);
      } catch {
        cache.set(path, undefined);
      }
    }
    const text = cache.get(path);
    if (text !== undefined) texts.set(incident.incident_id, text);
  }
  return texts;
}

/** What a context report is made from, besides the manifold and the records. */
export interface ContextRequest {
  sources: Source[];
  /** Months back from `asOf` (YYYY-MM-DD); undefined for all history. */
  timeframe?: number;
  asOf: string;
  /** When the report says it was made (only with a timeframe: otherwise the report carries no clock). */
  analyzedAt?: string;
  /** As the report and its narration name the manifold and the report file. */
  manifoldShown: string;
  reportShown: string;
}

/**
 * The failure context report for a manifold: the records of `root` read, ranked and turned into
 * constraints, anti-patterns found in the codebase by the check engine. Shared by `failures context`
 * and the MCP server's `context` tool. Throws a located error for a bad manifold.
 */
export async function buildContextReport(root: string, manifoldFile: string, request: ContextRequest) {
  const { sources, timeframe, asOf } = request;
  const { value: manifold } = readManifold(manifoldFile);
  const store = loadStore(root);
  const invalid = store.problems.filter((p) => p.severity === 'error').length;
  const data = <K extends Parameters<typeof recordsOf>[1]>(kind: K) => recordsOf(store, kind).map((r) => r.data);
  const history: History = {
    incidents: sources.includes('incidents') ? data('incident') : [],
    postmortems: sources.includes('postmortems') ? data('postmortem') : [],
    antiPatterns: data('anti-pattern'),
    constraints: data('constraint'),
    ticketPatterns: sources.includes('tickets') ? data('ticket-pattern') : [],
    tickets: sources.includes('tickets') ? data('ticket') : [],
    failureModes: data('failure-mode'),
  };
  history.sourceTexts = sourceTexts(root, history.incidents);
  // Postmortems read without their incidents are still placed in the timeframe by their incident's date.
  const incidentDates = timeframe !== undefined && !sources.includes('incidents') ? new Map(data('incident').map((i) => [i.incident_id, i.date])) : undefined;
  const { analyzeContext, contextReport } = await import('../context/index.js');
  const analysis = analyzeContext(manifold, history, {
    sources,
    ...(timeframe !== undefined ? { timeframeMonths: timeframe, asOf } : {}),
    reportFile: request.reportShown,
    manifoldFile: request.manifoldShown,
    ...(incidentDates ? { incidentDates } : {}),
  });
  const occurrences = await findOccurrences(
    root,
    analysis.antiPatterns.map((a) => a.record),
    history,
  );
  const report = contextReport({ analysis, occurrences, ...(timeframe !== undefined ? { analyzedAt: request.analyzedAt ?? asOf } : {}) });
  const { schemaErrors } = await import('../store/schemas.js');
  const errors = schemaErrors('failure-context-report', report);
  if (errors.length > 0) throw new Error(`the report does not match its schema: ${errors[0]!.instancePath} ${errors[0]!.message}`);
  return { manifold, report, invalid };
}

async function run(manifoldArg: string, options: ContextOptions): Promise<void> {
  const sources = parseSources(options.sources);
  const timeframe = parseTimeframe(options.timeframe);
  const asOf = parseAsOf(options.asOf);
  // --as-of ends a timeframe; with all history it would be read and then ignored.
  if (options.asOf !== undefined && timeframe === undefined) {
    throw new FailuresError(`--as-of ${options.asOf} needs --timeframe: it is the end of the timeframe, and all history has none`, {
      hint: `give the months before it too, e.g. --timeframe 12 --as-of ${options.asOf}`,
    });
  }
  if (options.out === '') throw new FailuresError('--out is empty', { hint: 'give --out a file name, or leave it out' });
  const root = findRoot(process.cwd(), options.root);
  const manifoldFile = resolveManifold(manifoldArg, root);
  const { value: named } = readManifold(manifoldFile);
  // The default file is named after the manifold, here: a name with slashes (`team/feature`, `../x`) is no path.
  const fileName = named.name.split(/[\\/]+/).filter((part) => part && part !== '.' && part !== '..').join('-') || 'manifold';
  const out = options.out ? resolve(process.cwd(), options.out) : resolve(process.cwd(), `${fileName}-failures.yaml`);
  // Where the report goes is checked before any work: a folder, a missing folder or a path that cannot be written is a usage error.
  const toFile = options.format !== 'json' || options.out !== undefined;
  if (toFile) {
    checkOutputFile(options.out ?? displayPath(out), options.out !== undefined ? '--out' : 'the report (default --out)');
    // The report never replaces the spec it is about, nor a record: both are written by people.
    const real = (path: string) => (existsSync(path) ? realpathSync(path) : resolve(realpathSync(dirname(path)), basename(path)));
    if (real(out) === realpathSync(manifoldFile)) {
      throw new FailuresError(`--out ${options.out ?? displayPath(out)} is the manifold itself; the report would replace the spec`, { hint: `write the report to another file, e.g. --out ${fileName}-failures.yaml` });
    }
    const storeDir = realpathSync(join(root, '.failures'));
    if (!isOutside(storeDir, real(out))) {
      throw new FailuresError(`--out ${options.out ?? displayPath(out)} is inside .failures/, which holds records, not reports`, { hint: `write the report outside .failures/, e.g. --out ${fileName}-failures.yaml` });
    }
  }
  const manifoldShown = displayPath(manifoldFile);
  const reportShown = displayPath(out);
  const { report, invalid } = await buildContextReport(root, manifoldFile, {
    sources,
    ...(timeframe !== undefined ? { timeframe } : {}),
    asOf,
    analyzedAt: options.asOf ?? new Date().toISOString(),
    manifoldShown,
    reportShown,
  });
  const err = palette(process.stderr);
  if (invalid > 0) {
    process.stderr.write(`${err.yellow('warning:')} ${plural(invalid, 'problem')} in .failures/; invalid records are left out (run \`failures validate\`)\n`);
  }
  const { reportSummary, reportYaml } = await import('../context/index.js');
  if (!toFile) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else replaceFileAtomic(out, options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : reportYaml(report, basename(out)));
  process.stderr.write(reportSummary(report, { ...(timeframe !== undefined ? { timeframe } : {}), mergeCommand: `failures merge ${shellWord(manifoldShown)} --from ${toFile ? shellWord(reportShown) : 'REPORT'}` }));
  if (toFile) process.stderr.write(`\n${err.green('✓')} wrote ${reportShown}${options.format === 'json' ? ' (JSON)' : ''}\n`);
  process.exitCode = 0;
}

/** A path as a shell reads it back: quoted when it holds a space or another character the shell would split on or expand. */
function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, "'\\''")}'`;
}
