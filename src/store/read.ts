import { existsSync, readdirSync, readFileSync, type Dirent } from 'node:fs';
import { join, relative, sep, basename } from 'node:path';
import type { Position, Problem } from '../errors.js';
import { resolveConfig, type Config } from './config.js';
import { openRecordCache, type RecordCache } from './cache.js';
import { crossCheck } from './crosscheck.js';
import { FOLDER, KIND_FOLDERS, TOP_FILES, idField, kindOfPath, KIND_LABEL, type RecordKind, type RecordTypes } from './layout.js';
import { schemaProblems, type FieldPath } from './messages.js';
import { fastParse } from './fast-parse.js';
import { parseYaml, positionOf, type ParsedFile } from './parse.js';
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
  for (const file of listFiles(dir, options.kinds)) {
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
  const source = text ?? readFileSync(file, 'utf8');
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

/** A record that passed its schema; positions come from parsing the file only if something asks for one. */
function validRecord(file: string, kind: RecordKind, value: unknown, index: number, source?: string): LoadedRecord {
  let parsed: ParsedFile | undefined;
  return {
    kind,
    id: idOf(kind, value),
    data: value as RecordTypes[typeof kind],
    file,
    index,
    valid: true,
    locate: (path, options) => {
      parsed ??= parseYaml(file, source ?? readFileSync(file, 'utf8'));
      const document = parsed.documents.filter((d) => d.doc.contents !== null)[index];
      return document ? positionOf(parsed, document, path, options) : { line: 1, column: 1 };
    },
  };
}

function idOf(kind: RecordKind, value: unknown): string {
  const field = idField(kind);
  const data = value as Record<string, unknown> | null;
  return field && data && typeof data === 'object' && typeof data[field] === 'string' ? (data[field] as string) : '';
}

/** The careful path: a yaml Document with positions for every node, and a problem for everything wrong. */
function readCarefully(file: string, kind: RecordKind, source: string): { records: LoadedRecord[]; problems: Problem[] } {
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

function listFiles(dir: string, kinds?: readonly RecordKind[]): string[] {
  // Only the folders of the wanted kinds, and the top level for config.yaml and baseline.yaml.
  if (kinds) {
    const folders = KIND_FOLDERS.filter(([folder, kind]) => kinds.includes(kind) && !folder.includes('/')).map(([folder]) => folder);
    const top = listFilesIn(dir, false).filter((f) => kindOfPath(relative(dir, f).split(sep).join('/')) !== undefined);
    return [...top, ...folders.flatMap((folder) => listFilesIn(join(dir, folder), true))].sort();
  }
  return listFilesIn(dir, true);
}

function listFilesIn(dir: string, recursive: boolean): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive });
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const parent = (entry as Dirent & { parentPath?: string }).parentPath ?? entry.path;
    const full = join(parent, entry.name);
    // Dot files and folders (temporary files of a write in progress, .gitignore) are never records.
    if (relative(dir, full).split(sep).some((part) => part.startsWith('.'))) continue;
    files.push(full);
  }
  return files.sort();
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
  return existsSync(join(root, FOLDER, 'anti-patterns', `${id}.yaml`));
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
  return months.some((month) => stems.some((stem) => existsSync(join(folder, month, `${stem}.yaml`))));
}
