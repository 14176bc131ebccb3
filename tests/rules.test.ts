import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RuleTester } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { describe, it } from 'vitest';
import { createPlugin } from '../src/eslint/index.js';
import { tempDir } from './helpers.js';

// ESLint's RuleTester, on the rules the plugin builds from records: one anti-pattern per detector kind.
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const RECORDS: Record<string, string> = {
  'AP-001': `id: AP-001
name: Retry Without Idempotency
status: approved
description: Retrying an operation without ensuring it won't duplicate effects
origin: { incidents: [INC-2024-089] }
enforce:
  detect:
    - pattern: gateway.charge($P)
      not: "gateway.charge($P, { idempotencyKey: $K })"
`,
  'AP-002': `id: AP-002
name: Self comparison
status: approved
description: Comparing a value with itself
enforce:
  detect:
    - pattern: $A === $A
`,
  'AP-003': `id: AP-003
name: Notification Per Retry
status: approved
description: Sending a notification on each retry attempt
enforce:
  detect:
    - pattern: notify(...)
      inside: { selector: ":matches(ForStatement, ForOfStatement, WhileStatement)" }
      not_inside: "function $F(...) { ... }"
`,
  'AP-004': `id: AP-004
name: Swallowed Ambiguous Response
status: approved
description: Treating a timeout as a definite failure
enforce:
  detect:
    - selector: "CatchClause CallExpression[callee.name='markFailure']"
      message: "{id}: a timeout is not a failure — mark it ambiguous"
`,
  'AP-005': `id: AP-005
name: Legacy payments client
status: approved
description: The legacy client has no idempotency support
enforce:
  detect:
    - import: { from: "legacy-*" }
`,
  'AP-006': `id: AP-006
name: Hard-coded gateway URL
status: approved
description: Gateway URLs come from configuration
enforce:
  detect:
    - regex: "https://gateway\\\\.example\\\\.com"
`,
  'AP-007': `id: AP-007
name: Proposed only
status: proposed
description: Never enforced while proposed
enforce:
  detect:
    - regex: "anything"
`,
};

const root = tempDir('failures-rules-');
mkdirSync(join(root, '.failures', 'anti-patterns'), { recursive: true });
mkdirSync(join(root, '.failures', 'incidents'), { recursive: true });
writeFileSync(join(root, '.failures', 'incidents', 'INC-2024-089.yaml'), 'incident_id: INC-2024-089\ntitle: Duplicate payments\nfinancial_impact: $12,400\n');
for (const [id, text] of Object.entries(RECORDS)) writeFileSync(join(root, '.failures', 'anti-patterns', `${id}.yaml`), text);
const plugin = createPlugin({ root });
const file = join(root, 'src', 'example.ts');
const js = new RuleTester({ languageOptions: { ecmaVersion: 'latest', sourceType: 'module' } });
const ts = new RuleTester({ languageOptions: { parser: tsParser } });
const rule = (id: string) => plugin.rules[id] as never;

describe('the plugin', () => {
  it('makes one rule per approved anti-pattern, named after it', () => {
    const enabled = Object.keys(plugin.configs.recommended.rules ?? {});
    if (enabled.join() !== 'failures/ap-001,failures/ap-002,failures/ap-003,failures/ap-004,failures/ap-005,failures/ap-006') throw new Error(enabled.join());
  });

  it('answers a proposed, retired or unknown rule named in a config with a rule that reports nothing', () => {
    for (const id of ['ap-007', 'ap-999']) {
      const module = plugin.rules[id] as unknown as { meta: { deprecated?: boolean }; create: () => object };
      if (!module?.meta.deprecated || Object.keys(module.create()).length !== 0) throw new Error(`${id} is not an inactive rule`);
    }
  });
});

js.run('failures/ap-001 (pattern with not)', rule('ap-001'), {
  valid: [{ code: 'gateway.charge(p, { idempotencyKey: k });', filename: file }, { code: 'gateway.charge(a, b);', filename: file }, { code: 'other.charge(p);', filename: file }],
  invalid: [
    {
      code: 'gateway.charge(payment);',
      filename: file,
      errors: [{ message: "AP-001 Retry Without Idempotency: Retrying an operation without ensuring it won't duplicate effects — see INC-2024-089 ($12,400)", line: 1, column: 1 }],
    },
    { code: "gateway . charge( /* c */ payment , );", filename: file, errors: 1 },
  ],
});

ts.run('failures/ap-001 (pattern, TypeScript parser)', rule('ap-001'), {
  valid: [{ code: 'gateway.charge(p as Payment, { idempotencyKey: k });', filename: file }],
  invalid: [{ code: 'async function f(g: Gateway) { await gateway.charge(p as Payment); }', filename: file, errors: 1 }],
});

js.run('failures/ap-002 (metavariable equality)', rule('ap-002'), {
  valid: [{ code: 'a === b;', filename: file }, { code: 'f(1) === f(2);', filename: file }],
  invalid: [
    { code: 'x.y === x.y;', filename: file, errors: 1 },
    { code: 'f( 1 ) === f(1);', filename: file, errors: 1 },
  ],
});

js.run('failures/ap-003 (... with inside and not_inside)', rule('ap-003'), {
  valid: [
    { code: 'notify(user);', filename: file },
    { code: 'function send() { for (const u of us) notify(u); }', filename: file },
  ],
  invalid: [
    { code: 'for (const u of users) { notify(u, "retry"); }', filename: file, errors: 1 },
    { code: 'while (retry()) notify();', filename: file, errors: 1 },
  ],
});

js.run('failures/ap-004 (selector, own message)', rule('ap-004'), {
  valid: [{ code: 'markFailure(e);', filename: file }, { code: 'try { x(); } catch (e) { markAmbiguous(e); }', filename: file }],
  invalid: [{ code: 'try { x(); } catch (e) { markFailure(e); }', filename: file, errors: [{ message: 'AP-004: a timeout is not a failure — mark it ambiguous', column: 26 }] }],
});

js.run('failures/ap-005 (import: import, export from, require, import())', rule('ap-005'), {
  valid: [{ code: "import pay from 'payments';", filename: file }],
  invalid: [
    { code: "import pay from 'legacy-payments';", filename: file, errors: 1 },
    { code: "export { pay } from 'legacy-payments';", filename: file, errors: 1 },
    { code: "const pay = require('legacy-payments');", filename: file, errors: 1 },
    { code: "const pay = await import('legacy-payments');", filename: file, errors: 1 },
  ],
});

js.run('failures/ap-006 (regex, failures-ignore)', rule('ap-006'), {
  valid: [
    { code: 'const url = config.gatewayUrl;', filename: file },
    { code: 'const url = "https://gateway.example.com"; // failures-ignore AP-006 -- test double', filename: file },
  ],
  invalid: [{ code: 'const a = 1;\nconst url = "https://gateway.example.com";', filename: file, errors: [{ messageId: "violation", line: 2, column: 14, endColumn: 41 }] }],
});
