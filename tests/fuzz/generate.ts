import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** mulberry32: a small seeded PRNG, so every fuzz run is reproducible from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const int = (r: Random, n: number) => Math.floor(r() * n);
const pick = <T>(r: Random, list: readonly T[]): T => list[int(r, list.length)]!;

/** Values and tokens that have broken YAML readers, validators and templates before. */
const WEIRD_SCALARS = [
  '+0x10', '-0o17', '0b101', '+.5', '.inf', '1e400', '-1', '0', '~', 'null', 'true', 'yes', '[]', '{}', '""',
  '2025-13-45T99:99:99', '2024-02-30', '"{constructor}"', '"{__proto__}"', '*a', '&a x', '!!js/function "f()"', '!!binary aGk=',
  '"../../etc/passwd"', '/etc/passwd', '"\\u0000"', '"\\ud800"', '? complex', '<<: *a', '|\n  block', '"unterminated', '[a, b', '{a: 1',
  'AP-999', 'approved', 'retired', '"(a+)+$"', '"\\\\s+$"', '"gateway.charge($P)"', "'it''s'", '@at', '`tick`', '%TAG', '- item',
];
const TOKENS = [': ', ' #', '---', '...', '- ', '[', ']', '{', '}', ',', '"', "'", '&x ', '*x', '!', '|', '>', '\t', '\r', '\0', '\uFEFF', '\u2028', '%YAML 1.1\n', '? ', '<<: '];

/** A text mutation: the input stays mostly intact, so the deeper code paths are reached. */
export function mutateText(r: Random, text: string): string {
  const at = int(r, text.length + 1);
  const lines = text.split('\n');
  switch (int(r, 11)) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1 + int(r, 40));
    case 1:
      return text.slice(0, at) + pick(r, TOKENS) + text.slice(at);
    case 2: {
      const i = int(r, lines.length);
      lines.splice(i, 0, lines[i] ?? '');
      return lines.join('\n');
    }
    case 3: {
      // Replace a scalar value after "key: " with a weird one.
      const candidates = lines.map((l, i) => [l, i] as const).filter(([l]) => /:\s+\S/.test(l));
      if (candidates.length === 0) return text + pick(r, WEIRD_SCALARS);
      const [line, i] = pick(r, candidates);
      lines[i] = line.replace(/(:\s+).*$/, `$1${pick(r, WEIRD_SCALARS)}`);
      return lines.join('\n');
    }
    case 4:
      return pick(r, ['\uFEFF', '']) + text.replace(/\n/g, pick(r, ['\r\n', '\r', '\n\n', '\n']));
    case 5:
      return text.slice(0, at);
    case 6:
      return text.slice(0, at) + '['.repeat(1 + int(r, 6000)) + text.slice(at);
    case 7:
      return text.slice(0, at) + 'a'.repeat(int(r, 100_000)) + text.slice(at);
    case 8: {
      const i = int(r, lines.length);
      const j = int(r, lines.length);
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return lines.join('\n');
    }
    case 9:
      return lines.map((l) => (r() < 0.2 ? `\t${l}` : l)).join('\n');
    default:
      return mutateText(r, mutateText(r, text));
  }
}

const WEIRD_JSON: unknown[] = [null, 1e20, -1, 0, '', true, [], {}, [null], { a: null }, 'x'.repeat(20_000), '2025-13-45T99:99:99', NaN];

/** A structural mutation of JSON: one node somewhere replaced by a value of the wrong shape. */
export function mutateJson(r: Random, text: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return mutateText(r, text);
  }
  const nodes: Array<{ parent: Record<string, unknown> | unknown[]; key: string | number }> = [];
  const visit = (node: unknown) => {
    if (node === null || typeof node !== 'object') return;
    for (const [key, child] of Object.entries(node)) {
      nodes.push({ parent: node as Record<string, unknown>, key: Array.isArray(node) ? Number(key) : key });
      visit(child);
    }
  };
  visit(value);
  if (nodes.length === 0) return JSON.stringify(pick(r, WEIRD_JSON));
  const { parent, key } = pick(r, nodes);
  (parent as Record<string | number, unknown>)[key] = pick(r, WEIRD_JSON);
  const out = JSON.stringify(value);
  // Deep nesting cannot be built by JSON.stringify without recursion trouble: spliced in as text.
  return r() < 0.1 ? out.replace(/null|\[\]/, `${'['.repeat(50_000)}${']'.repeat(50_000)}`) : out;
}

/** The seed of each record kind: its path in .failures/ and a valid text, from the fixtures. */
export function recordSeeds(fixtures: string): Array<{ kind: string; path: string; text: string }> {
  const store = join(fixtures, 'payments', '.failures');
  const read = (path: string) => readFileSync(join(store, path), 'utf8');
  return [
    { kind: 'config', path: 'config.yaml', text: read('config.yaml') },
    { kind: 'feedback', path: 'feedback/2025-01/fb-20250108-0000000a.yaml', text: read('feedback/2025-01/fb-20250108-0000000a.yaml') },
    { kind: 'anti-pattern', path: 'anti-patterns/AP-001.yaml', text: read('anti-patterns/AP-001.yaml') },
    { kind: 'constraint', path: 'constraints/T_INC089_1.yaml', text: read('constraints/T_INC089_1.yaml') },
    { kind: 'incident', path: 'incidents/INC-2024-089.yaml', text: read('incidents/INC-2024-089.yaml') },
    { kind: 'postmortem', path: 'postmortems/PM-2024-089.yaml', text: read('postmortems/PM-2024-089.yaml') },
    { kind: 'ticket-pattern', path: 'tickets/TP-001.yaml', text: read('tickets/TP-001.yaml') },
    { kind: 'failure-mode', path: 'failure-modes/F_NEW_1.yaml', text: read('failure-modes/F_NEW_1.yaml') },
    {
      kind: 'baseline',
      path: 'baseline.yaml',
      text: 'version: 1\nentries:\n  - rule: failures/ap-001\n    file: src/pay.ts\n    fingerprint: 0123456789abcdef\n    line: 5\n    code: gateway.charge(payment)\n',
    },
    {
      kind: 'ticket',
      path: 'tickets/imported/T-1.yaml',
      text: 'id: T-1\ntitle: Charged twice\nstatus: closed\ncreated: "2025-01-09"\n',
    },
  ];
}

/** The seed of each import format, from the fixtures (and the seed's JSONL log line). */
export function importSeeds(fixtures: string): Array<{ format: string; ext: string; text: string; json: boolean }> {
  const read = (name: string) => readFileSync(join(fixtures, 'reports', name), 'utf8');
  return [
    {
      format: 'jsonl',
      ext: 'jsonl',
      json: false,
      text: '{"timestamp": "2025-01-08T10:30:00", "type": "mistake", "context": "fixture before import", "feedback": "imports first", "category": "Testing", "severity": "high"}\n{"timestamp": "2025-01-09T10:30:00", "type": "repetition", "context": "again", "feedback": "imports first", "category": "Testing", "severity": "low", "tags": ["pytest"]}\n',
    },
    { format: 'junit', ext: 'xml', json: false, text: read('junit.xml') },
    { format: 'eslint', ext: 'json', json: true, text: read('eslint.json') },
    { format: 'jest', ext: 'json', json: true, text: read('jest.json') },
    { format: 'vitest', ext: 'json', json: true, text: read('vitest.json') },
  ];
}
