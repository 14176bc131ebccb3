#!/usr/bin/env node
// `npm run bench:context`: how well `failures context` finds the past failures that matter to a new
// feature, on real published postmortems (FAILURES_POSTMORTEMS, default /work/data/postmortems: the
// public repositories icco/postmortems, dfds/postmortems, PostHog/post-mortems, Chia-Network/post-mortem,
// metakgp/mftp), against feature specs written for them (bench/fixtures/context-manifolds.js) with
// relevance judged by hand (bench/fixtures/context-judgments.js: 2 = the feature must learn from it,
// 1 = related). Side by side with a plain BM25 search over the same documents and the same engine on
// minimally read records: nDCG@5 and recall@10, `dev` and held-out specs (`heldout`, `heldout2`: two
// batches seen since, and `heldout3`: development data now; `heldout4`: the held-out batch) apart (`--split dev` prints
// one); then the time for a report over 1,000 incidents.
// `--pool [SPLIT]` prints the documents to judge (the union of the three systems' top 15, in file order,
// without their ranks). `--ablation [SPLIT]` prints the engine with one component alone or left out, and
// on records without one kind of imported structure (dev by default: tuning looks at dev only).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, median } from './machine.js';
import { DEFAULT_DATA, loadDocuments, minimalIncident, plainText } from './context-corpus.js';
import { manifolds } from './fixtures/context-manifolds.js';
import { judgments } from './fixtures/context-judgments.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const dataDir = process.env.FAILURES_POSTMORTEMS ?? DEFAULT_DATA;
const { analyzeContext, contextReport, bm25 } = await import(join(repoRoot, 'dist', 'context', 'index.js'));

const docs = loadDocuments(dataDir);
if (!docs || docs.length === 0) {
  console.log(`bench:context skipped: no postmortems under ${dataDir} (set FAILURES_POSTMORTEMS to a folder of published postmortem markdown)`);
  process.exit(0);
}

/** The importer of `failures import` (its postmortem parser), when this build has it; else the minimal reader. */
async function reader() {
  const path = join(repoRoot, 'dist', 'ingest', 'postmortem', 'index.js');
  if (!existsSync(path)) return { name: 'minimal reader (no importer in this build)', read: (doc) => ({ incident: minimalIncident(doc) }) };
  const { parsePostmortem } = await import(path);
  return {
    name: "the postmortem importer of `failures import`",
    read: (doc) => {
      const first = parsePostmortem(doc.id.split('/').pop(), doc.text).incidents[0];
      if (!first) return { incident: minimalIncident(doc) };
      // The bench ranks documents: one incident per document, named by its path.
      return { incident: { ...first.incident, incident_id: doc.id, source: { file: doc.id, format: 'markdown', ...(first.rootCauseFrom ? { root_cause_from: first.rootCauseFrom } : {}) } }, postmortem: { ...first.postmortem, id: `PM:${doc.id}`, incident: doc.id } };
    },
  };
}

const { name: readerName, read } = await reader();
const readings = docs.map(read);
const incidents = readings.map((r) => r.incident);
const postmortems = readings.map((r) => r.postmortem).filter(Boolean);
// As `failures context` does for imported incidents: the source document's words beside the records.
const sourceTexts = new Map(docs.map((d) => [d.id, d.text]));
const history = { incidents, postmortems, antiPatterns: [], constraints: [], ticketPatterns: [], tickets: [], failureModes: [], sourceTexts };
const plain = bm25(docs.map((d) => [[plainText(d), 1]]));
const plainQuery = (m) => [m.name.replace(/-/g, ' '), m.description ?? '', ...(m.entities ?? []), ...(m.systems ?? []), ...(m.error_types ?? []), ...(m.constraints ?? []).map((c) => c.statement)].join('. ');

// The same engine on records from the minimal reader (title, first paragraph, the rest; no extracted structure).
const minimalHistory = { ...history, incidents: docs.map(minimalIncident), postmortems: [] };

function rankings(manifold) {
  const ours = analyzeContext(manifold, history, { sources: ['incidents', 'postmortems'] }).ranked.map((r) => r.id);
  const minimal = analyzeContext(manifold, minimalHistory, { sources: ['incidents'] }).ranked.map((r) => r.id);
  const scores = plain.score(plainQuery(manifold));
  const baseline = docs.map((d, i) => [d.id, scores[i]]).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([id]) => id);
  return { ours, minimal, baseline };
}

if (process.argv.includes('--pool')) {
  // The documents to judge for a split (`--pool heldout`; all specs without one): the union of the three
  // systems' top 15, in file order, without their ranks, each with its title and opening (blind judging).
  const split = process.argv[process.argv.indexOf('--pool') + 1];
  for (const manifold of manifolds.filter((m) => !split || split.startsWith('-') || m.split === split)) {
    const { ours, minimal, baseline } = rankings(manifold);
    const pool = [...new Set([...ours.slice(0, 15), ...minimal.slice(0, 15), ...baseline.slice(0, 15)])].sort();
    console.log(`\n=== ${manifold.name}: ${manifold.description} (${pool.length} documents)`);
    for (const id of pool) {
      const doc = docs.find((d) => d.id === id);
      const minimalRecord = minimalIncident(doc);
      const summary = doc.text.match(/^summary:\s*(.+)$/m)?.[1] ?? '';
      console.log(`- ${id}\n    ${minimalRecord.title.slice(0, 120)} | ${summary.slice(0, 300)} | ${(minimalRecord.summary ?? '').slice(0, 400)}`);
    }
  }
  process.exit(0);
}

const gain = (manifold, id) => judgments[manifold.name]?.[id] ?? 0;
function ndcg(manifold, ranking, k) {
  const dcg = ranking.slice(0, k).reduce((s, id, i) => s + (2 ** gain(manifold, id) - 1) / Math.log2(i + 2), 0);
  const ideal = Object.values(judgments[manifold.name] ?? {})
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((s, g, i) => s + (2 ** g - 1) / Math.log2(i + 2), 0);
  return ideal > 0 ? dcg / ideal : 0;
}
function recall(manifold, ranking, k) {
  const relevant = Object.entries(judgments[manifold.name] ?? {}).filter(([, g]) => g > 0).map(([id]) => id);
  return relevant.length ? relevant.filter((id) => ranking.slice(0, k).includes(id)).length / relevant.length : 0;
}

const fmt = (x) => x.toFixed(3);

if (process.argv.includes('--ablation')) {
  // Which signal and which imported field helps, on one split (`--ablation dev`, the default; tuning looks
  // at dev only): the engine with one component alone, without one component, and on records without
  // one kind of imported structure. Mean nDCG@5 and recall@10.
  const split = process.argv[process.argv.indexOf('--ablation') + 1]?.replace(/^--.*/, '') || 'dev';
  const specs = manifolds.filter((m) => split.split(',').includes(m.split) && judgments[m.name]);
  const { WEIGHTS } = await import(join(repoRoot, 'dist', 'context', 'relevance.js'));
  const strip = (...fields) => ({ ...history, incidents: incidents.map((i) => Object.fromEntries(Object.entries(i).filter(([k]) => !fields.includes(k)))) });
  const variants = [
    ['as shipped', history, WEIGHTS],
    ...Object.keys(WEIGHTS).flatMap((c) => [
      [`only ${c}`, history, Object.fromEntries(Object.keys(WEIGHTS).map((k) => [k, k === c ? 1 : 0]))],
      [`without ${c}`, history, { ...WEIGHTS, [c]: 0 }],
    ]),
    ['records without root cause, factors', strip('root_cause', 'contributing_factors'), WEIGHTS],
    ['records without systems, error types', strip('systems', 'error_types'), WEIGHTS],
    ['records without entities', strip('entities'), WEIGHTS],
    ['records without timeline', strip('timeline'), WEIGHTS],
    ['without postmortems', { ...history, postmortems: [] }, WEIGHTS],
    ['without the source documents', { ...history, sourceTexts: new Map() }, WEIGHTS],
    ['minimally read records', minimalHistory, WEIGHTS],
  ];
  console.log(`ablation on the ${specs.length} ${split} specs: mean nDCG@5, recall@10`);
  for (const [name, h, weights] of variants) {
    let n = 0;
    let r = 0;
    for (const m of specs) {
      const ranking = analyzeContext(m, h, { sources: ['incidents', 'postmortems'], weights }).ranked.map((x) => x.id);
      n += ndcg(m, ranking, 5);
      r += recall(m, ranking, 10);
    }
    console.log(`  ${name.padEnd(40)} ${fmt(n / specs.length)} ${fmt(r / specs.length)}`);
  }
  process.exit(0);
}

console.log(`bench:context — ${machine()}`);
console.log(`data: ${docs.length} published postmortems under ${dataDir}, read with ${readerName}`);

// Import field accuracy, from the importer's own bench (bench/import.js) when this checkout has it.
if (existsSync(join(repoRoot, 'bench', 'import.js'))) {
  const { importAccuracy } = await import('./import.js');
  const accuracy = await importAccuracy({ dataDir, dist: join(repoRoot, 'dist') + '/' });
  if (accuracy.skipped) console.log(`\nimport field accuracy skipped: ${accuracy.skipped}`);
  else {
    console.log('\nimport field accuracy (failures import on hand-labelled published postmortems)');
    for (const [split, { documents, fields }] of Object.entries(accuracy.splits)) {
      console.log(`  ${split} (${documents} documents): ${Object.entries(fields).map(([f, { right, total }]) => `${f} ${(right / total).toFixed(2)}`).join(', ')}`);
    }
  }
}
const rows = [];
const measure = (manifold, ranking) => ({ ndcg: ndcg(manifold, ranking, 5), recall: recall(manifold, ranking, 10) });
// `--split dev` reports one split only (tuning looks at dev, never at heldout).
// `--split dev,heldout,heldout2`: several.
const onlySplit = process.argv.includes('--split') ? process.argv[process.argv.indexOf('--split') + 1].split(',') : undefined;
for (const manifold of manifolds.filter((m) => !onlySplit || onlySplit.includes(m.split))) {
  const judged = Object.keys(judgments[manifold.name] ?? {}).length;
  if (!judged) continue;
  const { ours, minimal, baseline } = rankings(manifold);
  rows.push({ manifold, ours: measure(manifold, ours), minimal: measure(manifold, minimal), bm25: measure(manifold, baseline) });
}
console.log('\nrelevance: failures context on imported records (ours), the same engine on minimally read records (min), plain BM25 over the whole text (bm25)');
console.log(`${'spec'.padEnd(28)} ${'split'.padEnd(5)}  nDCG@5 ours   min  bm25   recall@10 ours   min  bm25`);
const line = (label, r) =>
  `${label}  ${fmt(r.ours.ndcg).padStart(11)} ${fmt(r.minimal.ndcg)} ${fmt(r.bm25.ndcg)}  ${fmt(r.ours.recall).padStart(14)} ${fmt(r.minimal.recall)} ${fmt(r.bm25.recall)}`;
for (const r of rows) console.log(line(`${r.manifold.name.padEnd(28)} ${r.manifold.split.padEnd(5)}`, r));
// Batches 1-3 were seen while changing the ranker after their figures, so they count as development data now;
// batch 4 (`heldout4`) is the held-out split. Per split: the means, and per spec whether ours beats plain BM25
// on nDCG@5 (wins / ties / losses).
const splits = { dev: ['dev'], 'batches 1-3': ['heldout', 'heldout2', 'heldout3'], 'development (all)': ['dev', 'heldout', 'heldout2', 'heldout3'], heldout4: ['heldout4'] };
for (const [split, members] of Object.entries(splits)) {
  const part = rows.filter((r) => members.includes(r.manifold.split));
  if (!part.length) continue;
  const mean = (system, metric) => part.reduce((s, r) => s + r[system][metric], 0) / part.length;
  const avg = Object.fromEntries(['ours', 'minimal', 'bm25'].map((system) => [system, { ndcg: mean(system, 'ndcg'), recall: mean(system, 'recall') }]));
  const diff = part.map((r) => r.ours.ndcg - r.bm25.ndcg);
  const meanDiff = diff.reduce((a, d) => a + d, 0) / diff.length;
  const se = Math.sqrt(diff.reduce((a, d) => a + (d - meanDiff) ** 2, 0) / Math.max(1, diff.length - 1) / diff.length);
  const tally = `ours vs bm25 nDCG@5: ${diff.filter((d) => d > 1e-9).length} wins, ${diff.filter((d) => Math.abs(d) <= 1e-9).length} ties, ${diff.filter((d) => d < -1e-9).length} losses, mean difference ${meanDiff >= 0 ? '+' : ''}${fmt(meanDiff)} ± ${fmt(se)} (standard error)`;
  console.log(`${line(`mean (${split}, ${part.length})`.padEnd(34), avg)}   ${tally}`);
}

// Time: a whole report over 1,000 incidents (the real ones, repeated with new ids to reach 1,000).
const thousand = Array.from({ length: 1000 }, (_, i) => ({ ...incidents[i % incidents.length], incident_id: `INC-${String(i).padStart(4, '0')}` }));
const thousandTexts = new Map(thousand.map((incident, i) => [incident.incident_id, docs[i % docs.length].text]));
const manifold = manifolds[0];
const times = [];
for (let run = 0; run < 5; run++) {
  const started = performance.now();
  const analysis = analyzeContext(manifold, { ...history, incidents: thousand, postmortems: [], sourceTexts: thousandTexts }, { sources: ['incidents', 'postmortems', 'tickets'] });
  contextReport({ analysis, occurrences: new Map() });
  times.push(performance.now() - started);
}
const bmTimes = [];
for (let run = 0; run < 5; run++) {
  const started = performance.now();
  const index = bm25(thousand.map((_, i) => [[plainText(docs[i % docs.length]), 1]]));
  index.score(plainQuery(manifold));
  bmTimes.push(performance.now() - started);
}
console.log(`\ntime for 1,000 incidents (median of 5): failures context report ${median(times).toFixed(0)} ms; plain BM25 index + query ${median(bmTimes).toFixed(0)} ms (ratio ${(median(times) / median(bmTimes)).toFixed(1)}×)`);
