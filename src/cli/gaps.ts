import type { Command } from 'commander';
import type { RuleNode } from '../measure/gaps.js';
import { findRoot } from '../store/find.js';
import { loadStore, recordsOf } from '../store/read.js';
import { measure } from './measure.js';
import { formatOption, palette, plural, warnAboutInvalidRecords } from './output.js';

export function register(program: Command): void {
  program
    .command('gaps')
    .description('the tree incidents → anti-patterns → constraints → rules → findings, and its holes')
    .addOption(formatOption())
    .option('--strict', 'exit 1 when there are gaps (for CI)')
    .action(async (_options, command: Command) => run(command.optsWithGlobals<{ format: 'text' | 'json'; strict?: boolean; root?: string }>()));
}

async function run(options: { format: 'text' | 'json'; strict?: boolean; root?: string }): Promise<void> {
  const store = loadStore(findRoot(process.cwd(), options.root));
  warnAboutInvalidRecords(store.problems);
  const { findGaps } = await import('../measure/gaps.js');
  const measured = await measure(store);
  const report = findGaps({
    incidents: recordsOf(store, 'incident').map((r) => r.data),
    postmortems: recordsOf(store, 'postmortem').map((r) => r.data),
    antiPatterns: recordsOf(store, 'anti-pattern').map((r) => r.data),
    constraints: recordsOf(store, 'constraint').map((r) => r.data),
    patterns: measured.patterns,
    baseline: measured.baseline,
    ticketPatterns: recordsOf(store, 'ticket-pattern').map((r) => r.data),
  });
  // What the tree says of a postmortem's action items when none is open: none recorded, some of unknown status, or all done.
  const noneOpen = ({ action_items: total, not_stated: notStated }: { action_items: number; not_stated: number }) => {
    if (total === 0) return 'no action items recorded';
    if (notStated > 0) return `${notStated === total ? plural(total, 'action item') : `${notStated} of ${total} action items`} without a stated status`;
    return 'all action items done';
  };
  if (options.format === 'json') {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const c = palette(process.stdout);
    const rule = (ap: RuleNode) =>
      `${ap.id} ${ap.name} [${ap.status}]${ap.rule ? ` → ${ap.rule}: ${plural(ap.detectors, 'detector')}, ${plural(ap.examples, 'example')}, ${plural(ap.findings, 'baselined finding')}` : ''}`;
    const lines: string[] = [];
    for (const incident of report.tree) {
      lines.push(c.bold(`${incident.id} ${incident.title}${incident.impact ? ` (${incident.impact})` : ''}`));
      const children: string[][] = [
        ...incident.postmortems.map((pm) => [`${pm.id}${pm.open.length ? `: ${c.red(`${plural(pm.open.length, 'action item')} still open`)} — ${pm.open.join('; ')}` : `: ${noneOpen(pm)}`}`]),
        ...incident.anti_patterns.map((ap) => [rule(ap), ...ap.constraints.map((k) => `${k.id} ${k.statement}`)]),
        ...incident.constraints.map((k) => [`${k.id} ${k.statement}`]),
      ];
      if (children.length === 0) children.push([c.red('nothing prevents it')]);
      children.forEach(([head, ...sub], i) => {
        const last = i === children.length - 1;
        lines.push(`${last ? '└─' : '├─'} ${head}`);
        sub.forEach((s, k) => lines.push(`${last ? '   ' : '│  '}${k === sub.length - 1 ? '└─' : '├─'} ${s}`));
      });
    }
    if (report.ticket_patterns.length) {
      lines.push(c.bold('Ticket patterns'));
      report.ticket_patterns.forEach((tp, i) => {
        const count = tp.ticket_count !== undefined ? ` (${plural(tp.ticket_count, 'ticket')}${tp.timeframe ? ` in ${tp.timeframe}` : ''})` : '';
        lines.push(`${i === report.ticket_patterns.length - 1 ? '└─' : '├─'} ${tp.id} ${tp.pattern}${count} → ${tp.prevented_by.length ? tp.prevented_by.join(', ') : c.red('nothing prevents it')}`);
      });
    }
    if (report.unlinked.length) {
      lines.push(c.bold('Anti-patterns learned from feedback alone'));
      report.unlinked.forEach((ap, i) => lines.push(`${i === report.unlinked.length - 1 ? '└─' : '├─'} ${rule(ap)}`));
    }
    lines.push('', report.gaps.length ? c.bold(`Gaps (${report.gaps.length})`) : `${c.green('✓')} no gaps`);
    for (const gap of report.gaps) lines.push(`  ${c.red('✖')} ${gap.message}  ${c.dim(`[${gap.kind}]`)}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  process.exitCode = options.strict && report.gaps.length > 0 ? 1 : 0;
}
