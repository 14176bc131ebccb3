import type { Config } from '../store/config.js';

/** Texts per request, and how long one request may take. */
const BATCH = 64;
const TIMEOUT_MS = 30_000;

/**
 * Embeddings for the given texts from the provider config.yaml names (an OpenAI-compatible
 * POST {url}/embeddings), cached by content in .failures/.cache/. Undefined without a provider; when
 * the provider cannot be reached or answers wrongly, a warning on stderr and undefined: the command
 * carries on with lexical similarity only, as it does offline.
 */
export async function embeddingsFor(root: string, config: Config, texts: readonly string[]): Promise<Map<string, number[]> | undefined> {
  const provider = config.embeddings;
  if (!provider || texts.length === 0) return undefined;
  const { openEmbeddingCache } = await import('../store/embedding-cache.js');
  const cache = openEmbeddingCache(root, provider.url, provider.model);
  const out = new Map<string, number[]>();
  const missing: string[] = [];
  for (const text of new Set(texts)) {
    const cached = cache.get(text);
    if (cached) out.set(text, cached);
    else missing.push(text);
  }
  const endpoint = `${provider.url.replace(/\/+$/, '')}/embeddings`;
  const key = provider.api_key_env ? process.env[provider.api_key_env] : undefined;
  try {
    for (let start = 0; start < missing.length; start += BATCH) {
      const batch = missing.slice(start, start + BATCH);
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ model: provider.model, input: batch }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
      const body = (await response.json()) as { data?: Array<{ embedding?: unknown; index?: number }> };
      const data = body.data ?? [];
      if (data.length !== batch.length) throw new Error(`expected ${batch.length} embeddings, got ${data.length}`);
      data.forEach((item, i) => {
        const vector = item.embedding;
        if (!Array.isArray(vector) || vector.some((x) => typeof x !== 'number')) throw new Error('an embedding is not a list of numbers');
        const norm = Math.sqrt(vector.reduce((s: number, x: number) => s + x * x, 0)) || 1;
        const unit = (vector as number[]).map((x) => x / norm);
        const text = batch[item.index ?? i]!;
        cache.set(text, unit);
        out.set(text, unit);
      });
    }
  } catch (error) {
    cache.save();
    const reason = (error as Error).name === 'TimeoutError' ? `no answer in ${TIMEOUT_MS / 1000} s` : ((error as Error & { cause?: Error }).cause?.message ?? (error as Error).message);
    process.stderr.write(`failures: warning: the embeddings provider at ${endpoint} failed (${reason}); continuing with lexical similarity only\n`);
    return undefined;
  }
  cache.save();
  return out;
}
