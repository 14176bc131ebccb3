import type { AstNode } from '../enforce/ast.js';
import type { CompiledDetector } from '../enforce/compile.js';

/** What a detector reports through ESLint: a node, or a text range (regex). */
export type Report = (target: { node: AstNode } | { start: number; end: number }) => void;

export type Handler = (node: AstNode) => void;
export type Listeners = Record<string, Handler>;

/** The context a detector's listeners need from ESLint. */
export interface DetectorContext {
  /** Repository-relative path, forward slashes: what globs and pattern parsers are chosen by. */
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
