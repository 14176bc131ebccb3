import { relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLintUtils, type TSESLint } from '@typescript-eslint/utils';
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

function createRuleModule(rule: CompiledRule, root: string, file: string, docsBase: string | undefined): RuleModule {
  const create = ESLintUtils.RuleCreator.withoutDocs<[], 'violation'>;
  return {
    ...create({
      meta: {
        type: 'problem',
        docs: { description: `${rule.name}: ${rule.description}` },
        messages: { violation: '{{message}}' },
        schema: [],
      },
      defaultOptions: [],
      create(context) {
        const filename = relative(root, context.physicalFilename).split(sep).join('/');
        const text = context.sourceCode.text;
        const suppressions = readSuppressions(text, { eslintDirectives: false });
        return listenersFor(rule.detectors, {
          filename,
          text,
          visitorKeys: context.sourceCode.visitorKeys as Record<string, readonly string[]>,
          report: (target, message) => {
            const loc =
              'node' in target
                ? (target.node.loc as TSESLint.AST.SourceLocation)
                : { start: context.sourceCode.getLocFromIndex(target.start), end: context.sourceCode.getLocFromIndex(target.end) };
            if (suppressions.isSuppressed(rule.ruleId, loc.start.line)) return;
            context.report({ loc, messageId: 'violation', data: { message } });
          },
        }) as unknown as TSESLint.RuleListener;
      },
    }),
    meta: {
      type: 'problem',
      docs: { description: `${rule.name}: ${rule.description}`, url: docsUrl(rule, root, file, docsBase) },
      messages: { violation: '{{message}}' },
      schema: [],
    },
  } as RuleModule;
}

/**
 * The ESLint plugin for a project's .failures/: one rule per approved anti-pattern
 * (failures/ap-001), and `configs.recommended` turning each into an error.
 */
export function createPlugin(options: PluginOptions = {}): FailuresPlugin {
  const root = options.root ?? findRoot(process.cwd());
  const enforcement = loadEnforcement(root);
  const files = new Map(enforcement.store.records.map((r) => [r.id, r.file]));
  const rules: Record<string, RuleModule> = {};
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
    rules,
    configs: { recommended: {} },
    problems,
  };
  plugin.configs.recommended = {
    name: 'failures/recommended',
    plugins: { failures: plugin as unknown as TSESLint.FlatConfig.Plugin },
    rules: Object.fromEntries(enforcement.rules.map((r) => [r.ruleId, 'error' as const])),
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
