import { describe, expect, it } from 'vitest';
import { reportSummary } from '../src/context/format.js';
import { mergeManifold } from '../src/context/merge.js';

const report = (tickets: string) => ({
  meta: { manifold: 'm', sources: { tickets } },
  summary: { risk_assessment: { repeat_probability: 'low', preparedness: 'high' } },
  incidents: [],
  anti_patterns: [],
  ticket_patterns: [],
});

describe('the context narration (QA 7)', () => {
  it('counts related tickets written with thousands separators', () => {
    expect(reportSummary(report('20,000 scanned, 12,345 relevant'), { mergeCommand: 'x' })).toContain('12345 imported tickets look related');
    expect(reportSummary(report('3 scanned, 1 relevant'), { mergeCommand: 'x' })).toContain('1 imported ticket looks related');
    expect(reportSummary(report('3 scanned, 0 relevant'), { mergeCommand: 'x' })).not.toContain('imported ticket');
  });
});

describe('merge into a JSON manifold (QA 7)', () => {
  const report = {
    meta: { manifold: 'pay' },
    summary: {},
    derived_constraints: { from_incidents: [{ incident: 'INC-1', generated_constraints: [{ id: 'T_INC1_1', type: 'invariant', statement: 'Keys required', rationale: 'INC-1 root cause', origin: { incidents: ['INC-1'] } }] }] },
    enriched_failure_modes: { newly_discovered: [{ id: 'F_NEW_1', status: 'newly_discovered', source: 'INC-1', scenario: 'Timeout after success', origin: { incidents: ['INC-1'] } }] },
    anti_patterns: [{ id: 'AP-001', name: 'Retry Without Idempotency', linked_incidents: ['INC-1'], prevention: { must_exclude: ['Blind retry on timeout'] } }],
  };

  it('writes the new items into the text at its indentation: every other line keeps its bytes (an inline list stays inline)', () => {
    for (const [unit, eol] of [['    ', '\n'], ['\t', '\r\n'], ['  ', '\n']] as const) {
      const lines = ['{', `${unit}"name": "pay",`, `${unit}"entities": ["payment", "retry"],`, `${unit}"constraints": [{ "id": "B1", "statement": "No duplicate payments" }],`, `${unit}"owner": "payments-team"`, '}', ''];
      const text = lines.join(eol);
      const once = mergeManifold(text, report);
      expect(once.added.map((a) => a.key)).toEqual(['T_INC1_1', 'F_NEW_1', 'AP-001']);
      for (const line of [lines[1]!, lines[2]!, `${unit}"constraints": [{ "id": "B1", "statement": "No duplicate payments" },`]) expect(once.text).toContain(`${eol}${line}${eol}`);
      expect(once.text).toContain(`${eol}${unit}"entities": ["payment", "retry"],${eol}`);
      const value = JSON.parse(once.text);
      expect(value.constraints.map((c: { id: string }) => c.id)).toEqual(['B1', 'T_INC1_1']);
      expect(value.failure_modes[0]).toMatchObject({ id: 'F_NEW_1', _source: 'failure_analysis' });
      expect(value.solution_space.exclusions[0]).toMatchObject({ anti_pattern: 'AP-001' });
      expect(once.text).toContain(`${eol}${unit}"failure_modes": [${eol}${unit}${unit}{${eol}${unit}${unit}${unit}"id": "F_NEW_1",`);
      expect(once.text.split(eol).every((line) => !line.includes('\n'))).toBe(true);
      const twice = mergeManifold(once.text, report);
      expect(twice.added).toEqual([]);
      expect(twice.text).toBe(once.text);
    }
  });
});
