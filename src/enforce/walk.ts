import type { NapiConfig, SgNode } from '@ast-grep/napi';
import type { CompiledDetector, CompiledRule } from './compile.js';
import { evidenceRules, type EvidencePlan, type Grammar as EvidenceGrammar } from './evidence.js';
import { extensionsOf } from './languages.js';
import { parseWith } from './structural.js';
import { TreeWalk, treeMatchers, type Grammar, type TreeMatcher } from './tree-selector.js';

/**
 * The one walk of a file's tree in its own language, as one ast-grep rule for a whole rule set: every
 * plain pattern (one traversal, not one per detector) and every node kind a file may ask its tree
 * about — syntax errors, the kinds that are evidence for selectors (evidence.ts), the nodes the
 * tree-answered selectors look at (tree-selector.ts). The rule is the same for every file of the language, so ast-grep
 * compiles it once for a whole scan (findInFiles, cli/scan.ts); each file takes from what the walk
 * returns only what it asked for (walkOwnTree), so the results are those of a rule made for the file.
 */
export interface LanguageWalk {
  language: string;
  config: NapiConfig;
  /** The plain patterns in the rule, in rule and detector order. */
  patterns: readonly CompiledDetector[];
  /** The kinds of the rule's other branch (a node of one may still be a pattern's match: see walkOwnTree). */
  auxKinds: ReadonlySet<string>;
  /** The metavariable each pattern's branch binds (made once, not per node). */
  patternNames: readonly string[];
}

/** The metavariable that tells a node found for its kind from a pattern match in the shared walk. */
const AUX_NODE = 'FAILURES_INTERNAL_AUX_NODE';
/** The metavariable (with the pattern's index) that tells which pattern of the walk a node matched first. */
const PATTERN_NODE = 'FAILURES_INTERNAL_PATTERN_';
const JS_GRAMMARS = new Set<string>(['TypeScript', 'Tsx', 'JavaScript']);

/** A plain pattern (no scopes; one rule, without a statement sequence, fix, constraints or utils): it can share a walk with others. */
export function isPlain(detector: CompiledDetector, language: string): boolean {
  return detector.kind === 'pattern' && !detector.scopes.inside && !detector.scopes.notInside && detector.structural.combinable(language);
}

const walks = new WeakMap<readonly CompiledRule[], Map<string, LanguageWalk>>();

/** The walk of a language for a rule set, made once per rule set. */
export function languageWalk(rules: readonly CompiledRule[], language: string): LanguageWalk {
  let byLanguage = walks.get(rules);
  if (!byLanguage) walks.set(rules, (byLanguage = new Map()));
  let walk = byLanguage.get(language);
  if (!walk) byLanguage.set(language, (walk = makeWalk(rules, language)));
  return walk;
}

function makeWalk(rules: readonly CompiledRule[], language: string): LanguageWalk {
  // A file of this language: detectors decide their language by the file's extension, or their own.
  const sample = `file.${extensionsOf(language)[0]}`;
  const detectors = rules.flatMap((r) => r.detectors);
  const patterns = detectors.filter((d) => d.kind === 'pattern' && d.languageOf(sample) === language && isPlain(d, language));
  const aux: Array<Record<string, unknown>> = [{ kind: 'ERROR' }];
  if (JS_GRAMMARS.has(language)) {
    const grammar = language as Grammar;
    const translations: TreeMatcher[][] = [];
    const requirements: string[][][] = [];
    for (const d of detectors) {
      const matchers = treeMatchers(d, grammar);
      if (matchers) translations.push(matchers);
      // A file asks for evidence only for the selectors its tree cannot answer (engine.ts).
      else if (d.kind === 'selector') requirements.push(d.requires);
    }
    aux.push(...evidenceRules(requirements, grammar as EvidenceGrammar));
    // Every find of every translation, escaped names included (a file with a `\u` asks for them).
    aux.push(...new TreeWalk(translations, language, '\\u').rules());
  }
  // The root, so that every file the walk reads returns something (cli/scan.ts tells a file ast-grep could not read by that).
  aux.push({ kind: String(parseWith(language, '').root().kind()) });
  const auxKinds = new Set(aux.map((r) => r.kind as string));
  const pattern = (d: CompiledDetector) => (d as Extract<CompiledDetector, { kind: 'pattern' }>).structural.compile(language).config.rule;
  // Each branch binds a metavariable of its own (`$$`: any node, named or not), so a node tells which
  // branch matched it: `any` stops at its first branch that matches (a pattern's before the other kinds').
  const tagged = patterns.map((d, i) => (patterns.length === 1 ? pattern(d) : { all: [pattern(d), { pattern: `$$${PATTERN_NODE}${i}` }] }));
  const rule = patterns.length === 0 ? nested(aux) : { any: [nested(tagged), { all: [nested(aux), { pattern: `$${AUX_NODE}` }] }] };
  return { language, config: { rule: rule as never, language: language as never }, patterns, auxKinds, patternNames: patterns.map((_, i) => `${PATTERN_NODE}${i}`) };
}

/** Branches an `any` of the walk holds at most: see nested. */
const FAN_OUT = 4;

/**
 * `any` of the rules, nested FAN_OUT at a time, in order (the first rule that matches a node is the
 * same): ast-grep skips a whole `any` for a node whose kind none of its rules can have, so a node is
 * tried against a few groups instead of every rule (about 4 % fewer instructions on typeorm).
 */
function nested(rules: readonly unknown[]): unknown {
  if (rules.length === 1) return rules[0];
  if (rules.length <= FAN_OUT) return { any: rules };
  const size = Math.ceil(rules.length / FAN_OUT);
  const groups: unknown[] = [];
  for (let i = 0; i < rules.length; i += size) groups.push(nested(rules.slice(i, i + size)));
  return { any: groups };
}

/** What one file asks of the walk. */
export interface OwnWalk {
  /** The file's plain patterns (their words occur in it), in the walk's order. */
  patterns: readonly CompiledDetector[];
  plan: EvidencePlan;
  treeRules: TreeWalk;
}

export interface Walked {
  /** Kinds (and kind:text) of the evidence the plan asked for. */
  seen: Set<string>;
  /** The first syntax error. */
  error?: { index: number; text: string };
}

/**
 * One file's share of its walk: the nodes ast-grep returned for the language's rule, taken for what
 * the file asked (its plan's kinds, its tree-answered selectors) and its
 * patterns reported (`report`: the node matched the walk's pattern `first`, and none before it; whether
 * it matched later ones too, and which of them are the file's, is for the caller to tell).
 */
export function walkOwnTree(nodes: Iterable<SgNode>, walk: LanguageWalk, own: OwnWalk, report: (node: SgNode, first: number) => void): Walked {
  const { plan, treeRules } = own;
  // Built with plain loops: spreading iterables of several shapes here made V8 recompile the walk again and again.
  const aux = new Set<string>(['ERROR']);
  for (const kind of plan.kinds) aux.add(kind);
  const patterns = own.patterns.length > 0;
  const walked: Walked = { seen: new Set() };
  for (const node of nodes) {
    const kind = String(node.kind());
    if (aux.has(kind)) {
      if (kind === 'ERROR') walked.error ??= { index: node.range().start.index, text: node.text() };
      // seenKeys' keys, without a closure and an array per node.
      walked.seen.add(kind);
      if (plan.textKinds.has(kind)) walked.seen.add(`${kind}:${node.text()}`);
    }
    const candidates = treeRules.kinds.get(kind);
    if (candidates) treeRules.take(node, candidates);
    if (patterns && (!walk.auxKinds.has(kind) || node.getMatch(AUX_NODE) === null)) report(node, firstPattern(node, walk));
  }
  return walked;
}

/** The index of the first of the walk's patterns a pattern match matched. */
function firstPattern(node: SgNode, walk: LanguageWalk): number {
  if (walk.patterns.length === 1) return 0;
  const names = walk.patternNames;
  for (let i = 0; i < names.length; i++) if (node.getMatch(names[i]!) !== null) return i;
  throw new Error('internal error: a pattern match of the walk binds no pattern');
}
