import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import {
  CallToolRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { FailuresError } from '../errors.js';
import { VERSION } from '../version.js';
import { checkArguments } from './args.js';
import { listResources, readResource, RESOURCE_TEMPLATES } from './resources.js';
import { TOOLS, type ToolContext } from './tools.js';

/** What the server tells an agent at `initialize`: when to reach for which tool. */
const INSTRUCTIONS = [
  'failures is this repository\'s memory of what went wrong (review corrections, CI failures, incidents), and the',
  'lint rules that keep those mistakes from happening again. Before writing code in an area, call `similar` (or',
  '`context` for a feature spec) to learn what failed there before. When a person corrects you, or a check or test fails for a reason',
  'worth remembering, call `log_feedback` (link it with `same_as`/`anti_pattern` when a suggestion fits). Before',
  'committing, call `check` with `staged: true` (or the paths you changed) and fix every error; `explain_rule` says',
  'why a rule exists and what good code looks like. Approving rules is for people: no tool here approves or commits.',
].join(' ');

/** The MCP server: every tool and resource reads the project at `root` (or the one found from `cwd`). */
export function createServer(context: ToolContext): Server {
  const server = new Server({ name: 'failures', version: VERSION }, { capabilities: { tools: {}, resources: {} }, instructions: INSTRUCTIONS });

  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: TOOLS.map((tool) => ({
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema: tool.inputSchema,
      annotations: tool.annotations,
    })),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    const tool = TOOLS.find((t) => t.name === request.params.name);
    if (!tool) return toolError(new FailuresError(`no tool named '${request.params.name}'`, { hint: `tools: ${TOOLS.map((t) => t.name).join(', ')}` }));
    try {
      const args = checkArguments(tool.name, tool.inputSchema, request.params.arguments ?? {});
      const result = await tool.run(args, context);
      return { content: [{ type: 'text', text: JSON.stringify(result, null, 2) }], structuredContent: result };
    } catch (error) {
      return toolError(error);
    }
  });

  server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: listResources(context) }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({ resourceTemplates: RESOURCE_TEMPLATES }));
  server.setRequestHandler(ReadResourceRequestSchema, async (request) => ({ contents: [readResource(request.params.uri, context)] }));
  return server;
}

/**
 * A tool error as the agent sees it: the CLI's own what/where/fix text, never a stack trace.
 * Errors that are not a user's mistake say so, as the CLI does.
 */
export function toolError(error: unknown): CallToolResult {
  let text: string;
  if (error instanceof FailuresError) {
    text = error.hint ? `${error.message}\nhint: ${error.hint}` : error.message;
  } else {
    const message = error instanceof Error ? error.message : String(error);
    text = `internal error: ${message}\nthis is a bug in failures; please report it with the call that caused it`;
  }
  return { content: [{ type: 'text', text }], isError: true };
}

/** Serves over stdin/stdout until the client closes the stream. */
export async function serveStdio(context: ToolContext): Promise<void> {
  const server = createServer(context);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    server.onclose = () => resolve();
  });
  await server.connect(transport);
  process.stdin.on('end', () => void server.close());
  await closed;
}
