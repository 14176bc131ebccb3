import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers.js';

// A TypeScript user of the library type-checks every declaration file its entry points reach
// (skipLibCheck is off by default): each package those files import must come with the install,
// i.e. be a dependency that ships its types, or have its @types package among the dependencies.
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  exports: Record<string, string | { types?: string }>;
};

function reachableDeclarations(): Map<string, string[]> {
  const imports = new Map<string, string[]>();
  const queue = Object.values(pkg.exports)
    .flatMap((target) => (typeof target === 'object' && target.types ? [join(REPO, target.types)] : []));
  const seen = new Set<string>();
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    for (const [, spec] of text.matchAll(/(?:from\s+|import\()\s*['"]([^'"]+)['"]/g)) {
      if (spec!.startsWith('.')) {
        const target = resolve(dirname(file), spec!.replace(/\.js$/, '.d.ts'));
        if (existsSync(target)) queue.push(target);
      } else imports.set(spec!, [...(imports.get(spec!) ?? []), file.slice(REPO.length)]);
    }
  }
  return imports;
}

const packageOf = (spec: string) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');

function shipsTypes(name: string): boolean {
  const manifest = JSON.parse(readFileSync(join(REPO, 'node_modules', name, 'package.json'), 'utf8')) as Record<string, unknown>;
  if (manifest.types ?? manifest.typings ?? JSON.stringify(manifest.exports ?? {}).includes('"types"')) return true;
  // TypeScript also finds the declarations beside the main file.
  const main = typeof manifest.main === 'string' ? manifest.main : 'index.js';
  return existsSync(join(REPO, 'node_modules', name, main.replace(/\.[cm]?js$/, '') + '.d.ts'));
}

describe('published declaration files', () => {
  it('import only what a user installs with failures', () => {
    const declarations = reachableDeclarations();
    expect(declarations.size).toBeGreaterThan(0);
    const missing: string[] = [];
    for (const [spec, files] of declarations) {
      const name = packageOf(spec);
      if (name === 'failures' || spec.startsWith('node:') || builtinModules.includes(name)) continue;
      const typesPackage = `@types/${name.replace(/^@(.*)\//, '$1__')}`;
      const ok = (name in pkg.dependencies && shipsTypes(name)) || typesPackage in pkg.dependencies;
      if (!ok) missing.push(`${spec} (imported by ${files.join(', ')})`);
    }
    expect(missing).toEqual([]);
  });
});
