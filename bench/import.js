#!/usr/bin/env node
// Field accuracy of `failures import` on real published postmortems, against hand labels.
//
// Data (never committed): public repositories fetched under $FAILURES_POSTMORTEMS (default
// /work/data/postmortems), one folder per repository (owner+name), and labels.json beside them
// (values a person read from the documents at the commits it names). Documents labelled "dev" were
// looked at while the parser was written; "test" ones were labelled afterwards and never tuned on.
//
// `node bench/import.js` prints per-field accuracy for each split; `importAccuracy()` is the same as
// a module, for the context benchmark (npm run bench:context) to call. Skips cleanly without data.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, median } from './machine.js';

export const DEFAULT_DATA = process.env.FAILURES_POSTMORTEMS ?? '/work/data/postmortems';

const norm = (s) => (s ?? '').toString().toLowerCase().replace(/[\s_]+/g, ' ').replace(/[.\s]+$/, '').trim();

/** What the parser read from one document, in the labels' terms. */
function reading(parsed) {
  const first = parsed.incidents[0];
  if (!first) return { incidents: 0 };
  const items = first.postmortem.action_items ?? [];
  const actions = {};
  for (const item of items) actions[item.status] = (actions[item.status] ?? 0) + 1;
  const where = first.rootCauseFrom === 'section' || first.rootCauseFrom === 'field' ? 'section' : first.rootCauseFrom ? 'summary' : 'none';
  return {
    incidents: parsed.incidents.length,
    title: first.incident.title,
    date: first.incident.date ?? null,
    severity: first.incident.severity ?? null,
    rc: where,
    actions,
    timeline: first.incident.timeline?.length ?? 0,
    detection_time: first.incident.detection_time ?? null,
    resolution_time: first.incident.resolution_time ?? null,
  };
}

const total = (counts) => Object.values(counts ?? {}).reduce((a, b) => a + b, 0);

/** Share of action items whose status agrees (multiset overlap over the larger of the two counts). */
function statusAgreement(gold, got) {
  const n = Math.max(total(gold), total(got));
  if (n === 0) return 1;
  let same = 0;
  for (const status of new Set([...Object.keys(gold), ...Object.keys(got)])) same += Math.min(gold[status] ?? 0, got[status] ?? 0);
  return same / n;
}

const FIELDS = ['title', 'date', 'severity', 'rc', 'detection_time', 'resolution_time'];

/**
 * Per-field accuracy on the labelled documents, by split. Returns undefined (with the reason) when
 * the data or the build is missing.
 */
export async function importAccuracy({ dataDir = DEFAULT_DATA, dist = fileURLToPath(new URL('../dist/', import.meta.url)) } = {}) {
  const labelsFile = join(dataDir, 'labels.json');
  if (!existsSync(labelsFile)) return { skipped: `no labels at ${labelsFile} (set FAILURES_POSTMORTEMS to the folder holding the fetched repositories and labels.json)` };
  const { parsePostmortem } = await import(join(dist, 'ingest/postmortem/index.js'));
  const labels = JSON.parse(readFileSync(labelsFile, 'utf8'));
  const splits = {};
  const misses = [];
  for (const doc of labels.documents) {
    const file = join(dataDir, doc.path);
    if (!existsSync(file)) {
      misses.push(`${doc.path}: missing`);
      continue;
    }
    const got = reading(parsePostmortem(doc.path, readFileSync(file, 'utf8')));
    const split = (splits[doc.split] ??= { documents: 0, fields: {} });
    split.documents++;
    const score = (field, ok) => {
      const f = (split.fields[field] ??= { right: 0, total: 0 });
      f.total++;
      if (ok) f.right++;
      else misses.push(`[${doc.split}] ${doc.path}: ${field} expected ${JSON.stringify(field === 'action_count' ? doc.actions : doc[field])} got ${JSON.stringify(field === 'action_count' ? got.actions : got[field])}`);
    };
    if ('incidents' in doc) score('incidents', got.incidents === doc.incidents);
    for (const field of FIELDS) if (field in doc) score(field, norm(doc[field]) === norm(got[field]));
    if ('timeline' in doc) score('timeline', got.timeline === doc.timeline);
    if ('actions' in doc) {
      score('action_count', total(got.actions) === total(doc.actions));
      const f = (split.fields.action_status ??= { right: 0, total: 0 });
      f.total++;
      f.right += statusAgreement(doc.actions, got.actions ?? {});
    }
  }
  return { splits, misses };
}

/** Parse time over every markdown document in the data folder (median of 3 passes). */
async function speed(dataDir, dist) {
  const { parsePostmortem } = await import(join(dist, 'ingest/postmortem/index.js'));
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.md$/i.test(name)) files.push(readFileSync(path, 'utf8'));
    }
  };
  walk(dataDir);
  const times = [];
  for (let pass = 0; pass < 3; pass++) {
    const start = performance.now();
    for (const [i, text] of files.entries()) parsePostmortem(`doc-${i}.md`, text);
    times.push(performance.now() - start);
  }
  return { documents: files.length, ms: median(times) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dist = fileURLToPath(new URL('../dist/', import.meta.url));
  const result = await importAccuracy({ dist });
  if (result.skipped) {
    console.log(`bench:import skipped: ${result.skipped}`);
    process.exit(0);
  }
  console.log(`machine: ${machine()}`);
  console.log(`data: ${DEFAULT_DATA}`);
  for (const [name, split] of Object.entries(result.splits)) {
    console.log(`\n${name} (${split.documents} documents)`);
    for (const [field, f] of Object.entries(split.fields)) console.log(`  ${field.padEnd(16)} ${((100 * f.right) / f.total).toFixed(0).padStart(3)}%  (${Number(f.right.toFixed(2))}/${f.total})`);
  }
  if (process.argv.includes('--misses')) console.log(`\n${result.misses.join('\n')}`);
  const s = await speed(DEFAULT_DATA, dist);
  console.log(`\nspeed: ${s.documents} markdown documents parsed in ${s.ms.toFixed(0)} ms (median of 3), ${(s.ms / s.documents).toFixed(2)} ms each`);
}
