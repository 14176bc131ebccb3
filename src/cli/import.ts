import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { FailuresError } from '../errors.js';
import { isOutside } from '../paths.js';
import { encodingOf } from '../encoding.js';
import { findRoot } from '../store/find.js';
import { knownImports, recordFile, writeRecords } from '../store/imported.js';
import type { ImportPlan, PlannedSkip, SkipKind } from '../ingest/plan.js';
import { displayPath, formatOption, palette, plural } from './output.js';

interface ImportOptions {
  dryRun?: boolean;
  format: 'text' | 'json';
  root?: string;
}

/** Files a folder walk reads: markdown (also extension-less text), CSV and JSON exports. */
const READABLE = new Set(['.md', '.markdown', '.mdx', '.txt', '.csv', '.tsv', '.json', '']);
/** Extension-less files a repository holds that are not text documents (their `# comments` read as headings: a Dockerfile became an incident). */
const BUILD_FILES = /^(dockerfile|containerfile|makefile|gnumakefile|procfile|jenkinsfile|vagrantfile|gemfile|rakefile|brewfile|podfile|justfile|tiltfile|earthfile|caddyfile|pipfile|codeowners|owners|authors|contributors|notice|version)$/i;
/** In a folder walk these are about the folder, not incidents: reported as skipped, not read. */
const NOT_DOCUMENTS = /^(readme|contributing|license|licence|changelog|code_of_conduct|security|template|.*[-_.]template|_template|pmyyyy.*)(\.[a-z]+)?$/i;

export function register(program: Command): void {
  program
    .command('import')
    .description('turn postmortem markdown, incident exports and ticket exports into records (incidents/, postmortems/, tickets/imported/)')
    .argument('<paths...>', 'files or folders (folders are read recursively: .md, .markdown, .mdx, .txt, .csv, .tsv, .json and extension-less files)')
    .option('--dry-run', 'show what would be written, and write nothing')
    .addOption(formatOption('output format: text, or json ({"created": [{kind, id, file, source}], "skipped": [{source, reason}]})'))
    .action(async (paths: string[], _options, command: Command) => {
      await run(paths, command.optsWithGlobals<ImportOptions>());
    });
}

async function run(paths: string[], options: ImportOptions): Promise<void> {
  const root = findRoot(process.cwd(), options.root);
  const { inputs, skipped, ignored } = collectInputs(paths, root);
  const { planImport } = await import('../ingest/plan.js');
  const { exportReader } = await import('../ingest/exports/index.js');
  const known = knownImports(root, ['incident', 'postmortem', 'ticket']);
  const plan = planImport(inputs, known, exportReader);
  plan.skipped.unshift(...skipped);

  const created = plan.records.map((r) => ({ kind: r.kind, id: r.id, file: displayPath(recordFile(root, r.kind, r.id)), source: r.source }));
  if (!options.dryRun && plan.records.length > 0) writeRecords(root, plan.records);

  const failed = plan.skipped.filter((s) => s.kind === 'unreadable');
  if (options.format === 'json') {
    const skippedOut = plan.skipped.map((s) => ({ source: s.source, reason: s.line ? `${s.source}:${s.line}${s.column ? `:${s.column}` : ''}: ${s.reason}` : s.reason }));
    process.stdout.write(`${JSON.stringify({ created, skipped: skippedOut, ...(options.dryRun ? { dry_run: true } : {}) })}\n`);
    // Warnings (a date it could not read, a timeline placeholder, an export with no rows) go to stderr as in text mode, never lost.
    const c = palette(process.stderr);
    for (const note of plan.notes) process.stderr.write(`${c.bold(`${note.source}:${note.line}:${note.column}`)}: ${c.yellow('warning')}: ${note.message}\n`);
  } else {
    report(created, plan, ignored, options.dryRun === true);
  }
  if (failed.length > 0) process.exitCode = 1;
}

function report(created: Array<{ kind: string; id: string; file: string; source: string }>, plan: ImportPlan, ignored: number, dryRun: boolean): void {
  const c = palette(process.stderr);
  for (const record of created) process.stdout.write(`${dryRun ? 'would create ' : ''}${record.file}\n`);
  for (const note of plan.notes) process.stderr.write(`${c.bold(`${note.source}:${note.line}:${note.column}`)}: ${c.yellow('warning')}: ${note.message}\n`);
  const of = (kind: SkipKind) => plan.skipped.filter((s) => s.kind === kind);
  for (const skip of of('unreadable')) {
    process.stderr.write(`${c.bold(`${skip.source}${skip.line ? `:${skip.line}:${skip.column ?? 1}` : ''}`)}: ${c.red('skipped')}: ${skip.reason}\n`);
  }
  for (const skip of of('changed')) process.stderr.write(`${c.bold(`${skip.source}:${skip.line ?? 1}:1`)}: ${c.yellow('not imported')}: ${skip.reason}\n`);
  const counts = new Map<string, number>();
  for (const record of created) counts.set(record.kind, (counts.get(record.kind) ?? 0) + 1);
  const parts = [...counts].map(([kind, n]) => plural(n, kind));
  const verb = dryRun ? 'would import' : 'imported';
  const lines: string[] = [];
  if (created.length > 0) lines.push(`${c.green('✓')} ${verb} ${parts.join(', ')}`);
  else lines.push(`nothing new${dryRun ? ' would be' : ' was'} imported`);
  const documents = (kind: SkipKind) => new Set(of(kind).map((s) => s.source)).size;
  if (documents('imported') > 0) {
    const records = of('imported').length;
    const files = documents('imported');
    lines.push(`${records === files ? plural(files, 'document') : `${plural(records, 'record')} from ${plural(files, 'file')}`} already imported, unchanged: nothing written for them`);
  }
  if (documents('changed') > 0) lines.push(`${plural(documents('changed'), 'document')} changed since imported (see above)`);
  if (of('unreadable').length > 0) lines.push(`${plural(of('unreadable').length, 'document')} could not be read (see above)`);
  if (of('not-a-document').length > 0) lines.push(`${plural(of('not-a-document').length, 'README, licence or template')} skipped`);
  // Rows an export holds by design that are no records: one count per reason, not one line per row.
  const leftOut = new Map<string, number>();
  for (const skip of of('left-out')) leftOut.set(skip.reason, (leftOut.get(skip.reason) ?? 0) + 1);
  for (const [reason, n] of leftOut) lines.push(`${n} left out: ${reason}`);
  if (ignored > 0) lines.push(`${plural(ignored, 'file')} ignored (not markdown, CSV or JSON)`);
  process.stderr.write(`${lines.join('; ')}\n`);
}

interface Collected {
  inputs: Array<{ source: string; recordedFile: string; text: string }>;
  skipped: PlannedSkip[];
  ignored: number;
}

/** Reads every file named or found in the folders named; what cannot be read is a skip with its reason. */
function collectInputs(paths: string[], root: string): Collected {
  const out: Collected = { inputs: [], skipped: [], ignored: 0 };
  const seen = new Set<string>();
  for (const given of paths) {
    // `failures import "$DIR"` with DIR unset: an empty path would import the current folder.
    if (given.trim() === '') throw new FailuresError('an empty path was given', { hint: 'name the files or folders to import (a folder is read recursively); nothing was imported' });
    const absolute = resolve(process.cwd(), given);
    let stat;
    try {
      stat = statSync(absolute);
    } catch (error) {
      throw new FailuresError(`cannot read ${given}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
        hint: 'check the path (files and folders are both accepted); nothing was imported',
      });
    }
    const files = stat.isDirectory() ? walk(absolute) : [absolute];
    for (const file of files) {
      if (seen.has(file)) continue;
      seen.add(file);
      const source = stat.isDirectory() ? join(given, relative(absolute, file)).split(sep).join('/') : given;
      const name = file.split(sep).pop()!;
      if (stat.isDirectory()) {
        if (!READABLE.has(extname(name).toLowerCase()) || (extname(name) === '' && BUILD_FILES.test(name))) {
          out.ignored++;
          continue;
        }
        if (NOT_DOCUMENTS.test(name)) {
          out.skipped.push({ source, reason: 'a README, licence or template, not a postmortem (name the file itself to import it anyway)', kind: 'not-a-document' });
          continue;
        }
      }
      // A pipe or device named on the command line would block the read forever.
      if (!stat.isDirectory() && !stat.isFile()) {
        out.skipped.push({ source, reason: 'not a regular file (a pipe, socket or device): name the export or postmortem file itself', kind: 'unreadable' });
        continue;
      }
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (error) {
        out.skipped.push({ source, reason: `cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, kind: 'unreadable' });
        continue;
      }
      // UTF-16 (what PowerShell's `>` and Excel's "Unicode text" write) would read as noise: said, with the fix.
      if (encodingOf(bytes) === 'utf-16') {
        const name = file.split(sep).pop()!;
        out.skipped.push({ source, reason: `the file is UTF-16, not UTF-8 text: convert it first, e.g. iconv -f UTF-16 -t UTF-8 ${name} > utf8-${name}`, kind: 'unreadable' });
        continue;
      }
      const text = bytes.toString('utf8');
      // A script without an extension (bin/deploy) met in a folder: code, not a postmortem.
      if (stat.isDirectory() && extname(name) === '' && text.startsWith('#!')) {
        out.ignored++;
        continue;
      }
      // Latin-1 or Windows-1252 (Excel's "CSV" save on Windows): read as UTF-8 its accents became U+FFFD in the records.
      if (encodingOf(bytes) === 'not-utf-8') {
        const before = text.slice(0, Math.max(0, text.indexOf('\uFFFD'))).split('\n');
        out.skipped.push({
          source,
          line: before.length,
          column: before[before.length - 1]!.length + 1,
          reason: `not UTF-8 text (saved as Windows-1252 or Latin-1?): its accented letters would be lost; convert it first, e.g. iconv -f WINDOWS-1252 -t UTF-8 ${name} > utf8-${name} (or save as "CSV UTF-8")`,
          kind: 'unreadable',
        });
        continue;
      }
      // This tool's own reports (analyze's default outputs land in the project root): read as postmortems, they became incidents dated the day they were generated.
      if (OWN_REPORT.test(text.replace(/^\uFEFF/, '').slice(0, 400))) {
        out.skipped.push(
          stat.isDirectory()
            ? { source, reason: 'reports `failures analyze` wrote (not incident history)', kind: 'left-out' }
            : { source, reason: 'a report `failures analyze` wrote, not incident history: import the postmortems and exports it came from', kind: 'unreadable' },
        );
        continue;
      }
      const other = notHistory(text, source);
      if (other) {
        out.skipped.push({ source, reason: other, kind: 'unreadable' });
        continue;
      }
      const inside = relative(root, file);
      // Inside the repository: relative to its root (the same on every clone); outside: as the user wrote it, never expanded to this machine's absolute path.
      const recordedFile = !isOutside(root, file) ? inside.split(sep).join('/') : source;
      out.inputs.push({ source, recordedFile, text, ...(stat.isDirectory() ? { walked: true } : {}) });
    }
  }
  return out;
}


/**
 * Files that are not incident history are named, so that they are not read as a postmortem: an XML
 * test report would otherwise become an incident titled by its file name. Test and lint reports
 * are what `failures log --from` reads.
 */
function notHistory(text: string, source: string): string | undefined {
  const head = text.replace(/^\uFEFF/, '').trimStart().slice(0, 4096);
  const report = (what: string) => `${what}, not an incident, postmortem or ticket export: its failures become feedback entries with \`failures log --from ${source}\``;
  if (head.startsWith('<')) {
    if (/<testsuites?\b/i.test(head)) return report('a JUnit XML test report');
    if (/^<(\?xml\b|!doctype\s+(?!html))/i.test(head)) return 'an XML file: import reads postmortem markdown and incident or ticket exports (CSV, JSON)';
  }
  if (head.startsWith('{') && /"(numTotalTests|numFailedTests|numTotalTestSuites)"\s*:/.test(head)) return report('a Vitest or Jest JSON report');
  if (/^\[\s*\{\s*"filePath"\s*:/.test(head)) return report('an ESLint JSON report');
  return undefined;
}

/** The opening of the reports `failures analyze` writes (skill_update_suggestions.md) and `analyze --tickets` (ticket_pattern_suggestions.md). */
const OWN_REPORT = /^# Skill Update Suggestions\r?\n\r?\n\*\*Generated:\*\*|^# Ticket patterns\r?\n\r?\nGenerated .* by `failures analyze --tickets`/;

/** Files under a folder, sorted, skipping dot-folders, node_modules and .failures/. */
function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}
