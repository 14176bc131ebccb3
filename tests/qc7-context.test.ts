import { describe, expect, it } from 'vitest';
import { reportSummary } from '../src/context/format.js';

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
