import { isUtf8 } from 'node:buffer';

/**
 * What a file's bytes are, when they are not plain UTF-8 text: UTF-16 (a byte-order mark, or ASCII
 * with every other byte zero — what PowerShell's `>`, Excel's "Unicode text" and an editor's "Unicode"
 * save write), binary (zeros out of step: images, UTF-32), or some other 8-bit encoding (Latin-1,
 * Windows-1252). One reading for every command that takes a file from a user.
 */
export function encodingOf(bytes: Uint8Array): 'utf-8' | 'utf-16' | 'binary' | 'not-utf-8' {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return 'utf-16';
  const head = bytes.subarray(0, 4096);
  let even = 0;
  let odd = 0;
  for (let i = 0; i < head.length; i++) {
    if (head[i] !== 0) continue;
    if (i % 2 === 0) even++;
    else odd++;
  }
  if (even + odd > 0) {
    const half = head.length / 2;
    return Math.max(even, odd) > 0.9 * half && Math.min(even, odd) < 0.1 * half ? 'utf-16' : 'binary';
  }
  return isUtf8(bytes) ? 'utf-8' : 'not-utf-8';
}
