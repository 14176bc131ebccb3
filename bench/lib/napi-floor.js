#!/usr/bin/env node
// The floor of any `check` built on @ast-grep/napi's findInFiles: it only parses the files (a rule
// that finds each file's root, nothing else), in shares of 256 files as `check` does, and hands each
// root to this thread, which does nothing with it. Run by bench/check.js beside the ast-grep CLI:
// whatever `check` does besides parsing comes on top of this.
//   node bench/lib/napi-floor.js <language> <root kind> <file list: one absolute path per line>
import { findInFiles } from '@ast-grep/napi';
import { readFileSync } from 'node:fs';

const [language, rootKind, list] = process.argv.slice(2);
if (!language || !rootKind || !list) {
  console.error('usage: napi-floor.js <language> <root kind> <file with one absolute path per line>');
  process.exit(2);
}
const files = readFileSync(list, 'utf8').split('\n').filter(Boolean);
const SHARE = 256;
let roots = 0;
const shares = [];
for (let i = 0; i < files.length; i += SHARE) {
  let received = 0;
  shares.push(
    findInFiles(language, { paths: files.slice(i, i + SHARE), matcher: { rule: { kind: rootKind } } }, () => {
      received++;
      roots++;
    }).then(async (sent) => {
      while (received < sent) await new Promise((resolve) => setImmediate(resolve));
    }),
  );
  // At most one share ahead, as check runs.
  if (shares.length > 1) await shares.at(-2);
}
await Promise.all(shares);
if (roots !== files.length) {
  console.error(`napi-floor: ${roots} of ${files.length} files parsed`);
  process.exit(1);
}
