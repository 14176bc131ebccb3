import { lineIndex } from '../engine.js';
import { parseErrorLevel, type ReportInput } from './types.js';

/** A repository-relative path as a URI reference: every segment percent-encoded (`#`, `?`, `%`, spaces…). */
export function fileUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

const sarifLevel = (level: 'error' | 'warn' | undefined) => (level === 'warn' ? 'warning' : 'error');

/**
 * SARIF 2.1.0 as GitHub code scanning wants it: every rule in tool.driver.rules with a
 * fullDescription and help, repository-relative URIs, full regions and partialFingerprints.
 */
export function sarif({ results, rules, version, informationUri, fingerprint, texts }: ReportInput): string {
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
      defaultConfiguration: { level: sarifLevel(rule.level) },
      properties: {
        tags: ['failures', ...(rule.category ? [rule.category] : [])],
        precision: 'high',
        'problem.severity': sarifLevel(rule.level),
        ...(rule.severity === 'high' ? { 'security-severity': '8.0' } : {}),
      },
    };
  });
  const sarifResults = results.flatMap((result) => {
    const text = texts?.(result.file);
    const position = text === undefined ? undefined : lineIndex(text);
    return result.findings.map((f) => ({
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId) ?? 0,
      level: sarifLevel(f.level),
      message: { text: f.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: fileUri(result.file), uriBaseId: '%SRCROOT%' },
            region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
          },
        },
      ],
      partialFingerprints: { primaryLocationLineHash: fingerprint(result.file, f) },
      ...(f.fix && position
        ? {
            fixes: [
              {
                description: { text: `Apply the fix of ${f.ruleId}` },
                artifactChanges: [
                  {
                    artifactLocation: { uri: fileUri(result.file), uriBaseId: '%SRCROOT%' },
                    replacements: [{ deletedRegion: region(position, f.fix.range), insertedContent: { text: f.fix.text } }],
                  },
                ],
              },
            ],
          }
        : {}),
    }));
  });
  const notifications = results
    .filter((r) => r.parseError)
    .map((r) => ({
      level: sarifLevel(parseErrorLevel(r)),
      message: { text: `${r.file}: ${r.parseError!.message}` },
      locations: [{ physicalLocation: { artifactLocation: { uri: fileUri(r.file), uriBaseId: '%SRCROOT%' }, region: { startLine: r.parseError!.line, startColumn: r.parseError!.column } } }],
    }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        // informationUri is optional in SARIF 2.1.0 and must be an absolute URI: omitted rather than a page that does not exist.
        tool: { driver: { name: 'failures', ...(informationUri ? { informationUri } : {}), version, rules: driverRules } },
        columnKind: 'utf16CodeUnits',
        results: sarifResults,
        ...(notifications.length ? { invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }] } : {}),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function region(position: (index: number) => { line: number; column: number }, [start, end]: [number, number]) {
  const from = position(start);
  const to = position(end);
  return { startLine: from.line, startColumn: from.column, endLine: to.line, endColumn: to.column };
}
