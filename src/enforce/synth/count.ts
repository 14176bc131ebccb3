import { parse } from '@ast-grep/napi';
import { astGrepLang, languageOfPath, type SynthLanguage } from './lang.js';
import type { AstRule } from './match.js';

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
}

/** A detector flagging more than this share of the files it reads (with at least this many files) is too broad. */
export const TOO_BROAD_SHARE = 0.5;
const TOO_BROAD_MIN_FILES = 4;

/** Files a detector in this language reads: JavaScript patterns read TypeScript files too. */
export function reads(language: SynthLanguage, path: string): SynthLanguage | undefined {
  const lang = languageOfPath(path);
  if (!lang) return undefined;
  if (lang === language) return lang;
  if (language === 'javascript' && (lang === 'typescript' || lang === 'tsx')) return lang;
  return undefined;
}

/** Runs an ast-grep rule over files (path and text) and counts what it flags. */
export function blastRadius(rule: AstRule, language: SynthLanguage, files: ReadonlyArray<{ path: string; text: string }>, keep = 5): Blast {
  const blast: Blast = { places: 0, files: 0, scanned: 0, occurrences: [], tooBroad: false };
  for (const file of files) {
    const lang = reads(language, file.path);
    if (!lang) continue;
    blast.scanned++;
    let hits;
    try {
      hits = parse(astGrepLang(lang) as never, file.text).root().findAll({ rule } as never);
    } catch {
      continue; // a JavaScript pattern that does not read as TypeScript: that file is not counted
    }
    if (hits.length === 0) continue;
    blast.places += hits.length;
    blast.files++;
    for (const hit of hits) {
      if (blast.occurrences.length >= keep) break;
      blast.occurrences.push({ file: file.path, line: hit.range().start.line + 1, code: hit.text().split('\n')[0]!.trim() });
    }
  }
  blast.tooBroad = blast.scanned >= TOO_BROAD_MIN_FILES && blast.files > blast.scanned * TOO_BROAD_SHARE;
  return blast;
}

/** "would flag 127 places in 41 files" */
export function describeBlast(blast: Blast): string {
  const places = `${blast.places} place${blast.places === 1 ? '' : 's'}`;
  const files = `${blast.files} file${blast.files === 1 ? '' : 's'}`;
  return `would flag ${places} in ${files} (of ${blast.scanned} read)${blast.tooBroad ? ': too broad, not proposed' : ''}`;
}
