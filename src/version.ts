import { readFileSync } from 'node:fs';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string; repository?: unknown };

/** The package's version, read once from its package.json. */
export const VERSION = manifest.version;

/**
 * package.json's `repository` as a web address (`https://…`), for links such as SARIF's
 * tool.driver.informationUri; undefined when it has none or it names no https/http address.
 * Takes the forms npm documents: a URL (`git+https://…git`, `git@host:owner/repo.git`), an object with
 * `url`, and the shorthands `owner/repo`, `github:`, `gitlab:`, `bitbucket:`.
 */
export function repositoryUrl(repository: unknown): string | undefined {
  const raw = typeof repository === 'string' ? repository : typeof repository === 'object' && repository !== null ? (repository as { url?: unknown }).url : undefined;
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const value = raw.trim();
  const hosts: Record<string, string> = { github: 'github.com', gitlab: 'gitlab.com', bitbucket: 'bitbucket.org' };
  const shorthand = /^(?:(github|gitlab|bitbucket):)?([\w.-]+\/[\w.-]+)$/.exec(value);
  if (shorthand) return `https://${hosts[shorthand[1] ?? 'github']}/${shorthand[2]!.replace(/\.git$/, '')}`;
  const scp = /^(?:[\w.-]+@)?([\w.-]+):(?!\/)([\w./-]+?)(?:\.git)?$/.exec(value);
  const url = scp && !/^[a-z+]+$/i.test(scp[1]!) ? `https://${scp[1]}/${scp[2]}` : value.replace(/^git\+/, '').replace(/^(?:git|ssh):\/\/(?:[\w.-]+@)?/, 'https://').replace(/\.git$/, '');
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href.replace(/\/$/, '') : undefined;
  } catch {
    return undefined;
  }
}

/** Where the project lives, from package.json's `repository` (none: undefined). */
export const REPOSITORY_URL = repositoryUrl(manifest.repository);
