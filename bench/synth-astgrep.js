// Part of `npm run bench:synth`: hand-written STRUCTURAL rules with their own tests — ast-grep rule
// repositories laid out as `ast-grep test` reads them (rules/**/<id>.yml; tests/**/<id>-test.yml with
// `valid:` and `invalid:` snippets; tests/__snapshots__/<id>-snapshot.yml with where each invalid snippet
// is reported) — as example sets whose truth is a rule our engine runs exactly as written.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { parse as parseYaml, parseAllDocuments } from 'yaml';

const LANGUAGES = { javascript: 'javascript', typescript: 'typescript', tsx: 'tsx', python: 'python' };

function* walk(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* walk(path);
    else if (/\.ya?ml$/.test(path)) yield path;
  }
}

/** `dev` or `test`, by a hash of the rule id (the synthesizer was looked at on dev only). */
export function split(id) {
  // SYNTH_ALL_HELDOUT=1: every rule held out, for suites nobody tuned on.
  if (process.env.SYNTH_ALL_HELDOUT === '1') return 'test';
  // A rule written once per language (`x`, `x-js`; `x-javascript`, `x-typescript`) is one rule: one split.
  const key = id.replace(/-(js|ts|tsx|jsx|py|javascript|typescript|python)$/, '');
  return createHash('sha1').update(key).digest()[0] % 2 === 0 ? 'dev' : 'test';
}

/**
 * These rules name utilities by their code (`redis.Redis(..., password="...",...)`), which the ast-grep
 * that failures ships (0.51) refuses as reserved characters: each is renamed `U<n>` with every `matches:`
 * naming it, which does not change what the rule matches.
 */
export function renameUtils(rule, utils) {
  if (!utils || typeof utils !== 'object') return { rule, utils };
  const names = new Map(Object.keys(utils).map((k, i) => [k, `U${i}`]));
  const rename = (node) => {
    if (Array.isArray(node)) return node.map(rename);
    if (!node || typeof node !== 'object') return node;
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === 'matches' && typeof v === 'string' && names.has(v) ? names.get(v) : rename(v)]));
  };
  return { rule: rename(rule), utils: Object.fromEntries(Object.entries(utils).map(([k, v]) => [names.get(k), rename(v)])) };
}

/** 1-based line and column of an offset. */
function positionAt(text, offset) {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] !== '\n') continue;
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/**
 * The rules of one repository in languages we synthesize in, each with its test cases:
 * { id, language, rule (the detector: rule, utils, constraints), bad: [{ code, at }], good: [code], split }.
 * `at` is where the snapshot reports the invalid snippet (its primary labels: line, column); empty when unknown.
 */
export function astGrepSets(root) {
  // Where sgconfig.yml says rules and tests are (`ruleDirs`, `testConfigs[].testDir`); rules/ and tests/ otherwise.
  let config = {};
  try {
    config = parseYaml(readFileSync(join(root, 'sgconfig.yml'), 'utf8')) ?? {};
  } catch {
    // no or unreadable sgconfig.yml: the default layout
  }
  // Without a named folder that exists: the first default that does (`ast-grep new` makes rule-tests/).
  const dirs = (list, fallbacks) => {
    const named = (list ?? []).filter((d) => typeof d === 'string' && existsSync(join(root, d)));
    return named.length ? named : [fallbacks.find((d) => existsSync(join(root, d))) ?? fallbacks[0]];
  };
  const ruleDirs = dirs(config.ruleDirs, ['rules']);
  const testDirs = dirs((config.testConfigs ?? []).map((t) => t?.testDir), ['tests', 'rule-tests']);
  const rules = new Map();
  for (const path of ruleDirs.flatMap((d) => [...walk(join(root, d))])) {
    let docs;
    try {
      docs = parseAllDocuments(readFileSync(path, 'utf8')).map((d) => d.toJSON());
    } catch {
      continue;
    }
    for (const doc of docs) {
      const language = LANGUAGES[String(doc?.language ?? '').toLowerCase()];
      if (!doc?.id || !language || !doc.rule) continue;
      const { rule, utils } = renameUtils(doc.rule, doc.utils);
      rules.set(doc.id, { language, detector: { rule, ...(utils ? { utils } : {}), ...(doc.constraints ? { constraints: doc.constraints } : {}), language } });
    }
  }
  const snapshots = new Map();
  for (const path of testDirs.flatMap((d) => [...walk(join(root, d, '__snapshots__'))])) {
    try {
      const doc = parseYaml(readFileSync(path, 'utf8'));
      // Keys are the snippets, sometimes without their final newline: looked up trimmed.
      if (doc?.id && doc.snapshots) snapshots.set(doc.id, new Map(Object.entries(doc.snapshots).map(([k, v]) => [k.trimEnd(), v])));
    } catch {
      // a snapshot that does not read: the cases are used without their lines
    }
  }
  const sets = [];
  for (const path of testDirs.flatMap((d) => [...walk(join(root, d))])) {
    // As `ast-grep test` does, every YAML file under a test folder is a test (`<id>-test.yml` by
    // convention, any name in some repositories), snapshots excepted; one without `invalid:` is skipped below.
    if (path.split(/[\\/]/).includes('__snapshots__')) continue;
    let doc;
    try {
      doc = parseYaml(readFileSync(path, 'utf8'));
    } catch {
      continue;
    }
    const rule = rules.get(doc?.id);
    if (!rule) continue;
    const invalid = (doc.invalid ?? []).filter((c) => typeof c === 'string' && c.trim());
    const valid = (doc.valid ?? []).filter((c) => typeof c === 'string' && c.trim());
    if (invalid.length === 0) continue;
    const snaps = snapshots.get(doc.id) ?? new Map();
    const bad = invalid.map((code) => {
      const labels = snaps.get(code.trimEnd())?.labels ?? [];
      const starts = [...new Set(labels.filter((l) => l.style === 'primary' && Number.isInteger(l.start)).map((l) => l.start))];
      return { code, at: starts.map((start) => positionAt(code, start)) };
    });
    sets.push({ id: doc.id, language: rule.language, detector: rule.detector, bad, good: valid, split: split(doc.id) });
  }
  return sets.sort((a, b) => (a.id < b.id ? -1 : 1));
}
