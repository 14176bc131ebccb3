import type { Command } from 'commander';
import { runDecision, type DecisionOptions } from './decision.js';

export function register(program: Command): void {
  program
    .command('approve')
    .argument('<id>', 'the anti-pattern (AP-004)')
    .description('approve a proposed anti-pattern: it becomes an enforced rule')
    .option('--by <name>', 'who approves (default: git user.name)')
    .option('--force', 'approve with fewer occurrences than min_frequency')
    .option('--no-commit', 'edit the record but leave committing to you')
    .option('--fix <commit[:path]>', "add the examples of the commit that fixed the mistake and re-synthesize the record's detectors before approving")
    .action(async (id: string, _options, command: Command) => runDecision('approve', id, command.optsWithGlobals<DecisionOptions>()));
}
