import { describe, expect, it } from 'vitest';
import { analyze, confidenceOf, DEFAULT_THRESHOLD, priorityOf } from '../src/analyze/index.js';
import { groupTemplates, isMachineMessage, logTokens } from '../src/analyze/templates.js';
import { textFeatures } from '../src/analyze/text.js';
import { clusterVectors, cosine, inverseFrequencies, refineClusters, vectorise, type Vector } from '../src/analyze/cluster.js';
import { findSimilar, scoreAgainst } from '../src/analyze/similar.js';
import { suggestLinks } from '../src/analyze/suggest-links.js';
import { learnAssociations } from '../src/analyze/learn.js';
import { nearMisses, nearness } from '../src/analyze/uncertain.js';
import { blendScore, meanEmbedding, mergeByEmbedding } from '../src/analyze/embeddings.js';
import { nextIds } from '../src/suggest/draft.js';
import type { AntiPatternRecord, FeedbackRecord } from '../src/types/records.js';

const SEVERITIES = ['low', 'medium', 'high'];
let counter = 0;
function entry(context: string, extra: Partial<FeedbackRecord> = {}): FeedbackRecord {
  counter++;
  return { id: `fb-${String(counter).padStart(4, '0')}`, timestamp: `2025-01-${String(1 + (counter % 28)).padStart(2, '0')}T10:00:00Z`, type: 'mistake', context, category: 'Testing', severity: 'medium', session: `s-${counter % 5}`, ...extra };
}

describe('normalisation', () => {
  const groupsOf = (messages: string[]) =>
    groupTemplates(messages.map((m, index) => ({ index, tokens: logTokens(m) })))
      .map((g) => g.members)
      .sort((a, b) => a[0]! - b[0]!);

  it('masks values inside tokens, keeping the constant part and punctuation', () => {
    expect(logTokens("TypeError: Cannot read properties of undefined (reading 'map') at src/app/list.ts:41:7")).toEqual([
      'TypeError:', 'Cannot', 'read', 'properties', 'of', 'undefined', '(reading', "'<STR>')", 'at', '<PATH>',
    ]);
    expect(logTokens('connect ECONNREFUSED 10.0.3.7:5432 after 3000ms at 2025-01-08T10:30:00Z')).toEqual(['connect', 'ECONNREFUSED', '<IP>', 'after', '<NUM>', 'at', '<TS>']);
    expect(logTokens('authentication failure; uid=0 rhost=218.188.2.4 blk_-1608999687919862906 id=0x1f')).toEqual(['authentication', 'failure;', 'uid=<NUM>', 'rhost=<IP>', 'blk_<NUM>', 'id=<HEX>']);
    expect(logTokens('connection from 24.54.76.216 (host8.topspot.net) at Fri Jun 17 07:07:00 2005')).toEqual(['connection', 'from', '<IP>', '(<HOST>)', 'at', '<TS>']);
    expect(logTokens('job b9000564-fe1a-409b-b8cc-1e88b294cd1d sent 1190 bytes (1.16 KB) via SOCKS5')).toEqual(['job', '<UUID>', 'sent', '<NUM>', '(<NUM>)', 'via', 'SOCKS5']);
    // A quoted phrase keeps its words: GET and POST are different requests.
    expect(logTokens('"GET /v2/servers/detail HTTP/1.1" status: 200')).toEqual(['"GET', '<PATH>', '<PATH>"', 'status:', '<NUM>']);
    expect(logTokens('org.apache.hadoop.mapred.TaskTracker started')).toEqual(['org.apache.hadoop.mapred.TaskTracker', 'started']);
  });

  it('a position with many values is a variable; constant words never merge; short messages group exactly', () => {
    const users = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
    const messages = [
      ...users.map((u) => `Invalid user ${u} from 10.0.0.1`),
      'VM Started (Lifecycle Event)',
      'VM Paused (Lifecycle Event)',
      'VM Started (Lifecycle Event)',
      'VM Paused (Lifecycle Event)',
      'connection refused',
      'connection reset',
      "KeyError: 'user_id'",
      "KeyError: 'order_total'",
    ];
    expect(groupsOf(messages)).toEqual([[0, 1, 2, 3, 4, 5], [6, 8], [7, 9], [10], [11], [12, 13]]);
  });

  it('a few words repeated many times are constants, not a variable', () => {
    const messages = [...Array.from({ length: 20 }, (_, i) => `"GET /v2/x/${i} HTTP/1.1" status: 200`), ...Array.from({ length: 5 }, (_, i) => `"POST /v2/x/${i} HTTP/1.1" status: 201`), ...Array.from({ length: 5 }, (_, i) => `"DELETE /v2/x/${i} HTTP/1.1" status: 204`)];
    expect(groupsOf(messages).map((g) => g.length)).toEqual([20, 5, 5]);
  });

  it('values of different lengths with the same constant words are one template', () => {
    const messages = ['p.example.com:5070 close, 0 bytes sent, 10 bytes received', 'p.example.com:5070 close, 1190 bytes (1.16 KB) sent, 1671 bytes (1.63 KB) received', 'p.example.com:5070 open through proxy'];
    expect(groupsOf(messages)).toEqual([[0, 1], [2]]);
  });

  it('routes by source and shape: imported reports and entries without a correction are machine messages', () => {
    expect(isMachineMessage({ feedback: 'use the public API' })).toBe(false);
    expect(isMachineMessage({ feedback: 'use the public API', source: { format: 'cli' } })).toBe(false);
    expect(isMachineMessage({})).toBe(true);
    expect(isMachineMessage({ feedback: '  ' })).toBe(true);
    expect(isMachineMessage({ feedback: 'x', source: { format: 'junit' } })).toBe(true);
    expect(isMachineMessage({ feedback: 'x', source: { format: 'eslint' } })).toBe(true);
  });

  it('finds paraphrases closer than unrelated corrections', () => {
    const texts = [
      'Password stored in plain text | Hash passwords with bcrypt',
      'credentials kept in cleartext in the accounts store | use a salted hash',
      'N+1 query loading orders for each customer | use eager loading',
    ];
    const features = texts.map(textFeatures);
    const idf = inverseFrequencies(features);
    const [a, b, c] = features.map((f) => vectorise(f, idf, 3));
    expect(cosine(a!, b!)).toBeGreaterThan(0.3);
    expect(cosine(a!, b!)).toBeGreaterThan(cosine(a!, c!) + 0.2);
  });
});

describe('analyze', () => {
  const fixture = () => [
    entry('pytest fixture placed before import pytest', { feedback: 'All imports must come before fixtures', severity: 'high', session: 'a' }),
    entry('@pytest.fixture at line 1 but pytest not imported', { feedback: 'import pytest first', severity: 'high', session: 'b' }),
    entry('fixture defined above the imports again', { feedback: 'imports go at the top of the file, before fixtures', session: 'c' }),
    entry('test calls service._compute directly', { feedback: 'use the public API', session: 'a' }),
    entry('snapshot updated without review', { feedback: 'review snapshot diffs', session: 'd' }),
    entry('password stored in plain text', { category: 'Security', feedback: 'hash it', session: 'e' }),
  ];

  it('quantifies a recurring pattern: occurrences, sessions, frequency, severity, priority, confidence', () => {
    const analysis = analyze(fixture(), [], { minFrequency: 3, severities: SEVERITIES });
    expect(analysis.entries).toBe(6);
    expect(analysis.sessions).toBe(5);
    expect(analysis.patterns).toHaveLength(1);
    expect(analysis.patterns[0]).toMatchObject({ category: 'Testing', occurrences: 3, sessions: 3, frequency: 0.6, severity: 'high', priority: 'HIGH', kind: 'text', status: 'new' });
    expect(analysis.patterns[0]!.examples).toHaveLength(3);
  });

  it('with min-frequency 1 puts every entry in exactly one pattern, within its category', () => {
    const entries = fixture();
    const analysis = analyze(entries, [], { minFrequency: 1, severities: SEVERITIES });
    const all = analysis.patterns.flatMap((p) => p.entries).sort();
    expect(all).toEqual(entries.map((e) => e.id).sort());
    for (const p of analysis.patterns) expect(new Set(p.entries.map((id) => entries.find((e) => e.id === id)!.category))).toEqual(new Set([p.category]));
  });

  it('is deterministic, whatever the order of the input', () => {
    const entries = fixture();
    const once = analyze(entries, [], { minFrequency: 1, severities: SEVERITIES });
    const again = analyze([...entries].reverse(), [], { minFrequency: 1, severities: SEVERITIES });
    expect(JSON.stringify(again)).toBe(JSON.stringify(once));
  });

  it('groups explicit links (--same-as, --anti-pattern) however different the words', () => {
    const a = entry('totally unrelated words here', { session: 'x' });
    const b = entry('something else entirely', { same_as: a.id, session: 'y' });
    const c = entry('a third phrasing', { anti_pattern: 'AP-009', session: 'z' });
    const d = entry('and a fourth', { anti_pattern: 'AP-009', session: 'w' });
    const analysis = analyze([a, b, c, d], [], { minFrequency: 2, severities: SEVERITIES });
    expect(analysis.patterns.map((p) => p.entries.sort())).toEqual(expect.arrayContaining([[a.id, b.id].sort(), [c.id, d.id].sort()]));
  });

  it('honours the window and the category', () => {
    const entries = fixture();
    expect(analyze(entries, [], { minFrequency: 1, severities: SEVERITIES, category: 'Security' }).entries).toBe(1);
    expect(analyze(entries, [], { minFrequency: 1, severities: SEVERITIES, since: '2099-01-01' }).entries).toBe(0);
  });

  it('knows the anti-patterns on record: recurrence after approval, quiet after rejection unless grown, evidence for proposals', () => {
    const entries = fixture().slice(0, 3);
    const ids = entries.map((e) => e.id);
    const base = { name: 'Fixture before import', description: 'fixtures defined before imports', category: 'Testing', origin: { feedback: [ids[0]!] } };
    const approved: AntiPatternRecord = { ...base, id: 'AP-001', status: 'approved', review: { approved_at: entries[1]!.timestamp } };
    const recurring = analyze(entries, [approved], { minFrequency: 3, severities: SEVERITIES }).patterns[0]!;
    expect(recurring).toMatchObject({ anti_pattern: 'AP-001', status: 'recurring', since_decision: 1 });
    const rejected: AntiPatternRecord = { ...base, id: 'AP-001', status: 'rejected', review: { rejected_at: entries[0]!.timestamp } };
    expect(analyze(entries, [rejected], { minFrequency: 3, severities: SEVERITIES }).patterns[0]).toMatchObject({ status: 'known', since_decision: 2 });
    expect(analyze(entries, [rejected], { minFrequency: 2, severities: SEVERITIES }).patterns[0]).toMatchObject({ status: 'new', since_decision: 2 });
    const proposed: AntiPatternRecord = { ...base, id: 'AP-001', status: 'proposed' };
    expect(analyze(entries, [proposed], { minFrequency: 3, severities: SEVERITIES }).patterns[0]).toMatchObject({ status: 'known', anti_pattern: 'AP-001' });
  });

  it('a recurrence logged with --anti-pattern joins the approved evidence (origin.feedback), however its words differ (QA pass 7: one recurrence formed its own group below min_frequency and "0 recurring after approval")', () => {
    const evidence = ['a.test.ts > test_01: failed', 'b.test.ts > test_02: failed', 'c.test.ts > test_03: failed'].map((c) => entry(c, { timestamp: '2025-01-02T10:00:00Z' }));
    const approved: AntiPatternRecord = { id: 'AP-003', name: 'Tests fail', description: 'generic failures', status: 'approved', category: 'Testing', origin: { feedback: evidence.map((e) => e.id) }, review: { approved_at: '2025-01-03T00:00:00Z' } };
    const again = entry('the login suite broke once more after the refactor', { timestamp: '2025-01-10T10:00:00Z', anti_pattern: 'AP-003' });
    const patterns = analyze([...evidence, again], [approved], { minFrequency: 3, severities: SEVERITIES }).patterns;
    expect(patterns).toHaveLength(1);
    expect(patterns[0]).toMatchObject({ anti_pattern: 'AP-003', status: 'recurring', since_decision: 1, occurrences: 4 });
    // A rejected anti-pattern's origin links nothing: its group is judged by its words again.
    const rejected = { ...approved, status: 'rejected' as const, review: { rejected_at: '2025-01-03T00:00:00Z' } };
    expect(analyze([...evidence, again], [rejected], { minFrequency: 3, severities: SEVERITIES }).patterns.every((p) => !p.entries.includes(again.id) || p.occurrences < 4)).toBe(true);
  });

  it('states its priority and confidence rules', () => {
    expect(priorityOf('high', 0.1, SEVERITIES)).toBe('HIGH');
    expect(priorityOf('low', 0.6, SEVERITIES)).toBe('HIGH');
    expect(priorityOf('medium', 0.1, SEVERITIES)).toBe('MEDIUM');
    expect(priorityOf('low', 0.3, SEVERITIES)).toBe('MEDIUM');
    expect(priorityOf('low', 0.1, SEVERITIES)).toBe('LOW');
    expect(confidenceOf(5, 3, 0.7, 3)).toBe('HIGH');
    expect(confidenceOf(5, 1, 0.7, 3)).toBe('MEDIUM');
    expect(confidenceOf(5, 3, 0.3, 3)).toBe('MEDIUM');
    expect(confidenceOf(2, 2, 0.9, 3)).toBe('LOW');
  });

  it('groups CI failures by template across tests', () => {
    const ci = (test: string, message: string) => entry(`${test}: ${message}`, { source: { format: 'junit', test } });
    const entries = [
      ci('a > one', "NameError: name 'pytest' is not defined"),
      ci('b > two', "NameError: name 'fixture' is not defined"),
      ci('c > three', "NameError: name 'mode' is not defined"),
      ci('d > four', 'ConnectionRefusedError: [Errno 111] Connection refused'),
    ];
    const analysis = analyze(entries, [], { minFrequency: 3, severities: SEVERITIES });
    expect(analysis.patterns).toHaveLength(1);
    expect(analysis.patterns[0]).toMatchObject({ kind: 'template', occurrences: 3, label: "NameError: name '<STR>' is not defined" });
  });
});

describe('similar and suggestions', () => {
  it('finds the nearest entries, patterns and anti-patterns', () => {
    const entries = [entry('pytest fixture placed before import pytest'), entry('fixture above the pytest import'), entry('password in plain text', { category: 'Security' })];
    const ap: AntiPatternRecord = { id: 'AP-001', name: 'Fixture before import', status: 'approved', description: 'pytest fixtures defined before the imports' };
    const matches = findSimilar('fixture declared before importing pytest', entries, [], [ap], 3);
    expect(matches.map((m) => m.id)).toContain('AP-001');
    expect(matches.map((m) => m.id)).not.toContain(entries[2]!.id);
  });

  it('numbers new anti-patterns after the highest on record', () => {
    expect(nextIds(['AP-001', 'AP-007', 'X-1'], 2)).toEqual(['AP-008', 'AP-009']);
    expect(nextIds([], 1)).toEqual(['AP-001']);
  });
});

describe('link suggestions', () => {
  it('ranks groups, not entries: an anti-pattern with its linked entries, a pattern, a same_as chain', () => {
    const a = entry('password stored in plain text', { id: 'fb-a', category: 'Security', feedback: 'hash passwords with bcrypt', anti_pattern: 'AP-001' });
    const b = entry('api key committed to the repository', { id: 'fb-b', category: 'Security', feedback: 'load secrets from the environment' });
    const c = entry('secret token hardcoded in config.ts', { id: 'fb-c', category: 'Security', feedback: 'read the token from an env var', same_as: 'fb-b' });
    const d = entry('snapshot updated without review', { id: 'fb-d', feedback: 'review snapshot diffs' });
    const ap: AntiPatternRecord = { id: 'AP-001', name: 'Plain-text passwords', status: 'approved', category: 'Security', severity: 'high', description: 'Passwords kept without hashing', origin: { feedback: ['fb-a'] } } as AntiPatternRecord;
    const suggestions = suggestLinks('hardcoded api token in the source', [a, b, c, d], [], [ap]);
    expect(suggestions[0]).toMatchObject({ kind: 'entry', id: 'fb-b', link: { flag: '--same-as', value: 'fb-c' } });
    expect(suggestions.map((s) => s.id)).not.toContain('fb-c');
    const hashing = suggestLinks('passwords saved unhashed in the users table', [a, b, c, d], [], [ap]);
    expect(hashing[0]).toMatchObject({ kind: 'anti-pattern', id: 'AP-001', link: { flag: '--anti-pattern', value: 'AP-001' } });
    expect(suggestLinks('completely unrelated words zebra', [a, b, c, d], [], [ap])).toEqual([]);
  });
});

describe('learning from decisions', () => {
  it('terms that went together in a confirmed group bring each other; rejected groups teach against', () => {
    const a = entry('credentials written to the log file', { id: 'fb-l1', feedback: 'redact secrets before logging' });
    const b = entry('printed the bearer header in debug output', { id: 'fb-l2', feedback: 'mask authorization headers', same_as: 'fb-l1' });
    const learned = learnAssociations([a, b], []);
    expect(learned.terms['w:credenti']?.map(([u]) => u)).toContain('w:bearer');
    expect(learnAssociations([a, b], []).terms).toEqual(learned.terms);
    const ap = { id: 'AP-009', name: 'x', status: 'rejected', category: 'Testing', severity: 'low', description: 'x', origin: { feedback: ['fb-l1', 'fb-l2'] } } as AntiPatternRecord;
    const unlinked = { ...b, same_as: undefined };
    expect(learnAssociations([a, unlinked], [ap]).terms).toEqual({});
  });

  it('paraphrases of a confirmed mistake group by themselves, where without the lesson they do not', () => {
    const confirmed = [
      entry('credentials written to the log file', { id: 'fb-m1', category: 'Security', feedback: 'redact secrets before logging' }),
      entry('printed the bearer header in debug output', { id: 'fb-m2', category: 'Security', feedback: 'mask authorization headers', same_as: 'fb-m1' }),
    ];
    const fresh = [
      entry('credentials ended up in the log file', { id: 'fb-n1', feedback: 'redact them' }),
      entry('bearer header visible in debug output', { id: 'fb-n2', feedback: 'mask it' }),
      entry('snapshot updated without review', { id: 'fb-n3', feedback: 'review snapshot diffs' }),
    ];
    const grouped = (learned?: Parameters<typeof analyze>[2]['learned']) =>
      analyze([...confirmed, ...fresh], [], { minFrequency: 2, severities: SEVERITIES, ...(learned ? { learned } : {}) })
        .patterns.filter((p) => p.category === 'Testing')
        .map((p) => p.entries);
    expect(grouped({ version: 1, terms: {} })).toEqual([]);
    expect(grouped()).toEqual([['fb-n1', 'fb-n2']]);
  });

});

describe('grouping corrections without chaining', () => {
  const unit = (...keys: string[]): Vector => new Map(keys.map((k) => [k, 1 / Math.sqrt(keys.length)]));

  it('a document that reaches a group\'s centroid but resembles none of its members enough stays out', () => {
    // Members share t and s (pairwise 0.67); d shares only t with each (0.29), yet is 0.33 from their centroid.
    const vectors = [unit('t', 's', 'u1'), unit('t', 's', 'u2'), unit('t', 's', 'u3'), unit('t', 'x', 'y', 'z')];
    const members = (clusters: Array<{ members: number[] }>) => clusters.map((c) => c.members).sort((a, b) => a[0]! - b[0]!);
    expect(members(clusterVectors(vectors, { threshold: 0.3 }))).toEqual([[0, 1, 2, 3]]);
    expect(members(clusterVectors(vectors, { threshold: 0.3, cohesionShare: 0.5 }))).toEqual([[0, 1, 2], [3]]);
    // Reassignment judges the same way: d leaves the group it was put in.
    const one = [{ members: [0, 1, 2, 3], sum: clusterVectors(vectors, { threshold: 0.3 })[0]!.sum }];
    expect(members(refineClusters(vectors, one, { threshold: 0.3 }))).toEqual([[0, 1, 2, 3]]);
    expect(members(refineClusters(vectors, one, { threshold: 0.3, cohesionShare: 0.5 }))).toEqual([[0, 1, 2], [3]]);
  });

  it('seeds keep their members, and the others join them or start their own', () => {
    const vectors = [unit('t', 'p', 'a1'), unit('t', 'q', 'b1'), unit('t', 'p', 'a2'), unit('t', 'q', 'b2')];
    // In order, b1 joins a1 on the topic they share (0.33) before b2 arrives, and b2 follows.
    expect(clusterVectors(vectors, { threshold: 0.3 }).map((c) => c.members)).toEqual([[0, 1, 2, 3]]);
    const strong = clusterVectors(vectors, { threshold: 0.6 });
    expect(strong.map((c) => c.members)).toEqual([[0, 2], [1, 3]]);
    expect(clusterVectors(vectors, { threshold: 0.3, seeds: strong }).map((c) => c.members)).toEqual([[0, 2], [1, 3]]);
    expect(clusterVectors([...vectors, unit('t', 'p', 'a3')], { threshold: 0.3, seeds: strong }).map((c) => c.members)).toEqual([[0, 2, 4], [1, 3]]);
  });

  it('two mistakes on one subject stay two patterns, whatever the order of their entries', () => {
    const texts = [
      ['regex literal with several consecutive spaces', 'write the repeated spaces in the regular expression as a quantifier like {3}'],
      ['control characters such as \\x1f inside a regular expression literal', 'control character escapes in a regex are almost always a typo'],
      ['two spaces in a row in a regex pattern are hard to count', 'use a quantifier for consecutive spaces in the regular expression'],
      ['the regex matches ASCII control characters', 'remove the control character from the regular expression'],
    ];
    for (const order of [[0, 1, 2, 3], [1, 0, 3, 2], [0, 2, 1, 3]]) {
      const records = order.map((k, i) => entry(texts[k]![0]!, { id: `fb-r${k}`, feedback: texts[k]![1]!, timestamp: `2025-02-0${i + 1}T10:00:00Z` }));
      const groups = analyze(records, [], { minFrequency: 1, severities: SEVERITIES }).patterns.map((p) => [...p.entries].sort());
      expect(groups.sort()).toEqual([['fb-r0', 'fb-r2'], ['fb-r1', 'fb-r3']]);
    }
  });
});

describe('uncertainty', () => {
  it('lists the groups a pattern almost merged with, and the entry to link with --same-as', () => {
    const records = [
      entry('password stored in plain text', { id: 'fb-u1', category: 'Security', feedback: 'hash passwords with bcrypt' }),
      entry('plaintext password in users table', { id: 'fb-u2', category: 'Security', feedback: 'use bcrypt hashing' }),
      entry('password saved unhashed', { id: 'fb-u3', category: 'Security', feedback: 'hash it with argon2' }),
      entry('credentials kept in cleartext config', { id: 'fb-u4', category: 'Security', feedback: 'move secrets to the vault' }),
      entry('snapshot updated without review', { id: 'fb-u5', category: 'Security', feedback: 'review snapshot diffs' }),
    ];
    const analysis = analyze(records, [], { minFrequency: 2, severities: SEVERITIES });
    expect(analysis.patterns.map((p) => p.entries)).toEqual([['fb-u1', 'fb-u2', 'fb-u3']]);
    expect(analysis.uncertain).toEqual([{ pattern: analysis.patterns[0]!.id, other: { kind: 'entry', id: 'fb-u4' }, score: expect.any(Number), same_as: 'fb-u3' }]);
    expect(analysis.uncertain[0]!.score).toBeLessThan(DEFAULT_THRESHOLD);
  });

  it('ranks a pair that fell just short of merging before tight groups that only share a subject', () => {
    const unit = (...keys: string[]): Vector => new Map(keys.map((k) => [k, 1 / Math.sqrt(keys.length)]));
    const group = (id: string | undefined, ...vectors: Vector[]) => {
      const sum = new Map<string, number>();
      for (const v of vectors) for (const [k, x] of v) sum.set(k, (sum.get(k) ?? 0) + x);
      const norm = Math.sqrt([...sum.values()].reduce((n, x) => n + x * x, 0));
      return { ...(id ? { id } : {}), latest: `${id ?? 'fb'}-last`, centre: new Map([...sum].map(([k, x]) => [k, x / norm])), sum, units: vectors.length, selfSum: vectors.length };
    };
    // Two tight groups on one subject: centres 0.22 apart (at the threshold), but their members are 0.2 from each other's and 0.8 from their own.
    const tightA = group('P-a', unit('t', 'p', 'q', 'r', 'a1'), unit('t', 'p', 'q', 'r', 'a2'));
    const tightB = group('P-b', unit('t', 'u', 'v', 'w', 'b1'), unit('t', 'u', 'v', 'w', 'b2'));
    // A pattern of one entry and another entry whose similarity (0.2) is just under the threshold.
    const loose = group('P-c', unit('m', 'k1', 'k2', 'k3', 'k4'));
    const entry = group(undefined, unit('m', 'x1', 'x2', 'x3', 'x4'));
    const options = { threshold: 0.22, cohesionShare: 0.5 };
    expect(nearness(tightA, tightB, cosine(tightA.centre, tightB.centre), options)).toBeCloseTo(0.2 / (0.5 * 0.8));
    const ranked = nearMisses([tightA, tightB, loose, entry], options);
    expect(ranked.map((r) => [r.miss.pattern, r.miss.other.id])).toEqual([['P-c', 'fb-last'], ['P-a', 'P-b']]);
    expect(ranked[1]!.miss.score).toBeGreaterThan(ranked[0]!.miss.score);
  });
});

describe('embeddings (pure part)', () => {
  it('merges groups whose mean embeddings are close, deterministically, and blends scores', () => {
    const centres = [[1, 0, 0], [0.99, 0.14, 0], [0, 1, 0], undefined, [0, 0.1, 0.99]].map((v) => (v ? meanEmbedding([v]) : undefined));
    const roots = mergeByEmbedding(centres, 0.9);
    expect(roots).toEqual([0, 0, 2, 3, 4]);
    expect(mergeByEmbedding(centres, 0.9)).toEqual(roots);
    expect(blendScore(0.3, undefined)).toBe(0.3);
    expect(blendScore(0.3, 0.95)).toBeCloseTo(0.9);
    expect(blendScore(0.3, 0.4)).toBe(0.3);
  });
});

describe('templates are independent of input order', () => {
  it('gives the same groups for shuffled messages', () => {
    const messages = Array.from({ length: 60 }, (_, i) => [`Invalid user u${i % 13}x from 10.0.${i}.1`, `session opened for user root by (uid=${i})`, `VM ${['Started', 'Paused'][i % 2]} (Lifecycle Event)`][i % 3]!);
    const groupsOf = (order: number[]) =>
      groupTemplates(order.map((index) => ({ index, tokens: logTokens(messages[index]!) })))
        .map((g) => g.members.join(','))
        .sort();
    const forward = messages.map((_, i) => i);
    expect(groupsOf([...forward].reverse())).toEqual(groupsOf(forward));
  });
});

describe('suggestions learn from links', () => {
  it('a paraphrase that shares words only with the other side of a confirmed link finds the group', () => {
    const a = entry('credentials written to the log file', { id: 'fb-s1', category: 'Security', feedback: 'redact secrets before logging' });
    const b = entry('printed the bearer header in debug output', { id: 'fb-s2', category: 'Security', feedback: 'mask authorization headers', same_as: 'fb-s1' });
    const other = entry('sql built by string concatenation', { id: 'fb-s3', category: 'Security', feedback: 'use bound parameters' });
    const query = 'credentials ended up in the log file';
    const learned = suggestLinks(query, [a, b, other], [], []);
    expect(learned[0]).toMatchObject({ kind: 'entry', id: 'fb-s1', link: { flag: '--same-as', value: 'fb-s2' } });
    // The lesson bridges: the other side's words now reach the first entry itself.
    const bridged = 'bearer header printed in debug output';
    const taught = learnAssociations([a, b, other], []);
    const before = scoreAgainst(bridged, [a, b, other], [], undefined, { version: 1, terms: {} }).entryScores[0]!;
    const after = scoreAgainst(bridged, [a, b, other], [], undefined, taught).entryScores[0]!;
    expect(after).toBeGreaterThan(before + 0.1);
  });
});

describe('incidents in the similarity search', () => {
  it('finds a name written in mixed case when it is typed in lower case (CoreDNS ~ "coredns"; QA pass)', async () => {
    const { historyEntries } = await import('../src/measure/similar-history.js');
    const incident = (incident_id: string, title: string) => ({ incident_id, title, date: '2020-02-03' }) as never;
    const history = historyEntries([incident('INC-1', 'Core switch failure in the data centre'), incident('INC-2', 'CoreDNS upgrade issue'), incident('INC-3', 'DNS records expired')], []);
    // (Before, "coredns" found nothing at all.)
    const matches = findSimilar('coredns', history.entries, [], [], 3).map((m) => history.relabel(m));
    expect(matches.map((m) => m.id)).toEqual(['INC-2']);
  });
});
