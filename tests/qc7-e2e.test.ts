// Regression tests for session 7's QA pass on import → context → merge, through the built CLI.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempRepo } from './helpers.js';

function project(): string {
  const root = tempRepo();
  expect(cli(root, ['init']).code).toBe(0);
  return root;
}

describe('failures context and merge: a spec in the wrong format (QA 7)', () => {
  it('a markdown PRD is named as markdown, not a manifold, with the YAML to write instead (not one YAML error per line)', () => {
    const root = project();
    writeFileSync(join(root, 'prd.md'), '# PRD: Card payment retry\n\n## Goals\n- Retry failed charges: up to 3 times.\n- Never charge twice.\n');
    for (const args of [['context', 'prd.md'], ['merge', 'prd.md', '--from', 'report.yaml']]) {
      const result = cli(root, args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('prd.md:1:1: a markdown document, not a manifold');
      expect(result.stderr).toContain('write the feature as card-payment-retry.yaml (name: card-payment-retry');
      expect(result.stderr).not.toMatch(/Unexpected|quote values/);
    }
  });
});
