// The command table itself: --version, --help, unknown commands and flags, exit codes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tagsmith } from './tagsmith.js';

const { version } = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as { version: string };

describe('tagsmith', () => {
  it('prints its version and exits 0', async () => {
    const result = await tagsmith(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it.each(['run', 'check', 'tags', 'select', 'update'])(
    'prints help with examples for %s',
    async (command) => {
      const result = await tagsmith([command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: tagsmith ${command}`);
      expect(result.stdout).toMatch(
        new RegExp(`\\nExamples:\\n(  .*\\n)*  .*tagsmith ${command} `),
      );
    },
  );

  it.each([
    [['frobnicate'], "tagsmith: unknown command 'frobnicate'"],
    [['run', '--dry-rn'], "tagsmith: unknown option '--dry-rn' (Did you mean --dry-run?)"],
    [['select', '--semver', '1.x', '--numerical'], 'cannot be used with option'],
    [['update', '.'], "required option '--set"],
  ])('refuses %j with one line and exit code 2', async (args, message) => {
    const result = await tagsmith(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
