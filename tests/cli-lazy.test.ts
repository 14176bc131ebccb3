import { describe, expect, it } from 'vitest';
import { commandNamed } from '../src/cli/main.js';
import { loadAstGrep } from '../src/enforce/languages.js';
import { keepRecent } from '../src/store/check-cache.js';
import { cli, tempRepo } from './helpers.js';

describe('loading only the command that runs', () => {
  it('finds the command past the global options, and nothing for help, version or unknown names', () => {
    const argv = (...args: string[]) => ['node', 'failures', ...args];
    expect(commandNamed(argv('check', '--staged'))).toBe('check');
    expect(commandNamed(argv('--root', 'check', 'log'))).toBe('log');
    expect(commandNamed(argv('--root=x', 'check'))).toBe('check');
    expect(commandNamed(argv('--help'))).toBeUndefined();
    expect(commandNamed(argv('help', 'check'))).toBeUndefined();
    expect(commandNamed(argv('chekc'))).toBeUndefined();
    expect(commandNamed(argv('--', 'check'))).toBeUndefined();
    expect(commandNamed(argv('toString'))).toBeUndefined();
  });

  it('still lists every command in help, and suggests one for a typo', () => {
    const root = tempRepo();
    const help = cli(root, ['--help']);
    expect(help.code).toBe(0);
    for (const name of ['init', 'log', 'check', 'hook', 'mcp', 'synth']) expect(help.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    const typo = cli(root, ['chekc']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('check');
    expect(cli(root, ['check', '--help']).stdout).toContain('--staged');
  });
});

describe('keepRecent (the bounded staged cache)', () => {
  it('keeps the most recent entries, those just checked last', () => {
    const files = { a: 1, b: 2, c: 3, d: 4 };
    expect(Object.keys(keepRecent(files, ['b'], 3))).toEqual(['c', 'd', 'b']);
    expect(keepRecent(files, ['x'], 10)).toEqual(files);
  });
});

describe('ast-grep languages, registered on first need', () => {
  it('parses TypeScript without the other parsers, then Python and Go once they are needed, in the same process', () => {
    expect(loadAstGrep('TypeScript').parse('TypeScript' as never, 'f(1 as any)').root().find('f($A)')?.text()).toBe('f(1 as any)');
    expect(loadAstGrep('python').parse('python' as never, 'gateway.charge(p)').root().find('gateway.charge($P)')?.text()).toBe('gateway.charge(p)');
    expect(loadAstGrep('go').parse('go' as never, 'package m\nfunc f() { g(1) }').root().find('g($A)')?.text()).toBe('g(1)');
    expect(loadAstGrep('TypeScript').parse('TypeScript' as never, 'g(2)').root().find('g($A)')?.text()).toBe('g(2)');
  });
});
