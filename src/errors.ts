/**
 * An error a user can act on: it says what went wrong, where, and how to fix it.
 * The CLI prints `message` and `hint` without a stack trace and exits with `exitCode`
 * (ESLint's convention: 1 findings or invalid records, 2 usage, configuration or internal error).
 */
export class FailuresError extends Error {
  readonly exitCode: number;
  readonly hint: string | undefined;

  constructor(message: string, options: { hint?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'FailuresError';
    this.exitCode = options.exitCode ?? 2;
    this.hint = options.hint;
  }
}

/** A position in a file, 1-based like editors and compilers show it. */
export interface Position {
  line: number;
  column: number;
}

/** One thing wrong with the records, located precisely enough to jump to. */
export interface Problem {
  /** Absolute path of the file. */
  file: string;
  line: number;
  column: number;
  /** The field, as `origin.incidents[0]`; empty for the whole document. */
  path: string;
  message: string;
  /** How to fix it, when there is more to say than the message. */
  fix?: string;
  severity: 'error' | 'warning';
  /** Which check found it: yaml, schema, duplicate-id, id-mismatch, reference, vocabulary, layout. */
  rule: string;
}

/** Closest candidate by edit distance, for "did you mean …?" hints; undefined when none is close. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}
