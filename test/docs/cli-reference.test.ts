// docs/cli.md held to the command table: every long flag that `tagsmith <command> --help`
// (the built dist/, as users run it) lists must appear in that command's section of the
// page, so adding a flag without documenting it fails here.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const TAGSMITH = fileURLToPath(
  new URL('../../packages/automation/dist/cli/main.js', import.meta.url),
);
const page = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');

function help(args: string[]): string {
  return execFileSync(process.execPath, [TAGSMITH, ...args, '--help'], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
  });
}

/** The long flags of the help's Options section (`--help` itself is documented once, globally). */
function longFlags(text: string): string[] {
  const options = text.split('\nOptions:\n')[1]?.split(/\n\n/)[0] ?? '';
  return [...options.matchAll(/^ {2}(?:-\w, )?(--[a-z][a-z-]*)/gm)]
    .map((match) => match[1] as string)
    .filter((flag) => flag !== '--help');
}

/** Whether `text` names `flag` whole (`--json`, not a prefix of `--json-lines`). */
const names = (text: string, flag: string) =>
  new RegExp(`(?:^|[\\s\`(,])${flag}(?![a-z-])`, 'm').test(text);

/** The text of `## <title>` up to the next heading of that level. */
function section(title: string): string {
  const start = page.indexOf(`\n## ${title}\n`);
  expect(start, `docs/cli.md has a "## ${title}" section`).toBeGreaterThanOrEqual(0);
  const end = page.indexOf('\n## ', start + 1);
  return page.slice(start, end < 0 ? undefined : end);
}

/** The commands the top-level help lists, so a new command needs a section too. */
const commands = [...help([]).matchAll(/^ {2}([a-z]+) (?:\[options\])/gm)].map(
  (match) => match[1] as string,
);

describe('docs/cli.md', () => {
  it('knows every command', () => {
    expect(commands).toEqual(['run', 'check', 'tags', 'select', 'update']);
  });

  it('documents the global flags', () => {
    const global = section('Conventions');
    const flags = [...longFlags(help([])), '--help'];
    expect(flags.filter((flag) => !names(global, flag))).toEqual([]);
  });

  it.each(commands)('documents every flag of tagsmith %s in its section', (command) => {
    const flags = longFlags(help([command]));
    expect(flags.length).toBeGreaterThan(0);
    const text = section(`tagsmith ${command}`);
    expect(flags.filter((flag) => !names(text, flag))).toEqual([]);
  });
});
