// The project's own lint. Architecture rules keep the core pure (DESIGN.md §3): once the failures
// plugin enforces anti-patterns, these move into .failures/anti-patterns/ and run through it.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const impure = ['node:fs', 'node:fs/promises', 'node:child_process', 'fs', 'child_process'];

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', 'src/types/records.ts', 'tests/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/analyze/**', 'src/suggest/**', 'src/enforce/**', 'src/context/**', 'src/ingest/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: impure.map((name) => ({ name, message: 'The core is pure: file and process access belong in src/store/ or src/git/.' })),
          patterns: [{ group: ['**/store/**', '**/git/**', '**/cli/**'], message: 'The core never imports store, git or cli: data flows cli → store/git → core.' }],
        },
      ],
    },
  },
  {
    files: ['src/**'],
    ignores: ['src/cli/**'],
    rules: { 'no-console': 'error' },
  },
);
