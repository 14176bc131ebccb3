import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, cliAsync, tempRepo } from './helpers.js';

/** A stand-in for an embedding model: words of one meaning share a dimension, whatever their spelling. */
const MEANINGS = [
  ['password', 'passwords', 'credentials', 'secret', 'bcrypt', 'hash', 'salted', 'digest', 'unprotected', 'readable'],
  ['snapshot', 'review', 'diffs', 'approve'],
  ['sleep', 'timeout', 'flaky', 'wait'],
];
function embed(text: string): number[] {
  const v = new Array<number>(MEANINGS.length + 1).fill(0);
  for (const word of text.toLowerCase().split(/\W+/)) {
    const m = MEANINGS.findIndex((words) => words.includes(word));
    const at = m >= 0 ? m : MEANINGS.length;
    v[at] = v[at]! + (m >= 0 ? 1 : 0.05);
  }
  return v;
}

interface Seen {
  requests: number;
  texts: number;
  auth: string[];
  paths: string[];
  models: string[];
}

let server: Server | undefined;
afterEach(() => server?.close());

async function provider(): Promise<{ url: string; seen: Seen }> {
  const seen: Seen = { requests: 0, texts: 0, auth: [], paths: [], models: [] };
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const { model, input } = JSON.parse(body) as { model: string; input: string[] };
      seen.requests++;
      seen.texts += input.length;
      seen.auth.push(req.headers.authorization ?? '');
      seen.paths.push(req.url ?? '');
      seen.models.push(model);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ object: 'list', data: input.map((t, index) => ({ object: 'embedding', index, embedding: embed(t) })), model }));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/v1`, seen };
}

function repoWith(url: string | undefined): string {
  const repo = tempRepo();
  expect(cli(repo, ['init']).code).toBe(0);
  if (url) appendFileSync(join(repo, '.failures', 'config.yaml'), `embeddings:\n  url: ${url}\n  model: fake-embed\n  api_key_env: FAKE_EMBED_KEY\n`);
  const entries = [
    ['passwords saved as is', 'apply bcrypt'],
    ['credentials kept readable in the users table', 'hash them'],
    ['secret values unprotected at rest', 'use a salted digest'],
    ['snapshot changed silently', 'review diffs before committing'],
  ];
  for (const [context, feedback] of entries) {
    expect(cli(repo, ['log', '--context', context!, '--feedback', feedback!, '--category', 'Security', '--severity', 'high', '--no-suggest']).code).toBe(0);
  }
  return repo;
}

const patternsOf = (stdout: string) => (JSON.parse(stdout) as { patterns: Array<{ entries: string[] }> }).patterns.map((p) => p.entries.length);

describe('an optional embeddings provider', () => {
  it('groups paraphrases that share no words, sends the key from the named variable, and caches vectors by content', async () => {
    const { url, seen } = await provider();
    const repo = repoWith(url);
    const env = { FAKE_EMBED_KEY: 'k-123' };
    const first = await cliAsync(repo, ['analyze', '--format', 'json'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(patternsOf(first.stdout)).toEqual([3]);
    expect(seen.paths).toEqual(['/v1/embeddings']);
    expect(seen.auth).toEqual(['Bearer k-123']);
    expect(seen.models).toEqual(['fake-embed']);
    expect(seen.texts).toBe(4);
    expect(readdirSync(join(repo, '.failures', '.cache')).some((f) => f.startsWith('embeddings-'))).toBe(true);
    const again = await cliAsync(repo, ['analyze', '--format', 'json'], env);
    expect(again.stdout.replace(/"generated": "[^"]+"/, '')).toBe(first.stdout.replace(/"generated": "[^"]+"/, ''));
    expect(seen.requests).toBe(1);
    // similar asks only for what it has not seen: its query.
    const similar = await cliAsync(repo, ['similar', 'unprotected credentials', '--format', 'json'], env);
    expect(similar.code, similar.stderr).toBe(0);
    expect(seen.texts).toBe(5);
  });

  it('without a provider works as before; an unreachable one is a warning, not a failure', async () => {
    const offline = repoWith(undefined);
    const plain = cli(offline, ['analyze', '--format', 'json']);
    expect(plain.code).toBe(0);
    expect(patternsOf(plain.stdout)).toEqual([]);
    const { url } = await provider();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const down = repoWith(url);
    const result = await cliAsync(down, ['analyze', '--format', 'json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/warning: the embeddings provider at http:\/\/127\.0\.0\.1:\d+\/v1\/embeddings failed/);
    expect(patternsOf(result.stdout)).toEqual([]);
  });

  it('rejects a provider without a model in config.yaml, naming the line', () => {
    const repo = tempRepo();
    expect(cli(repo, ['init']).code).toBe(0);
    appendFileSync(join(repo, '.failures', 'config.yaml'), 'embeddings:\n  url: http://localhost:11434/v1\n');
    const result = cli(repo, ['validate']);
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toMatch(/config\.yaml:\d+:\d+.*model/);
  });
});
