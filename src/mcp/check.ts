import { relative, sep } from 'node:path';
import type { CompiledRule } from '../enforce/compile.js';
import { blockingProblems } from '../store/enforcement.js';

export interface CheckRequest {
  paths: string[];
  staged: boolean;
  baseline: boolean;
}

/** What a rule asks for instead, from its record: the first good example and the prevention it names. */
function fixOf(rule: CompiledRule): { good_example?: string; must_include?: string[]; must_exclude?: string[] } {
  const record = rule.record;
  const good = record.examples?.good?.[0];
  return {
    ...(good ? { good_example: typeof good === 'string' ? good : good.code } : {}),
    ...(record.prevention?.must_include?.length ? { must_include: record.prevention.must_include } : {}),
    ...(record.prevention?.must_exclude?.length ? { must_exclude: record.prevention.must_exclude } : {}),
  };
}

/**
 * `failures check` for an agent: the same rules, files, cache and baseline (renames included), with
 * each finding carrying why its rule exists and what good code looks like, so the agent can fix it
 * without another call. Paths are taken relative to `cwd`, as on the command line.
 */
export async function checkForAgent(root: string, cwd: string, request: CheckRequest): Promise<Record<string, unknown>> {
  const { applyProjectBaseline, checkProject } = await import('../cli/check-project.js');
  // The rules that load are enforced; the others are named in the answer instead of stopping it.
  const project = await checkProject(root, { paths: request.paths, staged: request.staged, cache: true, cwd, broken: 'skip', baseline: request.baseline });
  const { enforcement, checked } = project;
  const { results, baselined } = request.baseline ? await applyProjectBaseline(root, project, project.results, request.staged) : { results: project.results, baselined: 0 };
  const rules = new Map(enforcement.rules.map((r) => [r.ruleId, r]));
  const findings = results.flatMap((result) =>
    result.findings.map((f) => {
      const rule = rules.get(f.ruleId)!;
      return {
        file: result.file,
        line: f.line,
        column: f.column,
        end_line: f.endLine,
        end_column: f.endColumn,
        rule: rule.id,
        rule_id: f.ruleId,
        severity: rule.severity ?? null,
        message: f.message,
        code: f.code,
        why: rule.description,
        fix: fixOf(rule),
      };
    }),
  );
  const parseErrors = results.filter((r) => r.parseError).map((r) => ({ file: r.file, ...r.parseError! }));
  const broken = blockingProblems(enforcement).map((p) => ({ file: relative(root, p.file).split(sep).join('/'), line: p.line, column: p.column, message: p.message }));
  return {
    checked: checked.length,
    rules: enforcement.rules.length,
    clean: findings.length === 0 && parseErrors.length === 0,
    findings,
    parse_errors: parseErrors,
    baselined,
    ...(broken.length ? { rules_not_enforced: broken } : {}),
  };
}
