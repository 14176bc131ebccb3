import { alreadyImported, importIds, registry, remember, type IdRegistry, type KnownImport } from './ids.js';
import { parsePostmortem } from './postmortem/index.js';

/** One input document: its text and how to name it. */
export interface ImportInput {
  /** The path as the user should see it (the argument given, or the folder given joined with the file inside it). */
  source: string;
  /** The path recorded in `source.file` (relative to the project when inside it): what makes a re-import recognisable. */
  recordedFile: string;
  text: string;
  /** Met in a folder walk, not named: a file that is plainly no export there (package.json) is passed over, not an error. */
  walked?: boolean;
}

export type PlannedKind = 'incident' | 'postmortem' | 'ticket';

export interface PlannedRecord {
  kind: PlannedKind;
  id: string;
  data: Record<string, unknown>;
  source: string;
  line: number;
}

export interface PlannedSkip {
  source: string;
  reason: string;
  line?: number;
  /** 1-based; 1 when not given. */
  column?: number;
  /**
   * unreadable: could not be read as a postmortem or export (the command exits 1); imported: the same
   * text was imported before; changed: imported before and edited since (never overwritten);
   * not-a-document: a README, licence or template met in a folder; left-out: an export's row that
   * is no record by design (a pull request in GitHub's issues API), counted, not an error.
   */
  kind: SkipKind;
}

export type SkipKind = 'unreadable' | 'imported' | 'changed' | 'not-a-document' | 'left-out';

export interface PlannedNote {
  source: string;
  line: number;
  column: number;
  message: string;
}

export interface ImportPlan {
  records: PlannedRecord[];
  skipped: PlannedSkip[];
  notes: PlannedNote[];
  /** Documents (or export rows) read as at least one record, or recognised as imported before. */
  documents: number;
}

export interface Known {
  incident: KnownImport[];
  postmortem: KnownImport[];
  ticket: KnownImport[];
}

/** A format parser: one input → records without ids yet. Registered by the export readers. */
export type Registries = Record<PlannedKind, IdRegistry>;

/**
 * What importing these documents would write: records with ids, what is skipped and why, and notes
 * about what could only be read in part. Pure and deterministic: the same inputs and existing
 * records give the same plan.
 */
export function planImport(inputs: ImportInput[], known: Known, exportReader?: ExportReader): ImportPlan {
  const regs: Registries = { incident: registry(known.incident), postmortem: registry(known.postmortem), ticket: registry(known.ticket) };
  const plan: ImportPlan = { records: [], skipped: [], notes: [], documents: 0 };
  for (const input of inputs) {
    try {
      const reader = exportReader?.(input);
      if (reader) reader(plan, regs);
      else planMarkdown(input, plan, regs);
    } catch (error) {
      // A parser bug must not lose the other documents, nor pass silently.
      plan.skipped.push({ source: input.source, reason: `could not be read: ${(error as Error).message}`, line: 1, kind: 'unreadable' });
    }
  }
  return plan;
}

/** Returns a function that plans an export file, or undefined when the input is not an export it knows. */
export type ExportReader = (input: ImportInput) => ((plan: ImportPlan, regs: Registries) => void) | undefined;

function planMarkdown(input: ImportInput, plan: ImportPlan, regs: Registries): void {
  const parsed = parsePostmortem(input.source, input.text);
  for (const note of parsed.notes) plan.notes.push({ source: input.source, line: note.line, column: note.column, message: note.message });
  if (parsed.skip) {
    plan.skipped.push({ source: input.source, reason: parsed.skip.reason, line: parsed.skip.line, kind: 'unreadable' });
    return;
  }
  let counted = false;
  for (const found of parsed.incidents) {
    const skip = alreadyImported(regs.incident, found.fingerprint, input.recordedFile, found.part);
    if (!counted) {
      plan.documents++;
      counted = true;
    }
    if (skip) {
      plan.skipped.push({ source: input.source, reason: skip.reason, line: found.line, kind: skip.kind });
      continue;
    }
    const ids = importIds({ ...(found.ownId ? { ownId: found.ownId } : {}), ...(found.incident.date ? { date: found.incident.date } : {}), title: found.incident.title, ...(found.part ? { part: found.part } : {}) }, regs.incident, regs.postmortem);
    const source = {
      file: input.recordedFile,
      line: found.line,
      format: 'markdown',
      fingerprint: found.fingerprint,
      ...(found.part ? { part: found.part } : {}),
    };
    remember(regs.incident, { id: ids.incident, file: input.recordedFile, ...(found.part ? { part: found.part } : {}), fingerprint: found.fingerprint });
    remember(regs.postmortem, { id: ids.postmortem });
    plan.records.push({
      kind: 'incident',
      id: ids.incident,
      data: { incident_id: ids.incident, ...found.incident, source: { ...source, ...(found.rootCauseFrom ? { root_cause_from: found.rootCauseFrom } : {}) } },
      source: input.source,
      line: found.line,
    });
    plan.records.push({
      kind: 'postmortem',
      id: ids.postmortem,
      data: { id: ids.postmortem, incident: ids.incident, ...found.postmortem, source },
      source: input.source,
      line: found.line,
    });
  }
}
