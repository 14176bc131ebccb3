import type { AstNode } from '../enforce/ast.js';
import type { CompiledDetector } from '../enforce/compile.js';

/** A replacement of text[range[0], range[1]) (UTF-16 offsets), as ESLint's fixer takes it. */
export interface TextFix {
  range: [number, number];
  text: string;
}

/** What a detector reports through ESLint: a node, or a 1-based line/0-based column span, maybe with a fix. */
export type Report = (
  target: { node: AstNode } | { loc: { start: { line: number; column: number }; end: { line: number; column: number } } },
  fix?: TextFix,
) => void;

export type Handler = (node: AstNode) => void;
export type Listeners = Record<string, Handler>;

/** The context a detector's listeners need from ESLint. */
export interface DetectorContext {
  /** Repository-relative path, forward slashes: what globs and languages are chosen by. */
  filename: string;
  text: string;
  visitorKeys: Record<string, readonly string[] | undefined>;
  report: Report;
}

export type DetectorListeners<K extends CompiledDetector['kind']> = (detector: Extract<CompiledDetector, { kind: K }>, context: DetectorContext) => Listeners;

/** Several detectors of one rule may listen to the same node type: run them all. */
export function mergeListeners(all: Listeners[]): Listeners {
  const merged: Record<string, Handler[]> = {};
  for (const listeners of all) for (const [key, handler] of Object.entries(listeners)) (merged[key] ??= []).push(handler);
  return Object.fromEntries(Object.entries(merged).map(([key, handlers]) => [key, (node: AstNode) => handlers.forEach((h) => h(node))]));
}
