import { closeSync, constants, existsSync, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { FailuresError, type Problem } from '../errors.js';
import { isOutside } from '../paths.js';
import { decodeReport, parseImport } from '../ingest/reports.js';
import { defaultSession } from '../ingest/session.js';
import { FEEDBACK_TYPES, type Config } from '../store/config.js';
import { checkDraft, observationKey, writeFeedback, type DraftIssue, type FeedbackDraft } from '../store/feedback.js';
import { findRoot } from '../store/find.js';
import { antiPatternExists, feedbackExists, linkedCategory, loadConfig, loadStore, recordsOf } from '../store/read.js';
import type { FeedbackRecord } from '../types/records.js';
import { displayPath, formatOption, formatProblems, palette, skippedSummary } from './output.js';

export interface LogOptions {
  type?: string;
  context?: string;
  feedback?: string;
  category?: string;
  severity?: string;
  session?: string;
  file?: string;
  tags?: string;
  antiPattern?: string;
  sameAs?: string;
  interactive?: boolean;
  /** false with --no-suggest. */
  suggest?: boolean;
  from?: string;
  fix?: string;
  format: 'text' | 'json';
  root?: string;
}

/** The flag that sets each record field, for messages about flags. */
const FLAG_OF: Record<string, string> = {
  type: '--type',
  context: '--context',
  feedback: '--feedback',
  category: '--category',
  severity: '--severity',
  session: '--session',
  file: '--file',
  line: '--file',
  tags: '--tags',
  anti_pattern: '--anti-pattern',
  same_as: '--same-as',
  fix: '--fix',
  examples: '--fix',
};

export function register(program: Command): void {
  program
    .command('log')
    .description('record one feedback entry, or import a batch with --from')
    .option('--type <type>', `${FEEDBACK_TYPES.join(' | ')} (default: mistake)`)
    .option('--context <text>', 'what went wrong')
    .option('--feedback <text>', 'the correction (may be left out for a failure still awaiting one)')
    .option('--category <name>', 'one of the categories in .failures/config.yaml (Testing, Architecture, Security, …)')
    .option('--severity <level>', 'one of the severities in .failures/config.yaml (low | medium | high)')
    .option('--session <id>', 'session id (default: $FAILURES_SESSION, else the CI run id, else <user>-<day>)')
    .option('--file <path[:line]>', 'the file, and optionally the line, the entry is about')
    .option('--tags <list>', 'comma-separated labels')
    .option('--anti-pattern <id>', 'the anti-pattern this entry is an instance of (AP-001)')
    .option('--same-as <id>', 'an earlier feedback entry this one repeats')
    .option('-i, --interactive', 'prompt for every field not given as a flag (needs a terminal)')
    .option('--no-suggest', 'do not look for the nearest known patterns and anti-patterns after logging')
    .option('--from <file>', "import a batch as one file: the seed's JSONL log, JUnit XML, ESLint JSON, or a Vitest/Jest JSON report (told apart by content); flags fill in fields the input leaves out")
    .option('--fix <commit[:path]>', "the commit that corrected the mistake: its removed lines become the entry's bad code, its added lines the good code (the language from each path)")
    .addOption(formatOption())
    .action(async (_options, command: Command) => {
      await run(command.optsWithGlobals<LogOptions>());
    });
}

async function run(options: LogOptions): Promise<void> {
  if (options.from !== undefined && options.from.trim() === '') throw new FailuresError('--from is empty', { hint: 'name the report or log file to import: --from junit.xml' });
  if (options.feedback !== undefined && options.feedback.trim() === '') {
    throw new FailuresError('--feedback is empty', { hint: 'give the correction, or leave --feedback out for a failure still awaiting one' });
  }
  if (options.interactive && options.from) {
    throw new FailuresError('--interactive and --from cannot be used together', { hint: 'import a file, or log one entry interactively' });
  }
  const root = findRoot(process.cwd(), options.root);
  const { config, problems } = loadConfig(root);
  if (problems.length > 0) {
    throw new FailuresError(`.failures/config.yaml is invalid, so nothing was logged:\n${formatProblems(problems, process.stderr)}`, {
      hint: 'fix config.yaml (`failures validate` lists every problem)',
    });
  }
  const now = new Date();
  const session = options.session ?? defaultSession(process.env, userInfo().username, now);
  const fromFlags = draftFromFlags(options, root);
  if (options.fix !== undefined) {
    if (options.from) throw new FailuresError('--fix and --from cannot be used together', { hint: 'a fix commit belongs to one entry: log it on its own' });
    Object.assign(fromFlags, await examplesFromFix(root, options.fix));
  }

  let drafts: FeedbackDraft[];
  let suggestions: import('../analyze/suggest-links.js').LinkSuggestion[] = [];
  let skipped = 0;
  if (options.from) {
    drafts = importDrafts(options.from, options.session !== undefined ? { ...fromFlags, session } : fromFlags, session, now, config, root);
    if (drafts.length === 0) {
      // A test or lint report in which nothing failed is a clean result, not a mistake (exit 0).
      if (options.format === 'json') process.stdout.write(`${JSON.stringify({ created: [] })}\n`);
      process.stderr.write(`${options.from}: nothing failed, so there is nothing to record; nothing was written\n`);
      return;
    }
    // A log imported twice (or again, grown): what is on record already is not recorded twice.
    const count = drafts.length;
    drafts = withoutRecorded(drafts, root);
    skipped = count - drafts.length;
    if (drafts.length === 0) {
      if (options.format === 'json') process.stdout.write(`${JSON.stringify({ created: [], skipped })}\n`);
      process.stderr.write(`${options.from}: ${count === 1 ? 'its entry is' : `all ${count} entries are`} already on record (the same time and text); nothing was written\n`);
      return;
    }
  } else {
    let draft: FeedbackDraft = { ...withDefaults(fromFlags, now), session };
    if (options.interactive) {
      const { promptForDraft } = await import('./log-prompts.js');
      draft = await promptForDraft(draft, options, config, root);
    }
    rejectIssues(checkDraft(draft, config), 'the entry');
    checkLinks(draft, root);
    warnCrossCategoryLinks(draft, root);
    drafts = [draft];
    // Not linked yet: the nearest known groups, from the records before this one (-i has offered them).
    if (options.suggest !== false && !options.interactive && !draft.same_as && !draft.anti_pattern) {
      const { nearestGroups } = await import('./log-suggest.js');
      suggestions = await nearestGroups(`${draft.context} ${draft.feedback ?? ''}`, root, config, 3, draft.category);
    }
  }

  const written = writeFeedback(root, drafts, now);
  if (options.format === 'json') {
    process.stdout.write(`${JSON.stringify({ created: written.ids, file: displayPath(written.file), ...(skipped ? { skipped } : {}), ...(suggestions.length ? { similar: suggestions } : {}) })}\n`);
  } else {
    process.stdout.write(`${displayPath(written.file)}\n`);
    const c = palette(process.stderr);
    const already = skipped ? `; ${skipped} already on record (the same time and text) ${skipped === 1 ? 'was' : 'were'} skipped` : '';
    process.stderr.write(`${c.green('✓')} logged ${written.ids.length === 1 ? written.ids[0] : `${written.ids.length} entries`}${already}\n`);
    if (suggestions.length > 0) {
      const { formatSuggestions } = await import('./log-suggest.js');
      process.stderr.write(formatSuggestions(suggestions));
      process.stderr.write(c.dim(`the next entry of one of these can be linked with its flag (entries are never edited; an anti-pattern's origin.feedback can list this one)\n`));
    }
  }
}

/** The drafts not on record yet (see observationKey); the feedback already there is read once. */
function withoutRecorded(drafts: FeedbackDraft[], root: string): FeedbackDraft[] {
  const recorded = new Set(recordsOf(loadStore(root, { kinds: ['feedback'] }), 'feedback').map((r) => observationKey(r.data)));
  return drafts.filter((draft) => !recorded.has(observationKey(draft as FeedbackRecord)));
}

/** `--fix COMMIT[:PATH]`: the commit's removed code as bad examples, its added code as good ones. */
export async function examplesFromFix(root: string, spec: string): Promise<Pick<FeedbackDraft, 'fix' | 'examples'>> {
  const { readFixCommit } = await import('../git/fix.js');
  const { fixExamples } = await import('../enforce/synth/diff.js');
  const commit = await readFixCommit(root, spec);
  const found = fixExamples(commit.files);
  const c = palette(process.stderr);
  process.stderr.write(skippedSummary(found.skipped, c.dim('--fix: skipped')));
  if (found.bad.length === 0) {
    throw new FailuresError(`--fix ${spec}: ${commit.sha.slice(0, 8)} removes no JavaScript, TypeScript or Python code, so it shows no bad code`, {
      hint: 'pass the commit that changed the faulty code (git log -p shows what each commit removed), or narrow it with COMMIT:PATH',
    });
  }
  return {
    fix: { commit: commit.sha, paths: found.paths },
    examples: { bad: found.bad, ...(found.good.length ? { good: found.good } : {}) },
  };
}

/** The fields the flags set; undefined where a flag was not given. */
function draftFromFlags(options: LogOptions, root: string): Partial<FeedbackDraft> {
  const draft: Partial<FeedbackDraft> = {};
  if (options.type !== undefined) draft.type = options.type as FeedbackDraft['type'];
  if (options.context !== undefined) draft.context = options.context;
  if (options.feedback !== undefined) draft.feedback = options.feedback;
  if (options.category !== undefined) draft.category = options.category;
  if (options.severity !== undefined) draft.severity = options.severity;
  if (options.file !== undefined) Object.assign(draft, parseFileFlag(options.file, root, true));
  if (options.tags !== undefined) {
    const tags = [...new Set(options.tags.split(',').map((t) => t.trim()).filter(Boolean))];
    if (tags.length > 0) draft.tags = tags;
  }
  if (options.antiPattern !== undefined) draft.anti_pattern = options.antiPattern;
  if (options.sameAs !== undefined) draft.same_as = options.sameAs;
  return draft;
}

/** `src/a.ts:45` → file and line, the file made relative to the project (as the records store it). */
export function parseFileFlag(value: string, root: string, strict = false, cwd: string = process.cwd()): { file: string; line?: number } {
  const match = /^(.*?)(?::(\d+))?(?::\d+)?$/.exec(value);
  const path = match?.[1] || value;
  if (strict) {
    // A typo in the line (`a.ts:-3`, `a.ts:1e3`, `:12`) would be stored as part of a file name.
    if (match?.[1] === '' && match[2]) throw new FailuresError(`--file ${value} names no file, only a line`, { hint: 'write the file before the line: --file src/pay.ts:12' });
    const tail = /:([^:/\\]*)$/.exec(path)?.[1];
    if (tail !== undefined && !existsSync(resolve(cwd, path))) {
      throw new FailuresError(`--file ${value}: '${tail}' is not a line number`, { hint: 'a line is a whole number from 1: --file src/pay.ts:12 (or leave the line out)' });
    }
  }
  const absolute = resolve(cwd, path);
  const inside = relative(root, absolute);
  const outside = isOutside(root, absolute);
  // A path given on the command line must be in the project: records are shared, machine paths are not.
  if (outside && strict) throw new FailuresError(`--file ${path} is outside the project (${root})`, { hint: 'name a file in the project, relative to where you are or to the project' });
  const file = !outside ? inside.split(sep).join('/') : path;
  return match?.[2] ? { file, line: Number(match[2]) } : { file };
}

/**
 * A report's file as the project's: a CI runner's absolute path (`/home/runner/work/app/app/src/a.ts`)
 * becomes the longest tail of it that is a file here (`src/a.ts`); a path with no such tail is kept.
 */
function projectFileOf(root: string): (file: string) => string {
  const known = new Map<string, string>();
  return (file) => {
    if (!isAbsolute(file) && !/^[A-Za-z]:[\\/]/.test(file)) return file;
    let found = known.get(file);
    if (found === undefined) {
      const parts = file.split(/[\\/]+/).filter(Boolean);
      found = file;
      for (let i = 1; i < parts.length; i++) {
        const tail = parts.slice(i).join('/');
        if (isRegularFile(join(root, tail))) {
          found = tail;
          break;
        }
      }
      known.set(file, found);
    }
    return found;
  };
}

function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** ISO 8601 to the second, in UTC. */
function isoNow(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function withDefaults(draft: Partial<FeedbackDraft>, now: Date): FeedbackDraft {
  return { timestamp: isoNow(now), type: 'mistake', ...draft } as FeedbackDraft;
}

function rejectIssues(issues: DraftIssue[], what: string): void {
  if (issues.length === 0) return;
  const lines = issues.map((i) => `  ${FLAG_OF[i.field] ?? i.field} ${i.problem}${i.fix ? `\n      ${i.fix}` : ''}`);
  throw new FailuresError(`${what} is not valid, so nothing was written:\n${lines.join('\n')}`, {
    hint: '`failures log --help` lists the flags; -i prompts for each field',
  });
}

/** Links to records that do not exist, as issues of the draft (an import reports them at their line). */
function linkIssues(draft: FeedbackDraft, root: string): DraftIssue[] {
  const issues: DraftIssue[] = [];
  if (typeof draft.anti_pattern === 'string' && draft.anti_pattern && !antiPatternExists(root, draft.anti_pattern)) {
    issues.push({ field: 'anti_pattern', problem: `${draft.anti_pattern}: no such anti-pattern in .failures/anti-patterns/`, fix: 'check the id (file names in .failures/anti-patterns/ are the ids)' });
  }
  if (typeof draft.same_as === 'string' && draft.same_as && !feedbackExists(root, draft.same_as)) {
    issues.push({ field: 'same_as', problem: `${draft.same_as}: no such feedback entry in .failures/feedback/`, fix: 'use the id `failures log` printed for the earlier entry' });
  }
  return issues;
}

/** Links to records that do not exist would only be found later by `validate`: refuse them now. */
export function checkLinks(draft: FeedbackDraft, root: string): void {
  const [issue] = linkIssues(draft, root);
  if (issue) throw new FailuresError(`${FLAG_OF[issue.field]} ${issue.problem}`, { hint: issue.fix });
}

/** A link to a record of another category is kept, but groups nothing: patterns never span categories. Said now. */
function warnCrossCategoryLinks(draft: FeedbackDraft, root: string): void {
  const links = [
    ['--anti-pattern', 'anti-pattern', draft.anti_pattern],
    ['--same-as', 'feedback', draft.same_as],
  ] as const;
  for (const [flag, kind, id] of links) {
    if (typeof id !== 'string' || !id) continue;
    const category = linkedCategory(root, kind, id);
    if (category && category !== draft.category) {
      process.stderr.write(
        `${palette(process.stderr).yellow('warning:')} ${flag} ${id} is in category ${category}, this entry in ${draft.category}: patterns never span categories, so analyze will not group them (log it with --category ${category} to count it there)\n`,
      );
    }
  }
}

const MAX_SHOWN = 20;

/** Reads an import file into drafts, or throws listing every bad line; nothing is written on error. */
function importDrafts(path: string, flags: Partial<FeedbackDraft>, session: string, now: Date, config: Config, root: string): FeedbackDraft[] {
  if (path === '-') {
    // Not a file named "-": the usual way to say stdin, which --from does not read (a report can be re-read).
    throw new FailuresError('--from - (stdin) is not read: --from takes a report file', { hint: 'write the report to a file first (eslint -f json -o eslint.json, vitest --reporter=json --outputFile=report.json), then --from that file' });
  }
  const file = resolve(process.cwd(), path);
  let bytes: Buffer;
  try {
    bytes = readRegularFile(file);
  } catch (error) {
    throw new FailuresError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      hint: 'check the path given to --from: a report file (not a folder, pipe or device)',
    });
  }
  const decoded = decodeReport(file, bytes);
  if (decoded.problem) {
    // The problem's own `fix:` line says how; no hint repeating it.
    throw new FailuresError(`${path} cannot be imported, so nothing was written:\n${formatProblems([decoded.problem], process.stderr)}`);
  }
  // Reports say nothing of severity (ESLint: error or warning): the middle and the lowest of config.yaml's.
  const middle = config.severities[Math.floor((config.severities.length - 1) / 2)] ?? 'medium';
  const { format, entries, problems } = parseImport(file, decoded.text, { error: middle, warning: config.severities[0] ?? 'low' });
  if (format === 'eslint' && !flags.category && entries.length > 0) {
    throw new FailuresError(`${path} is an ESLint report, which does not say which category its messages belong to`, {
      hint: `add --category (one of ${config.categories.join(', ')})`,
    });
  }
  // Test failures are filed under Testing unless --category says otherwise (a performance suite's, say).
  const testReport = format !== 'jsonl' && format !== 'eslint';
  if (testReport && !flags.category && entries.length > 0 && !config.categories.includes('Testing')) {
    throw new FailuresError(`${path}: its failed tests would be filed under Testing, which is not one of the categories in .failures/config.yaml`, {
      hint: `add --category (one of ${config.categories.join(', ')}), or add Testing to categories`,
    });
  }
  const drafts: FeedbackDraft[] = [];
  const inProject = projectFileOf(root);
  for (const { line, fields, columns } of entries) {
    const imported = { ...fields };
    if (typeof imported.file === 'string') Object.assign(imported, { file: inProject(parseFileFlag(imported.file, root).file) });
    // Reports have no severity of their own (ESLint's aside): the flag, else the middle one.
    const defaults = format === 'jsonl' ? {} : { severity: middle, ...(testReport ? { category: 'Testing' } : {}) };
    const given = imported.source;
    if (given !== undefined && (given === null || typeof given !== 'object' || Array.isArray(given))) {
      problems.push(lineProblem(file, line, columns.source ?? 1, { field: 'source', problem: 'must be an object such as {"format": "jsonl"}', fix: 'remove "source" (failures records where the entry came from), or make it an object' }));
      continue;
    }
    const source = { format, path, ...((given as object | undefined) ?? {}) };
    const draft = { ...withDefaults({ ...defaults, ...flags }, now), session, ...imported, source } as FeedbackDraft;
    for (const issue of checkDraft(draft, config)) {
      problems.push(lineProblem(file, line, columns[issue.field.split(/[.[]/)[0]!] ?? 1, issue));
    }
    for (const issue of linkIssues(draft, root)) problems.push(lineProblem(file, line, columns[issue.field] ?? 1, issue));
    drafts.push(draft);
  }
  if (problems.length > 0) {
    problems.sort((a, b) => a.line - b.line || a.column - b.column);
    // The first screenful: a wrong file gives one problem per line, and thousands help nobody.
    const shown = formatProblems(problems.slice(0, MAX_SHOWN), process.stderr) + (problems.length > MAX_SHOWN ? `\n… and ${problems.length - MAX_SHOWN} more` : '');
    throw new FailuresError(`${path} has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}, so nothing was written:\n${shown}`, {
      hint: 'fix what is named above (line:column) and import again',
    });
  }
  if (drafts.length === 0 && format === 'jsonl') {
    throw new FailuresError(`${path} holds no entries (an empty log); nothing was written`, { hint: 'a JSONL log has one JSON object per line' });
  }
  // A flag fills in only what the input leaves out: one that every entry has its own value for did nothing.
  const unused = Object.entries(FLAG_OF_FIELD).filter(([field]) => (flags as Record<string, unknown>)[field] !== undefined && entries.length > 0 && entries.every((e) => (e.fields as Record<string, unknown>)[field] !== undefined));
  for (const flag of new Set(unused.map(([, flag]) => flag))) {
    process.stderr.write(`${palette(process.stderr).yellow('warning:')} ${flag} was not used: every entry of ${path} has its own (a flag fills in only what the input leaves out)\n`);
  }
  return drafts;
}

/** The flag of each field a flag can fill in on an imported entry. */
const FLAG_OF_FIELD: Record<string, string> = {
  type: '--type', context: '--context', feedback: '--feedback', category: '--category', severity: '--severity',
  file: '--file', tags: '--tags', anti_pattern: '--anti-pattern', same_as: '--same-as', session: '--session',
};

function lineProblem(file: string, line: number, column: number, issue: DraftIssue): Problem {
  return {
    file,
    line,
    column,
    path: issue.field,
    message: `${issue.field} ${issue.problem}`,
    ...(issue.fix ? { fix: issue.fix } : {}),
    severity: 'error',
    rule: 'import',
  };
}

/** A regular file's bytes; a folder, FIFO or device is refused before reading (a FIFO would block forever). */
function readRegularFile(file: string): Buffer {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!fstatSync(fd).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'not a regular file' });
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}
