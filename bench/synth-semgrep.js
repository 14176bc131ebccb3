// Part of `npm run bench:synth`: Semgrep's public rule tests (`# ruleid:` / `# ok:` annotated files) as
// bad/good example sets. For each test file: bad = the statement under each `ruleid:` line, good = the
// statement under each `ok:` line; a set is separated when the synthesized detectors flag every bad
// statement and no good one (run over the whole file with ast-grep, independently of synthesis).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createHash } from 'node:crypto';

const EXT = { '.py': 'python', '.js': 'javascript', '.ts': 'typescript', '.jsx': 'javascript', '.tsx': 'tsx' };

function* walk(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}

/** The annotated sets of one test file, per rule id: bad and good lines (1-based). */
export function annotations(text) {
  const lines = text.split('\n');
  const rules = new Map();
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*(?:#|\/\/|\/\*|\{\/\*)\s*(ruleid|ok|todoruleid|todook)\s*:\s*([\w.,\s-]+)/.exec(lines[i]);
    if (!m || m[1].startsWith('todo')) continue;
    let j = i + 1;
    while (j < lines.length && (/^\s*$/.test(lines[j]) || /^\s*(#|\/\/|\/\*|\*|\{\/\*)/.test(lines[j]))) j++;
    if (j >= lines.length) continue;
    for (const id of m[2].split(',').map((s) => s.trim()).filter(Boolean)) {
      if (!rules.has(id)) rules.set(id, { bad: [], good: [] });
      const set = rules.get(id);
      const list = m[1] === 'ruleid' ? set.bad : set.good;
      if (!list.includes(j + 1)) list.push(j + 1);
    }
  }
  return rules;
}

/** `dev` or `test`, by a hash of the path: the synthesizer was looked at on dev only. */
export function split(path) {
  return createHash('sha1').update(path).digest()[0] % 2 === 0 ? 'dev' : 'test';
}

export function semgrepSets(root) {
  const sets = [];
  for (const path of walk(root)) {
    const ext = path.slice(path.lastIndexOf('.'));
    const language = EXT[ext];
    if (!language) continue;
    const text = readFileSync(path, 'utf8');
    for (const [id, { bad, good }] of annotations(text)) {
      if (bad.length === 0) continue;
      const name = `${relative(root, path)}#${id}`;
      sets.push({ name, language, text, bad, good: good.filter((l) => !bad.includes(l)), split: split(name) });
    }
  }
  return sets;
}
