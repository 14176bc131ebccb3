// The project's own lint: typescript-eslint's recommended rules, plus our own anti-patterns from
// .failures/ through our own plugin (built to dist/ by `npm run build`, which `npm test` runs first).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import failures from './dist/eslint/index.js';

const ownRules = failures.configure({ root: import.meta.dirname });

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', 'src/types/records.ts', 'tests/fixtures/', 'examples/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ownRules.configs.recommended,
);
