import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RuleTester } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { describe, it } from 'vitest';
import { createPlugin } from '../src/eslint/index.js';
import { tempDir } from './helpers.js';

// The plugin's fixes, levels and regex-safe selectors, through ESLint's RuleTester.
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const root = tempDir('failures-rules-fix-');
mkdirSync(join(root, '.failures', 'anti-patterns'), { recursive: true });
const write = (id: string, lines: string[]) => writeFileSync(join(root, '.failures', 'anti-patterns', `${id}.yaml`), `${lines.join('\n')}\n`);
write('AP-001', ['id: AP-001', 'name: Charge without key', 'status: approved', 'severity: high', 'description: d', 'enforce:', '  detect:', '    - pattern: gateway.charge($P)', '      fix: "gateway.charge($P, { idempotencyKey: keyFor($P) })"']);
write('AP-002', ['id: AP-002', 'name: Catastrophic', 'status: approved', 'severity: low', 'description: d', 'enforce:', '  detect:', '    - selector: "Literal[value=/^(a+)+$/]"']);
const plugin = createPlugin({ root });
const file = join(root, 'src', 'example.ts');
const ts = new RuleTester({ languageOptions: { parser: tsParser } });

describe('levels', () => {
  it('configs.recommended sets each rule at its severity level', () => {
    const rules = plugin.configs.recommended.rules ?? {};
    if (rules['failures/ap-001'] !== 'error' || rules['failures/ap-002'] !== 'warn') throw new Error(JSON.stringify(rules));
  });
});

ts.run('failures/ap-001 (fix)', plugin.rules['ap-001'] as never, {
  valid: [{ code: 'gateway.charge(p, { idempotencyKey: k });', filename: file }],
  invalid: [{ code: 'await gateway.charge(payment as Payment);', filename: file, errors: 1, output: 'await gateway.charge(payment as Payment, { idempotencyKey: keyFor(payment as Payment) });' }],
});

ts.run('failures/ap-002 (a selector regex runs on RE2, never backtracking)', plugin.rules['ap-002'] as never, {
  valid: [{ code: `const s = "${'a'.repeat(30_000)}!";`, filename: file }],
  invalid: [{ code: 'const s = "aaaa";', filename: file, errors: 1 }],
});
