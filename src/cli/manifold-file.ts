import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { FailuresError, type Problem } from '../errors.js';
import { encodingOf } from '../encoding.js';
import type { Manifold } from '../context/manifold.js';
import type { DocumentKind } from '../store/layout.js';
import { schemaProblems } from '../store/messages.js';
import { parseYaml, positionOf, type ParsedFile } from '../store/parse.js';
import { schemaErrors } from '../store/schemas.js';
import { displayPath, formatProblems } from './output.js';

const isFile = (path: string) => existsSync(path) && statSync(path).isFile();

/** A manifold given by path, or by name (payment-retry-v2 → payment-retry-v2.yaml here, in manifolds/, or at the project root). */
export function resolveManifold(arg: string, root: string, cwd: string = process.cwd()): string {
  const candidates = [resolve(cwd, arg)];
  if (!extname(arg)) {
    for (const dir of [cwd, join(cwd, 'manifolds'), root, join(root, 'manifolds')]) {
      for (const ext of ['.yaml', '.yml', '.json']) candidates.push(resolve(dir, `${arg}${ext}`));
    }
  }
  const found = candidates.find(isFile);
  if (!found) {
    throw new FailuresError(`no manifold ${arg}: looked for ${[...new Set(candidates)].slice(0, 4).join(', ')}${candidates.length > 4 ? ', …' : ''}`, {
      hint: 'pass the path of the feature spec (YAML with name, entities, systems, constraints…), or its name when NAME.yaml is here or in manifolds/',
    });
  }
  return found;
}

export interface ReadDocument<T> {
  file: string;
  text: string;
  value: T;
  parsed: ParsedFile;
}

/** Reads a YAML (or JSON) document of a shipped schema; any problem is an error at its file:line:col (exit 2). */
export function readDocument<T>(file: string, kind: DocumentKind): ReadDocument<T> {
  let bytes: Buffer;
  try {
    // A pipe or device would block the read forever: only a regular file is read.
    if (!statSync(file).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'not a regular file' });
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FailuresError(`cannot read ${displayPath(file)}: ${code === 'ENOENT' ? 'no such file' : (code ?? (error as Error).message)}`, {
      hint: kind === 'manifold' ? 'pass the path of the feature spec' : 'pass the report `failures context MANIFOLD` wrote (MANIFOLD-failures.yaml by default)',
    });
  }
  const text = bytes.toString('utf8');
  // A PRD written in markdown is not a manifold; read as YAML, its lists and paragraphs gave one "quote the value" error per line.
  if (kind === 'manifold' && /\.(md|markdown|mdx)$/i.test(file)) {
    const heading = /^#{1,6}[ \t]+(\S.*)$/m.exec(text)?.[1]?.trim().replace(/^(?:prd|spec|rfc)\s*[:–-]\s*/i, '');
    const name = (heading ?? file.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '')).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'my-feature';
    throw new FailuresError(`${displayPath(file)}:1:1: a markdown document, not a manifold: \`failures context\` and \`merge\` read a feature spec in YAML (or JSON)`, {
      hint: `write the feature as ${name}.yaml (name: ${name}, description: the PRD's problem and goals, entities, systems, error_types, constraints, failure_modes; see schemas/manifold.schema.json) and pass that`,
    });
  }
  const encoding = encodingProblem(file, bytes, text);
  if (encoding) {
    throw new FailuresError(`${file} is not a valid ${kind} (1 problem):\n${formatProblems([encoding], process.stderr)}`);
  }
  const parsed = parseYaml(file, text);
  const documents = parsed.documents.filter((d) => d.doc.contents !== null || d.doc.errors.length > 0);
  const problems: Problem[] = parsed.problems.filter((p) => p.severity === 'error');
  const document = documents[0];
  if (!document && problems.length === 0) {
    problems.push({ file, line: 1, column: 1, path: '', message: `the file is empty; a ${kind} was expected`, severity: 'error', rule: 'yaml' });
  }
  if (document && problems.length === 0) {
    if (documents.length > 1) {
      const at = positionOf(parsed, documents[1]!, []);
      problems.push({ file, line: at.line, column: at.column, path: '', message: `the file holds ${documents.length} YAML documents; a ${kind} file holds one`, severity: 'error', rule: 'layout' });
    }
    problems.push(...schemaProblems(kind, schemaErrors(kind, document.value), parsed, document));
  }
  if (problems.length > 0) {
    // In the error itself, not only on stderr: the MCP server's tools answer with the error's text.
    // `merge SPEC --from SPEC`: the spec itself given where the report belongs.
    const value = document?.value as Record<string, unknown> | null | undefined;
    const swapped = kind === 'failure-context-report' && value && typeof value === 'object' && !('meta' in value) && 'name' in value;
    throw new FailuresError(`${file} is not a valid ${kind} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${formatProblems(problems, process.stderr)}`, {
      hint: swapped
        ? `${displayPath(file)} looks like a manifold (it has name:, no meta:): --from takes the report \`failures context\` wrote for it (NAME-failures.yaml)`
        : `fix it at the line and column shown; schemas/${kind}.schema.json describes every field`,
    });
  }
  return { file, text, value: document!.value as T, parsed };
}

/**
 * A file that is not UTF-8 text, said as such at the first place it shows: an editor's "Unicode" save
 * (UTF-16) reads as letters between NULs, a Latin-1 or Windows-1252 save as replacement characters.
 */
function encodingProblem(file: string, bytes: Buffer, text: string): Problem | undefined {
  const problem = (offset: number, message: string, fix: string): Problem => {
    const before = text.slice(0, offset).split('\n');
    return { file, line: before.length, column: before[before.length - 1]!.length + 1, path: '', message, fix, severity: 'error', rule: 'yaml' };
  };
  const kind = encodingOf(bytes);
  if (kind === 'utf-16') return problem(0, 'the file is UTF-16, not UTF-8 text', 'save it as UTF-8 (in the editor, or: iconv -f UTF-16 -t UTF-8)');
  if (kind === 'binary') return problem(text.indexOf('\u0000'), 'the file holds a NUL byte: it is binary, not YAML text', 'restore the file from git, or write it again');
  if (kind === 'not-utf-8') {
    return problem(Math.max(0, text.indexOf('\uFFFD')), 'the file is not UTF-8 text: this byte is not UTF-8 (saved as Latin-1 or Windows-1252?)', 'save it as UTF-8 (in the editor, or: iconv -f WINDOWS-1252 -t UTF-8)');
  }
  return undefined;
}

export function readManifold(file: string): ReadDocument<Manifold> {
  return readDocument<Manifold>(file, 'manifold');
}
