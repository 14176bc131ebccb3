import type { SgRoot } from '@ast-grep/napi';

/**
 * Evidence for ESTree node types: what a file's text, and the tree-sitter tree ast-grep parsed for it,
 * must contain for a node of a type to exist in its ESTree (oxc, typescript-estree, espree). It keeps
 * the ESTree parse (the dearest step of `check`: oxc → JSON → JS objects) off files where no selector
 * can match: every selector needs nodes of some types (its subject, the types its attributes name),
 * and a file without the evidence of one of them cannot have a match.
 *
 * Soundness is by construction and by measurement: a type is listed only when every node of it has
 * the evidence — a keyword it is written with (`TSAsExpression` is written with `as`, `AwaitExpression`
 * with `await`), or a tree-sitter kind the grammar always gives it — and `npm run bench:evidence` checks
 * every listed type on every file of real repositories (oxc's ESTree against the text and ast-grep's
 * tree). Where unsure, nothing is listed and the file is parsed. A word is not trusted in a text with a
 * `\u` escape (an escaped keyword), a kind is not trusted in a tree with a syntax error (tree-sitter
 * recovered, its tree may differ from ESTree's).
 */

/** A tree-sitter node kind, optionally with its exact text (a keyword type: `predefined_type` `any`). */
export interface KindEvidence {
  kind: string;
  text?: string;
}

export type Grammar = 'TypeScript' | 'Tsx' | 'JavaScript';

export interface TypeEvidence {
  /** Keywords, one of which is written wherever a node of the type is. */
  words?: readonly string[];
  /** Punctuation the type is written with, where it has no keyword: the text must match it. */
  mark?: RegExp;
  /** Kinds, one of which a tree-sitter tree of the grammar (without syntax errors) has wherever the type is. */
  kinds?: Partial<Record<Grammar, readonly KindEvidence[]>>;
}

const TS_ONLY = (kinds: readonly KindEvidence[]): Partial<Record<Grammar, readonly KindEvidence[]>> => ({ TypeScript: kinds, Tsx: kinds });
const ALL = (kinds: readonly KindEvidence[]): Partial<Record<Grammar, readonly KindEvidence[]>> => ({ TypeScript: kinds, Tsx: kinds, JavaScript: kinds });

/**
 * The map. Words: the keyword the node is written with (class members need the `class` of their
 * class). Kinds: only where tree-sitter-typescript/-javascript give the construct one kind of its own.
 */
export const ESTREE_EVIDENCE: Readonly<Record<string, TypeEvidence>> = {
  // Statements and declarations introduced by a keyword.
  DebuggerStatement: { words: ['debugger'], kinds: ALL([{ kind: 'debugger_statement' }]) },
  WithStatement: { words: ['with'] },
  ThrowStatement: { words: ['throw'] },
  TryStatement: { words: ['try'] },
  CatchClause: { words: ['catch'] },
  ReturnStatement: { words: ['return'] },
  BreakStatement: { words: ['break'] },
  ContinueStatement: { words: ['continue'] },
  IfStatement: { words: ['if'] },
  SwitchStatement: { words: ['switch'] },
  SwitchCase: { words: ['case', 'default'] },
  WhileStatement: { words: ['while'] },
  DoWhileStatement: { words: ['do'] },
  ForStatement: { words: ['for'] },
  ForInStatement: { words: ['for'] },
  ForOfStatement: { words: ['for'] },
  VariableDeclaration: { words: ['var', 'let', 'const', 'using'] },
  FunctionDeclaration: { words: ['function'] },
  ClassDeclaration: { words: ['class'] },
  ClassExpression: { words: ['class'] },
  ClassBody: { words: ['class'] },
  MethodDefinition: { words: ['class'] },
  PropertyDefinition: { words: ['class'], kinds: { TypeScript: [{ kind: 'public_field_definition' }], Tsx: [{ kind: 'public_field_definition' }], JavaScript: [{ kind: 'field_definition' }] } },
  StaticBlock: { words: ['static'] },
  AccessorProperty: { words: ['accessor'] },
  ImportDeclaration: { words: ['import'] },
  ImportExpression: { words: ['import'] },
  ExportNamedDeclaration: { words: ['export'] },
  ExportDefaultDeclaration: { words: ['export'] },
  ExportAllDeclaration: { words: ['export'] },
  // Expressions introduced by a keyword.
  AwaitExpression: { words: ['await'], kinds: ALL([{ kind: 'await_expression' }]) },
  YieldExpression: { words: ['yield'] },
  NewExpression: { words: ['new'] },
  ThisExpression: { words: ['this'] },
  Super: { words: ['super'] },
  // TypeScript.
  TSAsExpression: { words: ['as'], kinds: TS_ONLY([{ kind: 'as_expression' }]) },
  TSSatisfiesExpression: { words: ['satisfies'], kinds: TS_ONLY([{ kind: 'satisfies_expression' }]) },
  // `x!`: a `!` not followed by `=` (`x!=y` is `x != y`; an assignment to `x!` needs a space, `x! = y`).
  TSNonNullExpression: { mark: /!(?!=)/, kinds: TS_ONLY([{ kind: 'non_null_expression' }]) },
  TSEnumDeclaration: { words: ['enum'], kinds: TS_ONLY([{ kind: 'enum_declaration' }]) },
  TSEnumMember: { words: ['enum'] },
  TSInterfaceDeclaration: { words: ['interface'], kinds: TS_ONLY([{ kind: 'interface_declaration' }]) },
  TSTypeAliasDeclaration: { words: ['type'], kinds: TS_ONLY([{ kind: 'type_alias_declaration' }]) },
  TSModuleDeclaration: { words: ['module', 'namespace', 'global'] },
  TSImportEqualsDeclaration: { words: ['import'] },
  TSExternalModuleReference: { words: ['require'] },
  TSAbstractMethodDefinition: { words: ['abstract'] },
  TSAbstractPropertyDefinition: { words: ['abstract'] },
  TSAbstractAccessorProperty: { words: ['abstract'] },
  TSDeclareFunction: { words: ['function'] },
  TSInferType: { words: ['infer'] },
  TSAnyKeyword: { words: ['any'], kinds: TS_ONLY([{ kind: 'predefined_type', text: 'any' }]) },
  TSUnknownKeyword: { words: ['unknown'], kinds: TS_ONLY([{ kind: 'predefined_type', text: 'unknown' }]) },
  TSNeverKeyword: { words: ['never'], kinds: TS_ONLY([{ kind: 'predefined_type', text: 'never' }]) },
  TSObjectKeyword: { words: ['object'] },
  TSSymbolKeyword: { words: ['symbol'] },
  TSBigIntKeyword: { words: ['bigint'] },
  TSStringKeyword: { words: ['string'] },
  TSNumberKeyword: { words: ['number'] },
  TSBooleanKeyword: { words: ['boolean'] },
  TSUndefinedKeyword: { words: ['undefined'] },
  TSIntrinsicKeyword: { words: ['intrinsic'] },
};

const WORD_TESTS = new Map<string, RegExp>();
function wordTest(word: string): RegExp {
  let re = WORD_TESTS.get(word);
  if (!re) WORD_TESTS.set(word, (re = new RegExp(`\\b${word}\\b`)));
  return re;
}

/** ESLint dispatches a selector by the node types it names as written: evidence is looked up the same way. */
export function evidenceFor(type: string): TypeEvidence | undefined {
  return Object.hasOwn(ESTREE_EVIDENCE, type) ? ESTREE_EVIDENCE[type] : undefined;
}

/** An ast-grep rule asking a tree for a kind (with its text, for keyword types). */
export type KindRule = { kind: string; regex?: string };

/** What a walk of the tree records for a node: its kind, and `kind:text` for the kinds `textKinds` names. */
export function seenKeys(kind: string, text: () => string, textKinds: ReadonlySet<string>): string[] {
  return textKinds.has(kind) ? [kind, `${kind}:${text()}`] : [kind];
}

/**
 * Every kind any file may ask a tree of the grammar about for these requirements (each file's plan asks
 * for some of them): the rules of a walk shared by all files (walk.ts).
 */
export function evidenceRules(requirements: ReadonlyArray<readonly (readonly string[])[]>, grammar: Grammar): KindRule[] {
  return kindRules(requirements.flatMap((requires) => requires.flat().flatMap((type) => evidenceFor(type)?.kinds?.[grammar] ?? [])));
}

/** One rule per kind: the kind alone, or with the texts asked of it. */
function kindRules(kinds: readonly KindEvidence[]): KindRule[] {
  const plain = new Set<string>();
  const texts = new Map<string, Set<string>>();
  for (const k of kinds) {
    if (k.text === undefined) plain.add(k.kind);
    else texts.set(k.kind, (texts.get(k.kind) ?? new Set()).add(k.text));
  }
  const rules: KindRule[] = [...plain].map((kind) => ({ kind }));
  for (const [kind, words] of texts) if (!plain.has(kind)) rules.push({ kind, regex: `^(?:${[...words].join('|')})$` });
  return rules;
}

export interface EvidencePlan {
  /** The kinds the tree must be asked about; empty when the words decided everything. */
  kinds: ReadonlySet<string>;
  /** The rules that find them (for a walk of the plan's own). */
  rules(): KindRule[];
  /** Kinds whose node text matters (keyword types): record `kind:text` for them. */
  textKinds: ReadonlySet<string>;
  /** The answers, given the kinds the tree has (undefined: no tree, or one with a syntax error: unsure). */
  answers(seen: ReadonlySet<string> | undefined): boolean[];
}

/** Each requirement holds (given the kinds seen; undefined: unsure) when every open clause has a kind seen. */
function answersOf(open: ReadonlyArray<ReadonlyArray<readonly KindEvidence[]> | false>, seen: ReadonlySet<string> | undefined): boolean[] {
  return open.map((clauses) => clauses !== false && (seen === undefined || clauses.every((kinds) => kinds.some((k) => seen.has(k.text === undefined ? k.kind : `${k.kind}:${k.text}`)))));
}

/**
 * The evidence one file offers: words from its text, then kinds from its tree for the types the words
 * leave open (the caller walks the tree once, with whatever else it looks for there).
 */
export class FileEvidence {
  private readonly words = new Map<string, boolean>();
  private readonly trustWords: boolean;

  constructor(
    private readonly text: string,
    private readonly grammar: string | undefined,
  ) {
    this.trustWords = !text.includes('\\u');
  }

  private readonly marks = new Map<RegExp, boolean>();

  private marked(mark: RegExp): boolean {
    let found = this.marks.get(mark);
    if (found === undefined) this.marks.set(mark, (found = mark.test(this.text)));
    return found;
  }

  private word(word: string): boolean {
    let found = this.words.get(word);
    if (found === undefined) this.words.set(word, (found = this.text.includes(word) && wordTest(word).test(this.text)));
    return found;
  }

  /** May the type exist, by its words alone: false, true (no kind to ask), or the kinds to ask the tree. */
  private byWords(type: string): boolean | readonly KindEvidence[] {
    const evidence = evidenceFor(type);
    if (!evidence) return true;
    if (evidence.words && this.trustWords && !evidence.words.some((w) => this.word(w))) return false;
    if (evidence.mark && !this.marked(evidence.mark)) return false;
    const kinds = this.grammar ? evidence.kinds?.[this.grammar as Grammar] : undefined;
    return kinds ?? true;
  }

  /** For each list of clauses (all must hold; a clause holds when one of its types may exist): the plan to decide them. */
  plan(requirements: ReadonlyArray<readonly (readonly string[])[]>): EvidencePlan {
    // Plain loops: V8 optimises this for every file, inside its caller.
    const open: Array<Array<readonly KindEvidence[]> | false> = [];
    const kinds: KindEvidence[] = [];
    for (const requires of requirements) {
      const clauses = this.openClauses(requires);
      open.push(clauses);
      if (clauses !== false) for (const clause of clauses) for (const k of clause) kinds.push(k);
    }
    const names = new Set<string>();
    const textKinds = new Set<string>();
    for (const k of kinds) {
      names.add(k.kind);
      if (k.text !== undefined) textKinds.add(k.kind);
    }
    return { kinds: names, rules: () => kindRules(kinds), textKinds, answers: (seen) => answersOf(open, seen) };
  }

  /** The clauses of one requirement its words leave open, each with the kinds that would settle it; false: ruled out. */
  private openClauses(requires: readonly (readonly string[])[]): Array<readonly KindEvidence[]> | false {
    const clauses: Array<readonly KindEvidence[]> = [];
    for (const clause of requires) {
      let certain = false;
      const kinds: KindEvidence[] = [];
      for (const type of clause) {
        const answer = this.byWords(type);
        if (answer === true) {
          certain = true;
          break;
        }
        if (answer !== false) for (const k of answer) kinds.push(k);
      }
      if (certain) continue;
      if (kinds.length === 0) return false;
      clauses.push(kinds);
    }
    return clauses;
  }

  /** The plan, carried out with a walk of its own (for callers without other business in the tree). */
  allowsAll(requirements: ReadonlyArray<readonly (readonly string[])[]>, tree: () => SgRoot | undefined): boolean[] {
    const plan = this.plan(requirements);
    if (plan.kinds.size === 0) return plan.answers(new Set());
    const root = tree();
    if (!root) return plan.answers(undefined);
    const seen = new Set<string>();
    for (const node of root.root().findAll({ rule: { any: [{ kind: 'ERROR' }, ...plan.rules()] } })) {
      const kind = String(node.kind());
      if (kind === 'ERROR') return plan.answers(undefined);
      for (const key of seenKeys(kind, () => node.text(), plan.textKinds)) seen.add(key);
    }
    return plan.answers(seen);
  }
}
