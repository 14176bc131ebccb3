import type { Command } from 'commander';
import { runDecision, type DecisionOptions } from './decision.js';

export function register(program: Command): void {
  program
    .command('reject')
    .argument('<id>', 'the anti-pattern (AP-004)')
    .description('reject a proposed anti-pattern, with the reason kept in the record and the commit')
    .requiredOption('--reason <text>', 'why (kept in the record and the commit)')
    .option('--by <name>', 'who decides (default: git user.name)')
    .option('--no-commit', 'edit the record but leave committing to you')
    .action(async (id: string, _options, command: Command) => runDecision('reject', id, command.optsWithGlobals<DecisionOptions>()));
}
