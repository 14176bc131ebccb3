import type { Command } from 'commander';
import { projectDirForInit } from '../store/find.js';
import { initStore } from '../store/init.js';
import { displayPath, palette } from './output.js';

export function register(program: Command): void {
  program
    .command('init')
    .description('create .failures/ (config.yaml, README.md, folders) in the repository root; safe to run again')
    .action((_options, command: Command) => {
      const { root } = command.optsWithGlobals<{ root?: string }>();
      run(root);
    });
}

function run(rootOption: string | undefined): void {
  const projectDir = projectDirForInit(process.cwd(), rootOption);
  const { dir, created } = initStore(projectDir);
  const c = palette(process.stderr);
  if (created.length === 0) {
    process.stderr.write(`${displayPath(dir)}/ is already set up; nothing changed.\n`);
  } else {
    for (const path of created) process.stdout.write(`${displayPath(`${projectDir}/${path}`)}${path.endsWith('/') ? '/' : ''}\n`);
    process.stderr.write(`${c.green('✓')} created ${displayPath(dir)}/\n`);
  }
  process.stderr.write(
    [
      'Next:',
      '  failures log --type mistake --context "what went wrong" --feedback "the correction" --category Testing --severity high',
      `  git add ${displayPath(dir)} && git commit -m "chore: start recording failures"`,
      '  failures validate',
      '',
    ].join('\n'),
  );
}
