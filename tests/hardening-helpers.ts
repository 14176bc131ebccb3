import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The approved rule of issue 11's `R`: gateway.charge($PAYMENT) without a key is a violation. */
export const RULE = `id: AP-001
name: Charge without idempotency
status: approved
category: Architecture
severity: high
description: Charging without an idempotency key
enforce:
  files: ["**/*.{js,ts}"]
  detect:
    - pattern: gateway.charge($PAYMENT)
  message: "{name}: {description}"
examples:
  bad: ["gateway.charge(payment)"]
  good: ["gateway.charge(payment, key)"]
`;

/** Writes a file, creating its folders. */
export function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}
