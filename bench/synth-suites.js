// Part of `npm run bench:synth`: hand-written STRUCTURAL rule suites other than ast-grep-essentials, as
// example sets whose truth is a rule our engine runs exactly as written. SYNTH_RULE_SUITES (default
// /work/data/ast-grep-rules) holds one folder per suite; each folder's layout says how it is read:
//  - `sgconfig.yml` with rules and `valid:`/`invalid:` tests (ast-grep's own test layout): read by astGrepSets;
//  - `website/catalog/<lang>/<rule>.md` (the ast-grep website's rule catalog: a YAML block, an Example
//    block and often a Diff block per rule);
//  - `rules/<name>.yml` (several `---` documents, one per language) with `test_samples/<name>.<ext>`.
// Catalog examples and samples are whole files: each is cut into its top-level statements, and the
// hand-written rule itself says which are bad (it flags them alone, where it flags them) and which good.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { astGrepSets, renameUtils, split } from './synth-astgrep.js';

const LANGUAGES = { javascript: 'javascript', js: 'javascript', typescript: 'typescript', ts: 'typescript', tsx: 'tsx', python: 'python', py: 'python' };
const EXTENSION = { javascript: 'js', typescript: 'ts', tsx: 'tsx', python: 'py' };

function* files(dir, test) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* files(path, test);
    else if (test(path)) yield path;
  }
}

/** The rule documents of a YAML text with a language we synthesize in, as detectors. */
function ruleDocs(text) {
  const out = [];
  for (const doc of parseAllDocuments(text)) {
    const d = doc.toJSON?.();
    const language = LANGUAGES[String(d?.language ?? '').toLowerCase()];
    if (!d?.id || !language || !d.rule) continue;
    const { rule, utils } = renameUtils(d.rule, d.utils);
    out.push({ id: d.id, language, detector: { rule, ...(utils ? { utils } : {}), ...(d.constraints ? { constraints: d.constraints } : {}), language } });
  }
  return out;
}

/**
 * A whole example file cut into cases by the hand-written rule: each top-level statement it flags when
 * read alone is a bad case (with where it flags it), each it does not flag a good one. Statements are
 * read by `statements(language, code)`, the rule by `oracle(detector, code)` (→ [{ line, column }]).
 */
function cases(code, language, detector, { statements, oracle }) {
  const bad = [];
  const good = [];
  for (const text of statements(language, code)) {
    let at;
    try {
      at = oracle(detector, text);
    } catch {
      return null;
    }
    if (at.length) bad.push({ code: text, at });
    else good.push(text);
  }
  return { bad, good };
}

/** Fenced code blocks of a Markdown text after a heading: [{ info, code }]. */
function fences(markdown, heading) {
  const start = heading ? markdown.search(new RegExp(`^###\\s+${heading}\\b`, 'm')) : 0;
  if (start < 0) return [];
  const rest = markdown.slice(start + (heading ? 3 : 0));
  const end = heading ? rest.search(/^###\s/m) : -1;
  const section = end >= 0 ? rest.slice(0, end) : rest;
  return [...section.matchAll(/^```(\S*)[^\n]*\n([\s\S]*?)^```/gm)].map((m) => ({ info: m[1].toLowerCase(), code: m[2] }));
}

/** The ast-grep website's catalog: each rule's YAML, its Example (bad and good statements) and the Diff's corrected side (good). */
function catalogSets(root, name, tools) {
  const sets = [];
  for (const path of files(join(root, 'website', 'catalog'), (p) => p.endsWith('.md') && basename(p) !== 'index.md')) {
    const markdown = readFileSync(path, 'utf8');
    const yaml = [...fences(markdown, 'YAML'), ...fences(markdown)].find((f) => /^ya?ml$/.test(f.info) && /^rule:/m.test(f.code));
    if (!yaml) continue;
    let docs;
    try {
      docs = ruleDocs(yaml.code);
    } catch {
      continue;
    }
    const rule = docs[0];
    const example = fences(markdown, 'Example')[0];
    if (!rule || !example) continue;
    const found = cases(example.code, rule.language, rule.detector, tools);
    if (!found || found.bad.length === 0) continue;
    const diff = fences(markdown, 'Diff')[0];
    if (diff) {
      const after = diff.code.split('\n').filter((l) => !l.includes('[!code --]')).map((l) => l.replace(/\s*(\/\/|#)\s*\[!code \+\+\]\s*$/, '')).join('\n');
      const fixed = cases(after, rule.language, rule.detector, tools);
      for (const g of fixed?.good ?? []) if (!found.good.includes(g)) found.good.push(g);
    }
    const id = `${name}/${rule.id}`;
    sets.push({ id, suite: name, language: rule.language, detector: rule.detector, bad: found.bad, good: found.good, split: split(id) });
  }
  return sets;
}

/** rules/<name>.yml (one document per language) with test_samples/<name>.<ext>, whose statements the rule says are bad or good. */
function sampleSets(root, name, tools) {
  const sets = [];
  for (const path of files(join(root, 'rules'), (p) => /\.ya?ml$/.test(p))) {
    let docs;
    try {
      docs = ruleDocs(readFileSync(path, 'utf8'));
    } catch {
      continue;
    }
    for (const rule of docs) {
      const sample = join(root, 'test_samples', `${basename(path).replace(/\.ya?ml$/, '')}.${EXTENSION[rule.language]}`);
      if (!existsSync(sample)) continue;
      const found = cases(readFileSync(sample, 'utf8'), rule.language, rule.detector, tools);
      if (!found || found.bad.length === 0) continue;
      const id = `${name}/${rule.id}`;
      sets.push({ id, suite: name, language: rule.language, detector: rule.detector, bad: found.bad, good: found.good, split: split(id) });
    }
  }
  return sets;
}

/**
 * Every suite under `root` (one folder each), as astGrepSets returns them, with `suite` set and ids
 * prefixed by it. `tools`: { statements(language, code) → texts, oracle(detector, code) → positions }.
 */
export function ruleSuiteSets(root, tools) {
  if (!existsSync(root)) return [];
  const sets = [];
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    if (!statSync(dir).isDirectory()) continue;
    if (existsSync(join(dir, 'website', 'catalog'))) sets.push(...catalogSets(dir, name, tools));
    else if (existsSync(join(dir, 'test_samples'))) sets.push(...sampleSets(dir, name, tools));
    else if (existsSync(join(dir, 'sgconfig.yml'))) {
      for (const set of astGrepSets(dir)) {
        const id = `${name}/${set.id}`;
        sets.push({ ...set, id, suite: name, split: split(id) });
      }
    }
  }
  return sets;
}
