import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { RULE, write } from './hardening-helpers.js';
import { BIN, cli, git, GIT_ENV, tempDir, tempRepo } from './helpers.js';

/** Second QA pass: `failures mcp` driven by the SDK's client with what agents send — huge text, unicode, `..`. */

const clients: Client[] = [];
afterEach(async () => {
  while (clients.length > 0) await clients.pop()!.close();
});

async function connect(cwd: string): Promise<Client> {
  const client = new Client({ name: 'failures-qa2', version: '1.0.0' });
  const env = { ...(process.env as Record<string, string>), ...GIT_ENV, NO_COLOR: '1', FAILURES_SESSION: 'agent-session' };
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp'], cwd, env, stderr: 'pipe' }));
  clients.push(client);
  return client;
}

const call = async (client: Client, name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as CallToolResult;
const textOf = (result: CallToolResult) => (result.content[0] as { text: string }).text;

describe('failures mcp with odd inputs', () => {
  it('answers a 2 MB query against a 2 MB entry with a short reply, and serves the next call', async () => {
    const repo = tempRepo();
    expect(cli(repo, ['init']).code).toBe(0);
    const client = await connect(repo);
    const huge = `payment timeout ${'retry '.repeat(350_000)}`;
    const logged = await call(client, 'log_feedback', { context: huge, category: 'Testing', severity: 'high' });
    expect(logged.isError).toBeFalsy();
    const found = await call(client, 'similar', { text: huge });
    expect(found.isError).toBeFalsy();
    expect(textOf(found).length).toBeLessThan(10_000);
    const result = JSON.parse(textOf(found)) as { query: string; matches: Array<{ text: string }> };
    expect(result.query).toMatch(/^payment timeout retry .*… \(\d+ more characters\)$/);
    expect(result.matches[0]!.text).toMatch(/… \(\d+ more characters\)$/);
    const unicode = await call(client, 'similar', { text: '支払いが二重に 🎉 \u202e' });
    expect(unicode.isError).toBeFalsy();
    // The CLI shows the same clipped, one-line text.
    const shown = cli(repo, ['similar', 'payment timeout retry retry']);
    expect(shown.code).toBe(0);
    expect(shown.stdout.length).toBeLessThan(2_000);
  });

  it('refuses a feature spec outside the project before reading it, echoing none of it', async () => {
    const outside = tempDir('failures-outside-');
    writeFileSync(join(outside, 'secret.yaml'), 'name: top-secret-value\n');
    const repo = tempRepo();
    expect(cli(repo, ['init']).code).toBe(0);
    const client = await connect(repo);
    const relativePath = join('..', outside.split('/').pop()!, 'secret.yaml');
    for (const manifold of [relativePath, join(outside, 'secret.yaml')]) {
      const result = await call(client, 'context', { manifold });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain('is outside the project');
      expect(textOf(result)).not.toContain('top-secret-value');
    }
  });
});

describe('paths that start with two dots', () => {
  it('`check ..odd.ts` checks a file in the project, as a plain `check` does', () => {
    const repo = tempRepo();
    write(repo, '.failures/anti-patterns/AP-001.yaml', RULE);
    write(repo, '..odd.ts', 'gateway.charge(p);\n');
    write(repo, '..dir/a.ts', 'gateway.charge(p);\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'odd names');
    const checked = cli(repo, ['check', '..odd.ts', '..dir']);
    expect(checked.stderr).not.toContain('outside the project');
    expect(checked.code).toBe(1);
    expect(checked.stdout).toContain('..odd.ts');
    expect(checked.stdout).toContain('..dir/a.ts');
    const up = cli(repo, ['check', '..']);
    expect(up.code).toBe(2);
    expect(up.stderr).toContain('is outside the project');
  });
});
