#!/usr/bin/env node
// `npm run bench:context`: how well `failures context` finds the past failures that matter to a new
// feature, on real published postmortems (FAILURES_POSTMORTEMS, default /work/data/postmortems: the
// public repositories icco/postmortems, dfds/postmortems, PostHog/post-mortems, Chia-Network/post-mortem),
// against feature specs written for them (bench/fixtures/context-manifolds.js) with relevance judged by
// hand (bench/fixtures/context-judgments.js: 2 = the feature must learn from it, 1 = related). Side by
// side with a plain BM25 search over the same documents: nDCG@5 and recall@10, dev and test specs
// apart; then the time for a report over 1,000 incidents. `--pool` prints the documents to judge (the
// union of both systems' top 15, in file order, without their ranks).
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

/** The importer of `failures import`, when this build has it; else the minimal reader. */
async function reader() {
  const path = join(repoRoot, 'dist', 'ingest', 'postmortem.js');
  if (!existsSync(path)) return { name: 'minimal reader (no importer in this build)', read: minimalIncident };
  const mod = await import(path);
  const parse = mod.parsePostmortem ?? mod.parsePostmortemMarkdown ?? mod.parsePostmortems;
  if (typeof parse !== 'function') return { name: 'minimal reader (importer API not recognised)', read: minimalIncident };
  return {
    name: 'the postmortem importer of failures import',
    read: (doc) => {
      try {
        const parsed = parse(doc.text, { file: doc.id });
        const incident = (Array.isArray(parsed) ? parsed[0] : parsed)?.incident ?? parsed?.incidents?.[0];
        return incident ? { ...incident, incident_id: doc.id } : minimalIncident(doc);
      } catch {
        return minimalIncident(doc);
      }
    },
  };
}

const { name: readerName, read } = await reader();
const incidents = docs.map(read);
const history = { incidents, postmortems: [], antiPatterns: [], constraints: [], ticketPatterns: [], tickets: [], failureModes: [] };
const plain = bm25(docs.map((d) => [[plainText(d), 1]]));
const plainQuery = (m) => [m.name.replace(/-/g, ' '), m.description ?? '', ...(m.entities ?? []), ...(m.systems ?? []), ...(m.error_types ?? []), ...(m.constraints ?? []).map((c) => c.statement)].join('. ');

function rankings(manifold) {
  const ours = analyzeContext(manifold, history, { sources: ['incidents'] }).ranked.map((r) => r.id);
  const scores = plain.score(plainQuery(manifold));
  const baseline = docs.map((d, i) => [d.id, scores[i]]).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([id]) => id);
  return { ours, baseline };
}

if (process.argv.includes('--pool')) {
  for (const manifold of manifolds) {
    const { ours, baseline } = rankings(manifold);
    const pool = [...new Set([...ours.slice(0, 15), ...baseline.slice(0, 15)])].sort();
    console.log(`\n=== ${manifold.name}: ${manifold.description}`);
    for (const id of pool) {
      const incident = incidents.find((i) => i.incident_id === id);
      console.log(`- ${id}\n    ${incident.title.slice(0, 120)} | ${(incident.summary ?? '').slice(0, 260)}`);
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
console.log(`bench:context — ${machine()}`);
console.log(`data: ${docs.length} published postmortems under ${dataDir}, read with ${readerName}`);
const rows = [];
for (const manifold of manifolds) {
  const judged = Object.keys(judgments[manifold.name] ?? {}).length;
  if (!judged) continue;
  const { ours, baseline } = rankings(manifold);
  rows.push({ manifold, ours: { ndcg: ndcg(manifold, ours, 5), recall: recall(manifold, ours, 10) }, bm25: { ndcg: ndcg(manifold, baseline, 5), recall: recall(manifold, baseline, 10) } });
}
console.log('\nrelevance (failures context vs plain BM25 over the same documents)');
console.log(`${'spec'.padEnd(28)} ${'split'.padEnd(5)}  nDCG@5 ours  bm25   recall@10 ours  bm25`);
for (const r of rows) console.log(`${r.manifold.name.padEnd(28)} ${r.manifold.split.padEnd(5)}  ${fmt(r.ours.ndcg).padStart(11)} ${fmt(r.bm25.ndcg)}  ${fmt(r.ours.recall).padStart(14)} ${fmt(r.bm25.recall)}`);
for (const split of ['dev', 'test']) {
  const part = rows.filter((r) => r.manifold.split === split);
  if (!part.length) continue;
  const mean = (f) => part.reduce((s, r) => s + f(r), 0) / part.length;
  console.log(
    `${`mean (${split}, ${part.length} specs)`.padEnd(34)}  ${fmt(mean((r) => r.ours.ndcg)).padStart(11)} ${fmt(mean((r) => r.bm25.ndcg))}  ${fmt(mean((r) => r.ours.recall)).padStart(14)} ${fmt(mean((r) => r.bm25.recall))}`,
  );
}

// Time: a whole report over 1,000 incidents (the real ones, repeated with new ids to reach 1,000).
const thousand = Array.from({ length: 1000 }, (_, i) => ({ ...incidents[i % incidents.length], incident_id: `INC-${String(i).padStart(4, '0')}` }));
const manifold = manifolds[0];
const times = [];
for (let run = 0; run < 5; run++) {
  const started = performance.now();
  const analysis = analyzeContext(manifold, { ...history, incidents: thousand }, { sources: ['incidents', 'postmortems', 'tickets'] });
  contextReport({ analysis, occurrences: new Map() });
  times.push(performance.now() - started);
}
const bmTimes = [];
for (let run = 0; run < 5; run++) {
  const started = performance.now();
  const index = bm25(thousand.map((i) => [[[i.title, i.summary ?? '', ...(i.timeline ?? [])].join(' '), 1]]));
  index.score(plainQuery(manifold));
  bmTimes.push(performance.now() - started);
}
console.log(`\ntime for 1,000 incidents (median of 5): failures context report ${median(times).toFixed(0)} ms; plain BM25 index + query ${median(bmTimes).toFixed(0)} ms (ratio ${(median(times) / median(bmTimes)).toFixed(1)}×)`);
