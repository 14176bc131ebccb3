import { relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TSESLint } from '@typescript-eslint/utils';
import { FailuresError } from '../errors.js';
import type { TreeCache } from '../enforce/engine.js';
import type { CompiledRule } from '../enforce/compile.js';
import { listenersFor } from '../rules/index.js';
import { loadEnforcement } from '../store/enforcement.js';
import { findRoot } from '../store/find.js';
import { VERSION } from '../version.js';
import { readSuppressions } from '../enforce/suppress.js';

export interface PluginOptions {
  /** The project directory holding .failures/ (default: found from the current directory up). */
  root?: string;
}


type RuleModule = TSESLint.RuleModule<'violation', []>;

export interface FailuresPlugin {
  meta: { name: string; version: string };
  rules: Record<string, RuleModule>;
  configs: { recommended: TSESLint.FlatConfig.Config };
  /** Problems with the records: invalid ones are left out, and said once, not on every file. */
  problems: string[];
}

function docsUrl(rule: CompiledRule, root: string, file: string, base: string | undefined): string {
  if (base) return `${base.replace(/\/?$/, '/')}${rule.id}`;
  return pathToFileURL(file).href || relative(root, file);
}

/** Parsed trees per file, shared by every rule that runs on it. */
const treesByFile = new WeakMap<object, TreeCache>();

function createRuleModule(rule: CompiledRule, root: string, file: string, docsBase: string | undefined): RuleModule {
  const fixable = rule.detectors.some((d) => d.kind === 'pattern' && d.fix !== undefined);
  const meta = {
    type: 'problem' as const,
    docs: { description: `${rule.name}: ${rule.description}`, url: docsUrl(rule, root, file, docsBase) },
    messages: { violation: '{{message}}' },
    schema: [],
    ...(fixable ? { fixable: 'code' as const } : {}),
  };
  return {
    meta,
    defaultOptions: [],
    create(context: TSESLint.RuleContext<'violation', []>) {
      const filename = relative(root, context.physicalFilename).split(sep).join('/');
      const text = context.sourceCode.text;
      const suppressions = readSuppressions(text, { eslintDirectives: false });
      let trees = treesByFile.get(context.sourceCode);
      if (!trees) treesByFile.set(context.sourceCode, (trees = new Map()));
      return listenersFor(rule, {
        filename,
        text,
        trees,
        visitorKeys: context.sourceCode.visitorKeys as Record<string, readonly string[]>,
        report: (target, message, fix) => {
          const loc = 'node' in target ? (target.node.loc as TSESLint.AST.SourceLocation) : target.loc;
          if (suppressions.isSuppressed(rule.ruleId, loc.start.line)) return;
          context.report({
            loc,
            messageId: 'violation',
            data: { message },
            ...(fix ? { fix: (fixer: TSESLint.RuleFixer) => fixer.replaceTextRange(fix.range, fix.text) } : {}),
          });
        },
      }) as unknown as TSESLint.RuleListener;
    },
  } as unknown as RuleModule;
}

/** A rule named in a config or an eslint-disable comment that is not (or no longer) enforced: it does nothing. */
function inactiveRule(id: string, why: string): RuleModule {
  return {
    meta: { type: 'problem', deprecated: true, docs: { description: `${id}: ${why}; this rule reports nothing` }, messages: { violation: '{{message}}' }, schema: [] },
    defaultOptions: [],
    create: () => ({}),
  } as unknown as RuleModule;
}

/** Every other rule name answers with an inactive rule, so a stale config never crashes ESLint. */
function tolerantRules(rules: Record<string, RuleModule>): Record<string, RuleModule> {
  return new Proxy(rules, {
    get(target, key) {
      if (typeof key !== 'string' || key in target) return Reflect.get(target, key);
      if (!/^[a-z][\w.-]*$/i.test(key)) return undefined;
      return inactiveRule(key, 'not an anti-pattern in .failures/');
    },
  });
}

/** `configure({ root })`: a root without .failures/ is said, not silently a plugin with no rules. */
function configuredRoot(root: string): string {
  try {
    return findRoot(process.cwd(), root);
  } catch (error) {
    if (!(error instanceof FailuresError)) throw error;
    throw new FailuresError(`no .failures/ folder in ${resolve(process.cwd(), root)} (the root given to failures.configure)`);
  }
}

/**
 * The ESLint plugin for a project's .failures/: one rule per approved anti-pattern
 * (failures/ap-001), and `configs.recommended` turning each on at its severity's level.
 */
export function createPlugin(options: PluginOptions = {}): FailuresPlugin {
  let root: string;
  let enforcement: ReturnType<typeof loadEnforcement>;
  try {
    root = options.root === undefined ? findRoot(process.cwd()) : configuredRoot(options.root);
    enforcement = loadEnforcement(root);
  } catch (error) {
    if (!(error instanceof FailuresError)) throw error;
    process.emitWarning(`failures: ${error.message}; the plugin enforces nothing until there is one (\`failures init\`).`, { code: 'FAILURES_NO_STORE' });
    const empty: FailuresPlugin = { meta: { name: 'failures', version: `${VERSION}+none` }, rules: tolerantRules({}), configs: { recommended: {} }, problems: [error.message] };
    empty.configs.recommended = { name: 'failures/recommended', plugins: { failures: empty as unknown as TSESLint.FlatConfig.Plugin }, rules: {} };
    return empty;
  }
  const files = new Map(enforcement.store.records.map((r) => [r.id, r.file]));
  const rules: Record<string, RuleModule> = {};
  for (const record of enforcement.store.records) {
    if (record.kind === 'anti-pattern' && record.id) rules[record.id.toLowerCase()] = inactiveRule(record.id, record.valid ? `status ${String((record.data as { status?: string }).status)}` : 'the record is invalid');
  }
  for (const rule of enforcement.rules) {
    rules[rule.id.toLowerCase()] = createRuleModule(rule, root, files.get(rule.id)!, enforcement.store.config.docs_url);
  }
  const problems = enforcement.problems
    .filter((p) => p.severity === 'error')
    .map((p) => `${relative(root, p.file)}:${p.line}:${p.column}: ${p.message}`);
  if (problems.length > 0) {
    process.emitWarning(
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in .failures/ (invalid records are not enforced): ${problems[0]}${problems.length > 1 ? ' …' : ''}. Run \`failures validate\` for all of them.`,
      { code: 'FAILURES_INVALID_RECORDS' },
    );
  }
  const plugin: FailuresPlugin = {
    meta: { name: 'failures', version: `${VERSION}+${enforcement.hash}` },
    rules: tolerantRules(rules),
    configs: { recommended: {} },
    problems,
  };
  plugin.configs.recommended = {
    name: 'failures/recommended',
    plugins: { failures: plugin as unknown as TSESLint.FlatConfig.Plugin },
    rules: Object.fromEntries(enforcement.rules.map((r) => [r.ruleId, r.level])),
  };
  return plugin;
}

let defaultPlugin: FailuresPlugin | undefined;

/** `import failures from 'failures/eslint'`: the plugin for the .failures/ found from the current directory. */
const lazy = {
  get meta() {
    return (defaultPlugin ??= createPlugin()).meta;
  },
  get rules() {
    return (defaultPlugin ??= createPlugin()).rules;
  },
  get configs() {
    return (defaultPlugin ??= createPlugin()).configs;
  },
  get problems() {
    return (defaultPlugin ??= createPlugin()).problems;
  },
  /** A plugin for an explicit project directory: `failures.configure({ root: import.meta.dirname })`. */
  configure: createPlugin,
};

export default lazy;
