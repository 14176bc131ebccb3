import { cancel, intro, isCancel, outro, select, text } from '@clack/prompts';
import { FailuresError } from '../errors.js';
import { FEEDBACK_TYPES, type Config } from '../store/config.js';
import type { FeedbackDraft } from '../store/feedback.js';
import { antiPatternIds, linkedCategory } from '../store/read.js';
import type { LogOptions } from './log.js';
import { parseFileFlag } from './log.js';

/** Prompts go to stderr so that stdout carries only the new record's path. */
const io = { input: process.stdin, output: process.stderr };

/** Thrown on Ctrl-C or Escape: nothing has been written. */
class Cancelled extends FailuresError {
  constructor() {
    super('cancelled; nothing was written', { exitCode: 130 });
  }
}

function answered<T>(value: T): Exclude<T, symbol> {
  if (isCancel(value)) {
    cancel('Cancelled: nothing was written.', io);
    throw new Cancelled();
  }
  return value as Exclude<T, symbol>;
}

const TYPE_HINTS: Record<string, string> = {
  mistake: 'something went wrong',
  repetition: 'the same correction, given again',
  clarification: 'a misunderstanding cleared up',
};

/**
 * Asks for every field the flags did not give, with choices where the values are known.
 * Every prompt has its flag, so the same entry can be logged without a terminal.
 */
export async function promptForDraft(draft: FeedbackDraft, options: LogOptions, config: Config, root: string): Promise<FeedbackDraft> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new FailuresError('--interactive needs a terminal, and this input is not one', {
      hint: 'pass the fields as flags instead: --type, --context, --feedback, --category, --severity',
    });
  }
  const result: FeedbackDraft = { ...draft };
  intro('failures log', io);
  if (options.type === undefined) {
    result.type = answered(
      await select({ message: 'Type', options: FEEDBACK_TYPES.map((t) => ({ value: t, label: t, hint: TYPE_HINTS[t] })), ...io }),
    );
  }
  if (options.context === undefined) {
    result.context = answered(
      await text({ message: 'What went wrong?', validate: (v) => (v?.trim() ? undefined : 'describe the failure in a sentence'), ...io }),
    ).trim();
  }
  if (options.feedback === undefined) {
    const feedback = answered(await text({ message: 'The correction (empty if not known yet)', ...io })).trim();
    if (feedback) result.feedback = feedback;
  }
  if (options.sameAs === undefined && options.antiPattern === undefined) {
    const link = await offerNearest(`${result.context} ${result.feedback ?? ''}`, root, config, result.category);
    if (link?.kind === 'anti-pattern') result.anti_pattern = link.id;
    else if (link) result.same_as = link.id;
  }
  if (options.category === undefined) {
    // Linked to a known group: its category first (patterns never span categories).
    const linked = result.anti_pattern ? linkedCategory(root, 'anti-pattern', result.anti_pattern) : result.same_as ? linkedCategory(root, 'feedback', result.same_as) : undefined;
    const initial = linked && config.categories.includes(linked) ? { initialValue: linked } : {};
    result.category = answered(await select({ message: 'Category', options: config.categories.map((c) => ({ value: c, label: c })), ...initial, ...io }));
  }
  if (options.severity === undefined) {
    const severities = [...config.severities].reverse();
    result.severity = answered(await select({ message: 'Severity', options: severities.map((s) => ({ value: s, label: s })), ...io }));
  }
  if (options.file === undefined) {
    // A path outside the project or a mistyped line is asked again, not the end of everything typed so far.
    const validate = (value: string | undefined) => {
      try {
        if (value?.trim()) parseFileFlag(value.trim(), root, true);
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    };
    const file = answered(await text({ message: 'File it is about, as path[:line] (empty for none)', validate, ...io })).trim();
    if (file) Object.assign(result, parseFileFlag(file, root, true));
  }
  if (options.tags === undefined) {
    const tags = answered(await text({ message: 'Tags, comma-separated (empty for none)', ...io }));
    const list = [...new Set(tags.split(',').map((t) => t.trim()).filter(Boolean))];
    if (list.length > 0) result.tags = list;
  }
  if (options.antiPattern === undefined && result.anti_pattern === undefined) {
    const known = antiPatternIds(root);
    if (known.length > 0) {
      const choice = answered(
        await select({
          message: 'Is it an instance of a known anti-pattern?',
          options: [{ value: '', label: 'no' }, ...known.map((id) => ({ value: id, label: id }))],
          ...io,
        }),
      );
      if (choice) result.anti_pattern = choice;
    }
  }
  outro('Logging…', io);
  return result;
}

/**
 * "Have we seen this before?" while logging: the three nearest known patterns and anti-patterns, and
 * the choice to link the new entry to one (same_as its latest entry, or the anti-pattern itself).
 */
async function offerNearest(text: string, root: string, config: Config, category?: string): Promise<{ kind: 'entry' | 'anti-pattern'; id: string } | undefined> {
  const { nearestGroups } = await import('./log-suggest.js');
  const nearest = await nearestGroups(text, root, config, 3, category);
  if (nearest.length === 0) return undefined;
  const choice = answered(
    await select({
      message: 'Seen before? The nearest known patterns:',
      options: [
        ...nearest.map((m) => ({ value: `${m.link.flag}:${m.link.value}`, label: `${m.text}`, hint: `${m.kind} ${m.id}, similarity ${m.score.toFixed(2)}` })),
        { value: '', label: 'none of these: it is new' },
      ],
      ...io,
    }),
  );
  if (!choice) return undefined;
  const [flag, id] = choice.split(/:(.*)/s) as [string, string];
  return flag === '--anti-pattern' ? { kind: 'anti-pattern', id } : { kind: 'entry', id };
}
