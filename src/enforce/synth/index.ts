import { escapeRegex } from '../linear-regex.js';
import { type SynthLanguage } from './lang.js';
import { buildRule, leafRule, matchesIn, separates, type AstRule, type Constraint, type Pattern } from './match.js';
import { containedLike, descendants, DESTINATIONS, differingNode, normalize, parseExample, withFocus, type Example, type ParsedExample, type TNode } from './tree.js';
import { anchors, antiUnify, concreteness, Namer, render, repeated, type Gen } from './unify.js';
import { proposeFix } from './fix.js';
import { LITERALS, relax, sharedNames, TEXTS } from './values.js';

export type { Example } from './tree.js';
export { ExampleError } from './tree.js';
export type { AstRule } from './match.js';

/** One synthesized detector: an ast-grep rule in one language, verified against its examples. */
export interface SynthDetector {
  language: SynthLanguage;
  /** The ast-grep rule: `pattern`, and the constraints (`inside`, `has`, `not`) that keep good code out. */
  rule: AstRule;
  /** A rewrite of the flagged code, when the good examples show one. */
  fix?: string;
  /** Indices of the bad examples this detector flags (the shape they share). */
  bad: number[];
}

/** Examples that cannot be told apart: a bad one whose shape a good one also has, in the same context. */
export interface Contradiction {
  bad: number;
  good: number[];
  reason: string;
}

export interface SynthResult {
  detectors: SynthDetector[];
  contradictions: Contradiction[];
  /**
   * Each example as a record keeps it: the statement it is (a line of a file), or the loop or block
   * around it when a detector needs that scope; snippets stay as given.
   */
  snippets: { bad: string[]; good: string[] };
}

export interface SynthInput {
  bad: readonly Example[];
  good: readonly Example[];
}

const GENERIC_SCOPES = new Set(['program', 'module', 'expression_statement', 'statement_block', 'block', 'parenthesized_expression', 'arguments', 'argument_list']);
interface Candidate {
  detector: SynthDetector;
  /** The code the pattern keeps, plus its constraints (to choose between candidates). */
  concreteness: number;
  /** The code the pattern keeps: what joining examples must not throw away. */
  kept: number;
}

/**
 * Examples join one detector only while it keeps at least this share of the code each of them would
 * keep alone: otherwise they are disjoint shapes (several detectors), not one shape with holes.
 */
const MERGE_SHARE = 0.5;
/** Context beyond the examples' own scope a detector may need to keep good code out; more is overfitting. */
const MAX_CONSTRAINTS = 3;

/**
 * Detectors from examples: the bad examples' syntax trees anti-unified into the most specific pattern
 * that matches them all, constraints added until no good example matches, literals and local names
 * relaxed into metavariables while that stays true; one detector per disjoint shape; every detector
 * verified with ast-grep on its examples before it is returned.
 */
export function synthesize(input: SynthInput): SynthResult {
  const detectors: SynthDetector[] = [];
  const contradictions: Contradiction[] = [];
  const snippets = { bad: input.bad.map((e) => e.code.trim()), good: input.good.map((e) => e.code.trim()) };
  const languages = [...new Set(input.bad.map((e) => e.language))];
  for (const language of languages) {
    const goodExamples = input.good.map((e, i) => ({ e, i })).filter(({ e }) => e.language === language);
    const goodTexts = new Set<string>();
    const good = goodExamples.map(({ e, i }) => parseExample(e, i));
    for (const g of good) for (const c of g.root.children()) goodTexts.add(normalize(c.text()));
    const bad: ParsedExample[] = [];
    input.bad.forEach((e, i) => {
      if (e.language === language) bad.push(narrow(parseExample(e, i, goodTexts), good));
    });
    const clusters: Array<{ members: ParsedExample[]; best: Candidate; alone: number }> = [];
    for (const b of bad) {
      // The same code as a good example, with nothing around it to tell them apart: a contradiction.
      const identical = good.filter((g) => normalize(g.focus.text) === normalize(b.focus.text) && sameContext(g, b) && b.example.line === undefined && g.example.line === undefined);
      if (identical.length) {
        contradictions.push({ bad: b.index, good: identical.map((g) => g.index), reason: 'the same code is given as bad and as good' });
        continue;
      }
      const alone = build([b], good, language);
      let chosen: { cluster: (typeof clusters)[number]; candidate: Candidate } | undefined;
      for (const cluster of clusters) {
        const candidate = build([...cluster.members, b], good, language);
        if (!candidate || (chosen && candidate.concreteness <= chosen.candidate.concreteness)) continue;
        // Joining must not throw away most of what either side says (`mariadb.connect(password=P)` and
        // `db.connect(host=…, passwd="")` are two shapes, not `$A.connect($$$B)`).
        const own = Math.min(cluster.alone, alone?.kept ?? Infinity);
        if (Number.isFinite(own) && candidate.kept < own * MERGE_SHARE) continue;
        chosen = { cluster, candidate };
      }
      if (chosen) {
        chosen.cluster.members.push(b);
        chosen.cluster.best = chosen.candidate;
        chosen.cluster.alone = Math.min(chosen.cluster.alone, alone?.kept ?? Infinity);
        continue;
      }
      if (alone) {
        clusters.push({ members: [b], best: alone, alone: alone.kept });
        continue;
      }
      const flagged = good.filter((g) => (matchesIn(g, { pattern: render(antiUnify([b.focus], new Namer())!) }) ?? []).length > 0);
      const same = flagged.filter((g) => normalize(g.focus.text) === normalize(b.focus.text));
      contradictions.push({
        bad: b.index,
        good: flagged.map((g) => g.index),
        reason: same.length
          ? 'the same code is given as bad and as good, and nothing around it (its scope, its function) tells them apart'
          : flagged.length
            ? 'every pattern for this bad example also matches these good examples, and no context (inside, has, not) tells them apart'
            : 'no ast-grep pattern could be written for it',
      });
    }
    for (const cluster of clusters) {
      const detector = cluster.best.detector;
      const fix = proposeFix(detector, cluster.members, good);
      detectors.push(fix ? { ...detector, fix } : detector);
      const scope = (detector.rule.inside as { kind?: string } | undefined)?.kind;
      for (const m of cluster.members) if (m.example.line !== undefined) snippets.bad[m.index] = snippetOf(m, scope);
    }
    for (const g of good) if (g.example.line !== undefined) snippets.good[g.index] = snippetOf(g, undefined);
    for (const b of bad) if (b.example.line !== undefined && snippets.bad[b.index] === b.example.code.trim()) snippets.bad[b.index] = snippetOf(b, undefined);
  }
  return { detectors, contradictions, snippets };
}

/** The code of an example given as a line of a file: its statement, or the enclosing `scope` when asked. */
function snippetOf(p: ParsedExample, scope: string | undefined): string {
  let node: TNode | undefined = p.focus;
  if (scope) while (node && node.kind !== scope) node = node.parent;
  if (!node || !scope) return dedent(p.example.code.slice(p.region.start, p.region.end), columnAt(p.example.code, p.region.start));
  // A catch clause or an except clause does not stand alone: its try statement does.
  const whole = node.parent && /^(catch_clause|except_clause|finally_clause|else_clause)$/.test(node.kind) ? node.parent : node;
  return dedent(whole.text, whole.column);
}

function columnAt(code: string, offset: number): number {
  return offset - (code.lastIndexOf('\n', offset - 1) + 1);
}

/**
 * Narrows a bad example to where it differs from the most similar good example (`charge(p)` in
 * `await charge(p)` against `await charge(p, {key})`; the call in a loop that a good example makes
 * outside one), keeping the scopes it was in as its context.
 */
function narrow(b: ParsedExample, good: readonly ParsedExample[]): ParsedExample {
  let best: { node: TNode; counterpart?: TNode } | undefined;
  for (const g of good) {
    let pair = b.focus.kind === g.focus.kind ? differingNode(b.focus, g.focus) : undefined;
    // Two functions differing in several places (name, parameters, body): the parameter default both
    // have with different values, if there is one (`password=""` against `password="helloworld"`).
    if (pair && pair[0] === b.focus && FUNCTIONS.has(b.focus.kind)) pair = keyedDifference(b.focus, g.focus) ?? pair;
    const node = pair ? pair[0] : containedLike(b.focus, g.focus);
    if (!node || (!pair && node === b.focus)) continue;
    if (!best || node.end - node.start < best.node.end - best.node.start) best = { node, counterpart: pair?.[1] };
  }
  if (!best) return b;
  // The receiver of a chain is not the mistake, the chain is: `expect(val).to` where `expect(val).to.be.ok`
  // differs from `expect(val).not.to.be.ok` would flag every assertion (`.to.be.a(…)`, `.to.equal(…)`).
  const node = wholeChain(best.node, b.focus);
  const narrowed = node === b.focus ? b : withFocus(b, node);
  return best.counterpart && node === best.node ? { ...narrowed, counterpart: best.counterpart } : narrowed;
}

/** Member accesses, calls and subscripts: their first child is what they are called, read or indexed on. */
const CHAINS = new Set(['member_expression', 'call_expression', 'subscript_expression', 'non_null_expression', 'attribute', 'call', 'subscript']);
/** Code that is part of its parent's meaning wherever it sits in it: an index is the access, an exported declaration the export. */
const HOLDERS = new Set(['subscript_expression', 'subscript', 'export_statement']);
/** Assignments: what is assigned to (their first child) is written, which reading it is not. */
const ASSIGNMENTS = new Set(['assignment_expression', 'augmented_assignment_expression', 'assignment', 'augmented_assignment']);

/**
 * The outermost chain (`a.b(c).d`) `node` is the receiver of, the access it is the index of
 * (`arr.length - 1` in `arr[arr.length - 1]`), the export it declares, the assignment it is the target
 * of (`el.innerHTML` in `el.innerHTML = html`) — up to `limit`.
 */
function wholeChain(node: TNode, limit: TNode): TNode {
  let n = node;
  while (n !== limit && n.parent && (((CHAINS.has(n.parent.kind) || ASSIGNMENTS.has(n.parent.kind)) && n.parent.children[0] === n) || HOLDERS.has(n.parent.kind))) n = n.parent;
  return n;
}

/** Parameters with a default value. */
const KEYED = new Set(['default_parameter', 'typed_default_parameter', 'assignment_pattern']);

/** The smallest parameter default of `bad` that `good` has with another value, and that one. */
function keyedDifference(bad: TNode, good: TNode): [TNode, TNode] | undefined {
  const key = (n: TNode) => n.children.find((c) => c.named)?.text;
  const goods = new Map<string, TNode[]>();
  for (const n of descendants(good)) if (KEYED.has(n.kind)) goods.set(`${n.kind}\u0000${key(n)}`, [...(goods.get(`${n.kind}\u0000${key(n)}`) ?? []), n]);
  let best: [TNode, TNode] | undefined;
  for (const n of descendants(bad)) {
    if (!KEYED.has(n.kind)) continue;
    const same = goods.get(`${n.kind}\u0000${key(n)}`) ?? [];
    if (same.length === 0 || same.some((g) => normalize(g.text) === normalize(n.text))) continue;
    if (!best || n.end - n.start < best[0].end - best[0].start) best = [n, same[0]!];
  }
  return best;
}

function sameContext(a: ParsedExample, b: ParsedExample): boolean {
  const scopes = (p: ParsedExample) => p.ancestors.filter((k) => !GENERIC_SCOPES.has(k)).join('/');
  return scopes(a) === scopes(b);
}

/** Different root kinds: look one level in, at the outermost node of a kind every example contains. */
function refocus(members: readonly ParsedExample[]): TNode[] | null {
  const focuses = members.map((m) => m.focus);
  if (focuses.every((f) => f.kind === focuses[0]!.kind)) return focuses;
  const firstOfKind = (root: TNode) => {
    const map = new Map<string, TNode>();
    for (const node of descendants(root)) if (node.named && !map.has(node.kind)) map.set(node.kind, node);
    return map;
  };
  const maps = focuses.map(firstOfKind);
  let best: { kind: string; size: number } | undefined;
  for (const [kind] of maps[0]!) {
    if (!maps.every((m) => m.has(kind))) continue;
    const nodes = maps.map((m) => m.get(kind)!);
    if (nodes.every((n) => n.children.length === 0)) continue;
    const size = Math.min(...nodes.map((n) => n.end - n.start));
    if (!best || size > best.size) best = { kind, size };
  }
  return best ? maps.map((m) => m.get(best.kind)!) : null;
}

/** Removes the indentation a multi-line focus has in its file from its following lines. */
function dedent(text: string, column: number): string {
  if (column === 0 || !text.includes('\n')) return text;
  const prefix = new RegExp(`^[ \\t]{0,${column}}`);
  return text.split('\n').map((line, i) => (i === 0 ? line : line.replace(prefix, ''))).join('\n');
}

const TOP = new Set(['program', 'module']);
const CLAUSES = new Set(['catch_clause', 'finally_clause', 'except_clause']);
const BODIES = new Set(['statement_block', 'block', 'class_body']);
const FUNCTIONS = new Set(['function_declaration', 'function_definition', 'method_definition', 'arrow_function', 'function_expression', 'function']);
/** What code sits in whose words can tell bad from good: its function, the call it is an argument of, its class. */
const ENCLOSERS = [FUNCTIONS, new Set(['call', 'call_expression', 'new_expression']), new Set(['class_definition', 'class_declaration']), TOP];

/**
 * One detector for these bad examples that no good example trips, or null. A focus ast-grep cannot
 * write as a pattern on its own (a declarator, a keyword argument) is widened to its parent and tried again.
 */
function build(members: readonly ParsedExample[], good: readonly ParsedExample[], language: SynthLanguage): Candidate | null {
  let current = members;
  const done = (candidate: Candidate) => ({ ...candidate, detector: { ...candidate.detector, bad: members.map((m) => m.index) } });
  for (let level = 0; level < 5; level++) {
    const candidate = buildAt(current, good, language);
    if (candidate) return done(candidate);
    // A parameter's default is read in a function of its own rather than widened to the whole function.
    const fragment = KEYED.has(current[0]!.focus.kind) ? buildAt(current, good, language, 'fragment') : null;
    if (fragment) return done(fragment);
    if (!current.every((m) => m.focus.parent && !TOP.has(m.focus.parent.kind))) break;
    // The wider code is the example now: where a detector's match may start grows with it, up to the
    // statement on the example's line (an example given by its column: `204` in `new NodeRSA({b: 204})`).
    current = current.map((m) => {
      const parent = m.focus.parent!;
      const within = parent.start >= m.statement.start && parent.end <= m.statement.end;
      return within ? { ...withFocus(m, parent), region: { start: Math.min(m.region.start, parent.start), end: Math.max(m.region.end, parent.end) } } : withFocus(m, parent);
    });
  }
  // Nothing around it can be written: a fragment in code that parses (`ssl: { … }` in an object), or
  // a literal as written (`/.*\.example\.com$/`).
  const fragment = buildAt(members, good, language, 'fragment');
  if (fragment) return done(fragment);
  const literal = members.every((m) => literalValue(m.focus)) ? buildAt(members, good, language, 'literal') : null;
  return literal ? done(literal) : null;
}

/** Code around a fragment that does not parse alone, with `TEXT` where the fragment goes. */
function fragmentContext(kind: string, language: SynthLanguage): string | undefined {
  if (language === 'python') return { keyword_argument: 'f(TEXT)', pair: '{TEXT}', default_parameter: 'def f(TEXT): pass', typed_default_parameter: 'def f(TEXT): pass' }[kind];
  return { pair: '({TEXT})', jsx_attribute: '<a TEXT />', assignment_pattern: 'function f(TEXT) {}' }[kind];
}

function buildAt(members: readonly ParsedExample[], good: readonly ParsedExample[], language: SynthLanguage, mode: 'code' | 'fragment' | 'literal' = 'code'): Candidate | null {
  const focuses = refocus(members);
  if (!focuses) return null;
  // A single name or literal is no shape; a pattern of metavariables and operators has no anchor.
  if (mode !== 'literal' && focuses.every(atomic)) return null;
  // A body without its owner (`{ return 0; }` of a generator) would flag any block of those statements: its function, loop or class says what it is.
  if (focuses.some((f) => BODIES.has(f.kind) && f.parent && !TOP.has(f.parent.kind))) return null;
  const gen = antiUnify(focuses, new Namer());
  // An operator is an anchor only where the good examples change exactly it (`a == b` → `a === b`).
  const operatorFixed = members.every(changesOnlyTokens);
  if (!gen || gen.t === 'var' || gen.t === 'seq' || concreteness(gen) === 0) return null;
  // What several examples share must be more than a local name (`console.warn(foo)`, `console[0](foo)` →
  // not `$A(foo)`); a pattern without a name or value (`yield`, `$A && $B`) needs a constraint that has one.
  const anchored = operatorFixed || (members.length > 1 ? anchors(gen, new Map(), 'strong') : anchors(gen)) > 0;
  const column = focuses[0]!.column;
  // A Python block (`for …:` and its body) must be dedented to parse; anything else keeps its text, whose
  // indentation may be inside a string (a template literal, a triple-quoted string).
  const blocks = language === 'python' && focuses.some((f) => [...descendants(f)].some((n) => n.kind === 'block'));
  const code = (subst: Map<TNode, string>) => (blocks ? dedent(render(gen, subst), column) : render(gen, subst));
  // A fragment ast-grep cannot read alone (`ssl: { … }` is a label in JavaScript) is read inside code.
  const context = mode === 'fragment' ? fragmentContext(focuses[0]!.kind, language) : undefined;
  if (mode === 'fragment' && !context) return null;
  const patternOf = (subst: Map<TNode, string>): Pattern => (context ? { context: context.replace('TEXT', () => code(subst)), selector: focuses[0]!.kind } : code(subst));
  const pattern = patternOf(new Map());
  const plain = separates({ pattern }, members, good);
  if (!plain.valid || plain.missed.length) return null;
  // A `$$$` over what is only literals in one example and code in another (`auth(user, password)`,
  // `auth("")`) matches any value there, the literal included; where the shape alone flags good code
  // (only context tells them apart), that literal may be the mistake: two shapes, not one.
  if (plain.flagged.length && mixedRun(gen, new RegExp(LITERALS[language]))) return null;
  // The scope the examples themselves put the code in (a loop, a catch) is part of the mistake.
  const scope = members[0]!.context[0];
  // A destination (`return`, `throw`, `await`) counts only as the code's direct parent, as the examples show it.
  const direct = scope !== undefined && DESTINATIONS.has(scope);
  const base: Constraint[] =
    scope && members.every((m) => (direct ? m.context[0] === scope : m.context.includes(scope))) ? [{ type: 'inside', rule: { kind: scope, stopBy: direct ? 'neighbor' : 'end' }, describe: `${direct ? 'directly ' : ''}inside a ${scope}` }] : [];
  // …and so are the scopes around that one every example shows (a `return` in an `if` in a `finally`).
  // A clause says its statement (a `finally` is in a `try`).
  const inClause = members[0]!.context.some((k) => CLAUSES.has(k));
  const outer = new Set(members[0]!.context.slice(1).filter((k) => k !== scope && !(inClause && k === 'try_statement') && !DESTINATIONS.has(k) && members.every((m) => m.context.includes(k))));
  if (base.length) for (const kind of outer) base.push({ type: 'inside', rule: { kind, stopBy: 'end' }, describe: `inside a ${kind}` });
  const scoped = base.length ? separates(buildRule(pattern, base), members, good) : plain;
  if (!scoped.valid || scoped.missed.length) return null;
  const constraints = scoped.flagged.length ? constrain(pattern, members, good, scoped.flagged, base) : base;
  if (!constraints) return null;
  if (constraints.length - base.length > MAX_CONSTRAINTS) return null;
  if (!anchored && !constraints.some((c) => c.type !== 'not' && JSON.stringify(c.rule).includes('"regex"'))) return null;
  // Names every example has where the pattern has a metavariable stay required: `bool(config.x)` and
  // `bool(self.state.config.f())` are both about `config` (the most specific rule, as ast-grep can say it).
  const named = [...constraints, ...sharedNames(gen).map((text): Constraint => ({ type: 'has', rule: { regex: `^${escapeRegex(text)}$`, stopBy: 'end' }, describe: `with ${text}` }))];
  const relaxed = relax(gen, patternOf, named, members, good, operatorFixed, language);
  const rule = { ...buildRule(relaxed.pattern, named), ...relaxed.constraints };
  const verdict = separates(rule, members, good);
  if (!verdict.valid || verdict.missed.length || verdict.flagged.length) return null;
  return { detector: { language, rule, bad: members.map((m) => m.index) }, concreteness: relaxed.concreteness + constraints.length, kept: relaxed.concreteness + repeated(gen) };
}

/** Does a `$$$` of the generalization stand for literals only in one example and for no literal in another? */
function mixedRun(gen: Gen, literal: RegExp): boolean {
  if (gen.t === 'node') return gen.parts.some((p) => mixedRun(p.gen, literal));
  if (gen.t !== 'seq' || !gen.runs) return false;
  const literals = (run: TNode[]) => run.filter((n) => literal.test(n.text)).length;
  return gen.runs.some((run) => run.length > 0 && literals(run) === run.length) && gen.runs.some((run) => run.length > 0 && literals(run) === 0);
}

/** A name or a literal (a string without interpolation): flagging one alone is flagging a word. */
function atomic(node: TNode): boolean {
  if (node.children.length === 0) return true;
  const inner = alone(node);
  return inner !== node ? atomic(inner) : isLiteral(node);
}

/** A literal as written (a string, a regex, a number, also as a statement of its own), never a bare name (`str` in a type). */
function literalValue(node: TNode): boolean {
  const inner = alone(node);
  return inner !== node ? literalValue(inner) : node.children.length > 0 && isLiteral(node);
}

function isLiteral(node: TNode): boolean {
  return /^(string|template_string|regex|number|integer|float)$/.test(node.kind) && !node.children.some((c) => c.named && /substitution|interpolation/.test(c.kind));
}

/** What a node is with only punctuation around it (`a` of `a;`, `str` of a type `str`), or the node itself. */
function alone(node: TNode): TNode {
  const named = node.children.filter((c) => c.named);
  return named.length === 1 && node.children.every((c) => c.named || !/\w/.test(c.text)) ? named[0]! : node;
}

/** Does the good example in the same place differ from this bad one only in operators or keywords? */
function changesOnlyTokens(m: ParsedExample): boolean {
  const g = m.counterpart;
  const f = m.focus;
  if (!g || g.kind !== f.kind || g.children.length !== f.children.length) return false;
  const differing = f.children.filter((c, i) => c.text !== g.children[i]!.text);
  return differing.length > 0 && differing.every((c) => !c.named && c.children.length === 0);
}

/** Greedy: the constraint that keeps out the most flagged good examples, until none is flagged. */
function constrain(pattern: Pattern, bad: readonly ParsedExample[], good: readonly ParsedExample[], flagged: number[], base: readonly Constraint[]): Constraint[] | null {
  const flaggedGood = good.filter((g) => flagged.includes(g.index));
  const badLeaves = bad.map((b) => new Set([...descendants(b.focus)].filter((n) => n.children.length === 0 && n.named).map((n) => `${n.kind}\u0000${n.text}`)));
  const candidates: Constraint[] = [];
  // inside: a scope every bad example is in.
  const scopes = bad.map((b) => new Set(b.ancestors.filter((k) => !GENERIC_SCOPES.has(k))));
  for (const kind of scopes[0] ?? []) if (scopes.every((s) => s.has(kind))) candidates.push({ type: 'inside', rule: { kind, stopBy: 'end' }, describe: `inside a ${kind}` });
  // not inside: a scope the flagged good code is in and no bad example is.
  const badScopes = new Set(bad.flatMap((b) => b.ancestors));
  const goodScopes = new Set<string>();
  // has / not has: a leaf all bad examples contain, or one the flagged good code contains and no bad does.
  const goodLeaves = new Map<string, [string, string]>();
  for (const g of flaggedGood) {
    for (const m of matchesIn(g, { pattern }) ?? []) {
      for (const a of m.ancestors()) if (!badScopes.has(a.kind() as string) && !GENERIC_SCOPES.has(a.kind() as string)) goodScopes.add(a.kind() as string);
      collectLeaves(m, goodLeaves);
    }
  }
  for (const key of badLeaves[0] ?? []) {
    if (!badLeaves.every((leaves) => leaves.has(key)) || goodLeaves.has(key)) continue;
    const [kind, text] = key.split('\u0000') as [string, string];
    candidates.push({ type: 'has', rule: { ...leafRule(kind, text), stopBy: 'end' }, describe: `with ${text}` });
  }
  // Where the good code is (in a function, not at module level) before what it happens to say; a good
  // example's own text (`"Evaluated at request time."`) is never what keeps it out.
  for (const kind of goodScopes) candidates.push({ type: 'not', rule: { inside: { kind, stopBy: 'end' } }, describe: `not inside a ${kind}` });
  for (const [key, [kind, text]] of goodLeaves) {
    if (badLeaves.some((leaves) => leaves.has(key)) || TEXTS.has(kind)) continue;
    candidates.push({ type: 'not', rule: { has: { ...leafRule(kind, text), stopBy: 'end' } }, describe: `without ${text}` });
  }
  // Inside a function (a call, a class) that has something every bad example's has and the flagged good
  // ones' do not: where the data comes from (`event['url']`, `req.body`), the nearest a pattern gets to
  // taint; or whose call it is an argument of (`WTF_CSRF_ENABLED=False` in `app.config.update(…)`).
  for (const family of ENCLOSERS) {
    const enclosing = (p: ParsedExample) => {
      let n = p.focus.parent;
      while (n && !family.has(n.kind)) n = n.parent;
      return n;
    };
    const badOnes = bad.map(enclosing);
    const kind = badOnes[0]?.kind;
    if (!kind || !badOnes.every((f) => f?.kind === kind)) continue;
    const leavesOf = (node: TNode) => new Set([...descendants(node)].filter((n) => n.children.length === 0 && n.named && n.text.length > 1).map((n) => `${n.kind}\u0000${n.text}`));
    const sets = badOnes.map((f) => leavesOf(f!));
    const goodSets = flaggedGood.map((g) => enclosing(g)).map((f) => (f ? leavesOf(f) : new Set<string>()));
    // Words every bad example's enclosure has, by how many flagged good ones' lack them (the 30 best).
    const keys = [...sets[0]!]
      .filter((key) => sets.every((set) => set.has(key)) && !badLeaves.some((leaves) => leaves.has(key)))
      .map((key) => ({ key, excludes: goodSets.filter((set) => !set.has(key)).length }))
      .filter((k) => k.excludes > 0)
      .sort((a, b) => b.excludes - a.excludes)
      .slice(0, 30);
    for (const { key } of keys) {
      const [leafKind, text] = key.split('\u0000') as [string, string];
      const has = { ...leafRule(leafKind, text), stopBy: 'end' };
      candidates.push({ type: 'inside', rule: { kind, stopBy: 'end', has }, describe: `inside a ${kind} with ${text}` });
      // …or the nearest one only (`yield` in `__init__` itself, not in a function nested in it).
      candidates.push({ type: 'inside', rule: { kind, stopBy: { kind }, has }, describe: `directly inside a ${kind} with ${text}` });
    }
    // …and the other way round: not directly inside one with a word the flagged good ones' have and no bad
    // one's (`TESTING=True` in the call around `WTF_CSRF_ENABLED=False`).
    const counts = new Map<string, number>();
    for (const set of goodSets) for (const key of set) if (!sets.some((b) => b.has(key))) counts.set(key, (counts.get(key) ?? 0) + 1);
    for (const [key] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
      const [leafKind, text] = key.split('\u0000') as [string, string];
      candidates.push({ type: 'not', rule: { inside: { kind, stopBy: { kind }, has: { ...leafRule(leafKind, text), stopBy: 'end' } } }, describe: `not directly inside a ${kind} with ${text}` });
    }
  }
  // Context the bad code is in that names something (its function, call, class or file has a word) comes
  // first, whenever it keeps any good example out: `inside an arrow_function` or `without "setup"` separate
  // examples by accident more often than `in a file that has ExtensionAPI` does.
  const named = (c: Constraint) => c.type !== 'not' && JSON.stringify(c.rule).includes('"regex"');
  return greedy(pattern, bad, good, flagged, base, candidates, named) ?? greedy(pattern, bad, good, flagged, base, candidates, () => false);
}

/**
 * Greedy: the constraint that keeps out the most flagged good examples (a `preferred` one if any keeps
 * one out), until none is flagged.
 */
function greedy(pattern: Pattern, bad: readonly ParsedExample[], good: readonly ParsedExample[], flagged: number[], base: readonly Constraint[], candidates: readonly Constraint[], preferred: (c: Constraint) => boolean): Constraint[] | null {
  const chosen: Constraint[] = [...base];
  let remaining = flagged;
  while (remaining.length) {
    if (chosen.length - base.length >= MAX_CONSTRAINTS) return null;
    let best: { c: Constraint; left: number[] } | undefined;
    let bestPreferred: typeof best;
    for (const c of candidates) {
      if (chosen.includes(c)) continue;
      const verdict = separates(buildRule(pattern, [...chosen, c]), bad, good);
      if (!verdict.valid || verdict.missed.length || verdict.flagged.length >= remaining.length) continue;
      if (!best || verdict.flagged.length < best.left.length) best = { c, left: verdict.flagged };
      if (preferred(c) && (!bestPreferred || verdict.flagged.length < bestPreferred.left.length)) bestPreferred = { c, left: verdict.flagged };
    }
    const pick = bestPreferred ?? best;
    if (!pick) return null;
    chosen.push(pick.c);
    remaining = pick.left;
  }
  return chosen;
}

function collectLeaves(node: import('@ast-grep/napi').SgNode, into: Map<string, [string, string]>): void {
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    const children = n.children();
    if (children.length === 0 && n.isNamed()) into.set(`${n.kind() as string}\u0000${n.text()}`, [n.kind() as string, n.text()]);
    stack.push(...children);
  }
}
