import type { Command } from 'commander';
import { findRoot } from '../store/find.js';
import { loadStore, recordsOf } from '../store/read.js';
import { measure } from './measure.js';
import { formatOption, palette, refuseInvalidConfig, warnAboutInvalidRecords } from './output.js';

export function register(program: Command): void {
  program
    .command('stats')
    .description("the loop's metrics from the records and their git history: detection, false positives, recurrence, improvement")
    .addOption(formatOption())
    .option('--check', 'also count approved anti-patterns with new (non-baselined) violations in the code as recurring')
    .action(async (_options, command: Command) => run(command.optsWithGlobals<{ format: 'text' | 'json'; check?: boolean; root?: string }>()));
}

const pct = (x: number | null) => (x === null ? '  –' : `${Math.round(x * 100)}%`.padStart(4));

/** Approved anti-patterns whose rules find new (non-baselined) violations in the working tree: check's own steps. */
async function violatingAntiPatterns(root: string): Promise<Set<string>> {
  const { applyProjectBaseline, checkProject } = await import('./check-project.js');
  const project = await checkProject(root, { paths: [], staged: false, cache: true, broken: 'refuse', baseline: true });
  const { results } = await applyProjectBaseline(root, project, project.results, false);
  return new Set(results.flatMap((r) => r.findings.map((f) => f.id)));
}

async function run(options: { format: 'text' | 'json'; check?: boolean; root?: string }): Promise<void> {
  const root = findRoot(process.cwd(), options.root);
  const store = loadStore(root);
  // Patterns need min_frequency and the vocabulary of config.yaml: the defaults would give other figures.
  refuseInvalidConfig(store.problems, store.dir, 'no figures were computed');
  warnAboutInvalidRecords(store.problems);
  const { computeStats, sparkline } = await import('../measure/stats.js');
  const measured = await measure(store);
  const violating = options.check ? await violatingAntiPatterns(root) : undefined;
  const now = new Date();
  const stats = computeStats({
    entries: recordsOf(store, 'feedback').map((r) => r.data),
    antiPatterns: recordsOf(store, 'anti-pattern').map((r) => r.data),
    patterns: measured.patterns,
    evidence: measured.evidence,
    approvedAt: measured.approvedAt,
    now,
    generated: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ...(violating ? { violating } : {}),
  });
  const { computeHistory } = await import('../measure/history.js');
  const history = computeHistory({
    incidents: recordsOf(store, 'incident').map((r) => r.data),
    postmortems: recordsOf(store, 'postmortem').map((r) => r.data),
    tickets: recordsOf(store, 'ticket').map((r) => r.data),
    ticketPatterns: recordsOf(store, 'ticket-pattern').map((r) => r.data),
    antiPatterns: recordsOf(store, 'anti-pattern').map((r) => r.data),
    constraints: recordsOf(store, 'constraint').map((r) => r.data),
  });
  if (options.format === 'json') {
    process.stdout.write(`${JSON.stringify({ ...stats, history }, null, 2)}\n`);
    return;
  }
  const c = palette(process.stdout);
  const mark = (ok: boolean | null) => (ok === null ? ' ' : ok ? c.green('✓') : c.red('✖'));
  const d = stats.pattern_detection_rate;
  const f = stats.false_positive_rate;
  const r = stats.recurrence_rate;
  const i = stats.improvement;
  const lines = [
    c.bold('Loop metrics                      value  target'),
    `${mark(d.value === null ? null : d.value >= 1)} pattern detection rate         ${pct(d.value)}   100%   ${d.covered} of ${d.recurring} recurring patterns on record as anti-patterns`,
    `${mark(f.value === null ? null : f.value < 0.1)} false positive rate            ${pct(f.value)}   <10%   ${f.rejected} rejected, ${f.approved} approved`,
    `${mark(r.value === null ? null : r.value < 0.1)} recurrence rate                ${pct(r.value)}   <10%   ${r.recurring} of ${r.approved} approved came back${r.anti_patterns.length ? ` (${r.anti_patterns.join(', ')})` : ''}`,
    `${mark(i.value === null ? null : i.value <= -0.5)} improvement                    ${i.value === null ? '  –' : `${i.value > 0 ? '+' : ''}${Math.round(i.value * 100)}%`.padStart(4)}   -50%   ${i.per_anti_pattern.length && !i.per_anti_pattern.some((p) => p.measured) ? 'measured from a week after approval: no approval is that old yet' : `corrections/week ${i.before_per_week} before approvals → ${i.after_per_week} since`}`,
    '',
    `Anti-patterns: ${stats.anti_patterns.proposed} proposed, ${stats.anti_patterns.approved} approved, ${stats.anti_patterns.rejected} rejected, ${stats.anti_patterns.retired} retired · ${stats.entries} feedback entries`,
    ...(history.incidents.total || history.tickets || history.ticket_patterns.total
      ? [
          `Incidents: ${history.incidents.total} (${history.incidents.imported} imported), ${history.incidents.prevented} prevented by an anti-pattern or constraint · ${history.postmortems} postmortems, action items: ${history.action_items.done} done, ${history.action_items.open + history.action_items.in_progress} open, ${history.action_items.not_stated} status not stated`,
          `Tickets: ${history.tickets} imported · ${history.ticket_patterns.total} ticket patterns (${history.ticket_patterns.tickets} tickets), ${history.ticket_patterns.prevented} prevented`,
        ]
      : []),
    '',
    c.bold(`${'Category'.padEnd(16)} entries  patterns  approved  last 8 weeks`),
    ...stats.categories.map((k) => `${k.category.padEnd(16)} ${String(k.entries).padStart(7)}  ${String(k.patterns).padStart(8)}  ${String(k.approved).padStart(8)}  ${sparkline(k.weekly)}`),
    ...(i.per_anti_pattern.length
      ? ['', c.bold('Per approved anti-pattern (corrections/week: 4 weeks before → since)'), ...i.per_anti_pattern.map((p) => `  ${p.id.padEnd(10)} ${String(p.before_per_week).padStart(5)} → ${String(p.after_per_week).padEnd(5)} ${p.change === null ? '' : `${p.change > 0 ? '+' : ''}${Math.round(p.change * 100)}%`}  (approved ${p.approved_at.slice(0, 10)}${p.measured ? '' : ', less than a week ago: not counted yet'})`)]
      : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
