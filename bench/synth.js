#!/usr/bin/env node
// `npm run bench:synth`: detectors synthesized from examples nobody here wrote.
//  1. Separation (target ≥ 0.9): Semgrep's public rule tests (SYNTH_SEMGREP, default
//     /work/data/semgrep-rules: the javascript/, typescript/ and python/ folders of semgrep-rules) —
//     share of test files whose synthesized detectors flag every `ruleid:` statement and no `ok:` one.
//  2. ESLint's own rule tests (SYNTH_ESLINT, default /work/data/eslint: tests/lib/rules and lib/rules of
//     eslint): separation on invalid/valid code, and precision/recall against the hand-written rule
//     (ESLint's) on a real codebase seeded with held-out violations (SYNTH_CODEBASE).
//  3. Hand-written structural rules (SYNTH_ASTGREP, default /work/data/ast-grep-essentials: rules/ and
//     tests/ of coderabbitai/ast-grep-essentials): precision/recall of detectors synthesized from part of
//     each rule's invalid cases (+ its valid ones) against the hand-written rule, both run by check's
//     engine over real code (SYNTH_CODEBASE_JS default eslint's lib in node_modules, SYNTH_CODEBASE_TS
//     default /work/data/typeorm/src, SYNTH_CODEBASE_PY default /work/data/pycode: PyMySQL + flask)
//     seeded with the held-out invalid cases. Rules split dev/test by id hash. More suites from
//     SYNTH_RULE_SUITES (folders separated by ':', default /work/data/ast-grep-rules; see synth-suites.js);
//     SYNTH_ALL_HELDOUT=1 holds every rule out (a clean run on suites nobody tuned on).
// `--only=semgrep|astgrep|eslint` runs one part; `--verbose` lists dev failures only.
// Data is fetched into /work/data and read by path; each part is skipped with a message when absent.
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '@ast-grep/napi';
import { machine } from './machine.js';
import { semgrepSets } from './synth-semgrep.js';
import { eslintSets } from './synth-eslint.js';
import { astGrepSets } from './synth-astgrep.js';
import { ruleSuiteSets } from './synth-suites.js';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const { synthesize } = await import(join(repoRoot, 'dist', 'enforce', 'synth', 'index.js'));
const { astGrepLang } = await import(join(repoRoot, 'dist', 'enforce', 'synth', 'lang.js'));
const { parsesAs } = await import(join(repoRoot, 'dist', 'enforce', 'synth', 'tree.js'));
const { proposalRecord } = await import(join(repoRoot, 'dist', 'enforce', 'synth', 'verify.js'));
const { compileRules } = await import(join(repoRoot, 'dist', 'enforce', 'compile.js'));
const { checkText } = await import(join(repoRoot, 'dist', 'enforce', 'engine.js'));
const fmt = (x) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
const verbose = process.argv.includes('--verbose');
// Held-out figures of the rule-suite and ESLint parts are printed only when asked (each look is counted in the notes).
const heldout = process.argv.includes('--heldout');
const splits = heldout ? ['dev', 'test'] : ['dev'];

/** Lines flagged by detectors in a file's text, run with ast-grep. */
function flaggedLines(detectors, language, text) {
  const root = parse(astGrepLang(language), text).root();
  const lines = new Set();
  for (const d of detectors) {
    const { constraints, ...rule } = d.rule;
    for (const hit of root.findAll({ rule, ...(constraints ? { constraints } : {}) })) lines.add(hit.range().start.line + 1);
  }
  return lines;
}

/** The line span of the statement starting on a line (tree-sitter's outermost node there). */
function span(text, language, line) {
  const root = parse(astGrepLang(language), text).root();
  const offset = text.split('\n').slice(0, line - 1).join('\n').length + (line > 1 ? 1 : 0);
  const first = offset + /^\s*/.exec(text.slice(offset))[0].length;
  let node = root;
  for (;;) {
    const next = node.children().find((c) => c.range().start.index <= first && first < c.range().end.index);
    if (!next) break;
    node = next;
    if (node.range().start.index === first && node.isNamed() && node.kind() !== 'block') break;
  }
  return [node.range().start.line + 1, node.range().end.line + 1];
}

function runSemgrep() {
  const root = process.env.SYNTH_SEMGREP ?? '/work/data/semgrep-rules';
  if (!existsSync(root)) {
    console.log(`semgrep-rules: skipped (no data at ${root}; fetch semgrep/semgrep-rules and extract javascript/ typescript/ python/ there)`);
    return;
  }
  const sets = semgrepSets(root);
  const tally = {};
  const failures = [];
  for (const set of sets) {
    const key = `${set.split}`;
    tally[key] ??= { sets: 0, separated: 0, errors: 0, contradictions: 0, detectors: 0, ms: [] };
    const t = tally[key];
    t.sets++;
    const started = performance.now();
    let result;
    try {
      result = synthesize({
        bad: set.bad.map((line) => ({ code: set.text, language: set.language, line })),
        good: set.good.map((line) => ({ code: set.text, language: set.language, line })),
      });
    } catch (error) {
      t.errors++;
      failures.push(`${set.name}: error ${error.message}`);
      continue;
    } finally {
      t.ms.push(performance.now() - started);
    }
    t.detectors += result.detectors.length;
    if (result.contradictions.length) t.contradictions++;
    const flagged = flaggedLines(result.detectors, set.language, set.text);
    const hit = (line) => {
      const [from, to] = span(set.text, set.language, line);
      for (let l = from; l <= to; l++) if (flagged.has(l)) return true;
      return false;
    };
    const allBad = set.bad.every(hit);
    const noGood = !set.good.some(hit);
    if (allBad && noGood) t.separated++;
    else failures.push(`${set.name} [${set.split}]: ${allBad ? '' : `missed ${set.bad.filter((l) => !hit(l)).join(',')} `}${noGood ? '' : `flags ok ${set.good.filter(hit).join(',')}`} ${result.contradictions.map((c) => c.reason).join('; ')}`);
  }
  console.log('\nSemgrep rule tests (semgrep-rules javascript/ typescript/ python/; sets split by path hash, dev looked at, test held out):');
  for (const [key, t] of Object.entries(tally).sort()) {
    const ms = t.ms.sort((a, b) => a - b)[Math.floor(t.ms.length / 2)];
    console.log(`  ${key.padEnd(5)} ${t.separated}/${t.sets} separated = ${fmt(t.separated / t.sets)}  (errors ${t.errors}, with contradictions ${t.contradictions}, ${fmt(t.detectors / t.sets)} detectors per set, median ${ms.toFixed(0)} ms)`);
  }
  if (verbose) for (const f of failures.filter((f) => f.includes('[dev]') || f.includes('error'))) console.log(`    ${f}`);
}

function* jsFiles(dir, extensions = ['.js']) {
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    if (statSync(path).isDirectory()) yield* jsFiles(path, extensions);
    else if (extensions.some((e) => path.endsWith(e))) yield path;
  }
}

const EXTENSION = { javascript: '.js', typescript: '.ts', tsx: '.tsx', python: '.py' };

/** Precision and recall of synthesized findings against hand-written ones (same file; a line of one within the other's span). */
function agreement(synth, hand) {
  const within = (a, b) => a.file === b.file && a.line >= b.line && a.line <= b.endLine;
  const tp = synth.filter((s) => hand.some((h) => within(s, h) || within(h, s))).length;
  const found = hand.filter((h) => synth.some((s) => within(s, h) || within(h, s))).length;
  return { tp, s: synth.length, found, h: hand.length };
}

function summary(rows) {
  const sum = (k) => rows.reduce((n, r) => n + r[k], 0);
  const tp = sum('tp');
  const s = sum('s');
  const found = sum('found');
  const h = sum('h');
  const flagging = rows.filter((r) => r.s > 0);
  const precise = rows.filter((r) => r.s === 0 || r.tp / r.s >= 0.95).length;
  // Per rule too: one rule that flags hundreds of places must not stand for all.
  const macro = flagging.reduce((n, r) => n + r.tp / r.s, 0) / flagging.length;
  const truth = rows.filter((r) => r.h > 0);
  const reach = truth.reduce((n, r) => n + r.found / r.h, 0) / truth.length;
  return `precision ${fmt(tp / s)} (${tp}/${s} flags), recall ${fmt(found / h)} (${found}/${h}); per rule: ${flagging.length} rules flag, mean precision ${fmt(macro)}, mean recall ${fmt(reach)}, ${precise}/${rows.length} rules at precision ≥ 0.95 (${rows.length - flagging.length} flag nothing)`;
}

/** Top-level statements of a file's code, as texts (comments left out): the cases a whole example file is cut into. */
function statements(language, code) {
  const root = parse(astGrepLang(language), code).root();
  return root.children().filter((c) => c.isNamed() && !/comment/.test(c.kind())).map((c) => c.text());
}

/** Where a hand-written detector flags code ({ line, column } of each finding), with check's engine. */
function oracle(detector, code) {
  const record = { id: 'HAND', name: 'HAND', status: 'proposed', description: 'hand-written', enforce: { detect: [detector] } };
  const { rules, issues } = compileRules([record], new Map(), { statuses: ['proposed'] });
  if (issues.length) throw new Error(issues[0].message);
  return checkText(`case.${EXTENSION[detector.language].slice(1)}`, code, rules, { ignoreGlobs: true }).findings.map((f) => ({ line: f.line, column: f.column }));
}

/**
 * Hand-written structural rules with their own examples — ast-grep-essentials (SYNTH_ASTGREP) and the
 * suites under SYNTH_RULE_SUITES (see bench/synth-suites.js) —: synthesize from every other invalid case
 * (+ all valid cases), seed a real codebase with the held-out invalid cases as files, run the
 * hand-written rule and the synthesized detectors with check's engine, compare what they flag. This is
 * the issue's target figure: precision of the synthesized rule against the hand-written one.
 */
function runAstGrep() {
  const root = process.env.SYNTH_ASTGREP ?? '/work/data/ast-grep-essentials';
  const suitesRoot = process.env.SYNTH_RULE_SUITES ?? '/work/data/ast-grep-rules';
  // Each a list of folders (separated by ':').
  const codebases = {
    javascript: process.env.SYNTH_CODEBASE_JS ?? join(repoRoot, 'node_modules', 'eslint', 'lib'),
    typescript: process.env.SYNTH_CODEBASE_TS ?? '/work/data/typeorm/src:/work/data/vue-core/packages',
    tsx: process.env.SYNTH_CODEBASE_TSX ?? '/work/data/excalidraw',
    python: process.env.SYNTH_CODEBASE_PY ?? '/work/data/pycode',
  };
  const started = performance.now();
  const sets = [];
  if (existsSync(join(root, 'rules'))) sets.push(...astGrepSets(root).map((s) => ({ ...s, suite: 'ast-grep-essentials' })));
  else console.log(`\nast-grep-essentials: skipped (no data at ${root}; fetch coderabbitai/ast-grep-essentials and extract rules/ tests/ sgconfig.yml there)`);
  // Several roots separated by ':' (the clean held-out batches live in folders of their own).
  for (const dir of suitesRoot.split(':').filter(Boolean)) {
    if (existsSync(dir)) sets.push(...ruleSuiteSets(dir, { statements, oracle }));
    else console.log(`\nrule suites: skipped (no data at ${dir}; one folder per suite: ast-grep/ast-grep.github.io's website/catalog, polyrand/ast-grep-antislop, ast-grep rule repositories with sgconfig.yml and tests)`);
  }
  if (sets.length === 0) return;
  const examplesOf = (cases, language) => cases.flatMap((c) => (c.at.length ? c.at.map(({ line, column }) => ({ code: c.code, language, line, column })) : [{ code: c.code, language }]));
  const separation = {};
  const trained = [];
  for (const set of sets) {
    const t = (separation[`${set.suite} ${set.split}`] ??= { sets: 0, separated: 0 });
    t.sets++;
    const good = set.good.map((code) => ({ code, language: set.language }));
    try {
      const all = synthesize({ bad: examplesOf(set.bad, set.language), good });
      const flags = (code) => flaggedLines(all.detectors, set.language, code).size > 0;
      if (all.detectors.length && set.bad.every((c) => flags(c.code)) && !set.good.some(flags)) t.separated++;
      else if (verbose && set.split === 'dev') console.log(`    not separated: ${set.id} [${set.split}] ${all.contradictions.map((c) => c.reason).join('; ')}`);
    } catch (error) {
      if (verbose) console.log(`    error: ${set.id}: ${error.message}`);
    }
    // Train on the even-numbered invalid cases; the odd-numbered ones are seeded into the codebase.
    const train = set.bad.filter((_, i) => i % 2 === 0);
    const held = set.bad.filter((_, i) => i % 2 === 1);
    let detectors = [];
    try {
      detectors = synthesize({ bad: examplesOf(train, set.language), good }).detectors;
    } catch {
      // examples the synthesizer cannot read: no detector
    }
    trained.push({ ...set, detectors, held });
  }
  const suites = [...new Set(sets.map((s) => s.suite))];
  console.log(`\nHand-written structural rules: ${sets.length} rules in JS/TS/TSX/Python with examples (${suites.map((s) => `${s} ${sets.filter((x) => x.suite === s).length}`).join(', ')}); split by rule-id hash; ${((performance.now() - started) / 1000).toFixed(0)} s to synthesize`);
  for (const [key, t] of Object.entries(separation).sort()) if (heldout || key.endsWith('dev')) console.log(`  ${key.padEnd(30)} ${t.separated}/${t.sets} separated (all invalid and no valid case flagged, from all cases) = ${fmt(t.separated / t.sets)}`);

  const rows = [];
  for (const language of Object.keys(codebases)) {
    const group = trained.filter((t) => t.language === language);
    if (group.length === 0) continue;
    const dirs = codebases[language].split(':').filter(Boolean);
    const dir = dirs.join(' + ');
    const absent = dirs.filter((d) => !existsSync(d));
    if (absent.length) {
      console.log(`  ${language}: codebase skipped (no ${absent.join(', ')})`);
      continue;
    }
    const files = dirs.flatMap((d) => [...jsFiles(d, [EXTENSION[language]])].map((path) => ({ path: join(basename(d), path.slice(d.length + 1)), text: readFileSync(path, 'utf8') })));
    const real = files.length;
    for (const t of group) t.held.forEach((h, i) => files.push({ path: `seeded/${t.id}-${i}${EXTENSION[language]}`, text: h.code }));
    const handRecords = group.map((t) => ({ id: t.id, name: t.id, status: 'proposed', description: 'hand-written', enforce: { detect: [t.detector] } }));
    const synthRecords = group.filter((t) => t.detectors.length).map((t) => proposalRecord(t.detectors, { bad: [], good: [] }, t.id));
    const { rules: hand, issues } = compileRules(handRecords, new Map(), { statuses: ['proposed'] });
    const { rules: synth } = compileRules(synthRecords, new Map(), { statuses: ['proposed'] });
    // A hand-written rule that does not compile with this ast-grep is no truth: left out.
    const broken = new Set(issues.map((i) => i.id));
    const handIds = new Set(hand.map((r) => r.id).filter((id) => !broken.has(id)));
    const found = { hand: new Map(), synth: new Map() };
    const flaggedFiles = new Map();
    for (const file of files) {
      for (const [side, rules] of [['hand', hand], ['synth', synth]]) {
        const result = checkText(file.path, file.text, rules, { ignoreGlobs: true });
        const ids = new Set();
        for (const f of result.findings) {
          if (!found[side].has(f.id)) found[side].set(f.id, []);
          found[side].get(f.id).push({ file: file.path, line: f.line, endLine: f.endLine, code: f.code });
          ids.add(f.id);
        }
        if (side === 'synth') for (const id of ids) flaggedFiles.set(id, (flaggedFiles.get(id) ?? 0) + 1);
      }
    }
    let refused = 0;
    for (const t of group) {
      if (!handIds.has(t.id)) continue; // the hand-written rule does not compile here: no truth
      // As failures does before proposing: flagging more than half the files is too broad, not proposed.
      const broad = (flaggedFiles.get(t.id) ?? 0) > files.length * 0.5;
      if (broad) refused++;
      const synthFound = broad ? [] : (found.synth.get(t.id) ?? []);
      const handFound = found.hand.get(t.id) ?? [];
      const row = { id: t.id, suite: t.suite, language, split: t.split, held: t.held.length, hasDetector: t.detectors.length > 0 && !broad, detectors: t.detectors, ...agreement(synthFound, handFound) };
      row.extra = synthFound.filter((s) => !handFound.some((h) => h.file === s.file && ((s.line >= h.line && s.line <= h.endLine) || (h.line >= s.line && h.line <= s.endLine)))).map((s) => `${s.file}:${s.line} ${s.code.split('\n')[0].slice(0, 80)}`);
      rows.push(row);
    }
    console.log(`  ${language}: ${dir} (${real} files) + ${group.reduce((n, t) => n + t.held.length, 0)} held-out invalid cases as files; ${group.length} rules, ${group.filter((t) => t.detectors.length).length} with a synthesized detector, ${refused} refused as too broad${issues.length ? `; ${issues.length} hand-written rules that do not compile left out` : ''}`);
  }
  for (const suite of suites) {
    for (const split of splits) {
      const rs = rows.filter((r) => r.split === split && r.suite === suite);
      if (rs.length) console.log(`  ${suite.padEnd(22)} ${split.padEnd(5)} ${rs.length} rules (${rs.filter((r) => r.hasDetector).length} with a detector): ${summary(rs)}`);
    }
  }
  console.log(`  TARGET (precision ≥ 0.95 against the hand-written structural rule), all suites${heldout ? '' : ' (held out not shown: --heldout)'}:`);
  for (const split of splits) {
    const rs = rows.filter((r) => r.split === split);
    console.log(`  ${split.padEnd(5)} ${rs.length} rules (${rs.filter((r) => r.hasDetector).length} with a detector): ${summary(rs)}`);
  }
  if (verbose) {
    for (const r of rows) {
      if (!splits.includes(r.split) || (r.s === r.tp && r.found === r.h) || (r.split === 'test' && r.s === r.tp)) continue;
      console.log(`    ${r.id} [${r.split}]: ${r.s - r.tp} of ${r.s} flagged where the hand-written rule does not; missed ${r.h - r.found} of ${r.h}`);
      if (r.extra.length || process.argv.includes('--rules')) {
        for (const d of r.detectors) console.log(`      rule: ${JSON.stringify(d.rule)}`);
        for (const e of r.extra.slice(0, 4)) console.log(`      extra: ${e}`);
      }
    }
  }
}

/**
 * ESLint's rule tests: separation of invalid/valid, then precision and recall of the synthesized
 * detectors against ESLint's own (hand-written) rule on a real codebase seeded with held-out violations:
 * the even-numbered invalid cases (and every valid one) train, the odd-numbered ones are added to the
 * codebase as files; truth is what ESLint's rule reports, by file and line.
 */
function runEslint() {
  const root = process.env.SYNTH_ESLINT ?? '/work/data/eslint';
  if (!existsSync(join(root, 'tests', 'lib', 'rules'))) {
    console.log(`\nESLint rule tests: skipped (no data at ${root}; fetch eslint/eslint and extract tests/lib/rules and tests/_utils there)`);
    return;
  }
  // Some rules have hundreds of cases: the first 16 invalid and 40 valid ones of each (in file order) are used.
  const sets = eslintSets(root).map((s) => ({ ...s, bad: s.bad.slice(0, 16), good: s.good.slice(0, 40) }));
  const js = (code) => parsesAs(code, 'javascript');
  const started = performance.now();
  const tally = {};
  const trained = [];
  for (const set of sets) {
    const t = (tally[set.split] ??= { sets: 0, separated: 0, unparsable: 0 });
    t.sets++;
    const bad = set.bad.filter((b) => js(b.code)).map((b) => ({ code: b.code, language: 'javascript', line: b.line, ...(b.column ? { column: b.column } : {}) }));
    const good = set.good.filter(js).map((code) => ({ code, language: 'javascript' }));
    t.unparsable += set.bad.length - bad.length + set.good.length - good.length;
    let result;
    const t0 = performance.now();
    try {
      result = synthesize({ bad, good });
    } catch {
      continue;
    } finally {
      if (verbose) process.stderr.write(`  ${set.name}: ${(performance.now() - t0).toFixed(0)} ms\n`);
    }
    if (result.contradictions.length === 0 && result.detectors.length > 0) t.separated++;
    // For the seeded codebase: synthesize from the even-numbered invalid cases only.
    const train = bad.filter((_, i) => i % 2 === 0);
    const held = bad.filter((_, i) => i % 2 === 1);
    if (held.length === 0) continue;
    try {
      const r = synthesize({ bad: train, good });
      if (r.detectors.length) trained.push({ name: set.name, split: set.split, detectors: r.detectors, held });
    } catch {
      // examples this synthesizer cannot read: no detector
    }
  }
  console.log(`\nESLint rule tests (eslint tests/lib/rules, cases without options, ≤16 invalid and ≤40 valid per rule; sets split by rule-name hash; ${((performance.now() - started) / 1000).toFixed(0)} s):`);
  for (const [key, t] of Object.entries(tally).sort()) if (heldout || key === 'dev') console.log(`  ${key.padEnd(5)} ${t.separated}/${t.sets} separated = ${fmt(t.separated / t.sets)}  (${t.unparsable} cases not JavaScript tree-sitter parses, left out)`);

  const codebaseDir = process.env.SYNTH_CODEBASE ?? join(repoRoot, 'node_modules', 'eslint', 'lib');
  if (!existsSync(codebaseDir)) {
    console.log(`  seeded codebase: skipped (no ${codebaseDir})`);
    return;
  }
  const files = [...jsFiles(codebaseDir)].map((path) => ({ path: path.slice(codebaseDir.length + 1), text: readFileSync(path, 'utf8') }));
  for (const t of trained) t.held.forEach((h, i) => files.push({ path: `seeded/${t.name}-${i}.js`, text: h.code }));
  const { Linter } = createRequire(join(repoRoot, 'package.json'))('eslint');
  const linter = new Linter();
  const names = trained.map((t) => t.name);
  const eslintConfig = [{ languageOptions: { ecmaVersion: 'latest', sourceType: 'script' }, rules: Object.fromEntries(names.map((n) => [n, 'error'])) }];
  // As failures does before proposing: a rule whose detectors flag most files is too broad and is not proposed.
  const records = trained.map((t) => proposalRecord(t.detectors, { bad: [], good: [] }, t.name));
  const { rules: all } = compileRules(records, new Map(), { statuses: ['proposed'] });
  const flaggedFiles = new Map(all.map((r) => [r.id, 0]));
  for (const file of files) for (const f of new Set(checkText(file.path, file.text, all, { ignoreGlobs: true }).findings.map((x) => x.id))) flaggedFiles.set(f, flaggedFiles.get(f) + 1);
  const rules = all.filter((r) => flaggedFiles.get(r.id) <= files.length * 0.5);
  const refused = all.length - rules.length;
  for (const r of all) if (!rules.includes(r)) names.splice(names.indexOf(r.id), 1);
  const per = new Map(names.map((n) => [n, { tp: 0, s: 0, h: 0, found: 0, split: trained.find((t) => t.name === n).split }]));
  const eslintRules = Object.fromEntries(names.map((n) => [n, 'error']));
  eslintConfig[0].rules = eslintRules;
  let read = 0;
  for (const file of files) {
    let messages;
    try {
      // The rule's own verdict: inline `eslint-disable` comments in eslint's lib are not honoured (the detectors do not read them).
      messages = linter.verify(file.text, eslintConfig, { filename: file.path, allowInlineConfig: false });
    } catch {
      continue;
    }
    if (messages.some((m) => m.fatal)) continue; // a file ESLint cannot parse is left out on both sides
    read++;
    const hand = new Set(messages.filter((m) => m.ruleId).map((m) => `${m.ruleId}\u0000${m.line}`));
    const findings = checkText(file.path, file.text, rules, { ignoreGlobs: true }).findings;
    // As against the structural rules: a finding agrees with ESLint's when ESLint reports a line of its span
    // (ESLint reports a multi-line object at its offending property, a pattern at the object's start).
    const covers = (f, line) => line >= f.line && line <= f.endLine;
    const seen = new Set();
    for (const f of findings) {
      const p = per.get(f.id);
      if (!p || seen.has(`${f.id}\u0000${f.line}`)) continue;
      seen.add(`${f.id}\u0000${f.line}`);
      p.s++;
      if (messages.some((m) => m.ruleId === f.id && covers(f, m.line))) p.tp++;
      else (p.extra ??= []).push(`${file.path}:${f.line} ${f.code.split('\n')[0].slice(0, 80)}`);
    }
    for (const key of hand) {
      const [id, line] = key.split('\u0000');
      const p = per.get(id);
      if (!p) continue;
      p.h++;
      if (findings.some((f) => f.id === id && covers(f, Number(line)))) p.found++;
    }
  }
  console.log(`  seeded codebase: ${read} files (${files.length - read} not parsed by ESLint left out) = ${codebaseDir} + ${trained.reduce((n, t) => n + t.held.length, 0)} held-out invalid cases as files; ${trained.length} rules with a synthesized detector, ${refused} of them refused as too broad (flag more than half the files)`);
  for (const split of splits) {
    const rows = [...per.values()].filter((p) => p.split === split);
    console.log(`  ${split.padEnd(5)} ${rows.length} rules against ESLint's own (semantic) rules, not the target figure: ${summary(rows)}`);
  }
  if (verbose) {
    for (const [name, p] of per) {
      if (!splits.includes(p.split) || p.s === p.tp) continue;
      console.log(`    ${name} [${p.split}]: ${p.s - p.tp} flagged that ESLint does not (of ${p.s}); missed ${p.h - p.tp} of ${p.h}`);
      for (const d of trained.find((t) => t.name === name).detectors) console.log(`      rule: ${JSON.stringify(d.rule)}`);
      for (const e of p.extra.slice(0, 4)) console.log(`      extra: ${e}`);
    }
  }
}

console.log(`bench:synth — ${machine()}`);
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
if (!only || only === 'semgrep') runSemgrep();
if (!only || only === 'astgrep') runAstGrep();
if (!only || only === 'eslint') runEslint();
