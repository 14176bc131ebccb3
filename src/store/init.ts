import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { initialConfigText } from './config.js';
import { FOLDER, KIND_FOLDERS, TOP_FILES } from './layout.js';
import { schemaRefFor } from './serialize.js';
import { createFileAtomic, ensureDirectory, RecordExistsError } from './write.js';

export interface InitResult {
  dir: string;
  /** Paths created by this call, relative to the project directory. */
  created: string[];
}

const README = `# .failures/

This folder is the team's memory of what went wrong, kept in git and managed by
the \`failures\` command-line tool (\`npx --no-install failures --help\`). Every file is a
YAML record validated against a JSON Schema (\`failures validate\`).

| path | what |
| --- | --- |
| config.yaml | thresholds, categories, severities, skill documents per category |
| feedback/YYYY-MM/*.yaml | one file per \`failures log\` call; never edited afterwards |
| anti-patterns/AP-001.yaml | mistakes that must not recur; lifecycle: proposed, approved, rejected, retired |
| constraints/, incidents/, postmortems/ | constraints, incidents and postmortems, one per file, named by id |
| tickets/ | support-ticket patterns (tickets/imported/ for single tickets) |
| failure-modes/ | ways systems fail, learned from the above |
| baseline.yaml | existing violations that do not block commits |

One record per file, so branches add different files and merge without conflicts.
The git history of a file is that record's audit trail.
`;

const GITIGNORE = `# Temporary files of a write in progress (a crashed writer may leave one behind;
# \`failures validate\` lists them).
.*.tmp
# Derived caches (parsed records, check results, embeddings): rebuilt when missing.
.cache/
`;

/** Creates .failures/ and whatever of its starting files are missing; never touches existing files. */
export function initStore(projectDir: string): InitResult {
  const dir = join(projectDir, FOLDER);
  const created: string[] = [];
  if (!existsSync(dir)) {
    ensureDirectory(dir);
    created.push(`${FOLDER}/`);
  }
  const files: Array<[name: string, text: string]> = [
    [TOP_FILES.config, initialConfigText(schemaRefFor(projectDir, join(dir, TOP_FILES.config), 'config'))],
    [TOP_FILES.readme, README],
    [TOP_FILES.gitignore, GITIGNORE],
  ];
  for (const [name, text] of files) {
    const path = join(dir, name);
    if (existsSync(path)) continue;
    try {
      createFileAtomic(path, text);
      created.push(`${FOLDER}/${name}`);
    } catch (error) {
      // Another init got there first: its file is as good as ours.
      if (!(error instanceof RecordExistsError)) throw error;
    }
  }
  for (const [folder] of KIND_FOLDERS) {
    if (folder.includes('/')) continue;
    const path = join(dir, folder);
    if (!existsSync(path)) {
      ensureDirectory(path);
      created.push(`${FOLDER}/${folder}/`);
    }
  }
  return { dir, created };
}
