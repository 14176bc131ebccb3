// Regression test for the third QA pass: the MCP server's context tool on a history of many incidents.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, cli, GIT_ENV, tempRepo } from './helpers.js';

let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

const TOPICS = ['disk filled on the log volume', 'certificate expired on the mail relay', 'a typo in the firewall rules', 'the search index was rebuilt at peak', 'a cron job ran twice after the clock change', 'the CDN cached an error page'];

describe('failures mcp: the context tool (QA 3)', () => {
  it('answers with the relevant incidents, not the whole ranked history with every reason', async () => {
    const root = tempRepo();
    expect(cli(root, ['init']).code).toBe(0);
    writeFileSync(join(root, 'dns.md'), '# CoreDNS upgrade broke name resolution\n\n## Summary\n\nA cluster upgrade made the CoreDNS pods crash loop and every lookup failed.\n\n## Root cause\n\nThe upgrade did not check the CoreDNS version the new nodes need.\n');
    TOPICS.forEach((topic, i) => writeFileSync(join(root, `other-${i}.md`), `# Outage ${i}: ${topic}\n\n## Summary\n\nService was down for an hour because ${topic}.\n`));
    expect(cli(root, ['import', '.']).code).toBe(0);
    writeFileSync(join(root, 'node-upgrade.yaml'), 'name: node-upgrade\ndescription: Upgrade the cluster nodes with CoreDNS kept available\nentities: [node, upgrade, dns]\nsystems: [kubernetes, coredns]\n');
    const fromCli = JSON.parse(cli(root, ['context', 'node-upgrade', '--format', 'json']).stdout);
    expect(fromCli.incidents.length).toBe(TOPICS.length + 1);

    client = new Client({ name: 'qa3', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp'], cwd: root, env: { ...(process.env as Record<string, string>), ...GIT_ENV }, stderr: 'pipe' }));
    const result = (await client.callTool({ name: 'context', arguments: { manifold: 'node-upgrade' } })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    const report = result.structuredContent as { incidents: Array<{ incident_id: string; relevance_to_manifold: { relevance: string } }>; meta: { sources: { incidents: string } } };
    const relevant = fromCli.incidents.filter((i: { relevance_to_manifold: { relevance: string } }) => i.relevance_to_manifold.relevance !== 'low');
    expect(relevant.length).toBeGreaterThan(0);
    expect(report.incidents.map((i) => i.incident_id)).toEqual(relevant.map((i: { incident_id: string }) => i.incident_id));
    expect(report.meta.sources.incidents).toBe(fromCli.meta.sources.incidents);
  });
});
