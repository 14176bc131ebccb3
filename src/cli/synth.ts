import { Option, type Command } from 'commander';
import { FailuresError } from '../errors.js';
import { repositoryFiles } from '../git/files.js';
import type { Example, SynthDetector, SynthResult } from '../enforce/synth/index.js';
import type { SynthLanguage } from '../enforce/synth/lang.js';
import type { Blast } from '../enforce/synth/count.js';
import type { Synthesized } from '../suggest/draft.js';
import type { AntiPatternRecord, FeedbackRecord } from '../types/records.js';
import { palette, plural, skippedSummary } from './output.js';

interface SynthOptions {
  bad?: string[];
  good?: string[];
  lang?: string;
  fromDiff?: boolean;
  format: 'yaml' | 'json';
  count: boolean;
  root?: string;
}

export function register(program: Command): void {
  program
    .command('synth')
    .description('a detector from examples: the bad code and the good code in, a verified enforce block (ast-grep rule, fix) out')
    .option('--bad <code...>', 'code that must be flagged (one argument per example)')
    .option('--good <code...>', 'code that must not be flagged')
    .option('--lang <language>', 'language of the examples: javascript, typescript, tsx, python (default: guessed; from the path with --from-diff)')
    .option('--from-diff', 'read a unified diff on stdin: removed lines are bad code, added lines good code, the language from each path')
    .addOption(new Option('--format <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
    .option('--no-count', 'do not run the detectors over the repository to count what they would flag')
    .addHelpText('after', '\nExamples:\n  failures synth --bad "gateway.charge(payment)" --good "gateway.charge(payment, { idempotencyKey: key })"\n  git diff HEAD~1 | failures synth --from-diff')
    .action(async (_options, command: Command) => run(command.optsWithGlobals<SynthOptions>()));
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new FailuresError('--from-diff reads a unified diff on stdin, and stdin is a terminal', { hint: 'pipe one in: git diff HEAD~1 | failures synth --from-diff' });
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function run(options: SynthOptions): Promise<void> {
  const { languageNamed, SYNTH_LANGUAGES } = await import('../enforce/synth/lang.js');
  const { syntaxErrorIn } = await import('../enforce/synth/tree.js');
  const { guessLanguage } = await import('../enforce/synth/guess.js');
  let language: SynthLanguage | undefined;
  if (options.lang !== undefined) {
    language = languageNamed(options.lang);
    if (!language) throw new FailuresError(`unknown language '${options.lang}'`, { hint: `use one of ${SYNTH_LANGUAGES.join(', ')} (or js, ts, py)` });
  }
  let bad: Example[] = [];
  let good: Example[] = [];
  if (options.fromDiff) {
    if (options.bad?.length || options.good?.length) throw new FailuresError('--from-diff takes the examples from the diff: drop --bad/--good, or drop --from-diff');
    const { examplesFromDiff } = await import('../enforce/synth/diff.js');
    // Colours (`git diff --color=always`, color.ui=always) would hide every +/- line: dropped first.
    // eslint-disable-next-line no-control-regex -- ANSI colour codes
    const diffText = (await readStdin()).replace(/\u001b\[[0-9;]*m/g, '');
    let fromDiff: ReturnType<typeof examplesFromDiff>;
    try {
      fromDiff = examplesFromDiff(diffText, language);
    } catch (error) {
      // A hand-edited diff whose hunk counts are off: the input's problem, not an internal error.
      const message = error instanceof Error ? error.message : String(error);
      const line = /at line (\d+)/.exec(message)?.[1];
      throw new FailuresError(`stdin${line ? `:${line}:1` : ''}: the diff does not parse: ${message.trim()}`, { hint: 'pipe what git diff or git show prints, unchanged (a hunk\'s line counts must match its lines)' });
    }
    process.stderr.write(skippedSummary(fromDiff.skipped, palette(process.stderr).dim('skipped')));
    bad = fromDiff.bad;
    good = fromDiff.good;
    if (bad.length === 0) throw new FailuresError('the diff on stdin removes no JavaScript, TypeScript or Python code: there is no bad example in it', { hint: 'pipe a diff whose removed lines are the mistake (git diff COMMIT~1 COMMIT), or pass --bad CODE' });
  } else {
    const codes = [...(options.bad ?? []), ...(options.good ?? [])];
    if (!options.bad?.length) throw new FailuresError('no bad example: synthesis needs code that must be flagged', { hint: 'pass --bad CODE (one or more), and --good CODE for code that must not be flagged; or --from-diff with a diff on stdin' });
    language ??= guessLanguage(codes);
    if (!language) {
      // Say where: the first example that does not parse as TypeScript (which reads JavaScript too).
      const labelled = [...(options.bad ?? []).map((code, i) => ({ code, label: `--bad ${i + 1}` })), ...(options.good ?? []).map((code, i) => ({ code, label: `--good ${i + 1}` }))];
      const failing = labelled.map((e) => ({ ...e, at: syntaxErrorIn(e.code, 'typescript') })).find((e) => e.at);
      const where = failing?.at ? `${failing.label}:${failing.at.line}:${failing.at.column}: ` : '';
      throw new FailuresError(`${where}the examples do not all parse as JavaScript, TypeScript or Python${failing ? ` (\`${failing.code}\`)` : ''}`, { hint: 'name the language with --lang, and check each example is complete code' });
    }
    const lang = language;
    bad = options.bad.map((code, i) => ({ code, language: lang, label: `--bad ${i + 1}` }));
    good = (options.good ?? []).map((code, i) => ({ code, language: lang, label: `--good ${i + 1}` }));
  }

  /** --from-diff --lang gave every file of the diff one language: code of another is the user's mistake, not synth's. */
  const throwIfNotInLang = (): void => {
    if (!options.fromDiff || !language) return;
    const lang = language;
    const wrong = [...bad, ...good].map((e) => ({ e, at: syntaxErrorIn(e.code, lang) })).find((x) => x.at);
    if (!wrong) return;
    throw new FailuresError(`${(wrong.e.label ?? '').replace(/:\d+ \((?:before|after)\)$/, '')}:${wrong.at!.line}:${wrong.at!.column}: the diff's code does not parse as ${lang}, the language --lang ${options.lang} gives every file of the diff`, {
      hint: "drop --lang: each file's language then comes from its path",
    });
  };
  const { synthesize, ExampleError } = await import('../enforce/synth/index.js');
  let result: SynthResult;
  try {
    result = synthesize({ bad, good });
  } catch (error) {
    if (error instanceof ExampleError) {
      throwIfNotInLang();
      const where = error.example.label ?? 'an example';
      throw new FailuresError(`${where}:${error.line}:${error.column}: ${error.message}`, { hint: error.example.line === undefined ? `check the code (\`${firstLine(error.example.code)}\`), or name its language with --lang` : 'the changed line does not parse: pick a diff of complete code' });
    }
    throw error;
  }

  const blasts = options.count ? await countInRepository(options.root ?? process.cwd(), result.detectors) : undefined;
  const c = palette(process.stderr);
  const proposed = result.detectors.filter((_, i) => !blasts?.[i]?.tooBroad);
  result.detectors.forEach((d, i) => {
    const blast = blasts?.[i];
    if (blast?.tooBroad) process.stderr.write(`${c.yellow('too broad:')} \`${patternText(d.rule.pattern)}\` would flag ${blast.files} of ${blast.scanned} files: not proposed; add good examples it must not flag\n`);
  });
  for (const contradiction of result.contradictions) {
    const goodLabels = contradiction.good.map((g) => label(good[g], `good ${g + 1}`));
    process.stderr.write(`${c.red('contradiction:')} ${label(bad[contradiction.bad], `bad ${contradiction.bad + 1}`)} (\`${firstLine(bad[contradiction.bad]!.code, bad[contradiction.bad]!.line)}\`)${goodLabels.length ? ` and ${goodLabels.join(', ')}` : ''}: ${contradiction.reason}\n`);
  }
  const { enforceBlock } = await import('../enforce/synth/emit.js');
  const { proposalRecord, checkWithEngine } = await import('../enforce/synth/verify.js');
  const covered = new Set(proposed.flatMap((d) => d.bad));
  const record = proposalRecord(proposed, {
    bad: bad.flatMap((e, i) => (covered.has(i) ? [{ code: result.snippets.bad[i]!, language: e.language }] : [])),
    good: good.map((e, i) => ({ code: result.snippets.good[i]!, language: e.language })),
  });
  const examples = record.examples!;
  // The same check `failures test` makes: the engine of `failures check` flags every bad example and no good one.
  const problems = proposed.length ? checkWithEngine(record) : [];
  if (problems.length) throwIfNotInLang();
  for (const problem of problems) process.stderr.write(`${c.red('not verified:')} ${problem}\n`);
  if (problems.length) throw new FailuresError('the synthesized detectors do not pass their own examples in the engine of failures check (above)', { hint: 'this is a bug in failures synth; please report it with the examples' });
  if (options.format === 'json') {
    const json = {
      detectors: result.detectors.map((d, i) => ({ ...d, bad: d.bad.map((b) => label(bad[b], `bad ${b + 1}`)), ...(blasts ? { blast: blasts[i] } : {}) })),
      contradictions: result.contradictions.map((x) => ({ ...x, bad: label(bad[x.bad], `bad ${x.bad + 1}`), good: x.good.map((g) => label(good[g], `good ${g + 1}`)) })),
      ...(proposed.length ? { enforce: enforceBlock(proposed), examples } : {}),
    };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else if (proposed.length) {
    const { stringify } = await import('yaml');
    const header = [
      `# failures synth: ${plural(proposed.length, 'detector')} from ${plural(bad.length, 'bad example')} and ${plural(good.length, 'good example')};`,
      '# verified with ast-grep: each flags its bad examples and no good one.',
      ...proposed.map((d) => {
        const blast = blasts?.[result.detectors.indexOf(d)];
        return `# - \`${patternText(d.rule.pattern)}\`${blast ? ` ${describe(blast)}` : ''}`;
      }),
    ];
    process.stdout.write(`${header.join('\n')}\n${stringify({ enforce: enforceBlock(proposed), examples }, { lineWidth: 0 })}`);
  }
  if (result.contradictions.length || proposed.length === 0) {
    if (proposed.length === 0 && result.contradictions.length === 0) throw new FailuresError('no detector is narrow enough to propose', { hint: 'add good examples (code the detector must not flag), or more specific bad ones' });
    throw new FailuresError(`${plural(result.contradictions.length, 'example')} could not be separated (above)`, { hint: 'remove or correct the contradicting examples, or add the context that tells them apart (the loop, the catch block)' });
  }
}

function label(example: Example | undefined, fallback: string): string {
  return example?.label ?? fallback;
}

function firstLine(code: string, line = 1): string {
  const text = code.split('\n')[line - 1]?.trim() ?? '';
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function describe(blast: Blast): string {
  return `would flag ${plural(blast.places, 'place')} in ${plural(blast.files, 'file')} of ${blast.scanned} read`;
}

/**
 * Each detector run over the repository by the engine `failures check` runs (its scan of tracked and
 * unignored files, the detector's globs): what it would flag today. Undefined outside git.
 */
export async function countInRepository(root: string, detectors: readonly SynthDetector[]): Promise<Blast[] | undefined> {
  if (detectors.length === 0) return [];
  if (!(await repositoryFiles(root))) return undefined;
  const { compileRules } = await import('../enforce/compile.js');
  const { proposalRecord } = await import('../enforce/synth/verify.js');
  const { blastOf } = await import('../enforce/synth/count.js');
  const { scan } = await import('./scan.js');
  const out: Blast[] = [];
  for (const detector of detectors) {
    const { rules } = compileRules([proposalRecord([detector], { bad: [], good: [] })], new Map(), { statuses: ['proposed'] });
    const found = await scan({ root, rules });
    out.push(blastOf(found.results, found.checked.length));
  }
  return out;
}

/**
 * `failures analyze`: detectors for each new pattern from its entries' code — synthesized, refused when
 * too broad, verified by the engine of `failures check` against the examples, counted in the repository.
 * Patterns without code, or whose code does not separate, get none (the reviewer writes them).
 */
export async function synthesizeProposals(root: string, patterns: ReadonlyArray<{ id: string; entries: readonly FeedbackRecord[] }>): Promise<Map<string, Synthesized>> {
  const out = new Map<string, Synthesized>();
  const { examplesOfEntries } = await import('../suggest/synthesis.js');
  const { synthesize, ExampleError } = await import('../enforce/synth/index.js');
  const { proposalRecord, checkWithEngine } = await import('../enforce/synth/verify.js');
  for (const pattern of patterns) {
    const { bad, good } = examplesOfEntries(pattern.entries);
    if (bad.length === 0) continue;
    let result: SynthResult;
    try {
      result = synthesize({ bad, good });
    } catch (error) {
      if (error instanceof ExampleError) continue;
      throw error;
    }
    const blasts = await countInRepository(root, result.detectors);
    const kept = result.detectors.filter((_, i) => !blasts?.[i]?.tooBroad);
    if (kept.length === 0) continue;
    const covered = new Set(kept.flatMap((d) => d.bad));
    const record = proposalRecord(kept, {
      bad: bad.flatMap((e, i) => (covered.has(i) ? [{ code: result.snippets.bad[i]!, language: e.language }] : [])),
      good: good.map((e, i) => ({ code: result.snippets.good[i]!, language: e.language })),
    });
    if (checkWithEngine(record).length > 0) continue;
    out.set(pattern.id, { enforce: record.enforce!, examples: record.examples!, ...reachOf(result.detectors, kept, blasts) });
  }
  return out;
}

/** What the kept detectors would flag in the repository now: the first places, and the counts (when counted). */
function reachOf(detectors: readonly SynthDetector[], kept: readonly SynthDetector[], blasts: Blast[] | undefined): Pick<Synthesized, 'occurrences' | 'codebase'> {
  const counted = blasts ? detectors.map((d, i) => ({ d, blast: blasts[i]! })).filter(({ d }) => kept.includes(d)) : [];
  return {
    occurrences: counted.flatMap(({ blast }) => blast.occurrences.map((o) => ({ file: o.file, line: o.line, code: o.code }))).slice(0, 5),
    ...(blasts
      ? { codebase: { places: counted.reduce((n, c) => n + c.blast.places, 0), files: new Set(counted.flatMap((c) => c.blast.filesFlagged)).size, scanned: Math.max(0, ...counted.map((c) => c.blast.scanned)) } }
      : {}),
  };
}

/**
 * `approve ID --fix COMMIT[:PATH]`: the record's examples plus the fix commit's, and detectors
 * re-synthesized from them (verified, too-broad ones dropped), as changes to the record.
 */
export async function resynthesize(root: string, record: AntiPatternRecord, spec: string): Promise<Array<{ path: string[]; value: unknown }>> {
  const { examplesFromFix } = await import('./log.js');
  const { languageOfPath, languageNamed } = await import('../enforce/synth/lang.js');
  const { synthesize, ExampleError } = await import('../enforce/synth/index.js');
  const { proposalRecord, checkWithEngine } = await import('../enforce/synth/verify.js');
  const { exampleFileOfRecord } = await import('../enforce/selftest.js');
  const fix = await examplesFromFix(root, spec);
  // An example without a file name is in the rule's language, as `failures test` reads it (a Python rule's strings are Python).
  const ruleFile = exampleFileOfRecord(record);
  const toExample = (e: string | { code: string; filename?: string }): Example | undefined => {
    const code = typeof e === 'string' ? e : e.code;
    const language = languageOfPath(typeof e === 'string' ? ruleFile : (e.filename ?? ruleFile)) ?? languageNamed('ts');
    return language ? { code, language } : undefined;
  };
  const gather = (kind: 'bad' | 'good') =>
    [...(record.examples?.[kind] ?? []), ...(fix.examples?.[kind] ?? [])].map((e) => toExample(e as string | { code: string; filename?: string })).filter((e): e is Example => e !== undefined);
  const bad = gather('bad');
  const good = gather('good');
  let result: SynthResult;
  try {
    result = synthesize({ bad, good });
  } catch (error) {
    if (error instanceof ExampleError) throw new FailuresError(`--fix ${spec}: an example does not parse as ${error.example.language} (${error.line}:${error.column}), so nothing was re-synthesized`, { hint: 'fix or remove that example in the record' });
    throw error;
  }
  const blasts = await countInRepository(root, result.detectors);
  const kept = result.detectors.filter((_, i) => !blasts?.[i]?.tooBroad);
  if (kept.length === 0 || result.contradictions.length) {
    throw new FailuresError(`--fix ${spec}: the examples with this fix give ${kept.length ? 'contradictions' : 'no detector narrow enough'}, so ${record.id} was not changed`, {
      hint: 'check the examples with `failures synth`, or approve without --fix',
    });
  }
  const covered = new Set(kept.flatMap((d) => d.bad));
  const made = proposalRecord(kept, {
    bad: bad.flatMap((e, i) => (covered.has(i) ? [{ code: result.snippets.bad[i]!, language: e.language }] : [])),
    good: good.map((e, i) => ({ code: result.snippets.good[i]!, language: e.language })),
  });
  const problems = checkWithEngine(made);
  if (problems.length) throw new FailuresError(`--fix ${spec}: the re-synthesized detectors do not pass their examples (${problems[0]}), so ${record.id} was not changed`);
  // What the new detectors would flag now, not what the old ones did: the reviewer reads these numbers.
  const reach = reachOf(result.detectors, kept, blasts);
  return [
    { path: ['enforce'], value: { ...(record.enforce ?? {}), files: made.enforce!.files, detect: made.enforce!.detect } },
    { path: ['examples'], value: made.examples },
    ...(reach.codebase
      ? [
          { path: ['occurrences_in_codebase'], value: reach.occurrences },
          { path: ['review', 'evidence', 'codebase'], value: reach.codebase },
        ]
      : []),
  ];
}

/**
 * `review --fix COMMIT[:PATH]` (and the review's "re-synthesize" choice): the record's detectors
 * re-synthesized with the fix commit's examples added, written to the record file (validated first,
 * written atomically, not committed). Returns the record as it is now and the bytes it had before.
 */
export async function resynthesizeRecordFile(root: string, file: string, record: AntiPatternRecord, spec: string): Promise<{ record: AntiPatternRecord; original: Buffer }> {
  const { editRecordText, readRecordBytes, writeRecord } = await import('../store/edit.js');
  const { readRecordFile } = await import('../store/read.js');
  const { displayPath } = await import('./output.js');
  const changes = await resynthesize(root, record, spec);
  const original = readRecordBytes(file);
  const updated = editRecordText(original.toString('utf8'), changes, displayPath(file));
  const check = readRecordFile(file, 'anti-pattern', updated);
  const error = check.problems.find((p) => p.severity === 'error');
  const read = check.records[0];
  if (error || !read?.valid) throw new FailuresError(`re-synthesizing with --fix ${spec} would make ${displayPath(file)} invalid, so it was not changed${error ? `: ${error.message}` : ''}`);
  writeRecord(file, updated);
  return { record: read.data as AntiPatternRecord, original };
}

/** A pattern as one line of text: code, or a fragment's context and the kind it selects. */
function patternText(pattern: unknown): string {
  if (pattern && typeof pattern === 'object' && 'context' in pattern) {
    const { context, selector } = pattern as { context: string; selector: string };
    return `${selector} in ${context.replace(/\s*\n\s*/g, ' ')}`;
  }
  return String(pattern);
}
