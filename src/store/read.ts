import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readdirSync, readFileSync, type Dirent } from 'node:fs';
import { join, relative, sep, basename } from 'node:path';
import type { Position, Problem } from '../errors.js';
import { resolveConfig, type Config } from './config.js';
import { openRecordCache, type RecordCache } from './cache.js';
import { crossCheck } from './crosscheck.js';
import { FOLDER, KIND_FOLDERS, TOP_FILES, idField, kindOfPath, KIND_LABEL, type RecordKind, type RecordTypes } from './layout.js';
import { schemaProblems, type FieldPath } from './messages.js';
import { fastParse } from './fast-parse.js';
import { conflictProblems, parseYaml, positionOf, type ParsedFile } from './parse.js';
import { schemaErrors, validatorFor } from './schemas.js';

/** One record as read from .failures/, with enough of its source kept to point at any of its fields. */
export interface LoadedRecord<K extends RecordKind = RecordKind> {
  kind: K;
  /** Its id field's value; '' for config.yaml. */
  id: string;
  data: RecordTypes[K];
  /** Absolute path. */
  file: string;
  /** Index of the YAML document within the file (feedback batches hold several). */
  index: number;
  /** True when the record passed its schema. Invalid records still count for ids and references. */
  valid: boolean;
  /** Where a field (or with `key`, its key) is in the file. */
  locate(path: FieldPath, options?: { key?: boolean }): Position;
}

export interface Store {
  /** The project directory: the parent of .failures/. */
  root: string;
  /** The .failures/ directory. */
  dir: string;
  config: Config;
  records: LoadedRecord[];
  /** Everything wrong, sorted by file, line and column. One bad file never hides the others. */
  problems: Problem[];
}

/** Records of one kind that passed validation. */
export function recordsOf<K extends RecordKind>(store: Pick<Store, 'records'>, kind: K): Array<LoadedRecord<K>> {
  return store.records.filter((r): r is LoadedRecord<K> => r.kind === kind && r.valid);
}

/**
 * Reads and validates every record in a .failures/ directory. Never throws for bad records.
 * With `kinds`, reads only those (a pre-commit hook needs anti-patterns, not thousands of feedback
 * entries) and skips the cross-checks, which need every record.
 */
export function loadStore(root: string, options: { kinds?: readonly RecordKind[] } = {}): Store {
  const dir = join(root, FOLDER);
  const records: LoadedRecord[] = [];
  const problems: Problem[] = [];
  const cache = openRecordCache(dir);
  const { files, links, temporary } = listFiles(dir, options.kinds);
  problems.push(...links.map(symlinkProblem));
  if (!options.kinds) problems.push(...(temporary ?? []).map(temporaryProblem));
  for (const file of files) {
    const rel = relativePath(dir, file);
    const kind = kindOfPath(rel);
    if (options.kinds && (!kind || !options.kinds.includes(kind))) continue;
    if (!kind || !/\.ya?ml$/.test(rel)) {
      if (!isKnownExtra(rel)) problems.push(layoutProblem(file, rel, kind !== undefined));
      continue;
    }
    const result = cache ? readThroughCache(cache, file, rel, kind) : readRecordFile(file, kind);
    records.push(...result.records);
    problems.push(...result.problems);
  }
  cache?.save(!options.kinds);
  if (cache && process.env.FAILURES_DEBUG_CACHE) process.stderr.write(`failures: record cache: ${cache.hits} files from the cache, ${cache.misses} read\n`);
  const configRecord = records.find((r): r is LoadedRecord<'config'> => r.kind === 'config' && r.valid);
  const config = resolveConfig(configRecord?.data);
  if (!options.kinds) problems.push(...crossCheck(records, config, dir, unreadableIds(problems)));
  problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  return { root, dir, config, records, problems };
}

/** Parses and validates one record file. Feedback files may hold several documents; others exactly one. */
export function readRecordFile(file: string, kind: RecordKind, text?: string): { records: LoadedRecord[]; problems: Problem[] } {
  const source = text ?? readRegularFile(file);
  if (source === undefined) return { records: [], problems: [notRegularProblem(file)] };
  return readValidFast(file, kind, source) ?? readCarefully(file, kind, source);
}

/**
 * Most files are valid: parse them fast and build the position map only if something asks for a
 * position (a cross-check problem). Undefined when anything is off; the careful path then reports it.
 */
function readValidFast(file: string, kind: RecordKind, source: string): { records: LoadedRecord[]; problems: Problem[] } | undefined {
  const values = fastParse(source);
  if (!values || (kind !== 'feedback' && values.length > 1)) return undefined;
  if (values.some((value) => !validatorFor(kind)(value))) return undefined;
  return { records: values.map((value, index) => validRecord(file, kind, value, index, source)), problems: [] };
}

/** A file's records from the cache when its stat is unchanged; else read, and remembered when valid. */
function readThroughCache(cache: RecordCache, file: string, rel: string, kind: RecordKind): { records: LoadedRecord[]; problems: Problem[] } {
  const { values, stat } = cache.get(file, rel, kind);
  if (values) return { records: values.map((value, index) => validRecord(file, kind, value, index)), problems: [] };
  const result = readRecordFile(file, kind);
  if (stat && result.problems.length === 0 && result.records.length > 0 && result.records.every((r) => r.valid)) {
    cache.put(rel, kind, result.records.map((r) => r.data), stat);
  }
  return result;
}

/**
 * A record that passed its schema; positions come from parsing the file only if something asks for
 * one: `source` is its text, or how to get it (a blob of git's index), else the file is read. A class,
 * so that 100,000 of them share one `locate` rather than holding a closure each.
 */
class ValidRecord implements LoadedRecord {
  readonly valid = true;
  readonly id: string;
  declare readonly source?: string | (() => string);
  declare parsed?: ParsedFile;
  constructor(
    readonly kind: RecordKind,
    readonly data: RecordTypes[RecordKind],
    readonly file: string,
    readonly index: number,
    source?: string | (() => string),
  ) {
    this.id = idOf(kind, data);
    // Kept out of enumeration (and JSON): what the record is, not how it was read.
    if (source !== undefined) Object.defineProperty(this, 'source', { value: source });
  }
  locate(path: FieldPath, options?: { key?: boolean }): Position {
    if (!this.parsed) Object.defineProperty(this, 'parsed', { value: parseYaml(this.file, typeof this.source === 'function' ? this.source() : (this.source ?? readFileSync(this.file, 'utf8'))) });
    const parsed = this.parsed!;
    const document = parsed.documents.filter((d) => d.doc.contents !== null)[this.index];
    return document ? positionOf(parsed, document, path, options) : { line: 1, column: 1 };
  }
}

export function validRecord(file: string, kind: RecordKind, value: unknown, index: number, source?: string | (() => string)): LoadedRecord {
  return new ValidRecord(kind, value as RecordTypes[RecordKind], file, index, source);
}

function idOf(kind: RecordKind, value: unknown): string {
  const field = idField(kind);
  const data = value as Record<string, unknown> | null;
  return field && data && typeof data === 'object' && typeof data[field] === 'string' ? (data[field] as string) : '';
}

/** The careful path: a yaml Document with positions for every node, and a problem for everything wrong. */
function readCarefully(file: string, kind: RecordKind, source: string): { records: LoadedRecord[]; problems: Problem[] } {
  // An editor's "Unicode" save (UTF-16) reads as letters between NULs: say that, not "must be a mapping".
  if (source.includes('\u0000') || source.startsWith('\uFFFD\uFFFD')) {
    // UTF-16 of ASCII: a NUL beside every letter (after a byte-order mark, read as U+FFFD U+FFFD).
    const start = source.replace(/^(\uFFFD\uFFFD|\uFEFF)/, '');
    const utf16 = source.startsWith('\uFFFD\uFFFD') || start.charCodeAt(0) === 0 || start.charCodeAt(1) === 0;
    return {
      records: [],
      problems: [
        {
          file,
          line: 1,
          column: 1,
          path: '',
          message: `the file is ${utf16 ? 'UTF-16' : 'binary'}, not UTF-8 text`,
          fix: utf16 ? 'save it as UTF-8 (in the editor, or: iconv -f UTF-16 -t UTF-8)' : 'a record is YAML text: restore it from git, or delete it',
          severity: 'error',
          rule: 'yaml',
        },
      ],
    };
  }
  // Markers git left in a merge conflict: say so, once per conflict, not as a cascade of YAML puzzles.
  const conflicts = conflictProblems(file, source);
  if (conflicts.length > 0) return { records: [], problems: conflicts };
  const parsed = parseYaml(file, source);
  const problems = [...parsed.problems];
  const records: LoadedRecord[] = [];
  // A document of comments only is no record; a file of nothing but those is empty.
  const documents = parsed.documents.filter((d) => d.doc.contents !== null || d.doc.errors.length > 0);
  if (documents.length === 0) {
    problems.push({
      file,
      line: 1,
      column: 1,
      path: '',
      message: `the file is empty; a ${KIND_LABEL[kind]} record was expected`,
      fix: kind === 'config' ? 'delete it to use the defaults, or run `failures init` to write a new one' : 'write the record, or delete the file',
      severity: 'error',
      rule: 'yaml',
    });
    return { records, problems };
  }
  if (kind !== 'feedback' && documents.length > 1) {
    const at = positionOf(parsed, documents[1]!, []);
    problems.push({
      file,
      line: at.line,
      column: at.column,
      path: '',
      message: `the file holds ${documents.length} YAML documents; a ${KIND_LABEL[kind]} file holds exactly one`,
      fix: 'move each record into a file of its own, named by its id',
      severity: 'error',
      rule: 'layout',
    });
  }
  documents.forEach((document, index) => {
    if (document.doc.errors.length > 0 || document.value === undefined) return;
    const errors = schemaErrors(kind, document.value);
    problems.push(...schemaProblems(kind, errors, parsed, document));
    records.push({
      kind,
      id: idOf(kind, document.value),
      data: document.value as RecordTypes[typeof kind],
      file,
      index,
      valid: errors.length === 0,
      locate: (path, options) => positionOf(parsed, document, path, options),
    });
  });
  return { records, problems };
}

/** `file` relative to `dir`, with forward slashes (a slice when it lies inside, as listed files do). */
function relativePath(dir: string, file: string): string {
  const inside = file.startsWith(dir + sep) ? file.slice(dir.length + 1) : relative(dir, file);
  return sep === '/' ? inside : inside.split(sep).join('/');
}

interface Listing {
  files: string[];
  /** Symlinks (to files or folders): never followed, each reported. */
  links: string[];
  /** Temporary files of writes (`.name.pid.rand.tmp`): a writer killed mid-write leaves one behind. */
  temporary?: string[];
}

function listFiles(dir: string, kinds?: readonly RecordKind[]): Listing {
  // Only the folders of the wanted kinds, and the top level for config.yaml and baseline.yaml.
  if (kinds) {
    // A nested folder (tickets/imported) is listed on its own when its parent's kind is not wanted; a Set drops the overlap.
    const folders = KIND_FOLDERS.filter(([, kind]) => kinds.includes(kind)).map(([folder]) => folder);
    const top = listFilesIn(dir, false, dir);
    const inFolders = folders.map((folder) => listFilesIn(join(dir, folder), true, dir));
    const keep = (f: string) => kindOfPath(relativePath(dir, f)) !== undefined;
    return {
      files: [...new Set([...top.files.filter(keep), ...inFolders.flatMap((l) => l.files)])].sort(),
      links: [...new Set([...top.links.filter(keep), ...inFolders.flatMap((l) => l.links)])].sort(),
    };
  }
  return listFilesIn(dir, true, dir);
}

function listFilesIn(folder: string, recursive: boolean, dir: string): Listing {
  const listing: Listing = { files: [], links: [] };
  let entries: Dirent[];
  try {
    // A record folder that is itself a symlink is not followed either.
    if (folder !== dir && lstatSync(folder).isSymbolicLink()) return { files: [], links: [folder] };
    entries = readdirSync(folder, { withFileTypes: true, recursive });
  } catch {
    return listing;
  }
  for (const entry of entries) {
    const parent = (entry as Dirent & { parentPath?: string }).parentPath ?? entry.path;
    // readdir's parent paths are already normal: joining by hand spares path.join's normalising of 100,000 paths.
    const full = parent.endsWith(sep) ? parent + entry.name : parent + sep + entry.name;
    // config.yaml as a folder, a FIFO or a device named like a record: reported, never opened (a FIFO blocks).
    const odd = entry.isDirectory() ? /\.ya?ml$/.test(entry.name) : !entry.isFile() && !entry.isSymbolicLink();
    if (odd) {
      listing.files.push(full);
      continue;
    }
    if (!entry.isFile() && !entry.isSymbolicLink()) continue;
    // Dot files and folders (temporary files of a write in progress, .gitignore) are never records.
    const rel = relativePath(dir, full);
    if (rel.startsWith('.') || rel.includes('/.')) {
      if (entry.isFile() && /^\..+\.tmp$/.test(entry.name) && !rel.startsWith('.cache')) (listing.temporary ??= []).push(full);
      continue;
    }
    (entry.isSymbolicLink() ? listing.links : listing.files).push(full);
  }
  listing.files.sort();
  listing.links.sort();
  return listing;
}

/** A regular file's text, or undefined for a folder, FIFO or device (opened without blocking, never read). */
function readRegularFile(file: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
    throw error;
  }
  try {
    return fstatSync(fd).isFile() ? readFileSync(fd, 'utf8') : undefined;
  } finally {
    closeSync(fd);
  }
}

/** A problem with a whole file of .failures/ (what it is, not what it says): at 1:1, rule `layout`. */
function fileProblem(file: string, message: string, fix: string, severity: Problem['severity'] = 'error'): Problem {
  return { file, line: 1, column: 1, path: '', message, fix, severity, rule: 'layout' };
}

function notRegularProblem(file: string): Problem {
  return fileProblem(file, `${basename(file)} is not a regular file (a folder, pipe or device), so it is not read`, 'replace it with a YAML file, or remove it');
}

function temporaryProblem(file: string): Problem {
  return fileProblem(
    file,
    `${basename(file)} is the temporary file of a write that did not finish (a killed process); it is not a record`,
    `delete it (rm '${file}'); .failures/.gitignore keeps such files out of git`,
    'warning',
  );
}

/** One rule for symlinks in .failures/: records are regular files; a link (to a file or a folder, anywhere) is never read or written through, and says so. */
export function symlinkProblem(file: string): Problem {
  return fileProblem(
    file,
    `${basename(file)} is a symlink: records must be regular files inside .failures/, so it is not read (and nothing is written through it)`,
    'replace the link with the file or folder itself (git tracks the link, not what it points to)',
  );
}

/**
 * Ids of records whose files could not be parsed, taken from their file names: a reference to one
 * of them is not dangling, the file is broken, and that is reported once, where it is.
 */
function unreadableIds(problems: Problem[]): Set<string> {
  return new Set(problems.filter((p) => p.rule === 'yaml' && p.severity === 'error').map((p) => basename(p.file).replace(/\.ya?ml$/, '')));
}

function isKnownExtra(rel: string): boolean {
  return rel === TOP_FILES.readme;
}

function layoutProblem(file: string, rel: string, inRecordFolder: boolean): Problem {

  return {
    file,
    line: 1,
    column: 1,
    path: '',
    message: inRecordFolder
      ? `${basename(rel)} is not a .yaml file, so it is not read`
      : `${rel} is not in a record folder, so it is not read`,
    fix: 'records go in feedback/, anti-patterns/, constraints/, incidents/, postmortems/, tickets/ or failure-modes/',
    severity: 'warning',
    rule: 'layout',
  };
}

/**
 * config.yaml alone, for commands that need the vocabulary but not every record (log).
 * A missing file means the defaults; a broken one returns its problems.
 */
export function loadConfig(root: string): { config: Config; problems: Problem[] } {
  const file = join(root, FOLDER, TOP_FILES.config);
  if (!existsSync(file)) return { config: resolveConfig(undefined), problems: [] };
  const { records, problems } = readRecordFile(file, 'config');
  const record = records[0] as LoadedRecord<'config'> | undefined;
  const errors = problems.filter((p) => p.severity === 'error');
  return { config: resolveConfig(errors.length === 0 ? record?.data : undefined), problems: errors };
}

/** Whether an anti-pattern with this id has its file (a quick check; `validate` does the full one). */
export function antiPatternExists(root: string, id: string): boolean {
  return isRecordId(id) && existsSync(join(root, FOLDER, 'anti-patterns', `${id}.yaml`));
}

/** The anti-pattern ids on record, from their file names (a quick listing for prompts; `validate` checks ids). */
export function antiPatternIds(root: string): string[] {
  try {
    return readdirSync(join(root, FOLDER, 'anti-patterns'))
      .filter((f) => f.endsWith('.yaml') && !f.startsWith('.'))
      .map((f) => f.slice(0, -'.yaml'.length))
      .sort();
  } catch {
    return [];
  }
}

/** Whether a feedback entry with this id has its file: fb-…-x or, in a batch, fb-…-x-N. */
export function feedbackExists(root: string, id: string): boolean {
  const folder = join(root, FOLDER, 'feedback');
  const stems = [id, id.replace(/-\d+$/, '')];
  let months: string[];
  try {
    months = readdirSync(folder);
  } catch {
    return false;
  }
  if (!isRecordId(id)) return false;
  // fb-…-x-3 names the third entry of batch fb-…-x: that file must hold it.
  const holds = (file: string, stem: string) => stem === id || new RegExp(`^id: ["']?${id.replace(/\./g, '\\.')}["']?\\s*$`, 'm').test(readFileSync(file, 'utf8'));
  return months.some((month) => stems.some((stem) => existsSync(join(folder, month, `${stem}.yaml`)) && holds(join(folder, month, `${stem}.yaml`), stem)));
}

/**
 * The category of the record a link names (`--anti-pattern AP-001`, `--same-as fb-…`), when it can be
 * read: patterns never span categories, so a link across them groups nothing.
 */
export function linkedCategory(root: string, kind: 'anti-pattern' | 'feedback', id: string): string | undefined {
  if (!isRecordId(id)) return undefined;
  const files =
    kind === 'anti-pattern'
      ? [join(root, FOLDER, 'anti-patterns', `${id}.yaml`)]
      : (() => {
          try {
            const folder = join(root, FOLDER, 'feedback');
            return readdirSync(folder).flatMap((month) => [id, id.replace(/-\d+$/, '')].map((stem) => join(folder, month, `${stem}.yaml`)));
          } catch {
            return [];
          }
        })();
  for (const file of files) {
    if (!existsSync(file)) continue;
    const record = readRecordFile(file, kind).records.find((r) => r.id === id);
    const category = (record?.data as { category?: unknown } | undefined)?.category;
    if (typeof category === 'string') return category;
  }
  return undefined;
}

/** An id names a file: letters, digits, `-`, `_` and `.`, never a path (`../config`). */
function isRecordId(id: string): boolean {
  return /^[A-Za-z0-9][\w.-]*$/.test(id) && !id.includes('..');
}
