#!/usr/bin/env node
// `npm run bench:check`: `failures check` side by side with ESLint (no-restricted-syntax,
// no-restricted-imports, no-warning-comments), ESLint --cache and the ast-grep CLI, running the same
// checks on real repositories: BENCH_REPOS (':'-separated; BENCH_REPO for one), default
// /work/data/typeorm (a checkout of typeorm/typeorm: 3,571 .ts files, 24 checks) and /work/data/eslint
// (eslint/eslint's lib and tests: 607 .js files with 4× larger files; the 20 checks that are not
// TypeScript-only). A repository's language is the one most of its files are in (.ts or .js).
// Repositories that are absent are skipped with a message. BENCH_KINDS (e.g. `pattern,any`) keeps the
// checks of some detector kinds only; BENCH_WORK=dir prepares the repositories there and keeps them
// (for before/after comparisons of `check -f json`).
//
// Prints, per repository, cold / warm / 10-staged-files timings (medians of BENCH_RUNS; wall and CPU =
// user + system of the process and its threads) and peak RSS, the ratios against the targets (cold ≤
// 1.2× ast-grep, warm ≤ 0.3× a warm eslint --cache, staged ≤ 250 ms), and selector parity: for every
// selector rule, the locations `failures check` reports must be exactly ESLint's. Also the floor of a
// check on napi's findInFiles (bench/lib/napi-floor.js: the same files parsed, nothing else done).
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, median } from './machine.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const bin = join(repoRoot, 'bin', 'failures.js');
const eslintBin = join(repoRoot, 'node_modules', 'eslint', 'bin', 'eslint.js');
const sgBin = join(repoRoot, 'node_modules', '.bin', 'ast-grep');
const floorScript = join(repoRoot, 'bench', 'lib', 'napi-floor.js');
const SAMPLES = (process.env.BENCH_REPOS ?? process.env.BENCH_REPO ?? '/work/data/typeorm:/work/data/eslint').split(':').filter(Boolean);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** BENCH_KINDS=pattern,any: only the checks of these detector kinds (pattern, any, selector, import, regex). */
const KINDS = process.env.BENCH_KINDS?.split(',').filter(Boolean);

/**
 * The same check three ways: the failures detector (as a user would write it: pattern, selector,
 * import or regex), ESLint's core rules, and an ast-grep rule.
 */
const CHECKS = [
  { id: 'console-log', detector: { pattern: 'console.log($$$)' }, eslint: "CallExpression[callee.object.name='console'][callee.property.name='log']", sg: { pattern: 'console.log($$$)' } },
  { id: 'as-any', ts: true, detector: { selector: "TSAsExpression[typeAnnotation.type='TSAnyKeyword']" }, eslint: "TSAsExpression[typeAnnotation.type='TSAnyKeyword']", sg: { pattern: '$X as any' } },
  { id: 'deep-clone', detector: { pattern: 'JSON.parse(JSON.stringify($X))' }, eslint: "CallExpression[callee.object.name='JSON'][callee.property.name='parse'][arguments.0.callee.object.name='JSON'][arguments.0.callee.property.name='stringify'][arguments.length=1][arguments.0.arguments.length=1]", sg: { pattern: 'JSON.parse(JSON.stringify($X))' } },
  { id: 'new-promise', detector: { any: [{ pattern: 'new Promise($$$)' }, { pattern: 'new Promise<$T>($$$)' }] }, eslint: "NewExpression[callee.name='Promise']", sg: { any: [{ pattern: 'new Promise($$$)' }, { pattern: 'new Promise<$T>($$$)' }] } },
  { id: 'assign-empty', detector: { pattern: 'Object.assign({}, $$$)' }, eslint: "CallExpression[callee.object.name='Object'][callee.property.name='assign'][arguments.0.type='ObjectExpression'][arguments.0.properties.length=0][arguments.length>1]", sg: { pattern: 'Object.assign({}, $$$)' } },
  { id: 'eq-null', detector: { pattern: '$A == null' }, eslint: "BinaryExpression[operator='=='][right.type='Literal'][right.raw='null']", sg: { pattern: '$A == null' } },
  { id: 'throw-error', detector: { pattern: 'throw new Error($$$)' }, eslint: "ThrowStatement[argument.type='NewExpression'][argument.callee.name='Error']", sg: { pattern: 'throw new Error($$$)' } },
  { id: 'set-timeout', detector: { pattern: 'setTimeout($$$)' }, eslint: "CallExpression[callee.name='setTimeout']", sg: { pattern: 'setTimeout($$$)' } },
  { id: 'for-each', detector: { selector: "CallExpression[callee.property.name='forEach']" }, eslint: "CallExpression[callee.property.name='forEach']", sg: { pattern: '$X.forEach($$$)' } },
  { id: 'debugger', detector: { selector: 'DebuggerStatement' }, eslint: 'DebuggerStatement', sg: { kind: 'debugger_statement' } },
  { id: 'non-null', ts: true, detector: { selector: 'TSNonNullExpression' }, eslint: 'TSNonNullExpression', sg: { kind: 'non_null_expression' } },
  { id: 'enum', ts: true, detector: { selector: 'TSEnumDeclaration' }, eslint: 'TSEnumDeclaration', sg: { kind: 'enum_declaration' } },
  { id: 'promise-all', detector: { pattern: 'await Promise.all($$$)' }, eslint: "AwaitExpression[argument.type='CallExpression'][argument.callee.object.name='Promise'][argument.callee.property.name='all']", sg: { pattern: 'await Promise.all($$$)' } },
  { id: 'then', detector: { selector: "CallExpression[callee.property.name='then']" }, eslint: "CallExpression[callee.property.name='then']", sg: { pattern: '$X.then($$$)' } },
  { id: 'process-env', detector: { pattern: 'process.env.$V' }, eslint: "MemberExpression[object.object.name='process'][object.property.name='env'][computed=false]", sg: { pattern: 'process.env.$V' } },
  { id: 'typeof-undefined', detector: { pattern: 'typeof $X === "undefined"' }, eslint: "BinaryExpression[operator='==='][left.operator='typeof'][right.value='undefined'][right.raw='\"undefined\"']", sg: { pattern: 'typeof $X === "undefined"' } },
  { id: 'delete-computed', detector: { pattern: 'delete $X[$Y]' }, eslint: "UnaryExpression[operator='delete'][argument.computed=true]", sg: { pattern: 'delete $X[$Y]' } },
  { id: 'is-array', detector: { pattern: 'Array.isArray($X)' }, eslint: "CallExpression[callee.object.name='Array'][callee.property.name='isArray'][arguments.length=1]", sg: { pattern: 'Array.isArray($X)' } },
  { id: 'arguments', detector: { selector: "Identifier[name='arguments']" }, eslint: "Identifier[name='arguments']", sg: { kind: 'identifier', regex: '^arguments$' } },
  { id: 'class-any-prop', ts: true, detector: { selector: "PropertyDefinition > TSTypeAnnotation > TSAnyKeyword" }, eslint: 'PropertyDefinition > TSTypeAnnotation > TSAnyKeyword', sg: { kind: 'predefined_type', regex: '^any$', inside: { kind: 'type_annotation', inside: { kind: 'public_field_definition' } } } },
  { id: 'import-fs', detector: { import: 'fs' }, eslintImport: 'fs', sg: { kind: 'import_statement', has: { kind: 'string', regex: '^["\']fs["\']$' } } },
  { id: 'import-chai', detector: { import: 'chai' }, eslintImport: 'chai', sg: { kind: 'import_statement', has: { kind: 'string', regex: '^["\']chai["\']$' } } },
  { id: 'todo', detector: { regex: '\\btodo\\b', flags: 'i', in: 'comments' }, eslintComment: 'todo', sg: { kind: 'comment', regex: '(?i)\\btodo\\b' } },
  { id: 'fixme', detector: { regex: '\\bfixme\\b', flags: 'i', in: 'comments' }, eslintComment: 'fixme', sg: { kind: 'comment', regex: '(?i)\\bfixme\\b' } },
];

/** One key per line; values in JSON, which YAML reads as flow style. */
function toYaml(value, indent) {
  return Object.entries(value)
    .map(([k, v]) => `${' '.repeat(indent)}${k}: ${JSON.stringify(v)}`)
    .join('\n');
}

function record(check, i, ext) {
  const id = `AP-${String(i + 1).padStart(3, '0')}`;
  const [first, ...rest] = toYaml(check.detector, 6).split('\n');
  return [`id: ${id}`, `name: ${check.id}`, 'status: approved', 'severity: high', `description: ${check.id}`, 'enforce:', `  files: ["**/*.${ext}"]`, '  detect:', `    - ${first.trim()}`, ...rest, `  message: ${check.id}`, ''].join('\n');
}

function sgRule(check, ext) {
  return [`id: ${check.id}`, `language: ${ext === 'ts' ? 'TypeScript' : 'JavaScript'}`, 'severity: error', `message: ${check.id}`, 'rule:', toYaml(check.sg, 2), ''].join('\n');
}

function eslintConfig(checks, ext) {
  const selectors = checks.filter((c) => c.eslint).map((c) => `        { selector: ${JSON.stringify(c.eslint)}, message: ${JSON.stringify(c.id)} },`);
  const imports = checks.filter((c) => c.eslintImport).map((c) => `{ name: ${JSON.stringify(c.eslintImport)}, message: ${JSON.stringify(c.id)} }`);
  const terms = checks.filter((c) => c.eslintComment).map((c) => JSON.stringify(c.eslintComment));
  return `import tsParser from ${JSON.stringify(join(repoRoot, 'node_modules', '@typescript-eslint', 'parser', 'dist', 'index.js'))};
export default [
  { ignores: ['.failures/**', 'sg-rules/**'] },
  {
    files: ['**/*.${ext}'],
    languageOptions: ${ext === 'ts' ? '{ parser: tsParser }' : "{ ecmaVersion: 'latest', sourceType: 'module' }"},
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: {
      'no-restricted-syntax': ['error',
${selectors.join('\n')}
      ],
      'no-restricted-imports': ['error', { paths: [${imports.join(', ')}] }],
      'no-warning-comments': ['error', { terms: [${terms.join(', ')}], location: 'anywhere' }],
    },
  },
];
`;
}

function git(cwd, ...args) {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b' } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Runs a command under /usr/bin/time: wall time in ms, peak RSS in MiB, exit code and output. */
function timed(cwd, command, args, env = {}) {
  const haveTime = existsSync('/usr/bin/time');
  const start = process.hrtime.bigint();
  const options = { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...env } };
  const r = haveTime ? spawnSync('/usr/bin/time', ['-f', '%M %U %S', command, ...args], options) : spawnSync(command, args, options);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const times = haveTime ? /(\d+) ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr) : null;
  const rss = times ? Number(times[1]) / 1024 : 0;
  // CPU time (user + system): what a busy shared machine distorts least.
  const cpu = times ? (Number(times[2]) + Number(times[3])) * 1000 : ms;
  if (r.status === null || r.status > 1) throw new Error(`${command} ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return { ms, cpu, rss, stdout: r.stdout };
}

/**
 * Instructions retired in user space (perf stat), load-independent unlike times: null where perf is not
 * available or not allowed (kernel.perf_event_paranoid).
 */
function instructions(cwd, command, args, env = {}) {
  const r = spawnSync('perf', ['stat', '-x', ',', '-e', 'instructions:u', command, ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...env } });
  const line = (r.stderr ?? '').split('\n').find((l) => l.includes('instructions'));
  const count = line ? Number(line.split(',')[0]) : NaN;
  return Number.isFinite(count) && count > 0 ? count : null;
}

function measure(label, runs, fn) {
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(fn(i));
  const ms = median(samples.map((s) => s.ms));
  const cpu = median(samples.map((s) => s.cpu));
  const rss = Math.max(...samples.map((s) => s.rss));
  console.log(`  ${label.padEnd(36)} ${ms.toFixed(0).padStart(7)} ms wall ${cpu.toFixed(0).padStart(7)} ms CPU   peak RSS ${rss.toFixed(0).padStart(5)} MiB`);
  return { ms, cpu, rss, last: samples.at(-1) };
}

/** The language most of a folder's files are in: ts or js. */
function languageOf(dir) {
  let ts = 0;
  let js = 0;
  const visit = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && !e.name.startsWith('.')) visit(join(d, e.name));
      } else if (/\.ts$/.test(e.name)) ts++;
      else if (/\.js$/.test(e.name)) js++;
    }
  };
  visit(dir);
  return ts >= js ? 'ts' : 'js';
}

function runSample(DATA) {
  const work = process.env.BENCH_WORK ? join(process.env.BENCH_WORK, basename(DATA)) : mkdtempSync(join(tmpdir(), 'failures-bench-check-'));
  const ext = languageOf(DATA);
  const checks = CHECKS.filter((c) => (ext === 'ts' || !c.ts) && (!KINDS || KINDS.includes(Object.keys(c.detector)[0])));
  try {
    console.log(`\n== bench:check on ${DATA} (${RUNS} runs each, medians)`);
    console.log(machine());
    rmSync(work, { recursive: true, force: true });
    // The repository's own lint configs would make ESLint load plugins it does not have: only ours runs.
    cpSync(DATA, work, { recursive: true, filter: (src) => !src.includes(`${DATA}/.git`) && !src.includes('/node_modules') && !/(^|\/)(eslint\.config\.[cm]?[jt]s|\.eslintrc(\.\w+)?)$/.test(src) });
    mkdirSync(join(work, '.failures', 'anti-patterns'), { recursive: true });
    writeFileSync(join(work, '.failures', 'config.yaml'), 'version: 1\n');
    checks.forEach((check, i) => writeFileSync(join(work, '.failures', 'anti-patterns', `AP-${String(i + 1).padStart(3, '0')}.yaml`), record(check, i, ext)));
    mkdirSync(join(work, 'sg-rules'));
    for (const check of checks) writeFileSync(join(work, 'sg-rules', `${check.id}.yml`), sgRule(check, ext));
    writeFileSync(join(work, 'sgconfig.yml'), 'ruleDirs: [sg-rules]\n');
    writeFileSync(join(work, 'eslint.config.mjs'), eslintConfig(checks, ext));
    git(work, 'init', '-q', '-b', 'main');
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '-m', 'snapshot');
    const codeFiles = git(work, 'ls-files', `*.${ext}`).split('\n').filter(Boolean);
    const bytes = codeFiles.reduce((sum, f) => sum + statSync(join(work, f)).size, 0);
    console.log(`${codeFiles.length} .${ext} files (${(bytes / 2 ** 20).toFixed(1)} MiB), ${checks.length} checks (${checks.filter((c) => c.detector.pattern || c.detector.any).length} patterns, ${checks.filter((c) => c.detector.selector).length} selectors, ${checks.filter((c) => c.detector.import).length} imports, ${checks.filter((c) => c.detector.regex).length} regexes)\n`);

    const validate = spawnSync(process.execPath, [bin, 'validate'], { cwd: work, encoding: 'utf8' });
    if (validate.status !== 0) throw new Error(`the bench's records do not validate:\n${validate.stdout}${validate.stderr}`);

    const cache = join(work, '.failures', '.cache');
    const eslintCache = join(work, '.eslintcache-bench');
    const cold = measure('failures check (cold, no cache)', RUNS, () => {
      rmSync(cache, { recursive: true, force: true });
      return timed(work, process.execPath, [bin, 'check', '-f', 'json']);
    });
    const warm = measure('failures check (warm cache)', RUNS, () => timed(work, process.execPath, [bin, 'check', '-f', 'json']));
    const sg = measure('ast-grep scan (same checks)', RUNS, () => timed(work, sgBin, ['scan', '--json=compact']));
    // What any check on napi's findInFiles spends before it does anything: parsing the same files.
    const floorList = join(tmpdir(), `failures-bench-floor-${process.pid}.txt`);
    writeFileSync(floorList, codeFiles.map((f) => join(work, f)).join('\n'));
    const floorArgs = [floorScript, ext === 'ts' ? 'TypeScript' : 'JavaScript', 'program', floorList];
    const floor = measure('napi findInFiles, parse only (floor)', RUNS, () => timed(work, process.execPath, floorArgs));
    // Counted in instructions (every thread of each): what the machine's load does not change.
    rmSync(cache, { recursive: true, force: true });
    const ourInstructions = instructions(work, process.execPath, [bin, 'check', '-f', 'json']);
    const sgInstructions = instructions(work, sgBin, ['scan', '--json=compact']);
    const floorInstructions = instructions(work, process.execPath, floorArgs);
    rmSync(floorList, { force: true });
    const eslint = measure('eslint (no cache)', 1, () => timed(work, process.execPath, [eslintBin, '-f', 'json', '.']));
    rmSync(eslintCache, { force: true });
    timed(work, process.execPath, [eslintBin, '--cache', '--cache-location', eslintCache, '-f', 'json', '.']);
    const eslintWarm = measure('eslint --cache (warm)', RUNS, () => timed(work, process.execPath, [eslintBin, '--cache', '--cache-location', eslintCache, '-f', 'json', '.']));

    const touched = codeFiles.filter((_, i) => i % Math.floor(codeFiles.length / 10) === 0).slice(0, 10);
    const touchedBytes = touched.reduce((sum, f) => sum + statSync(join(work, f)).size, 0);
    console.log(`  (the 10 staged files: ${(touchedBytes / 1024).toFixed(0)} KiB)`);
    const staged = measure('failures check --staged (10 files)', RUNS, (i) => {
      for (const file of touched) appendFileSync(join(work, file), `\n// bench edit ${i}\n`);
      git(work, 'add', ...touched);
      return timed(work, process.execPath, [bin, 'check', '--staged', '-f', 'json']);
    });
    const eslintStaged = measure('eslint on the same 10 files', RUNS, () => timed(work, process.execPath, [eslintBin, '-f', 'json', ...touched]));

    // Parity: every selector check's locations in failures' output equal ESLint's no-restricted-syntax.
    const failuresOut = JSON.parse(cold.last.stdout);
    const eslintOut = JSON.parse(eslint.last.stdout);
    const byRule = (results, key) => {
      const out = new Map();
      for (const r of results) {
        for (const m of r.messages) {
          const name = key(m);
          if (!name) continue;
          if (!out.has(name)) out.set(name, new Set());
          out.get(name).add(`${r.filePath.slice(work.length + 1)}:${m.line}:${m.column}`);
        }
      }
      return out;
    };
    const names = new Map(checks.map((c, i) => [`failures/ap-${String(i + 1).padStart(3, '0')}`, c.id]));
    const ours = byRule(failuresOut, (m) => names.get(m.ruleId));
    const theirs = byRule(eslintOut, (m) => (m.ruleId === 'no-restricted-syntax' || m.ruleId === 'no-restricted-imports' ? m.message.replace(/^.*?(\S+)$/, '$1') : m.ruleId === 'no-warning-comments' ? (/todo/i.test(m.message) ? 'todo' : 'fixme') : undefined));
    console.log('\nparity with ESLint (findings per check: failures / eslint, and locations that differ; regexes report the match, ESLint the comment):');
    let selectorMismatches = 0;
    for (const check of checks) {
      const a = ours.get(check.id) ?? new Set();
      const b = theirs.get(check.id) ?? new Set();
      const diff = [...a].filter((x) => !b.has(x)).length + [...b].filter((x) => !a.has(x)).length;
      if (check.detector.selector && diff > 0) selectorMismatches++;
      const kind = Object.keys(check.detector)[0];
      console.log(`  ${check.id.padEnd(18)} ${kind.padEnd(8)} ${String(a.size).padStart(5)} / ${String(b.size).padEnd(5)} ${diff === 0 ? 'identical' : `${diff} differ`}`);
    }

    const ratio = (a, b) => a / b;
    const line = (label, wall, cpu, target, ok) =>
      console.log(`  ${label.padEnd(40)} wall ${wall.padStart(6)}  CPU ${cpu.padStart(6)}   [target ${target}] ${ok ? 'ok' : 'MISSED'} (by CPU)`);
    console.log(`\ntargets on ${basename(DATA)} (ratios of medians; CPU = user + system time, what a shared machine distorts least; load now ${loadavg().map((l) => l.toFixed(1)).join(' ')}):`);
    line('cold check / ast-grep scan', ratio(cold.ms, sg.ms).toFixed(2), ratio(cold.cpu, sg.cpu).toFixed(2), '≤ 1.2', ratio(cold.cpu, sg.cpu) <= 1.2);
    if (ourInstructions && sgInstructions) {
      console.log(`  ${'instructions, cold check / ast-grep scan'.padEnd(40)} ${(ourInstructions / 1e9).toFixed(1)} / ${(sgInstructions / 1e9).toFixed(1)} billion = ${ratio(ourInstructions, sgInstructions).toFixed(2)}× (load-independent; perf stat)`);
    } else console.log(`  ${'instructions, cold check / ast-grep scan'.padEnd(40)} not measured (perf stat is not available here)`);
    console.log(
      `  ${'napi parse-only floor / ast-grep scan'.padEnd(40)} wall ${ratio(floor.ms, sg.ms).toFixed(2).padStart(6)}  CPU ${ratio(floor.cpu, sg.cpu).toFixed(2).padStart(6)}${floorInstructions && sgInstructions ? `   instructions ${(floorInstructions / 1e9).toFixed(1)} / ${(sgInstructions / 1e9).toFixed(1)} billion = ${ratio(floorInstructions, sgInstructions).toFixed(2)}×` : ''} (what parsing alone through napi costs)`,
    );
    line('warm check / warm eslint --cache', ratio(warm.ms, eslintWarm.ms).toFixed(2), ratio(warm.cpu, eslintWarm.cpu).toFixed(2), '≤ 0.3', ratio(warm.cpu, eslintWarm.cpu) <= 0.3);
    line('10 staged files (ms)', staged.ms.toFixed(0), staged.cpu.toFixed(0), '≤ 250', staged.cpu <= 250);
    console.log(`  ${'selector checks not identical to ESLint'.padEnd(40)} ${String(selectorMismatches).padStart(11)}   [target 0] ${selectorMismatches === 0 ? 'ok' : 'MISSED'}`);
    console.log(`  ${'cold check / eslint (no cache)'.padEnd(40)} wall ${ratio(cold.ms, eslint.ms).toFixed(2).padStart(6)}  CPU ${ratio(cold.cpu, eslint.cpu).toFixed(2).padStart(6)}`);
    console.log(`  ${'staged / eslint on the same files'.padEnd(40)} wall ${ratio(staged.ms, eslintStaged.ms).toFixed(2).padStart(6)}  CPU ${ratio(staged.cpu, eslintStaged.cpu).toFixed(2).padStart(6)}`);
    // What any pre-filter must still parse: the files that hold a finding.
    const found = failuresOut.filter((r) => r.messages.length > 0).map((r) => r.filePath);
    const foundBytes = found.reduce((sum, f) => sum + statSync(f).size, 0);
    console.log(`  ${'files holding a finding'.padEnd(40)} ${found.length} of ${codeFiles.length}, ${((100 * foundBytes) / bytes).toFixed(0)} % of the bytes (parsed by any engine that finds them)`);
    console.log(`  ${'codes: files ≥ 3,000 and checks ≥ 20'.padEnd(40)} ${codeFiles.length >= 3000 && checks.length >= 20 ? 'yes: the cold and warm targets apply here' : 'no: the cold and warm ratios are for information'}`);
  } finally {
    if (!process.env.BENCH_WORK) rmSync(work, { recursive: true, force: true });
  }
}

const present = SAMPLES.filter((d) => existsSync(d));
for (const missing of SAMPLES.filter((d) => !existsSync(d))) console.log(`bench:check: no repository at ${missing}, skipped. Set BENCH_REPOS to checkouts of large TypeScript/JavaScript repositories (e.g. typeorm/typeorm, eslint/eslint).`);
for (const sample of present) runSample(sample);
