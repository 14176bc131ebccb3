import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { FailuresError, type Problem } from '../errors.js';
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
  let text: string;
  try {
    // A pipe or device would block the read forever: only a regular file is read.
    if (!statSync(file).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'not a regular file' });
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FailuresError(`cannot read ${displayPath(file)}: ${code === 'ENOENT' ? 'no such file' : (code ?? (error as Error).message)}`, {
      hint: kind === 'manifold' ? 'pass the path of the feature spec' : 'pass the report `failures context MANIFOLD` wrote (MANIFOLD-failures.yaml by default)',
    });
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

export function readManifold(file: string): ReadDocument<Manifold> {
  return readDocument<Manifold>(file, 'manifold');
}
