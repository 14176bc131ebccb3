import { readFileSync } from 'node:fs';
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { findRoot } from '../store/find.js';
import { loadStore, recordsOf } from '../store/read.js';
import type { ToolContext } from './tools.js';

/** The MCP specification's code for a resource that does not exist (the SDK has no name for it). */
const RESOURCE_NOT_FOUND = -32002;

/**
 * A JSON-RPC error for the SDK to send. Not an McpError: its message already starts "MCP error -32002: ",
 * and the SDK's client adds that prefix again to what it receives ("MCP error -32002: MCP error -32002: no …").
 */
const rpcError = (code: number, message: string, data?: unknown) => Object.assign(new Error(message), { code, ...(data !== undefined ? { data } : {}) });

/** Read-only views of the records an agent most needs to quote: the anti-patterns and the incidents. */
const KINDS = [
  { kind: 'anti-pattern', folder: 'anti-patterns', what: 'An anti-pattern: what it forbids, why, its detectors and examples' },
  { kind: 'incident', folder: 'incidents', what: 'An incident: what happened, its impact and root cause' },
] as const;

export const RESOURCE_TEMPLATES = KINDS.map(({ folder, what }) => ({
  uriTemplate: `failures://${folder}/{id}`,
  name: folder,
  description: `${what} (the YAML record in .failures/${folder}/).`,
  mimeType: 'application/yaml',
}));

export function listResources(context: ToolContext) {
  const store = loadStore(findRoot(context.cwd, context.root), { kinds: ['config', 'anti-pattern', 'incident'] });
  return KINDS.flatMap(({ kind, folder }) =>
    recordsOf(store, kind).map((r) => {
      const data = r.data as { name?: string; title?: string; status?: string };
      const title = data.name ?? data.title ?? r.id;
      return {
        uri: `failures://${folder}/${r.id}`,
        name: r.id,
        title: `${r.id}: ${title}`,
        description: kind === 'anti-pattern' ? `${title} [${data.status}]` : title,
        mimeType: 'application/yaml',
      };
    }),
  );
}

/** The record's file as written (comments and all); only records the store has read and validated. */
export function readResource(uri: string, context: ToolContext) {
  const match = /^failures:\/\/([a-z-]+)\/([^/]+)$/.exec(uri);
  const entry = match && KINDS.find((k) => k.folder === match[1]);
  if (!match || !entry) {
    throw rpcError(ErrorCode.InvalidParams, `unknown resource ${uri}\nhint: resources are failures://anti-patterns/<id> and failures://incidents/<id>`);
  }
  const store = loadStore(findRoot(context.cwd, context.root), { kinds: ['config', entry.kind] });
  const record = recordsOf(store, entry.kind).find((r) => r.id === decodeURIComponent(match[2]!));
  if (!record) throw rpcError(RESOURCE_NOT_FOUND, `no ${entry.kind} '${match[2]}' in .failures/${entry.folder}/ (or it does not validate)\nhint: resources/list names every one`, { uri });
  return { uri, mimeType: 'application/yaml', text: readFileSync(record.file, 'utf8') };
}
