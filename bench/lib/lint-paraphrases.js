// Paraphrases nobody here wrote: the same lint rule described by different linters' own docs.
// ESLint's rule pages (eslint/eslint docs/src/rules/*.md), Biome's rule docs that name the ESLint rule
// they port (biomejs/biome crates/biome_js_analyze/src/lint/**, `RuleSource::Eslint("…")`) and
// oxlint's ports of ESLint rules (oxc-project/oxc crates/oxc_linter/src/rules/eslint/*.rs).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

export const PARAPHRASE_DIR = process.env.FAILURES_PARAPHRASES ?? '/work/data/para';

const clean = (text) => text.replace(/\s+/g, ' ').trim();

function walk(dir, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.rs')) out.push(path);
  }
  return out;
}

/** Paragraphs of a markdown text, code blocks and html left out. */
function paragraphs(markdown) {
  return markdown
    .replace(/```[\s\S]*?```/g, '')
    .split(/\n\s*\n/)
    .map(clean)
    .filter((p) => p && !/^[<!{:|-]/.test(p));
}

/** ESLint: rule → the page's first paragraph (why) and the first of "Rule Details" (what). */
function eslintRules(dir) {
  const rules = new Map();
  const docs = join(dir, 'docs/src/rules');
  if (!existsSync(docs)) return rules;
  for (const file of readdirSync(docs).sort()) {
    const text = readFileSync(join(docs, file), 'utf8').replace(/^---[\s\S]*?---/, '');
    if (/deprecated|removed/i.test(text.slice(0, 400))) continue;
    const [intro, details = ''] = text.split(/^## Rule Details/m);
    const why = paragraphs(intro).filter((p) => !p.startsWith('#'))[0];
    const what = paragraphs(details).filter((p) => !p.startsWith('#'))[0];
    if (why || what) rules.set(basename(file, '.md'), { context: why ?? what, feedback: what ?? why });
  }
  return rules;
}

/** Doc comment lines (///) of a Rust file, as markdown. */
const docComment = (source) =>
  source
    .split('\n')
    .filter((l) => /^\s*\/\/\//.test(l))
    .map((l) => l.replace(/^\s*\/\/\/ ?/, ''))
    .join('\n');

/** Biome: ESLint rule → the summary and first paragraph of the Biome rule porting it. */
function biomeRules(dir) {
  const rules = new Map();
  const root = join(dir, 'crates/biome_js_analyze/src/lint');
  if (!existsSync(root)) return rules;
  for (const file of walk(root)) {
    const source = readFileSync(file, 'utf8');
    const eslint = source.match(/RuleSource::Eslint\("([^"]+)"\)/);
    if (!eslint) continue;
    const [summary, more] = paragraphs(docComment(source).split(/^## /m)[0]);
    if (summary) rules.set(eslint[1], { context: summary, feedback: more ?? summary });
  }
  return rules;
}

/** oxlint: ESLint rule → "What it does" and "Why is this bad?". */
function oxlintRules(dir) {
  const rules = new Map();
  const root = join(dir, 'crates/oxc_linter/src/rules/eslint');
  if (!existsSync(root)) return rules;
  for (const file of walk(root)) {
    const doc = docComment(readFileSync(file, 'utf8'));
    const section = (title) => paragraphs((doc.split(new RegExp(`^### ${title}.*$`, 'm'))[1] ?? '').split(/^### /m)[0])[0];
    const what = section('What it does');
    const why = section('Why is this bad');
    const rule = basename(file, '.rs').replace(/_/g, '-');
    if (what) rules.set(rule, { context: what, feedback: why ?? what });
  }
  return rules;
}

/**
 * Paraphrase sets: `known` (ESLint's descriptions, the records on file) and two query sources with
 * the ESLint rule each describes. Empty when the data is absent.
 */
export function loadLintParaphrases(dir = PARAPHRASE_DIR) {
  const known = eslintRules(join(dir, 'eslint'));
  const pick = (rules) => [...rules].filter(([rule]) => known.has(rule)).map(([rule, text]) => ({ rule, ...text }));
  return { known, biome: pick(biomeRules(join(dir, 'biome'))), oxlint: pick(oxlintRules(join(dir, 'oxc'))) };
}
