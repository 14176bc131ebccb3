#!/usr/bin/env node
// `npm run bench:synth`: detectors synthesized from examples nobody here wrote.
//  1. Separation (target ≥ 0.9): Semgrep's public rule tests (SYNTH_SEMGREP, default
//     /work/data/semgrep-rules: the javascript/, typescript/ and python/ folders of semgrep-rules) —
//     share of test files whose synthesized detectors flag every `ruleid:` statement and no `ok:` one.
//  2. ESLint's own rule tests (SYNTH_ESLINT, default /work/data/eslint: tests/lib/rules and lib/rules of
//     eslint): separation on invalid/valid code, and precision/recall against the hand-written rule
//     (ESLint's) on a real codebase seeded with held-out violations (SYNTH_CODEBASE).
// Data is fetched into /work/data and read by path; each part is skipped with a message when absent.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '@ast-grep/napi';
import { machine } from './machine.js';
import { semgrepSets } from './synth-semgrep.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const { synthesize } = await import(join(repoRoot, 'dist', 'enforce', 'synth', 'index.js'));
const { astGrepLang } = await import(join(repoRoot, 'dist', 'enforce', 'synth', 'lang.js'));
const fmt = (x) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
const verbose = process.argv.includes('--verbose');

/** Lines flagged by detectors in a file's text, run with ast-grep. */
function flaggedLines(detectors, language, text) {
  const root = parse(astGrepLang(language), text).root();
  const lines = new Set();
  for (const d of detectors) for (const hit of root.findAll({ rule: d.rule })) lines.add(hit.range().start.line + 1);
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

console.log(`bench:synth — ${machine()}`);
runSemgrep();
