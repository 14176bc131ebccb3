// Runs fuzz cases through the built CLI's main() in this one process (thousands of spawns would take
// minutes). Reads cases as JSON lines on stdin; for each prints `start N` before and a JSON result
// after, so a parent that kills a hanging batch knows which case hung.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { main } from '../../dist/cli/main.js';

const out = process.stdout.write.bind(process.stdout);
const listing = (dir) => (existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).sort() : []);

async function cli(args) {
  let stdout = '';
  let stderr = '';
  const saved = [process.stdout.write, process.stderr.write];
  process.stdout.write = (chunk) => ((stdout += String(chunk)), true);
  process.stderr.write = (chunk) => ((stderr += String(chunk)), true);
  process.exitCode = undefined;
  const started = performance.now();
  let code;
  try {
    code = await main(['node', 'failures', ...args]);
  } catch (error) {
    code = -1;
    stderr += `\nTHROWN: ${error && error.stack}`;
  } finally {
    [process.stdout.write, process.stderr.write] = saved;
    process.exitCode = undefined;
  }
  return { args: args[0], code, ms: Math.round(performance.now() - started), stdout, stderr };
}

/** One case: a record written into a store (then validate, check, approve), or a report imported. */
async function run(c) {
  const runs = [];
  if (c.kind === 'record') {
    const file = join(c.store, '.failures', c.path);
    const before = existsSync(file) ? readFileSync(file) : undefined;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, c.text);
    const written = readFileSync(file);
    runs.push(await cli(['validate', '--root', c.store, '--format', 'json']));
    if (c.check) runs.push(await cli(['check', '--root', c.store, '-f', 'json']));
    let unchanged = true;
    if (c.approve) {
      const result = await cli(['approve', c.approve, '--force', '--no-commit', '--root', c.store]);
      runs.push(result);
      if (result.code !== 0) unchanged = readFileSync(file).equals(written);
    }
    if (before) writeFileSync(file, before);
    else rmSync(file, { force: true });
    return { runs, unchanged };
  }
  const feedback = join(c.store, '.failures', 'feedback');
  const before = listing(feedback);
  writeFileSync(c.file, c.text);
  const result = await cli(['log', '--from', c.file, '--root', c.store, '--category', 'Testing']);
  const after = listing(feedback);
  const unchanged = result.code === 0 || after.join("\n") === before.join("\n");
  // Keep the store small: whatever a successful import wrote goes.
  for (const path of after) if (!before.includes(path) && path.endsWith('.yaml')) rmSync(join(feedback, path), { force: true });
  return { runs: [result], unchanged };
}

let n = 0;
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const c = JSON.parse(line);
  out(`start ${n}\n`);
  const result = await run(c);
  const runs = result.runs.map((r) => ({ args: r.args, code: r.code, ms: r.ms, stderr: r.stderr.slice(0, 2000) }));
  out(`${JSON.stringify({ n, id: c.id, unchanged: result.unchanged, runs })}\n`);
  n++;
}
