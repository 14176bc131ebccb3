import type { NapiConfig, SgNode, SgRoot } from '@ast-grep/napi';
import { expandFix } from './fix-template.js';
import { isAvailable, isJsFamily, languageInfo, loadAstGrep } from './languages.js';

/**
 * `pattern` detectors on ast-grep: an ast-grep rule (pattern, kind, regex, inside, has, follows,
 * precedes, all, any, not, matches, nthChild) with constraints, utils and fix, compiled once per
 * language on first use. Records written for the earlier matcher keep their meaning: `...` (not a
 * spread) is ast-grep's `$$$`, `not`/`inside`/`not_inside` may be pattern strings, and a top-level
 * `inside`/`not_inside` looks at every ancestor unless it says `stopBy`.
 */
export type AstGrepRule = Record<string, unknown>;

export interface StructuralSpec {
  /** The rule as written: translated per language when compiled. */
  rule: AstGrepRule;
  constraints?: Record<string, AstGrepRule>;
  utils?: Record<string, AstGrepRule>;
  /** Replacement text, with $VAR and $$$VAR of the match, and the metavariables `transform` makes. */
  fix?: string;
  /** ast-grep's transform (substring, replace, convert): metavariables made from captured ones, for the fix. */
  transform?: Record<string, unknown>;
}

/** One match: UTF-16 offsets into the text, and the fixed text if the detector has a fix. */
export interface StructuralMatch {
  start: number;
  end: number;
  /** Offsets of the first statement for a multi-statement pattern (reported there). */
  fix?: { start: number; end: number; text: string };
}

export class DetectorCompileError extends Error {
  constructor(
    message: string,
    /** Where in the detector: ['pattern'], ['inside', 'pattern'], ['constraints', 'X']… */
    readonly at: Array<string | number> = [],
    /** How to fix it, when the message alone does not say. */
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** A multi-statement pattern (`lock(); $X; unlock();`): statements that must follow each other in one block. */
interface Sequence {
  statements: Array<string | 'gap'>;
  /** What else the first statement must satisfy (inside, not…). */
  rest?: AstGrepRule;
}

interface Compiled {
  config: NapiConfig;
  sequence?: Sequence;
  literals: string[];
}

const RELATIONS = ['inside', 'has', 'follows', 'precedes'] as const;

/** `...` where it stands for "anything" (never a spread, which is followed by an expression) becomes `$$$`. */
export function markEllipses(source: string): string {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (quote) {
      out += ch;
      if (ch === '\\') out += source[++i] ?? '';
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') {
      quote = ch;
      out += ch;
      continue;
    }
    if (source.startsWith('...', i) && /^\s*([,)\]};]|$)/.test(source.slice(i + 3))) {
      out += '$$$';
      i += 2;
      continue;
    }
    out += ch;
  }
  return out;
}

/** Rewrites the patterns of a rule for one language (JS: `...` → `$$$`). */
function translate(rule: unknown, js: boolean): unknown {
  if (Array.isArray(rule)) return rule.map((r) => translate(r, js));
  if (rule === null || typeof rule !== 'object') return rule;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rule)) {
    if (key === 'pattern' && typeof value === 'string') out[key] = js ? markEllipses(value) : value;
    else if (key === 'pattern' && value && typeof value === 'object') {
      const p = value as { context?: string };
      out[key] = { ...p, ...(typeof p.context === 'string' && js ? { context: markEllipses(p.context) } : {}) };
    } else if (key === 'regex' || key === 'kind' || key === 'stopBy' && typeof value === 'string') out[key] = value;
    else out[key] = translate(value, js);
  }
  return out;
}

/**
 * Go reads `fmt.Println($A)` alone as a type conversion, which never matches a call in code (ast-grep's
 * FAQ): such a pattern is read in a function body and the call selected, as the FAQ advises.
 */
function goCalls(rule: unknown, language: string): AstGrepRule {
  if (language !== 'go') return rule as AstGrepRule;
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (!value || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (key === 'pattern' && typeof v === 'string') {
        const root = loadAstGrep('go').parse('go' as never, asCode(v, 'go')).root();
        const top = root.children()[0]?.children()[0];
        out[key] = top?.kind() === 'type_conversion_expression' && root.children().length === 1 ? { context: `func _() { ${v} }`, selector: 'call_expression' } : v;
      } else out[key] = visit(v);
    }
    return out;
  };
  return visit(rule) as AstGrepRule;
}

/** Metavariables ($X, $$$X, $_) in the language's own spelling, for parsing a pattern as code. */
function asCode(pattern: string, language: string): string {
  const expando = languageInfo(language).expando;
  return expando === '$' ? pattern : pattern.replace(/\$/g, expando);
}

/** Syntax errors in a piece of code: ERROR nodes and the zero-width tokens tree-sitter inserts. */
function syntaxError(root: SgNode, tolerated?: RegExp): SgNode | undefined {
  const end = root.range().end.index;
  const stack: SgNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.kind() === 'ERROR' && tolerated?.test(node.text().trim())) continue;
    if (node.kind() === 'ERROR') return node;
    const range = node.range();
    // A token tree-sitter inserts at the very end (Java's `;` after a statement pattern) is no error: ast-grep ignores it.
    if (node !== root && range.start.index === range.end.index && !node.isNamed() && node.kind() !== '' && range.end.index < end) return node;
    stack.push(...node.children());
  }
  return undefined;
}

/** The text of a node that is one metavariable ($X, $_, $$$, $$$ARGS) in the language's own spelling. */
function metavariableOnly(language: string): RegExp {
  const e = languageInfo(language).expando.replace(/[$]/g, '\\$');
  return new RegExp(`^(?:${e}${e}${e}[A-Z0-9_]*|${e}[A-Z_][A-Z0-9_]*)$`);
}

/** Top-level statements of a pattern, when it is a sequence of several. */
function statementsOf(pattern: string, language: string): string[] | undefined {
  const { parse } = loadAstGrep(language);
  const root = parse(language as never, asCode(pattern, language)).root();
  const statements = root.children().filter((c) => c.isNamed() && c.kind() !== 'comment');
  if (statements.length < 2 || syntaxError(root)) return undefined;
  const code = pattern;
  // Offsets are the same in the pattern and its code spelling only when the expando is one UTF-16 unit.
  return statements.map((s) => code.slice(s.range().start.index, s.range().end.index));
}

/** Names and words every match must contain, from the parts of a rule every match must satisfy. */
function requiredWords(rule: unknown, language: string): string[] {
  if (!rule || typeof rule !== 'object' || Array.isArray(rule)) return [];
  const r = rule as Record<string, unknown>;
  const out: string[] = [];
  if (typeof r.pattern === 'string') {
    const { parse } = loadAstGrep(language);
    const expando = languageInfo(language).expando;
    const stack: SgNode[] = [parse(language as never, asCode(r.pattern, language)).root()];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.isNamedLeaf()) {
        const text = node.text();
        if (/^[A-Za-z_][A-Za-z0-9_]+$/.test(text) && !text.includes(expando)) out.push(text);
      } else stack.push(...node.children());
    }
  }
  if (Array.isArray(r.all)) for (const sub of r.all) out.push(...requiredWords(sub, language));
  // A match of `any` holds one of its rules' words: those every rule requires.
  if (Array.isArray(r.any) && r.any.length > 0) {
    const [first, ...rest] = r.any.map((sub) => new Set(requiredWords(sub, language)));
    for (const word of first!) if (rest.every((words) => words.has(word))) out.push(word);
  }
  for (const key of RELATIONS) if (r[key]) out.push(...requiredWords(r[key], language));
  return [...new Set(out)];
}

/** Every pattern string in a rule, with where it is. */
function* patternsIn(rule: unknown, at: Array<string | number> = []): Generator<{ pattern: string; at: Array<string | number> }> {
  if (Array.isArray(rule)) {
    for (let i = 0; i < rule.length; i++) yield* patternsIn(rule[i], [...at, i]);
    return;
  }
  if (!rule || typeof rule !== 'object') return;
  for (const [key, value] of Object.entries(rule)) {
    if (key === 'pattern' && typeof value === 'string') yield { pattern: value, at: [...at, key] };
    else if (key === 'pattern' && value && typeof (value as { context?: unknown }).context === 'string') yield { pattern: (value as { context: string }).context, at: [...at, key, 'context'] };
    else if (typeof value === 'object') yield* patternsIn(value, [...at, key]);
  }
}

/**
 * A fix names only metavariables the rule captures: any other `$X` or an unnamed `$$$` would be
 * written into the code as it stands (ast-grep captures named metavariables only; `$_X` never).
 */
function checkFixNames(fix: string, rule: unknown, utils: unknown, transform: Record<string, unknown> | undefined): void {
  // Each name the rule captures, as `$X` (one node) or `$$$X` (a sequence): the fix writes it the same way; transform's are text, `$X`.
  const captured = new Map<string, string>();
  for (const source of [rule, utils]) {
    for (const { pattern } of patternsIn(source)) {
      for (const [whole, name] of pattern.matchAll(/\$(?:\$\$)?([A-Z_][A-Z0-9_]*)/g)) if (!name!.startsWith('_')) captured.set(name!, whole!);
    }
  }
  for (const name of Object.keys(transform ?? {})) captured.set(name, `$${name}`);
  const known = captured.size > 0 ? `the rule captures ${[...captured.values()].join(', ')}` : 'the rule captures no metavariable';
  const hint = 'write the replacement with the $NAME and $$$NAME the pattern captures';
  for (const [whole, many, one] of fix.matchAll(/\$\$\$([A-Z0-9_]*)|\$([A-Z_][A-Z0-9_]*)/g)) {
    const name = many ?? one!;
    if (name === '') throw new DetectorCompileError(`the fix writes an unnamed \`$$$\`, which ast-grep does not capture, so it would be written into the code as \`$$$\`: name it in the pattern and the fix (\`f($$$ARGS)\` → \`g($$$ARGS)\`)`, ['fix'], hint);
    const bound = captured.get(name);
    if (bound === undefined) throw new DetectorCompileError(`the fix writes \`${whole}\`, which no pattern of the rule captures, so it would be written into the code as it stands; ${known}`, ['fix'], hint);
    if (bound !== whole) throw new DetectorCompileError(`the fix writes \`${whole}\` where the rule captures \`${bound}\`: write it as the rule does`, ['fix'], hint);
  }
}

/** Code written as the pattern itself, with metavariables made concrete: a pattern must match at least that. */
function instances(pattern: string): string[] {
  const one = pattern.replace(/\$\$\$[A-Z0-9_]*/g, 'a').replace(/\$[A-Z_][A-Z0-9_]*/g, 'a');
  const none = pattern.replace(/\$\$\$[A-Z0-9_]*\s*,?\s*/g, '').replace(/\$[A-Z_][A-Z0-9_]*/g, 'a');
  return [...new Set([one, none])];
}

export class StructuralDetector {
  private readonly compiled = new Map<string, Compiled | DetectorCompileError>();

  constructor(readonly spec: StructuralSpec) {}

  /** The rule for one language; throws DetectorCompileError when it cannot work there. */
  compile(language: string): Compiled {
    let entry = this.compiled.get(language);
    if (!entry) {
      try {
        entry = this.build(language);
      } catch (error) {
        entry = error instanceof DetectorCompileError ? error : new DetectorCompileError(firstLine(error));
      }
      this.compiled.set(language, entry);
    }
    if (entry instanceof DetectorCompileError) throw entry;
    return entry;
  }

  /** Why the detector cannot work in a language, or undefined. */
  errorFor(language: string): DetectorCompileError | undefined {
    try {
      this.compile(language);
      return undefined;
    } catch (error) {
      return error as DetectorCompileError;
    }
  }

  /** Words a file of this language must contain to hold a match (empty: no cheap test). */
  literalsFor(language: string): string[] {
    try {
      return this.compile(language).literals;
    } catch {
      return [];
    }
  }

  private build(language: string): Compiled {
    if (!isAvailable(language)) throw new DetectorCompileError(`the parser for ${language} (${languageInfo(language).package}) is not installed`, ['language']);
    const ast = loadAstGrep(language);
    const js = isJsFamily(language);
    const rule = goCalls(translate(this.spec.rule, js) as AstGrepRule, language);
    for (const { pattern, at } of patternsIn(rule)) {
      const root = ast.parse(language as never, asCode(pattern, language)).root();
      // A metavariable the grammar cannot place (`$C` alone in Java or Go, `f(a, true $$$)`) is no error to
      // ast-grep, which matches it as written: ast-grep's own rules are full of them.
      const bad = syntaxError(root, metavariableOnly(language));
      if (bad) {
        const col = bad.range().start.column + 1;
        throw new DetectorCompileError(`the pattern does not parse as ${language} (at column ${col}${bad.text() ? `, near \`${bad.text().slice(0, 30)}\`` : ''})`, at);
      }
    }
    if (this.spec.fix !== undefined) checkFixNames(this.spec.fix, rule, this.spec.utils, this.spec.transform);
    let sequence: Sequence | undefined;
    if (typeof rule.pattern === 'string') {
      const statements = statementsOf(rule.pattern, language);
      if (statements) {
        const { pattern: _drop, ...rest } = rule;
        const items = statements.map((s) => (/^\$\$\$[A-Z0-9_]*;?$/.test(s.trim()) ? ('gap' as const) : s));
        while (items[0] === 'gap') items.shift();
        while (items.at(-1) === 'gap') items.pop();
        sequence = { statements: items, ...(Object.keys(rest).length > 0 ? { rest } : {}) };
        // A sequence is found statement by statement, with no one node to replace: a fix would silently do nothing.
        if (this.spec.fix !== undefined) {
          throw new DetectorCompileError(
            'a fix cannot be applied to a pattern of several statements (it matches no single node to replace)',
            ['fix'],
            'drop `fix:` (the rule still reports), or give the fix to a detector whose pattern is one statement or expression',
          );
        }
      }
    }
    const config: NapiConfig = {
      rule: sequence ? { pattern: sequence.statements[0] as string } : (rule as NapiConfig['rule']),
      language: language as never,
      ...(this.spec.constraints ? { constraints: translate(this.spec.constraints, js) as NapiConfig['constraints'] } : {}),
      ...(this.spec.utils ? { utils: translate(this.spec.utils, js) as NapiConfig['utils'] } : {}),
      ...(this.spec.transform ? { transform: this.spec.transform } : {}),
    };
    try {
      ast.parse(language as never, '').root().findAll(config);
      if (sequence?.rest) ast.parse(language as never, '').root().findAll({ ...config, rule: sequence.rest as NapiConfig['rule'] });
    } catch (error) {
      const message = firstLine(error);
      const at = /constraints/.test(message) ? ['constraints'] : /transform/i.test(message) && this.spec.transform ? ['transform'] : [];
      const hint = at[0] === 'transform' ? "write each as ast-grep's transform does: NAME: { substring | replace | convert: { source: $VAR, … } }" : refusalHint(message, language);
      throw new DetectorCompileError(`ast-grep refuses the rule: ${message}`, at, hint);
    }
    if (!sequence && typeof rule.pattern === 'string' && Object.keys(rule).length === 1 && !this.spec.constraints) {
      this.checkSelfMatch(rule.pattern, language);
    }
    return { config, ...(sequence ? { sequence } : {}), literals: requiredWords(rule, language) };
  }

  /** A pattern that does not match code written as itself can never match anything: say so. */
  private checkSelfMatch(pattern: string, language: string): void {
    const { parse } = loadAstGrep(language);
    let parsed = false;
    for (const code of instances(pattern)) {
      const root = parse(language as never, asCode(code, language)).root();
      if (syntaxError(root)) continue;
      parsed = true;
      if (root.find({ rule: { pattern } as NapiConfig['rule'] })) return;
    }
    if (parsed) {
      const kind = parse(language as never, asCode(pattern, language)).root().children()[0]?.kind() ?? 'nothing';
      throw new DetectorCompileError(
        `the pattern can never match: it does not even match \`${instances(pattern)[0]}\` (ast-grep reads it as ${kind} in ${language}); write it as the code you mean, e.g. a whole expression or statement`,
        ['pattern'],
        'write the pattern as a whole expression or statement of the code you mean, or give `kind:` with a pattern object { context, selector } for a fragment',
      );
    }
  }

  /** One plain rule (no statement sequence, constraints, utils or fix): it can share a traversal with others. */
  combinable(language: string): boolean {
    try {
      const compiled = this.compile(language);
      return !compiled.sequence && !this.spec.constraints && !this.spec.utils && this.spec.fix === undefined && !this.spec.transform;
    } catch {
      return false;
    }
  }

  /** Matches in a parsed file. */
  find(root: SgRoot, language: string, text: string): StructuralMatch[] {
    const compiled = this.compile(language);
    const out: StructuralMatch[] = [];
    for (const node of root.root().findAll(compiled.config)) {
      if (compiled.sequence) {
        const end = this.sequenceEnd(node, compiled);
        if (end !== undefined) out.push({ start: node.range().start.index, end });
        continue;
      }
      const range = node.range();
      const match: StructuralMatch = { start: range.start.index, end: range.end.index };
      if (this.spec.fix !== undefined) match.fix = { start: match.start, end: match.end, text: expandFix(this.spec.fix, node, text) };
      out.push(match);
    }
    return out;
  }

  /** Where a statement sequence starting at `first` ends, if the rest of it follows. */
  private sequenceEnd(first: SgNode, compiled: Compiled): number | undefined {
    const { statements, rest } = compiled.sequence!;
    if (rest && !first.matches({ ...compiled.config, rule: rest as NapiConfig['rule'] })) return undefined;
    const siblings = first.nextAll().filter((n) => n.isNamed() && n.kind() !== 'comment');
    const go = (i: number, j: number, last: SgNode): SgNode | undefined => {
      if (i === statements.length) return last;
      const item = statements[i]!;
      if (item === 'gap') {
        for (let k = j; k <= siblings.length; k++) {
          const found = go(i + 1, k, k > j ? siblings[k - 1]! : last);
          if (found) return found;
        }
        return undefined;
      }
      const node = siblings[j];
      if (!node || !node.matches({ ...compiled.config, rule: { pattern: item } as NapiConfig['rule'] })) return undefined;
      return go(i + 1, j + 1, node);
    };
    return go(1, 0, first)?.range().end.index;
  }
}

/** How to fix a rule ast-grep refuses, by what it says. */
function refusalHint(message: string, language: string): string {
  const undefinedVar = /Undefined meta var `([^`]+)`/.exec(message);
  if (undefinedVar) return `constraints may name only metavariables the rule captures: write \`$${undefinedVar[1]}\` in the pattern, or correct the name`;
  if (/Invalid Kind/i.test(message)) return `use a node kind of ${language}'s tree-sitter grammar, as ast-grep's playground (https://ast-grep.github.io/playground.html) shows them, e.g. call_expression`;
  return 'write the rule as ast-grep\'s rule reference says (https://ast-grep.github.io/reference/rule.html)';
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .split('\n')
    .map((l) => l.replace(/^\s*\|->/, '').trim())
    .filter(Boolean)
    .slice(0, 4)
    .join(': ');
}

/** Parses a file's text in a language (once per file and language). */
export function parseWith(language: string, text: string): SgRoot {
  return loadAstGrep(language).parse(language as never, text);
}
