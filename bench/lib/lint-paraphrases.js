// Paraphrases nobody here wrote: the same lint rule described by different linters' own docs.
// ESLint's rule pages (eslint/eslint docs/src/rules/*.md), Biome's rule docs that name the ESLint rule
// they port (biomejs/biome crates/biome_js_analyze/src/lint/**, `RuleSource::Eslint("…")`) and
// oxlint's ports of ESLint rules (oxc-project/oxc crates/oxc_linter/src/rules/eslint/*.rs), and
// deno_lint's diagnostics for the rules it shares with ESLint (denoland/deno_lint src/rules/*.rs).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

export const PARAPHRASE_DIR = process.env.FAILURES_PARAPHRASES ?? '/work/data/para';

const clean = (text) => text.replace(/\s+/g, ' ').trim();

/** A Rust string literal's text ("…" with escapes, or r#"…"#), format placeholders ({}, {name}) left out. */
const rustString = (literal) =>
  clean(
    (literal.startsWith('r') ? literal.replace(/^r#*"|"#*$/g, '') : literal.slice(1, -1).replace(/\\(["\\])/g, '$1').replace(/\\n/g, ' '))
      .replace(/\{[^{}]*\}/g, ' '),
  );
const STRING = String.raw`(r#*"[\s\S]*?"#*|"(?:\\.|[^"\\])*")`;

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

/** Biome's rules that port an ESLint rule (`RuleSource::Eslint("…")`): [ESLint rule, Rust source]. */
function biomeSources(dir) {
  const root = join(dir, 'crates/biome_js_analyze/src/lint');
  if (!existsSync(root)) return [];
  return walk(root).flatMap((file) => {
    const source = readFileSync(file, 'utf8');
    const eslint = source.match(/RuleSource::Eslint\("([^"]+)"\)/);
    return eslint ? [[eslint[1], source]] : [];
  });
}

/** Biome: ESLint rule → the summary and first paragraph of the Biome rule porting it. */
function biomeRules(dir) {
  const rules = new Map();
  for (const [eslint, source] of biomeSources(dir)) {
    const [summary, more] = paragraphs(docComment(source).split(/^## /m)[0]);
    if (summary) rules.set(eslint, { context: summary, feedback: more ?? summary });
  }
  return rules;
}

/** The string literals of a piece of Rust source, joined (markup's tags and interpolations left out). */
const literals = (source) => clean([...source.matchAll(new RegExp(STRING, 'g'))].map((m) => rustString(m[1])).join(' '));

/**
 * Biome's diagnostics: ESLint rule → the message of the Biome rule's diagnostic and its first note,
 * what a user reads when the rule fires (short, like a reviewer's correction).
 */
function biomeDiagnostics(dir) {
  const rules = new Map();
  for (const [eslint, source] of biomeSources(dir)) {
    const body = source.split(/fn diagnostic\(/)[1]?.split(/\n {4}\}\n/)[0];
    if (!body) continue;
    const [head, ...notes] = body.split(/\.(?:note|detail)\(/);
    const message = literals(head.split('RuleDiagnostic::new(')[1] ?? '');
    const note = notes.length > 0 ? literals(notes[0].split(/\)\s*\n\s*\./)[0]) : '';
    if (message) rules.set(eslint, { context: message, feedback: note || message });
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
 * deno_lint: ESLint rule (the rule's CODE) → its diagnostic message and hint, what a user of `deno
 * lint` reads: `const MESSAGE`/`const HINT`, else the first `#[display(fmt = …)]` of the rule's
 * …Message and …Hint enums, else the literals of its first diagnostic. Short texts, like a
 * reviewer's correction.
 */
function denoRules(dir) {
  const rules = new Map();
  const root = join(dir, 'src/rules');
  if (!existsSync(root)) return rules;
  const constant = (source, name) => source.match(new RegExp(String.raw`const ${name}: &str =\s*${STRING}`))?.[1];
  const display = (source, suffix) => source.match(new RegExp(String.raw`enum \w*${suffix} \{[^}]*?#\[display\(\s*fmt = ${STRING}`))?.[1];
  const inline = (source) => source.match(new RegExp(String.raw`add_diagnostic(?:_with_hint)?\(\s*[\w.()]+,\s*CODE,\s*${STRING}(?:,\s*${STRING})?`)) ?? [];
  for (const file of readdirSync(root).sort()) {
    if (!file.endsWith('.rs')) continue;
    const source = readFileSync(join(root, file), 'utf8');
    const code = source.match(/const CODE: &str = "([^"]+)"/)?.[1];
    const [, inlineMessage, inlineHint] = inline(source);
    const message = constant(source, 'MESSAGE') ?? display(source, 'Message') ?? inlineMessage;
    const hint = constant(source, 'HINT') ?? display(source, 'Hint') ?? inlineHint;
    if (!code || !message) continue;
    rules.set(code, { context: rustString(message), feedback: hint ? rustString(hint) : rustString(message) });
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
  return { known, biome: pick(biomeRules(join(dir, 'biome'))), oxlint: pick(oxlintRules(join(dir, 'oxc'))), deno: pick(denoRules(join(dir, 'deno'))), biomeDiagnostics: pick(biomeDiagnostics(join(dir, 'biome'))) };
}
