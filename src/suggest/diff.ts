import { structuredPatch } from 'diff';
import type { FileChange } from './changes.js';

/**
 * A unified diff in git's format (so `git apply` takes it): a new file is created from /dev/null,
 * a changed file gets its hunks. Deterministic for the same changes.
 */
export function unifiedDiff(changes: readonly FileChange[]): string {
  const parts: string[] = [];
  for (const change of changes) {
    const created = change.before === undefined;
    const patch = structuredPatch(`a/${change.path}`, `b/${change.path}`, change.before ?? '', change.after, '', '', { context: 3 });
    if (patch.hunks.length === 0) continue;
    parts.push(`diff --git a/${change.path} b/${change.path}\n`);
    if (created) parts.push('new file mode 100644\n');
    parts.push(created ? '--- /dev/null\n' : `--- a/${change.path}\n`, `+++ b/${change.path}\n`);
    for (const hunk of patch.hunks) {
      const oldRange = hunk.oldLines === 0 ? `${hunk.oldStart === 0 ? 0 : hunk.oldStart},0` : `${hunk.oldStart},${hunk.oldLines}`;
      const newRange = `${hunk.newStart},${hunk.newLines}`;
      parts.push(`@@ -${created ? '0,0' : oldRange} +${newRange} @@\n`, ...hunk.lines.map((line) => `${line}\n`));
    }
  }
  return parts.join('');
}
