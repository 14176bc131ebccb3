import type { Command } from 'commander';

interface McpOptions {
  root?: string;
}

export function register(program: Command): void {
  program
    .command('mcp')
    .description('serve the failures loop to coding agents over the Model Context Protocol (stdio): similar, context, log_feedback, check, explain_rule, analyze')
    .addHelpText(
      'after',
      [
        '',
        'Started by an MCP client, not by hand: stdout carries the protocol. Tools read the project found from the',
        'current directory (or --root). Nothing approves or commits from an agent: approval stays with a person.',
        'Client configuration: see docs/agents.md.',
      ].join('\n'),
    )
    .action(async (_options, command: Command) => {
      const options = command.optsWithGlobals<McpOptions>();
      // The SDK loads only for this command, so every other command starts as fast as before.
      const { serveStdio } = await import('../mcp/server.js');
      await serveStdio({ cwd: process.cwd(), env: process.env, ...(options.root ? { root: options.root } : {}) });
    });
}
