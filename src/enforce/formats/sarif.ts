import type { ReportInput } from './types.js';

/**
 * SARIF 2.1.0 as GitHub code scanning wants it: every rule in tool.driver.rules with a
 * fullDescription and help, repository-relative URIs, full regions and partialFingerprints.
 */
export function sarif({ results, rules, version, fingerprint }: ReportInput): string {
  const ruleIndex = new Map(rules.map((r, i) => [r.ruleId, i]));
  const driverRules = rules.map((rule) => {
    const record = rule.record;
    const prevention = [
      ...(record.prevention?.must_include ?? []).map((p) => `- Do: ${p}`),
      ...(record.prevention?.must_exclude ?? []).map((p) => `- Don't: ${p}`),
    ];
    const origin = record.origin?.incidents?.length ? `\n\nOrigin: ${record.origin.incidents.join(', ')}.` : '';
    const help = `${rule.description}${prevention.length ? `\n\n${prevention.join('\n')}` : ''}${origin}`;
    return {
      id: rule.ruleId,
      name: rule.name.replace(/[^A-Za-z0-9]+(.)?/g, (_, ch: string | undefined) => (ch ? ch.toUpperCase() : '')),
      shortDescription: { text: rule.name },
      fullDescription: { text: rule.description },
      help: { text: help, markdown: help },
      defaultConfiguration: { level: 'error' },
      properties: {
        tags: ['failures', ...(rule.category ? [rule.category] : [])],
        precision: 'high',
        'problem.severity': 'error',
        ...(rule.severity === 'high' ? { 'security-severity': '8.0' } : {}),
      },
    };
  });
  const sarifResults = results.flatMap((result) =>
    result.findings.map((f) => ({
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId) ?? 0,
      level: 'error',
      message: { text: f.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: encodeURI(result.file), uriBaseId: '%SRCROOT%' },
            region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
          },
        },
      ],
      partialFingerprints: { primaryLocationLineHash: fingerprint(result.file, f) },
    })),
  );
  const notifications = results
    .filter((r) => r.parseError)
    .map((r) => ({
      level: 'error',
      message: { text: `${r.file}: ${r.parseError!.message}` },
      locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(r.file), uriBaseId: '%SRCROOT%' }, region: { startLine: r.parseError!.line, startColumn: r.parseError!.column } } }],
    }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'failures', informationUri: 'https://www.npmjs.com/package/failures', version, rules: driverRules } },
        columnKind: 'utf16CodeUnits',
        results: sarifResults,
        ...(notifications.length ? { invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }] } : {}),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
