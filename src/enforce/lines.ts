/** Offsets of line starts, to turn a text index into a line and column. */
export function lineIndex(text: string): (index: number) => { line: number; column: number } {
  // A byte order mark is no column: line 1 starts after it, as in ESLint (a BOM file's `x` at 1:1, not 1:2).
  const starts = [text.charCodeAt(0) === 0xfeff ? 1 : 0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (index) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: Math.max(1, index - starts[lo]! + 1) };
  };
}
