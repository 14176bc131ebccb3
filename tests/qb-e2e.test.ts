import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, git, tempRepo } from './helpers.js';

/** A third QA pass over record → detect → review → measure, each test a defect it found. */

function write(root: string, path: string, text: string): void {
  const full = join(root, '.failures', path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
}

function entry(root: string, id: string, timestamp: string, fields: Record<string, string>): void {
  const body = Object.entries({ type: 'mistake', category: 'API', severity: 'medium', session: `s-${id}`, ...fields })
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join('\n');
  write(root, `feedback/2025-03/${id}.yaml`, `id: ${id}\ntimestamp: "${timestamp}"\n${body}\n`);
}

describe('times written without a zone', () => {
  it('read as UTC on every machine: stats and analyze --since give the same figures in any time zone', () => {
    const root = tempRepo();
    cli(root, ['init']);
    write(root, 'anti-patterns/AP-001.yaml', 'id: AP-001\nname: Any instead of unknown\nstatus: approved\ncategory: API\ndescription: any used where unknown belongs\nreview:\n  approved_at: "2025-03-29T10:00:00Z"\n');
    // The seed's log format: no zone. 14:00 on 1 March is inside the 4 weeks before approval (from 10:00 UTC).
    entry(root, 'fb-a1', '2025-03-01T14:00:00', { context: 'handler typed as any', feedback: 'use unknown', anti_pattern: 'AP-001' });
    entry(root, 'fb-a2', '2025-03-10T12:00:00', { context: 'parser returns any', feedback: 'use unknown', anti_pattern: 'AP-001' });
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'history');
    const figures = (tz: string) => {
      const stats = cli(root, ['stats', '--format', 'json'], { env: { TZ: tz } });
      expect(stats.code, stats.stderr).toBe(0);
      const since = cli(root, ['analyze', '--since', '2025-03-01T12:00:00', '--min-frequency', '1', '--format', 'json'], { env: { TZ: tz } });
      expect(since.code, since.stderr).toBe(0);
      return { improvement: JSON.parse(stats.stdout).improvement.per_anti_pattern, entries: JSON.parse(since.stdout).entries };
    };
    const utc = figures('UTC');
    expect(utc.improvement[0]).toMatchObject({ id: 'AP-001', before_per_week: 0.5 });
    expect(utc.entries).toBe(2);
    expect(figures('Pacific/Kiritimati')).toEqual(utc);
    expect(figures('America/Los_Angeles')).toEqual(utc);
  });
});
