import { chmodSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { FailuresError } from '../errors.js';
import { findRoot } from '../store/find.js';
import { formatPath } from '../store/messages.js';
import { positionOf } from '../store/parse.js';
import { replaceFileAtomic } from '../store/write.js';
import { readDocument, readManifold, resolveManifold, type ReadDocument } from './manifold-file.js';
import { displayPath, palette, plural } from './output.js';

interface MergeOptions {
  from: string;
  dryRun?: boolean;
  root?: string;
}

export function register(program: Command): void {
  program
    .command('merge')
    .argument('<manifold>', 'the feature spec to add to (a manifold YAML file, or its name)')
    .description("add a failure context report's derived constraints, new failure modes and anti-pattern exclusions to the manifold, keeping its comments and layout")
    .requiredOption('--from <report>', 'the report written by `failures context` (<manifold>-failures.yaml)')
    .option('--dry-run', 'print the change as a unified diff; write nothing')
    .addHelpText('after', '\nIdempotent: a second merge changes nothing. Exit status: 0 merged (or nothing to do), 2 usage, a bad file, or an id clash (nothing written).')
    .action(async (manifold: string, _options, command: Command) => run(manifold, command.optsWithGlobals<MergeOptions>()));
}

const where = (doc: ReadDocument<unknown>, path: Array<string | number>) => {
  const document = doc.parsed.documents.find((d) => d.doc.contents !== null)!;
  const at = positionOf(doc.parsed, document, path);
  return `${displayPath(doc.file)}:${at.line}:${at.column}`;
};

async function run(manifoldArg: string, options: MergeOptions): Promise<void> {
  let root: string;
  try {
    root = findRoot(process.cwd(), options.root);
  } catch {
    root = process.cwd();
  }
  const manifoldFile = resolveManifold(manifoldArg, root);
  const manifold = readManifold(manifoldFile);
  const report = readDocument<Record<string, unknown>>(resolve(process.cwd(), options.from), 'failure-context-report');
  const reportFor = (report.value.meta as { manifold?: unknown } | undefined)?.manifold;
  if (reportFor !== manifold.value.name) {
    throw new FailuresError(`${displayPath(report.file)} is the report for ${JSON.stringify(reportFor)}, not for ${JSON.stringify(manifold.value.name)} (${displayPath(manifoldFile)}); nothing merged`, {
      hint: `run \`failures context ${displayPath(manifoldFile)}\` and merge its report`,
    });
  }
  const { mergeManifold } = await import('../context/merge.js');
  const result = mergeManifold(manifold.text, report.value);
  if (result.clashes.length > 0) {
    for (const clash of result.clashes) {
      const label = clash.item.section === 'solution_space.exclusions' ? `the exclusion for ${clash.item.key}` : `${clash.item.section === 'constraints' ? 'constraint' : 'failure mode'} ${clash.item.key}`;
      process.stderr.write(
        `${where(manifold, clash.path)}: error: ${label} is already in the manifold (${formatPath(clash.path)}) with other content than ${clash.item.from} at ${where(report, clash.item.from.replace(/\[(\d+)\]/g, '.$1').split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)))}\n`,
      );
    }
    throw new FailuresError(`nothing merged: ${plural(result.clashes.length, 'id clash', 'id clashes')} between ${displayPath(manifoldFile)} and ${displayPath(report.file)}`, {
      hint: 'rename the id in the manifold (or in the report), or make the two agree, then merge again',
    });
  }
  const c = palette(process.stderr);
  if (result.added.length === 0) {
    process.stderr.write(`${c.green('✓')} nothing to merge: ${displayPath(manifoldFile)} already has everything in ${displayPath(report.file)}${result.unchanged.length ? ` (${plural(result.unchanged.length, 'item')})` : ''}\n`);
    return;
  }
  const { schemaErrors } = await import('../store/schemas.js');
  const { parse } = await import('yaml');
  const errors = schemaErrors('manifold', parse(result.text));
  if (errors.length > 0) throw new Error(`the merged manifold would not match its schema: ${errors[0]!.instancePath} ${errors[0]!.message}`);
  const count = (section: string) => result.added.filter((a) => a.section === section).length;
  const summary = `${plural(count('constraints'), 'derived constraint')}, ${plural(count('failure_modes'), 'failure mode')}, ${plural(count('solution_space.exclusions'), 'exclusion')}`;
  if (options.dryRun) {
    const { createTwoFilesPatch } = await import('diff');
    const name = displayPath(manifoldFile);
    process.stdout.write(createTwoFilesPatch(`a/${name}`, `b/${name}`, manifold.text, result.text, '', '', { context: 3 }).replace(/^=+\n/, ''));
    process.stderr.write(`dry run: would add ${summary}; nothing written\n`);
    return;
  }
  // A manifold linked from elsewhere (specs/x.yaml → ../shared/x.yaml) is edited where it lives, keeping its mode:
  // replacing the link by a file would leave the spec everyone reads unchanged.
  const target = realpathSync(manifoldFile);
  const { mode } = statSync(target);
  replaceFileAtomic(target, result.text);
  chmodSync(target, mode & 0o7777);
  process.stderr.write(`${c.green('✓')} added ${summary} to ${displayPath(manifoldFile)}: ${result.added.map((a) => a.key).join(', ')}\n`);
}
