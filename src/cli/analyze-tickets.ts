import { join, resolve } from 'node:path';
import { FailuresError } from '../errors.js';
import { findRoot } from '../store/find.js';
import { loadStore, recordsOf } from '../store/read.js';
import { checkAnalyzeOutputs, dateOption, displayPath, palette, plural, recordFileIds, refuseInvalidConfig, warnAboutInvalidRecords, writeOutputFile } from './output.js';

export interface TicketAnalyzeOptions {
  minFrequency?: string;
  since?: string;
  weekly?: boolean;
  out?: string;
  diff?: string;
  branch?: string;
  category?: string;
  format: 'text' | 'json';
  root?: string;
}

/**
 * `failures analyze --tickets`: imported tickets → ticket patterns, proposed as tickets/TP-*.yaml
 * through the same report, diff and review branch as anti-patterns. Writes nothing into .failures/.
 */
export async function runTickets(options: TicketAnalyzeOptions): Promise<void> {
  if (options.category) throw new FailuresError('--category does not apply to --tickets', { hint: 'tickets are grouped across all their components' });
  if (options.diff === '-' && options.format === 'json') throw new FailuresError('--diff - and --format json both write to stdout', { hint: 'write the diff to a file with --diff FILE' });
  if (options.out === '-' && options.format === 'json') throw new FailuresError('--out - and --format json both write to stdout', { hint: 'write the report to a file with --out FILE' });
  const root = findRoot(process.cwd(), options.root);
  const store = loadStore(root, { kinds: ['config', 'ticket', 'ticket-pattern'] });
  const now = new Date();
  const generated = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  let minFrequency = store.config.min_frequency;
  if (options.minFrequency !== undefined) {
    minFrequency = Number(options.minFrequency);
    if (!Number.isInteger(minFrequency) || minFrequency < 1) throw new FailuresError(`--min-frequency must be a whole number ≥ 1; got '${options.minFrequency}'`);
  }
  if (options.since !== undefined && options.weekly) throw new FailuresError('--since and --weekly cannot be used together');
  const since = options.weekly ? new Date(now.getTime() - 7 * 86_400_000).toISOString() : options.since !== undefined ? dateOption('--since', options.since) : undefined;

  refuseInvalidConfig(store.problems, store.dir, 'nothing was analyzed');
  const outPath = options.out ?? (options.format === 'text' ? 'ticket_pattern_suggestions.md' : undefined);
  await checkAnalyzeOutputs(root, store.dir, { out: outPath, diff: options.diff, branch: options.branch, outDefault: options.out === undefined });

  const tickets = recordsOf(store, 'ticket').map((r) => r.data);
  if (tickets.length === 0) {
    throw new FailuresError('no imported tickets in .failures/tickets/imported/', { hint: 'import a ticket export first: failures import tickets.csv (Jira, Zendesk, Freshdesk CSV or GitHub issues JSON)', exitCode: 2 });
  }
  warnAboutInvalidRecords(store.problems);
  const existing = recordsOf(store, 'ticket-pattern').map((r) => r.data);
  const { analyzeTickets, renderTicketReport, ticketPatternChanges } = await import('../suggest/tickets.js');
  const { schemaRefFor } = await import('../store/serialize.js');
  // A ticket-pattern file that does not parse keeps its id: no proposal is a "new" file over it.
  const result = analyzeTickets(tickets, existing, { minFrequency, severities: store.config.severities, takenIds: recordFileIds(join(store.dir, 'tickets')), ...(since ? { since } : {}) });
  const changes = ticketPatternChanges(result, schemaRefFor(root, join(store.dir, 'tickets', 'TP.yaml'), 'ticket-pattern'));

  if (options.format === 'json') {
    process.stdout.write(`${JSON.stringify({ generated, tickets: result.tickets, patterns: result.proposals.map((p) => ({ ...p.record, tickets: p.tickets, status: p.known ? 'known' : 'proposed' })) }, null, 2)}\n`);
  }
  if (outPath) writeOutputFile(outPath, renderTicketReport(result, generated), '--out');
  if (options.diff) {
    const { unifiedDiff } = await import('../suggest/diff.js');
    // Paths from the top of the repository, so git apply puts them in the project from any folder of it.
    const prefix = await (await import('../git/branch.js')).projectPrefix(root);
    const patch = unifiedDiff(changes.map((ch) => ({ ...ch, path: prefix + ch.path })));
    if (options.diff === '-') process.stdout.write(patch);
    else writeOutputFile(options.diff, patch, '--diff');
  }
  let branchNote = '';
  if (options.branch) {
    if (changes.length === 0) branchNote = 'no new ticket patterns, so no branch was created';
    else {
      const { commitOnNewBranch } = await import('../git/branch.js');
      const fresh = result.proposals.filter((p) => !p.known);
      const message = `chore(failures): propose ${fresh.map((p) => p.id).join(', ')} from imported tickets\n\n${fresh.map((p) => `- ${p.id}: ${p.record.pattern} (${p.record.ticket_count} tickets${p.record.timeframe ? ` in ${p.record.timeframe}` : ''})`).join('\n')}\n`;
      const commit = await commitOnNewBranch(root, options.branch, changes.map((ch) => ({ path: ch.path, content: ch.after })), message);
      branchNote = `branch ${options.branch} (${commit.slice(0, 8)}) proposes ${fresh.map((p) => p.id).join(', ')}. Review: git log -p HEAD..${options.branch}; take it: git merge ${options.branch}`;
    }
  }
  const c = palette(process.stderr);
  const proposed = result.proposals.filter((p) => !p.known).length;
  process.stderr.write(
    [
      `${c.green('✓')} ${plural(result.proposals.length, 'ticket pattern')} (${proposed} proposed, ${result.proposals.length - proposed} on record) in ${plural(result.tickets, 'ticket')}`,
      ...(outPath && outPath !== '-' ? [`  report: ${displayPath(resolve(process.cwd(), outPath))}`] : []),
      ...(options.diff && options.diff !== '-' ? [`  diff: ${displayPath(resolve(process.cwd(), options.diff))} — review, then: git apply ${options.diff}`] : []),
      ...(branchNote ? [`  ${branchNote}`] : []),
    ].join('\n') + '\n',
  );
}
