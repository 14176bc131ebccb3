import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, cli, GIT_ENV, tempRepo } from './helpers.js';

const clients: Client[] = [];
afterEach(async () => {
  while (clients.length > 0) await clients.pop()!.close();
});

async function connect(cwd: string): Promise<Client> {
  const client = new Client({ name: 'failures-test', version: '1.0.0' });
  const env = { ...(process.env as Record<string, string>), ...GIT_ENV, NO_COLOR: '1' };
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp'], cwd, env, stderr: 'pipe' }));
  clients.push(client);
  return client;
}

describe('failures mcp resources (QA 7)', () => {
  it('a resource that does not exist is said once, with its code, not "MCP error -32002: MCP error -32002: …"', async () => {
    const repo = tempRepo();
    expect(cli(repo, ['init']).code).toBe(0);
    const client = await connect(repo);
    const missing = await client.readResource({ uri: 'failures://incidents/INC-404' }).catch((error: Error & { code: number }) => error);
    expect(missing).toMatchObject({ code: -32002, message: "MCP error -32002: no incident 'INC-404' in .failures/incidents/ (or it does not validate)\nhint: resources/list names every one" });
    const unknown = await client.readResource({ uri: 'failures://tickets/TP-1' }).catch((error: Error & { code: number }) => error);
    expect(unknown).toMatchObject({ code: -32602 });
    expect((unknown as Error).message).toMatch(/^MCP error -32602: unknown resource failures:\/\/tickets\/TP-1\n/);
  });
});
