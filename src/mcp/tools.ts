import { userInfo } from 'node:os';
import { relative, sep } from 'node:path';
import { FailuresError } from '../errors.js';
import { isOutside } from '../paths.js';
import { defaultSession } from '../ingest/session.js';
import { loadSchema } from '../store/schemas.js';
import { findRoot } from '../store/find.js';
import { checkDraft, type FeedbackDraft } from '../store/feedback.js';

/** Where the tools look for .failures/: the `--root` given to `failures mcp`, else found from `cwd`. */
export interface ToolContext {
  cwd: string;
  root?: string;
  env: NodeJS.ProcessEnv;
}

export interface Tool {
  name: string;
  title: string;
  description: string;
  inputSchema: { type: 'object'; properties: Record<string, object>; required?: string[]; additionalProperties: false };
  annotations: { readOnlyHint: boolean; destructiveHint?: boolean; idempotentHint?: boolean; openWorldHint: false };
  run(args: Record<string, unknown>, context: ToolContext): Promise<Record<string, unknown>>;
}

const rootOf = (context: ToolContext) => findRoot(context.cwd, context.root);
const relativeTo = (root: string, file: string) => relative(root, file).split(sep).join('/');

/** The feedback schema's own field definitions: the tool takes exactly what `failures log` writes. */
function feedbackInput(): Tool['inputSchema'] {
  const properties = (loadSchema('feedback') as { properties: Record<string, object> }).properties;
  const fields = ['context', 'feedback', 'category', 'severity', 'type', 'file', 'line', 'tags', 'anti_pattern', 'same_as', 'session'];
  return {
    type: 'object',
    properties: Object.fromEntries(fields.map((f) => [f, properties[f]!])),
    required: ['context', 'category', 'severity'],
    additionalProperties: false,
  };
}

const logFeedback: Tool = {
  name: 'log_feedback',
  title: 'Log a failure or correction',
  description:
    'Record one feedback entry in .failures/feedback/ (a new file, written atomically, never edited afterwards), validated exactly as `failures log` validates it. ' +
    'Use it when a person corrects you, or a test, check or CI run fails for a reason worth remembering. Returns the new id and the nearest known groups (anti-patterns, ' +
    'recurring patterns, earlier entries), each with `link_with`: if one is the same mistake, log the next one with that argument set.',
  inputSchema: feedbackInput(),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async run(args, context) {
    const root = rootOf(context);
    const [{ loadConfig }, { checkLinks, parseFileFlag }, { nearestGroups }, { writeFeedback }] = await Promise.all([
      import('../store/read.js'),
      import('../cli/log.js'),
      import('../cli/log-suggest.js'),
      import('../store/feedback.js'),
    ]);
    const { config, problems } = loadConfig(root);
    if (problems.length > 0) throw new FailuresError('.failures/config.yaml is invalid, so nothing was logged', { hint: 'run `failures validate` and fix what it names' });
    if (typeof args.feedback === 'string' && args.feedback.trim() === '') {
      throw new FailuresError('feedback is empty: give the correction, or leave feedback out for a failure still awaiting one; nothing was written');
    }
    const now = new Date();
    const { file, line, ...fields } = args as Partial<FeedbackDraft>;
    const draft = {
      timestamp: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      type: 'mistake',
      session: defaultSession(context.env, userInfo().username, now),
      ...fields,
      ...(file !== undefined ? parseFileFlag(file, root, true, context.cwd) : {}),
      ...(line !== undefined ? { line } : {}),
      source: { format: 'mcp' },
    } as FeedbackDraft;
    const issues = checkDraft(draft, config);
    if (issues.length > 0) {
      throw new FailuresError(`the entry is not valid, so nothing was written: ${issues.map((i) => `${i.field} ${i.problem}${i.fix ? ` (${i.fix})` : ''}`).join('; ')}`);
    }
    checkLinks(draft, root);
    // As `failures log` does: the nearest known groups from the records before this one, unless already linked.
    const suggestions = draft.same_as || draft.anti_pattern ? [] : await nearestGroups(`${draft.context} ${draft.feedback ?? ''}`, root, config);
    const written = writeFeedback(root, [draft], now);
    const nearest = suggestions.map(({ link, ...s }) => ({ ...s, link_with: { [link.flag === '--same-as' ? 'same_as' : 'anti_pattern']: link.value } }));
    return { id: written.ids[0]!, file: relativeTo(root, written.file), nearest };
  },
};

const similar: Tool = {
  name: 'similar',
  title: 'Have we seen this before?',
  description:
    'The recorded feedback entries, recurring patterns, anti-patterns, incidents and ticket patterns closest in meaning to a text (an error message, a review comment, a plan), ' +
    'with scores from 0 to 1. Call it before working in an area, or when something fails, to learn whether it failed before.',
  inputSchema: {
    type: 'object',
    properties: {
      text: { type: 'string', minLength: 1, description: 'What went wrong or what you are about to do, in a sentence or an error message.' },
      limit: { type: 'integer', minimum: 1, maximum: 50, description: 'How many matches to return (default 5).' },
    },
    required: ['text'],
    additionalProperties: false,
  },
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run(args, context) {
    const { clip, searchSimilar } = await import('../cli/similar.js');
    const matches = await searchSimilar(rootOf(context), args.text as string, (args.limit as number | undefined) ?? 5);
    return { query: clip(args.text as string), matches };
  },
};

const analyzeTool: Tool = {
  name: 'analyze',
  title: 'Recurring mistakes',
  description:
    'Groups the recorded feedback into recurring patterns (the same mistake ≥ min_frequency times), each with its occurrences, sessions, severity, priority, ' +
    'examples and the anti-pattern that covers it, as `failures analyze --format json` prints them. Read-only: proposals reach the records only through a person.',
  inputSchema: {
    type: 'object',
    properties: {
      category: { type: 'string', minLength: 1, description: 'Only this category (Testing, Architecture, … as in .failures/config.yaml).' },
      min_frequency: { type: 'integer', minimum: 1, description: 'Entries that make a pattern (default: min_frequency in config.yaml).' },
      since: { type: 'string', minLength: 1, description: 'Only entries from this date (ISO 8601) on.' },
    },
    additionalProperties: false,
  },
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run(args, context) {
    const [{ loadStore, recordsOf }, { analyzeRecords, analysisJson }, { dateOption, refuseInvalidConfig }] = await Promise.all([
      import('../store/read.js'),
      import('../cli/analysis.js'),
      import('../cli/output.js'),
    ]);
    const root = rootOf(context);
    const store = loadStore(root);
    // As `failures analyze`: thresholds and categories come from config.yaml, so an invalid one stops it.
    refuseInvalidConfig(store.problems, store.dir, 'nothing was analyzed');
    const category = args.category as string | undefined;
    const since = args.since as string | undefined;
    if (category && !store.config.categories.includes(category)) {
      throw new FailuresError(`category must be one of ${store.config.categories.join(', ')}; got '${category}'`);
    }
    if (since !== undefined) dateOption('since', since);
    const analysis = await analyzeRecords(
      root,
      store.config,
      recordsOf(store, 'feedback').map((r) => r.data),
      recordsOf(store, 'anti-pattern').map((r) => r.data),
      { minFrequency: (args.min_frequency as number | undefined) ?? store.config.min_frequency, ...(category ? { category } : {}), ...(since ? { since } : {}) },
    );
    return analysisJson(analysis, undefined);
  },
};

const check: Tool = {
  name: 'check',
  title: 'Check code against the approved anti-patterns',
  description:
    'Runs the approved anti-patterns (the same rules as `failures check`, the pre-commit hook and the ESLint plugin) on the given files or folders, ' +
    'or with `staged: true` on exactly what git is about to commit. Each finding says where, which rule, why the rule exists (its incident and cost) ' +
    'and how to fix it. Known violations in .failures/baseline.yaml are left out unless `baseline: false`.',
  inputSchema: {
    type: 'object',
    properties: {
      paths: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Files or folders, relative to the project (default: every file).' },
      staged: { type: 'boolean', description: 'Check the git index (what the next commit holds) instead of the working tree.' },
      baseline: { type: 'boolean', description: 'Leave out violations recorded in the baseline (default true).' },
    },
    additionalProperties: false,
  },
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run(args, context) {
    const root = rootOf(context);
    const { checkForAgent } = await import('./check.js');
    return checkForAgent(root, context.cwd, {
      paths: (args.paths as string[] | undefined) ?? [],
      staged: (args.staged as boolean | undefined) ?? false,
      baseline: (args.baseline as boolean | undefined) ?? true,
    });
  },
};

const explainRule: Tool = {
  name: 'explain_rule',
  title: 'Why a rule exists',
  description:
    'An anti-pattern (AP-001) in full: what it forbids and why, its status, the incidents and postmortems behind it (impact, root cause), ' +
    'its detectors, its bad and good examples and the prevention it asks for. Use it to understand a finding from `check` before fixing it.',
  inputSchema: {
    type: 'object',
    properties: { id: { type: 'string', minLength: 1, description: 'The anti-pattern id, as a finding names it (AP-001, or failures/ap-001).' } },
    required: ['id'],
    additionalProperties: false,
  },
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run(args, context) {
    const { explainAntiPattern } = await import('./explain.js');
    return explainAntiPattern(rootOf(context), args.id as string);
  },
};

const contextTool: Tool = {
  name: 'context',
  title: 'Past failures as constraints for new work',
  description:
    'The failure context report for a feature spec (a manifold YAML file): past incidents ranked by relevance with their reasons, postmortem lessons and open ' +
    'action items, anti-patterns with where they occur in the codebase now, derived constraints (T_INC089_1…), new failure modes, and a critical warning when ' +
    'the spec does not address the root cause of a relevant high-impact incident — as `failures context --format json` prints it, except that incidents of low ' +
    'relevance are left out (meta.sources.incidents counts every one analysed; the CLI report lists them all). Read-only: to add the ' +
    'constraints to the spec, a person runs `failures merge`.',
  inputSchema: {
    type: 'object',
    properties: {
      manifold: { type: 'string', minLength: 1, description: 'The feature spec: a path, or its name when NAME.yaml is in the project or its manifolds/ folder.' },
      sources: {
        type: 'array',
        items: { enum: ['incidents', 'postmortems', 'tickets'] },
        minItems: 1,
        uniqueItems: true,
        description: 'Which history to read (default: all three).',
      },
      timeframe_months: { type: 'integer', minimum: 1, description: 'Keep failures of the last N months (default: all history).' },
    },
    required: ['manifold'],
    additionalProperties: false,
  },
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run(args, context) {
    const root = rootOf(context);
    const [{ buildContextReport }, { resolveManifold }] = await Promise.all([import('../cli/context.js'), import('../cli/manifold-file.js')]);
    const manifoldFile = resolveManifold(args.manifold as string, root, context.cwd);
    // An agent reads the project, as `check` does: a spec outside it (`../../etc/passwd`) is refused
    // before it is read, so no outside file's text comes back in an error.
    if (isOutside(root, manifoldFile)) {
      throw new FailuresError(`${args.manifold as string} is outside the project (${root})`, { hint: 'pass a feature spec inside the project: a path, or its name when NAME.yaml is in the project or its manifolds/ folder' });
    }
    const timeframe = args.timeframe_months as number | undefined;
    const today = new Date().toISOString();
    const { report } = await buildContextReport(root, manifoldFile, {
      sources: (args.sources as Array<'incidents' | 'postmortems' | 'tickets'> | undefined) ?? ['incidents', 'postmortems', 'tickets'],
      ...(timeframe !== undefined ? { timeframe } : {}),
      asOf: today.slice(0, 10),
      analyzedAt: today,
      manifoldShown: relativeTo(root, manifoldFile),
      reportShown: 'REPORT',
    });
    return withoutLowRelevance(report);
  },
};

/**
 * The report without its low-relevance incidents (meta.sources.incidents still counts every one
 * analysed). The whole history ranked with every reason is what a file can hold, not an agent's
 * context: on 323 real postmortems the tool answered 445,000 characters, twice (as text and as
 * structured content); the relevant incidents are what the report's every other part is built from.
 */
function withoutLowRelevance(report: Record<string, unknown>): Record<string, unknown> {
  const incidents = (report.incidents as Array<{ relevance_to_manifold?: { relevance?: string } }> | undefined) ?? [];
  return { ...report, incidents: incidents.filter((incident) => incident.relevance_to_manifold?.relevance !== 'low') };
}

/** Every tool the server offers, in the order an agent meets them. */
export const TOOLS: Tool[] = [similar, contextTool, logFeedback, check, explainRule, analyzeTool];
