/**
 * Where the value at `path` starts in a JSON text (an offset), found by one scan without building
 * anything, so that a problem in a report points at its line and column. Undefined when the path
 * is not there.
 */
export function jsonOffset(text: string, target: ReadonlyArray<string | number>): number | undefined {
  const stack: Array<{ array: boolean; key: string | number }> = [];
  const n = text.length;
  let i = 0;
  let expect: 'value' | 'key' | 'after' = 'value';
  const here = () => stack.length === target.length && stack.every((frame, k) => frame.key === target[k]);
  const skipString = () => {
    let j = i + 1;
    while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
    const raw = text.slice(i, j + 1);
    i = j + 1;
    return raw;
  };
  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\n' || c === '\r' || c === '\t') {
      i++;
      continue;
    }
    if (expect === 'value') {
      if (c === ']') {
        stack.pop();
        i++;
        expect = 'after';
        continue;
      }
      if (here()) return i;
      if (c === '{' || c === '[') {
        stack.push({ array: c === '[', key: c === '[' ? 0 : '' });
        i++;
        expect = c === '[' ? 'value' : 'key';
      } else if (c === '"') {
        skipString();
        expect = 'after';
      } else {
        while (i < n && !/[\s,\]}]/.test(text[i]!)) i++;
        expect = 'after';
      }
      continue;
    }
    if (expect === 'key') {
      if (c === '}') {
        stack.pop();
        i++;
        expect = 'after';
      } else if (c === '"') {
        const raw = skipString();
        try {
          stack[stack.length - 1]!.key = JSON.parse(raw) as string;
        } catch {
          return undefined;
        }
      } else if (c === ':') {
        i++;
        expect = 'value';
      } else i++;
      continue;
    }
    if (c === ',') {
      const top = stack[stack.length - 1];
      if (!top) return undefined;
      if (top.array) {
        top.key = (top.key as number) + 1;
        expect = 'value';
      } else expect = 'key';
      i++;
    } else if (c === ']' || c === '}') {
      stack.pop();
      i++;
    } else i++;
  }
  return undefined;
}

/** The 1-based line and column of the value at `path` (1:1 when it cannot be found). */
export function jsonPosition(text: string, path: ReadonlyArray<string | number>): { line: number; column: number } {
  const offset = jsonOffset(text, path);
  if (offset === undefined) return { line: 1, column: 1 };
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
