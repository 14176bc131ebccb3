/* eslint-disable @typescript-eslint/no-explicit-any -- reports are plain data read by path */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { analyzeContext, bm25, contextReport, mergeManifold, rankFailures, reportYaml, type History, type Manifold } from '../src/context/index.js';
import { constraintFrom, mustInclude } from '../src/context/derive.js';
import { shortId, shortIds } from '../src/context/constraints.js';
import { tokens } from '../src/context/words.js';
import { schemaErrors } from '../src/store/schemas.js';
import type { IncidentRecord } from '../src/types/records.js';

const manifold: Manifold = {
  name: 'payment-retry-v2',
  entities: ['payment', 'retry', 'gateway'],
  systems: ['payment-service', 'notification-service'],
  error_types: ['duplicate', 'timeout'],
  constraints: [
    { id: 'B1', type: 'invariant', statement: 'A customer is never charged twice: no duplicate payments' },
    { id: 'U3', type: 'invariant', statement: 'At most one notification per payment outcome' },
  ],
  failure_modes: [{ id: 'F1', scenario: 'Gateway outage makes every charge fail' }],
};

const incident = (id: string, title: string, extra: Partial<IncidentRecord> = {}): IncidentRecord => ({ incident_id: id, title, ...extra });

const history: History = {
  incidents: [
    incident('INC-2024-089', 'Duplicate payments during gateway timeout', {
      date: '2024-03-15',
      severity: 'P1',
      systems: ['payment-service'],
      root_cause: 'Retry logic did not check for idempotency.',
      contributing_factors: ['No idempotency key in payment requests'],
      financial_impact: '$12,400 in refunds',
      lesson: 'CRITICAL: Idempotency is non-negotiable',
    }),
    incident('INC-2024-077', 'Login outage after TLS certificate expired', { date: '2024-03-02', severity: 'P2', systems: ['auth-service'], root_cause: 'Manual certificate renewal.' }),
    incident('INC-2024-033', 'Gateway outage: every charge failed', { date: '2023-01-22', severity: 'P1', systems: ['payment-service'], root_cause: 'Provider outage.' }),
  ],
  postmortems: [
    {
      id: 'PM-2024-089',
      incident: 'INC-2024-089',
      five_whys: [{ why: 'Duplicate payments', because: 'No idempotency check' }],
      action_items: [
        { action: 'Implement proper idempotency keys', status: 'open', owner: 'dana' },
        { action: 'Add duplicate alerting', status: 'done' },
      ],
      systemic_issues: ['Retry patterns not standardized'],
    },
  ],
  antiPatterns: [
    {
      id: 'AP-002',
      name: 'Notification Per Retry',
      status: 'approved',
      severity: 'medium',
      description: 'Sending a user notification on each retry attempt',
      prevention: { must_include: ['Notification deduplication'], must_exclude: ['Notification inside the retry loop'] },
      origin: { incidents: ['INC-2024-089'] },
    },
  ],
  constraints: [],
  ticketPatterns: [{ id: 'TP-001', pattern: 'Payment status confusion', ticket_count: 120, timeframe: '6 months', root_pattern: 'State inconsistency between systems', systems: ['payment-service'], entities: ['payment', 'gateway'], constraints_affected: ['B1'] }],
  tickets: [],
  failureModes: [],
};

describe('derive: what went wrong → what must hold', () => {
  it.each([
    ['No idempotency key in payment requests', 'Payment requests must include idempotency key'],
    ['No check for existing successful payment', 'Must check for existing successful payment'],
    ['Retry logic did not check for idempotency.', 'Retry logic must check for idempotency'],
    ["Gateway timeout doesn't mean payment failed", 'Do not treat gateway timeout as payment failed'],
    ['Retry triggered on any non-200 response', 'Retry must not be triggered on any non-200 response'],
    ['Missing alerting on queue depth', 'Must alert on queue depth'],
    ['Some payments succeeded but the response was lost', 'Must not recur: some payments succeeded but the response was lost'],
    // Narrative root causes of published postmortems (icco/postmortems, Chia-Network/post-mortem shapes).
    ['A partial switch misbehavior caused a cascading Byzantine failure which impacted the API for six hours', 'A partial switch misbehavior must not cause a cascading Byzantine failure'],
    ['On December 15th, 2021 at 00:17 UTC, we deployed a DNS configuration change that impacted our container orchestration cluster.', 'A DNS configuration change must not impact our container orchestration cluster'],
    ['The entire grid collapsed due to the absence of islanding mechanisms.', 'Islanding mechanisms are required'],
    ['No version compatibility testing: We lack automated tests for older SDK versions', 'Version compatibility testing is required'],
    ['A [malfunctioning IMP](https://example.org/imp) corrupted routing data, software recomputed checksums', 'A malfunctioning IMP must not corrupt routing data'],
    ['Queues in a Redis cache became corrupted and out of sequence', 'Must not recur: queues in a Redis cache became corrupted and out of sequence'],
    ['The rollout completed without issue', 'Must not recur: the rollout completed without issue'],
    ['The OMS collapsed when an order was split, which was not encountered before', 'Must not recur: the OMS collapsed when an order was split, which was not encountered before'],
    // Shapes that read as broken sentences before the third QA pass: cut where the claim turns into its consequence,
    // passive negations, subordinate clauses and pronouns as subjects, "caused by", "a service that assumes".
    ['No resource limits were set on the chart that deploys the cache.', 'Chart that deploys the cache must include resource limits'],
    ['Lack of retries in the uploader caused a backlog, leading to timeouts', 'Uploader must include retries'],
    ['No monitoring of disk usage led to a full volume', 'Must monitor disk usage'],
    ['No alerting configured for 5xx errors, so customers told us first', 'Must alert on 5xx errors'],
    ["The outage wasn't caught in staging because the delay was short", 'The outage must be caught in staging'],
    ['No static analysis: no rule stops the call', 'Static analysis is required'],
    ['A bad release took down Cloudflare edge servers', 'A bad release must not take down Cloudflare edge servers'],
    ['Because we do not have a vault, secrets were copied by hand', 'Must not recur: because we do not have a vault, secrets were copied by hand'],
    ['Two bad deploys, plus a config error, caused the outage of the API', 'Must not recur: two bad deploys, plus a config error, caused the outage of the API'],
    ['A proxy that assumes the old address kept serving stale data', 'Must not recur: A proxy that assumes the old address kept serving stale data'],
    ['The site went down after a traffic spike caused by a campaign', 'Must not recur: the site went down after a traffic spike caused by a campaign'],
    ['This issue never showed up before because load was low', 'Must not recur: this issue never showed up before because load was low'],
    ['Our queue went down repeatedly and caused delays for hours', 'Must not recur: our queue went down repeatedly and caused delays for hours'],
    ["Symptom-focused fix that didn't address the memory sizing", "Must not recur: symptom-focused fix that didn't address the memory sizing"],
  ])('%s', (input, expected) => expect(constraintFrom(input)).toBe(expected));
  it.each([
    ['INC-2024-089', 'INC089'],
    ['AP-002', 'AP002'],
    ['PM2020-001', 'PM001'],
    ['INC-2020-11-02-cloudflare-api-outage', 'INC20201102'],
    ['INC-amazon-simpledb-us-east-region-disruption', 'INCASUERD'],
  ])('short id of %s: %s', (id, short) => expect(shortId(id)).toBe(short));
  it('gives ids that share a short form their long one, whichever comes first', () => {
    const shorts = shortIds(['INC-2024-089', 'INC-2023-089', 'INC-2020-11-02-a-b', 'INC-2020-11-02-c-d', 'AP-1']);
    expect(Object.fromEntries(shorts)).toEqual({ 'INC-2024-089': 'INC2024089', 'INC-2023-089': 'INC2023089', 'INC-2020-11-02-a-b': 'INC20201102AB', 'INC-2020-11-02-c-d': 'INC20201102CD', 'AP-1': 'AP1' });
    expect(Object.fromEntries(shortIds(['INC-2023-089', 'INC-2024-089']))).toEqual({ 'INC-2024-089': 'INC2024089', 'INC-2023-089': 'INC2023089' });
    // One day's ids with the same initials (icco/postmortems has two Northeast blackout write-ups): a count.
    expect(Object.fromEntries(shortIds(['INC-2003-08-14-northeast-blackout-2003', 'INC-2003-08-14-northeast-blackout']))).toEqual({
      'INC-2003-08-14-northeast-blackout': 'INC20030814NB',
      'INC-2003-08-14-northeast-blackout-2003': 'INC20030814NBN2',
    });
  });
  it('turns a practice into an invariant', () => expect(mustInclude('Idempotency key in all mutating operations')).toBe('All mutating operations must include idempotency key'));
});

describe('relevance', () => {
  it('ranks the payment incident first with its reasons, the unrelated one last', () => {
    const context = analyzeContext(manifold, history, { sources: ['incidents', 'postmortems', 'tickets'] });
    expect(context.ranked.map((r) => r.id)).toEqual(['INC-2024-089', 'INC-2024-033', 'INC-2024-077']);
    const top = context.ranked[0]!;
    expect(top.score).toBeGreaterThan(0.6);
    expect(context.ranked[2]!.score).toBeLessThan(0.35);
    expect(top.reasons.systems[0]).toMatchObject({ term: 'payment-service', how: 'structured' });
    expect(top.reasons.systems[0]!.via).toContain('payment-service');
    expect(top.reasons.error_types.map((m) => m.term)).toEqual(['duplicate', 'timeout']);
    expect(top.reasons.constraints.map((c) => c.id)).toContain('B1');
    for (const r of context.ranked) {
      expect(r.score).toBeGreaterThanOrEqual(0);
      expect(r.score).toBeLessThanOrEqual(1);
    }
  });

  it('lifts a failure whose cause is the feature over one that only mentions it at length, and says through which words', () => {
    // As imported: the extracted core is a part of the source document.
    const doc = (id: string, core: string[], source: string) => ({ id, systems: [], entities: [], errorTypes: [], core, extended: [], source: `${core.join('. ')}. ${source}`, linked: [] });
    const filler = 'The on-call engineer paged the team and the status page was updated. '.repeat(20);
    const documents = [
      // Mentions payments, retries and duplicates over and over, but what failed was a certificate.
      doc('INC-A', ['Login outage after a TLS certificate expired'], `${filler} payment retry duplicate payment retry duplicate gateway timeout payment retry duplicate`),
      // What failed is the feature's subject, said once.
      doc('INC-B', ['Duplicate payments when the gateway timed out and the retry charged again'], filler),
      doc('INC-C', ['Search index stalled'], filler),
    ];
    const ranked = rankFailures(manifold, documents);
    expect(ranked[0]!.id).toBe('INC-B');
    expect(ranked[0]!.components.cause).toBe(1);
    expect(ranked[0]!.reasons.cause_words).toEqual(expect.arrayContaining(['duplicate', 'payments']));
    expect(ranked.find((r) => r.id === 'INC-A')!.components.cause).toBeLessThan(0.2);
    expect(ranked.find((r) => r.id === 'INC-A')!.components.keywords).toBeGreaterThan(0.5);
  });

  it('scores a good match in a handful of records as well as in a large history (the scale is the collection\'s own)', () => {
    const pattern = { id: 'TP-9', pattern: 'Customers charged twice after a payment retry', ticket_count: 40, root_pattern: 'Duplicate payments on gateway timeout' };
    const alone = analyzeContext(manifold, { ...history, incidents: [], postmortems: [], ticketPatterns: [pattern] }, { sources: ['tickets'] });
    expect(alone.ticketPatterns.map((t) => t.record.id)).toEqual(['TP-9']);
    expect(alone.ticketPatterns[0]!.relevance.components.keywords).toBe(1);
    const unrelated = { id: 'TP-8', pattern: 'Search results stale', ticket_count: 12, root_pattern: 'Index lag' };
    const weak = analyzeContext(manifold, { ...history, incidents: [], postmortems: [], ticketPatterns: [unrelated] }, { sources: ['tickets'] });
    expect(weak.ticketPatterns).toEqual([]);
  });

  it('keeps only the timeframe, counting what it left out', () => {
    const context = analyzeContext(manifold, history, { sources: ['incidents'], timeframeMonths: 12, asOf: '2024-12-31' });
    expect(context.ranked.map((r) => r.id)).not.toContain('INC-2024-033');
    expect(context.outsideWindow).toBe(1);
  });

  it('lets postmortems stand for their incidents when incidents are not a source', () => {
    const context = analyzeContext(manifold, history, { sources: ['postmortems'] });
    expect(context.ranked.map((r) => r.id)).toEqual(['INC-2024-089']);
    const report = contextReport({ analysis: context, occurrences: new Map() }) as any;
    expect(schemaErrors('failure-context-report', report)).toEqual([]);
    expect(report.incidents).toEqual([expect.objectContaining({ incident_id: 'INC-2024-089' })]);
    expect(report.derived_constraints.from_incidents[0].generated_constraints[0]).toMatchObject({ rationale: 'INC-2024-089 five whys: No idempotency check', origin: { postmortems: ['PM-2024-089'] } });
  });

  it('BM25 prefers the document with the rarer query word', () => {
    const index = bm25([[['payment retry duplicate', 1]], [['payment login', 1]], [['payment search', 1]]]);
    const scores = index.score('duplicate payment');
    expect(scores[0]).toBeGreaterThan(scores[1]!);
    expect(index.explain('duplicate payment', 0)[0]!.stem).toBe('duplic');
  });

  it('returns nothing for no documents', () => expect(rankFailures(manifold, [])).toEqual([]));
});

describe('the report', () => {
  const build = () => {
    const analysis = analyzeContext(manifold, history, { sources: ['incidents', 'postmortems', 'tickets'] });
    return contextReport({ analysis, occurrences: new Map([['AP-002', [{ file: 'src/retry.ts', line: 12, code: 'notifyUser(id)' }]]]) });
  };

  it('validates against its schema and follows the seed', () => {
    const report = build() as any;
    expect(schemaErrors('failure-context-report', report)).toEqual([]);
    expect(report.incidents[0].incident_id).toBe('INC-2024-089');
    expect(report.incidents[0].relevance_to_manifold.relevance).toBe('high');
    const derived = report.derived_constraints.from_incidents[0].generated_constraints;
    expect(derived[0]).toMatchObject({ id: 'T_INC089_1', type: 'invariant', statement: 'Payment requests must include idempotency key', violation_scenario: 'Duplicate payments during gateway timeout' });
    expect(derived[0].rationale).toMatch(/^INC-2024-089 contributing factor/);
    const fromAp = report.derived_constraints.from_anti_patterns[0];
    expect(fromAp.generated_constraints[0]).toMatchObject({ id: 'U_AP002_1', rationale: 'Anti-pattern AP-002 prevention (Notification Per Retry)' });
    const fromTickets = report.derived_constraints.from_ticket_patterns[0].generated_constraints[0];
    expect(fromTickets).toMatchObject({ id: 'U_TKT_1', type: 'goal', rationale: '120 support tickets in 6 months (TP-001: Payment status confusion)' });
    expect(fromTickets.measurement).toBe('< 5 "Payment status confusion" tickets per month (was 20 per month)');
    expect(report.anti_patterns[0]).toMatchObject({ id: 'AP-002', linked_incidents: ['INC-2024-089'], occurrences_in_codebase: [{ file: 'src/retry.ts', line: 12, code: 'notifyUser(id)' }] });
    expect(report.anti_patterns[0].occurrences_in_codebase[0].risk).toMatch(/^(HIGH|MEDIUM) - repeats INC-2024-089/);
    expect(report.postmortem_analysis[0].action_items).toEqual({ completed: ['Add duplicate alerting'], incomplete: ['Implement proper idempotency keys (owner: dana)'] });
    expect(report.summary.critical_warnings[0]).toMatchObject({ incident: 'INC-2024-089', cost: '$12,400 in refunds', constraint: 'T_INC089_1' });
    expect(report.summary.critical_lessons[0]).toBe('Idempotency is non-negotiable');
    const mode = report.enriched_failure_modes.newly_discovered[0];
    expect(mode).toMatchObject({ id: 'F_NEW_1', source: 'INC-2024-089', impact: 'critical', probability: 'low' });
    expect(report.action_items.before_development[0]).toMatch(/^Complete outstanding action items from PM-2024-089/);
    expect(reportYaml(report, 'x.yaml')).toContain('- "Implement proper idempotency keys (owner: dana)" # Still open!');
  });

  it('is deterministic', () => expect(JSON.stringify(build())).toBe(JSON.stringify(build())));

  it('no longer warns once the manifold states the derived constraints', () => {
    const report = build() as any;
    const merged = parse(mergeManifold(`name: payment-retry-v2\n`, report).text);
    const analysis = analyzeContext({ ...manifold, constraints: [...manifold.constraints!, ...merged.constraints], failure_modes: [...manifold.failure_modes!, ...merged.failure_modes] }, history, {
      sources: ['incidents', 'postmortems', 'tickets'],
    });
    const again = contextReport({ analysis, occurrences: new Map() }) as any;
    expect(again.summary.critical_warnings).toBeUndefined();
    expect(again.summary.new_constraints_derived).toBe(0);
    expect(again.summary.new_failure_modes_discovered).toBe(0);
    expect(again.summary.risk_assessment.preparedness).toBe('high');
  });
});

describe('merge', () => {
  const text = `# the spec\nname: payment-retry-v2 # the feature\nentities: [payment, retry]\nconstraints:\n  - id: B1 # business\n    statement: No duplicate payments\n\nowner: payments-team # unknown fields stay\n`;
  const report = {
    meta: { manifold: 'payment-retry-v2' },
    summary: {},
    derived_constraints: { from_incidents: [{ incident: 'INC-1', generated_constraints: [{ id: 'T_INC1_1', type: 'invariant', statement: 'Keys required', rationale: 'INC-1 root cause', origin: { incidents: ['INC-1'] } }] }] },
    enriched_failure_modes: { newly_discovered: [{ id: 'F_NEW_1', status: 'newly_discovered', source: 'INC-1', scenario: 'Timeout after success', origin: { incidents: ['INC-1'] } }] },
    anti_patterns: [{ id: 'AP-001', name: 'Retry Without Idempotency', linked_incidents: ['INC-1'], prevention: { must_exclude: ['Blind retry on timeout'] } }],
  };

  it('adds constraints, failure modes and exclusions, keeping comments and every other line; a second merge changes nothing', () => {
    const once = mergeManifold(text, report);
    expect(once.added.map((a) => a.key)).toEqual(['T_INC1_1', 'F_NEW_1', 'AP-001']);
    for (const line of text.split('\n')) expect(once.text.split('\n')).toContain(line);
    const value = parse(once.text);
    expect(value.constraints[1]).toEqual({ id: 'T_INC1_1', type: 'invariant', statement: 'Keys required', rationale: 'INC-1 root cause', origin: { incidents: ['INC-1'] }, _source: 'failure_analysis' });
    expect(value.failure_modes[0]).toMatchObject({ id: 'F_NEW_1', source: 'INC-1', _source: 'failure_analysis' });
    expect(value.failure_modes[0].status).toBeUndefined();
    expect(value.solution_space.exclusions[0]).toEqual({ anti_pattern: 'AP-001', name: 'Retry Without Idempotency', exclude: ['Blind retry on timeout'], origin: { incidents: ['INC-1'] }, _source: 'failure_analysis' });
    expect(schemaErrors('manifold', value)).toEqual([]);
    const twice = mergeManifold(once.text, report);
    expect(twice.added).toEqual([]);
    expect(twice.text).toBe(once.text);
    expect(twice.unchanged).toHaveLength(3);
  });

  it('refuses an id that is there with other content, changing nothing', () => {
    const clashing = text.replace('constraints:\n', 'constraints:\n  - id: T_INC1_1\n    statement: Something else\n');
    const result = mergeManifold(clashing, report);
    expect(result.clashes).toHaveLength(1);
    expect(result.clashes[0]!.path).toEqual(['constraints', 0]);
    expect(result.clashes[0]!.item.from).toBe('derived_constraints.from_incidents[0].generated_constraints[0]');
    expect(result.text).toBe(clashing);
  });
});

describe('context words', () => {
  it('keeps a name written in mixed case whole, and splits identifiers into their words too', () => {
    const words = (text: string) => tokens(text).map((t) => t.word);
    // Split letter by letter, DDoS was d / do / s: nothing left, and a DDoS postmortem never matched "ddos".
    expect(words('DDoS')).toEqual(['ddos']);
    expect(words('MySQL outage')).toEqual(expect.arrayContaining(['mysql', 'sql', 'outage']));
    expect(words('CoreDNS')).toEqual(expect.arrayContaining(['coredns', 'core', 'dns']));
    expect(words('paymentService')).toEqual(expect.arrayContaining(['paymentservice', 'payment', 'service']));
  });
});
