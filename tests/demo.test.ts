import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers.js';

describe('npm run demo', () => {
  it('runs the whole loop on the payments story, exits 0 within a minute and leaves nothing behind', () => {
    const started = Date.now();
    const result = spawnSync(process.execPath, [join(REPO, 'scripts', 'demo.js')], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(60_000);
    const out = result.stdout;
    expect(out).toContain('## Architecture Category - HIGH Priority');
    expect(out).toMatch(/feat\(Architecture\): enforce AP-00\d Retry Without Idempotency based on feedback \(4x\)/);
    expect(out).toContain('3 rules pass their examples');
    expect(out).toMatch(/Retry Without Idempotency: Retrying an operation without ensuring it won't duplicate effects — see INC-2024-089 \(47 customers overcharged, \$12,400/);
    // Step 5 is reading the proposals: every detector was synthesized from the feedback's code and the fix commit.
    expect(out).toContain('Retry Without Idempotency — 2 synthesized detector(s), would flag 2 place(s) in 2 file(s)');
    expect(out).toContain('Swallowed Ambiguous Response — 1 synthesized detector(s)');
    expect(out).toContain('Notification Per Retry — 1 synthesized detector(s)');
    expect(out).toMatch(/jobs\/payment_reminder\.py\n\s+9:9 +error +AP-00\d Retry Without Idempotency/);
    expect(out).toContain('4 existing violations baselined');
    expect(out).toContain('The commit is blocked');
    expect(out).toContain('feat: payouts');
    expect(out).toContain('Loop metrics');
    expect(out).toContain('"Implement proper idempotency keys" is still open');
    expect(out).toMatch(/^\$ git apply --stat proposals\.diff$/m);
    // The context step: INC-2024-089 ranks first, the critical warning, merge adds T_INC089_1 once.
    expect(out).toMatch(/HIGH RELEVANCE \(\d\):\n {2}- INC-2024-089: Duplicate payments during gateway timeout/);
    expect(out).toContain('Your current manifold does NOT address the root cause of INC-2024-089.');
    expect(out).toContain('Without constraint T_INC089_1, this WILL recur.');
    expect(out).toMatch(/✓ added \d+ derived constraints, \d+ failure modes, 3 exclusions to payment-retry-v2\.yaml: T_INC089_1,/);
    expect(out).toContain('nothing to merge: payment-retry-v2.yaml already has everything');
    // The temporary repository is gone, and the example itself untouched.
    const work = /^ {2}(\/\S+failures-demo-\S+)$/m.exec(out)?.[1];
    expect(work).toBeDefined();
    expect(existsSync(work!)).toBe(false);
    expect(existsSync(join(REPO, 'examples', 'payments', '.failures', 'baseline.yaml'))).toBe(false);
    expect(existsSync(join(REPO, 'examples', 'payments', 'skill_update_suggestions.md'))).toBe(false);
  }, 90_000);
});
