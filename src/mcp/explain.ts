import { relative, sep } from 'node:path';
import { FailuresError } from '../errors.js';
import { loadStore, recordsOf } from '../store/read.js';

/** AP-001, ap-001 and failures/ap-001 all name AP-001. */
function normaliseId(id: string): string {
  return id.replace(/^failures\//i, '').toUpperCase();
}

/** An anti-pattern with everything that explains it: its incidents, their postmortems, detectors and examples. */
export function explainAntiPattern(root: string, id: string): Record<string, unknown> {
  const store = loadStore(root, { kinds: ['config', 'anti-pattern', 'incident', 'postmortem', 'constraint'] });
  const antiPatterns = recordsOf(store, 'anti-pattern');
  const wanted = normaliseId(id);
  const record = antiPatterns.find((r) => r.id.toUpperCase() === wanted);
  if (!record) {
    throw new FailuresError(`no anti-pattern '${id}' in .failures/anti-patterns/`, {
      hint: `known: ${antiPatterns.map((r) => r.id).join(', ') || 'none'}`,
    });
  }
  const ap = record.data;
  const incidentIds = new Set(ap.origin?.incidents ?? []);
  const incidents = recordsOf(store, 'incident').filter((r) => incidentIds.has(r.id)).map((r) => r.data);
  const postmortems = recordsOf(store, 'postmortem')
    .filter((r) => incidentIds.has(r.data.incident))
    .map((r) => r.data);
  const constraints = recordsOf(store, 'constraint')
    .filter((r) => JSON.stringify(r.data).includes(ap.id))
    .map((r) => r.data);
  return {
    id: ap.id,
    name: ap.name,
    status: ap.status,
    enforced: ap.status === 'approved' && (ap.enforce?.detect?.length ?? 0) > 0,
    severity: ap.severity ?? null,
    category: ap.category ?? null,
    description: ap.description,
    file: relative(root, record.file).split(sep).join('/'),
    pattern_signature: ap.pattern_signature ?? [],
    prevention: ap.prevention ?? {},
    enforce: ap.enforce ?? null,
    examples: ap.examples ?? {},
    incidents,
    postmortems,
    constraints,
  };
}
