/**
 * Human, stable, collision-free ids for imported records, and what a re-import must not create again.
 * Pure: the caller passes what already exists.
 */

export interface KnownImport {
  id: string;
  /** The imported file as recorded (relative to the project when inside it). */
  file?: string;
  part?: number;
  fingerprint?: string;
}

export interface IdRegistry {
  /** Every id in use by the kind (records on disk and ids given out in this run). */
  taken: Set<string>;
  byFingerprint: Map<string, KnownImport>;
  bySource: Map<string, KnownImport>;
}

export function registry(existing: Iterable<KnownImport>): IdRegistry {
  const reg: IdRegistry = { taken: new Set(), byFingerprint: new Map(), bySource: new Map() };
  for (const known of existing) remember(reg, known);
  return reg;
}

export function remember(reg: IdRegistry, known: KnownImport): void {
  reg.taken.add(known.id.toLowerCase());
  if (known.fingerprint) reg.byFingerprint.set(known.fingerprint, known);
  if (known.file) reg.bySource.set(sourceKey(known.file, known.part), known);
}

export const sourceKey = (file: string, part?: number) => `${file}#${part ?? 1}`;

/** Why this import must be skipped (already imported, or changed since), or undefined to import it. */
export function alreadyImported(reg: IdRegistry, fingerprint: string, file: string, part?: number): { kind: 'imported' | 'changed'; reason: string } | undefined {
  const same = reg.byFingerprint.get(fingerprint);
  if (same) return { kind: 'imported', reason: `already imported as ${same.id}` };
  const earlier = reg.bySource.get(sourceKey(file, part));
  if (earlier) {
    return {
      kind: 'changed',
      reason: `changed since it was imported as ${earlier.id}; records are never overwritten (edit ${earlier.id} by hand, or delete it and import again)`,
    };
  }
  return undefined;
}

/** lowercase-kebab words of a title, at most `words` words and 48 characters. */
export function slug(title: string, words = 6): string {
  const stop = new Set(['a', 'an', 'the', 'of', 'on', 'in', 'for', 'to', 'and', 'with', 'at', 'by', 'from', 'due', 'is', 'was', 'were']);
  const parts = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((w) => w && !stop.has(w))
    .slice(0, words);
  let out = parts.join('-');
  if (out.length > 48) out = out.slice(0, 48).replace(/-[^-]*$/, '');
  return out;
}

/** A valid id: starts with a letter, then letters, digits, _ . - only. */
function clean(id: string): string {
  const out = id.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/-{2,}/g, '-').replace(/^[^A-Za-z]+/, '').replace(/[-.]+$/, '');
  return out || 'imported';
}

/**
 * The incident and postmortem ids for an imported document: its own id when it states one
 * (PM2019-008 → INC-2019-008 and PM2019-008; INC-2024-089 → INC-2024-089 and PM-2024-089), else
 * INC-<date>-<title words>. A suffix (-2, -3…) keeps both free of every id already taken.
 */
export function importIds(
  input: { ownId?: string; date?: string; title: string; part?: number },
  incidents: IdRegistry,
  postmortems: IdRegistry,
): { incident: string; postmortem: string } {
  let incident: string;
  let postmortem: string;
  const own = input.ownId ? clean(input.ownId) : undefined;
  if (own && /^INC/i.test(own)) {
    incident = own;
    postmortem = own.replace(/^INC[-_]?/i, 'PM-');
  } else if (own && /^PM/i.test(own)) {
    incident = own.replace(/^PM[-_]?/i, 'INC-');
    postmortem = own;
  } else if (own) {
    incident = own;
    postmortem = `PM-${own}`;
  } else {
    const words = slug(input.title) || 'untitled';
    const stem = input.date ? `${input.date.slice(0, 10)}-${words}` : words;
    incident = clean(`INC-${stem}`);
    postmortem = clean(`PM-${stem}`);
  }
  if (own && input.part) {
    incident = `${incident}-${input.part}`;
    postmortem = `${postmortem}-${input.part}`;
  }
  const free = (suffix: string) => !incidents.taken.has(`${incident}${suffix}`.toLowerCase()) && !postmortems.taken.has(`${postmortem}${suffix}`.toLowerCase());
  let n = 1;
  let suffix = '';
  while (!free(suffix)) suffix = `-${++n}`;
  return { incident: `${incident}${suffix}`, postmortem: `${postmortem}${suffix}` };
}
