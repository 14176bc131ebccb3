import { spawn, spawnSync } from 'node:child_process';
import { isAbsolute, resolve } from 'node:path';
import { FailuresError } from '../errors.js';

/**
 * Runs git with the caller's whole environment. Inside a hook git points GIT_INDEX_FILE at the index
 * it is about to commit (a temporary one for `commit -a` and `commit <paths>`), so it must reach git
 * unchanged — simple-git strips GIT_* variables by default, which is why reads go through here.
 */
export function git(cwd: string, args: string[], input?: Buffer | string, env: NodeJS.ProcessEnv = {}): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('git', args, { cwd, env: { ...gitEnv(), ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (error) =>
      reject(new FailuresError(`cannot run git: ${error.message}`, { hint: 'install git and make sure it is on PATH' })),
    );
    child.on('close', (code) => {
      if (code === 0) resolvePromise(Buffer.concat(out));
      else reject(new GitError(args, code ?? -1, Buffer.concat(err).toString('utf8').trim()));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

/** The same, synchronously, for the rare caller that cannot wait (a record's position for a message). */
export function gitSync(cwd: string, args: string[]): Buffer {
  const result = spawnSync('git', args, { cwd, env: gitEnv(), maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw new FailuresError(`cannot run git: ${result.error.message}`, { hint: 'install git and make sure it is on PATH' });
  if (result.status !== 0) throw new GitError(args, result.status ?? -1, result.stderr.toString('utf8').trim());
  return result.stdout;
}

export class GitError extends FailuresError {
  constructor(
    readonly args: string[],
    readonly code: number,
    readonly stderr: string,
  ) {
    super(`git ${args[0]} failed: ${stderr.split('\n')[0] || `exit ${code}`}`);
  }
}

/**
 * A relative GIT_INDEX_FILE is relative to where git ran the hook (the top of the work tree, our
 * starting directory): made absolute so that it holds for git run from any folder.
 */
function gitEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  const index = env.GIT_INDEX_FILE;
  if (index && !isAbsolute(index)) env.GIT_INDEX_FILE = resolve(startDirectory, index);
  return env;
}
const startDirectory = process.cwd();

const tops = new Map<string, Promise<string | undefined>>();

/**
 * The top of the work tree containing `cwd`, or undefined outside git. Asked of git once per folder
 * and process (a check asks for it several times, a git process each); only a repository is
 * remembered, as `git init` may make one of the folder later in a long-running process.
 */
export function topLevel(cwd: string): Promise<string | undefined> {
  const key = resolve(cwd);
  let top = tops.get(key);
  if (!top) {
    top = askTopLevel(cwd);
    tops.set(key, top);
    top.then(
      (found) => found === undefined && tops.delete(key),
      () => tops.delete(key),
    );
  }
  return top;
}

async function askTopLevel(cwd: string): Promise<string | undefined> {
  try {
    return (await git(cwd, ['rev-parse', '--show-toplevel'])).toString('utf8').trim() || undefined;
  } catch (error) {
    if (error instanceof GitError) return undefined;
    throw error;
  }
}
