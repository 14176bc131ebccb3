import { escapeRegex } from '../linear-regex.js';
import { buildRule, separates, type AstRule, type Constraint, type Pattern } from './match.js';
import { descendants, type ParsedExample, type TNode } from './tree.js';
import { anchors, concreteness, variables, writtenNodes, type Gen } from './unify.js';
import { type SynthLanguage } from './lang.js';

// What the metavariables of a synthesized pattern may stand for: which written names and values are
// relaxed into metavariables, and the constraints that keep each to what its examples show.

// Values a pattern may leave open though the examples do not vary them: local names (`payment`, `url`).
// Literals carry meaning (`password=""`, `verify=False`, `x == null`): they stay unless the examples vary them.
const RELAXABLE = new Set(['identifier']);
/** Text inside a literal: what a metavariable there stands for is words. */
export const TEXTS = new Set(['string_fragment', 'string_content', 'jsx_text']);
/** Words shared by every text: the longest common run of at least 4 characters with a letter, or undefined. */
function commonText(texts: readonly string[]): string | undefined {
  const [first, ...rest] = [...texts].sort((a, b) => a.length - b.length);
  if (first === undefined) return undefined;
  for (let length = first.length; length >= 4; length--) {
    for (let start = 0; start + length <= first.length; start++) {
      const run = first.slice(start, start + length);
      if (/[a-z]/i.test(run) && run.trim() === run && rest.every((t) => t.includes(run))) return run;
    }
  }
  return undefined;
}
const RECEIVERS = new Set(['member_expression', 'attribute']);
const isReceiver = (node: TNode) => node.parent !== undefined && RECEIVERS.has(node.parent.kind) && node.parent.children[0] === node;
/** Code that does something rather than name a value: what a metavariable relaxed from a name is not. */
const JS_EFFECTS = ['call_expression', 'new_expression', 'update_expression', 'assignment_expression', 'augmented_assignment_expression', 'await_expression'];
const EFFECTS: Record<SynthLanguage, string[]> = { javascript: JS_EFFECTS, typescript: JS_EFFECTS, tsx: JS_EFFECTS, python: ['call', 'await', 'named_expression'] };
/**
 * A metavariable's constraint when its examples show no literal: no literal either, nor a call, update,
 * assignment or await unless the examples show one (`a > b` does not flag `f() > b`).
 */
function valueOf(shown: readonly string[], language: SynthLanguage): AstRule {
  const effects = EFFECTS[language].filter((kind) => !shown.includes(kind));
  return { not: { any: [{ regex: LITERALS[language] }, ...effects.map((kind) => ({ kind }))] } };
}
/** A named constant (`SERVICE_KEY`, `MAX_RETRIES`) is a value written by name: it stays, as a literal does. */
const CONSTANT = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/;
/** Literals in each language, by their text: what a relaxed name does not match (one line in a record). */
export const LITERALS: Record<SynthLanguage, string> = {
  javascript: '^(["\'/]|\\d|(true|false|null|undefined)$)',
  typescript: '^(["\'/]|\\d|(true|false|null|undefined)$)',
  tsx: '^(["\'/]|\\d|(true|false|null|undefined)$)',
  python: '^([rRbBuU]?["\']|\\d|(True|False|None)$)',
};

const NAMES = /^(identifier|property_identifier|type_identifier|field_identifier|shorthand_property_identifier)$/;

/**
 * Names (longer than one character) inside every example's code where the generalization has a
 * metavariable, and nowhere written out: at most the three longest.
 */
export function sharedNames(gen: Gen): string[] {
  const namesIn = (nodes: readonly TNode[]) => new Set(nodes.flatMap((n) => [...descendants(n)]).filter((n) => n.children.length === 0 && NAMES.test(n.kind) && n.text.length > 1).map((n) => n.text));
  const written = namesIn(writtenNodes(gen));
  const shared = new Set<string>();
  const visit = (g: Gen) => {
    if (g.t === 'node') g.parts.forEach((p) => visit(p.gen));
    const sets = g.t === 'var' ? g.nodes.map((n) => namesIn([n])) : g.t === 'seq' && g.runs ? g.runs.map(namesIn) : [];
    if (sets.length < 2) return;
    for (const name of sets[0]!) if (!written.has(name) && sets.every((set) => set.has(name))) shared.add(name);
  };
  visit(gen);
  return [...shared].sort((a, b) => b.length - a.length).slice(0, 3);
}

/**
 * Generalizes written-out values (arguments, operands: identifiers and literals, never callee, property
 * or type names) into metavariables, one text at a time, while the rule still separates.
 */
export function relax(
  gen: Gen,
  patternOf: (subst: Map<TNode, string>) => Pattern,
  constraints: readonly Constraint[],
  bad: readonly ParsedExample[],
  good: readonly ParsedExample[],
  operatorFixed: boolean,
  language: SynthLanguage,
): { pattern: Pattern; concreteness: number; constraints?: { constraints: Record<string, AstRule> } } {
  const groups = new Map<string, TNode[]>();
  const visit = (node: TNode) => {
    if (node.name) return;
    if (RELAXABLE.has(node.kind) && node.named && node.parent && !CONSTANT.test(node.text)) {
      groups.set(`${node.kind}\u0000${node.text}`, [...(groups.get(`${node.kind}\u0000${node.text}`) ?? []), node]);
      return;
    }
    node.children.forEach(visit);
  };
  writtenNodes(gen).forEach(visit);
  const taken = new Set(variables(gen).map((v) => v.name));
  let letter = 0;
  const fresh = () => {
    for (;;) {
      const name = letter < 26 ? String.fromCharCode(65 + letter) : `V${letter - 25}`;
      letter++;
      if (!taken.has(name)) return (taken.add(name), name);
    }
  };
  const subst = new Map<TNode, string>();
  // A relaxed name is any value the name could hold (`payment`, `order.payment`, a template), never a
  // literal (`password=$A` learnt from `password=PASSWORD1` must not match `password=""`) nor a call,
  // an update or an await, which the example does not show (`a > b` is not `f() > b`).
  const kinds: Record<string, AstRule> = {};
  const withKinds = (rule: AstRule) => (Object.keys(kinds).length ? { ...rule, constraints: { ...kinds } } : rule);
  let pattern = patternOf(subst);
  let written = concreteness(gen);
  // So do the metavariables where the examples differ: values they never show as literals stay
  // non-literal (and calls only where shown); literals they only show of one kind stay that kind
  // (`'a' + 'b'`, `'x' + 'y'` → strings).
  const literal = new RegExp(LITERALS[language]);
  const visitVars = (g: Gen) => {
    if (g.t === 'node') g.parts.forEach((p) => visitVars(p.gen));
    if (g.t !== 'var') return;
    // Text (a string's content, JSX text) is what the examples say, not code: that kind of text, and the
    // words every example says (`"Not implemented"`, `"Unimplemented"` → text with "implemented").
    if (TEXTS.has(g.nodes[0]!.kind) && g.nodes.every((n) => n.kind === g.nodes[0]!.kind)) {
      const shared = commonText(g.nodes.map((n) => n.text.toLowerCase()));
      kinds[g.name] = shared ? { kind: g.nodes[0]!.kind, regex: `(?i)${escapeRegex(shared)}` } : { kind: g.nodes[0]!.kind };
    } else if (g.nodes.every((n) => n.name && n.children.length === 0 && !isReceiver(n))) {
      // API names the examples vary (`datetime.now()`, `datetime.utcnow()`): those names, not any method.
      kinds[g.name] = { regex: `^(${[...new Set(g.nodes.map((n) => escapeRegex(n.text)))].join('|')})$` };
    } else if (g.nodes.every((n) => !literal.test(n.text))) kinds[g.name] = valueOf(g.nodes.map((n) => n.kind), language);
    else if (g.nodes.every((n) => literal.test(n.text) && n.kind === g.nodes[0]!.kind)) kinds[g.name] = { kind: g.nodes[0]!.kind };
    else {
      // Literals and code mixed (`setTimeout('x')`, `setTimeout('a' + b)`): the kinds shown, not any value
      // (`setTimeout(helper)` is another matter).
      const shown = [...new Set(g.nodes.map((n) => n.kind))];
      kinds[g.name] = shown.length === 1 ? { kind: shown[0]! } : { any: shown.map((kind) => ({ kind })) };
    }
  };
  visitVars(gen);
  if (Object.keys(kinds).length && separates({ ...buildRule(pattern, constraints), constraints: { ...kinds } }, bad, good).missed.length) {
    for (const k of Object.keys(kinds)) delete kinds[k];
  }
  // Names are relaxed only when an API name anchors the pattern (`gateway.charge`, `password=`): `a && b`
  // and `A = 0` stay as written rather than becoming any conjunction or any assignment of 0.
  const all = new Map<TNode, string>();
  [...groups.values()].forEach((nodes, i) => nodes.forEach((n) => all.set(n, `$R${i}`)));
  if (anchors(gen, all, 'names') === 0 && !operatorFixed) return { pattern, concreteness: written, ...(Object.keys(kinds).length ? { constraints: { constraints: kinds } } : {}) };
  for (const nodes of groups.values()) {
    // What a member is read on once names an API (`process.env`, `window.innerWidth`, `gateway.charge`);
    // a name read on twice is a value whose identity is the shape (`items[items.length - 1]`).
    if (nodes.length === 1 && isReceiver(nodes[0]!)) continue;
    const name = fresh();
    const trial = new Map(subst);
    for (const n of nodes) trial.set(n, `$${name}`);
    const candidate = patternOf(trial);
    kinds[name] = valueOf(['identifier'], language);
    const verdict = separates(withKinds(buildRule(candidate, constraints)), bad, good);
    if (!verdict.valid || verdict.missed.length || verdict.flagged.length || written - nodes.length <= 0) {
      delete kinds[name];
      continue;
    }
    subst.clear();
    for (const [k, v] of trial) subst.set(k, v);
    pattern = candidate;
    written -= nodes.length;
  }
  return { pattern, concreteness: written, ...(Object.keys(kinds).length ? { constraints: { constraints: kinds } } : {}) };
}
