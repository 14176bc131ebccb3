import { languageOfPath, type SynthLanguage } from './lang.js';

export interface Occurrence {
  file: string;
  line: number;
  code: string;
}

/** How much a detector would flag today: the source document's "Quantifies the frequency (e.g., '127 files')". */
export interface Blast {
  places: number;
  files: number;
  /** Files of the detector's language looked at. */
  scanned: number;
  /** The first few places, for the proposal's `occurrences_in_codebase`. */
  occurrences: Occurrence[];
  /** Flags most files of its language: too broad to propose. */
  tooBroad: boolean;
  /** The files flagged (to count files across detectors). */
  filesFlagged: string[];
}

/** A detector flagging more than this share of the files it reads (with at least this many files) is too broad. */
export const TOO_BROAD_SHARE = 0.5;
const TOO_BROAD_MIN_FILES = 4;

/** Files a detector in this language reads: JavaScript patterns read TypeScript files too. */
export function reads(language: SynthLanguage, path: string): boolean {
  const lang = languageOfPath(path);
  return lang === language || (language === 'javascript' && (lang === 'typescript' || lang === 'tsx'));
}

/**
 * What a detector flagged over a repository (each file's findings, as `failures check` reports them) and
 * how many files it read, as a blast radius.
 */
export function blastOf(results: ReadonlyArray<{ file: string; findings: ReadonlyArray<{ line: number; code: string }> }>, scanned: number, keep = 5): Blast {
  const blast: Blast = { places: 0, files: 0, scanned, occurrences: [], tooBroad: false, filesFlagged: [] };
  for (const result of results) {
    if (result.findings.length === 0) continue;
    blast.places += result.findings.length;
    blast.files++;
    blast.filesFlagged.push(result.file);
    for (const f of result.findings) {
      if (blast.occurrences.length < keep) blast.occurrences.push({ file: result.file, line: f.line, code: f.code.split('\n')[0]!.trim() });
    }
  }
  blast.tooBroad = scanned >= TOO_BROAD_MIN_FILES && blast.files > scanned * TOO_BROAD_SHARE;
  return blast;
}

/** "would flag 127 places in 41 files" */
export function describeBlast(blast: Blast): string {
  const places = `${blast.places} place${blast.places === 1 ? '' : 's'}`;
  const files = `${blast.files} file${blast.files === 1 ? '' : 's'}`;
  return `would flag ${places} in ${files} (of ${blast.scanned} read)${blast.tooBroad ? ': too broad, not proposed' : ''}`;
}
