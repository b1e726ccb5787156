// `tagsmith select` as a child process: each strategy and order, filterTags, the
// --explain table, --json, tags from --image, and the exit codes (1 when nothing
// qualifies, 2 for a bad policy or no strategy). A few answers are checked against
// the library's selectTag on the same tags, so the CLI cannot drift from it.
import { type ImagePolicySpec, selectTag } from '@tagsmith/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoggedInRegistry, loggedInRegistry } from './registry-setup.js';
import { tagsmith } from './tagsmith.js';

const TAGS = [
  '1.0.0',
  'v1.4.2',
  '1.4.10',
  '1.5.0-rc.1',
  '2.0.0',
  'latest',
  'main-3f1c2a9-1717000000',
  'main-8e2d4b1-1717090000',
  'main-0a1b2c3-1716000000',
  '20',
  '3',
];
const stdin = `${TAGS.join('\n')}\n`;

const select = (args: string[], input = stdin) => tagsmith(['select', ...args], { input });

describe('tagsmith select', () => {
  it.each([
    [['--semver', '>=1.0 <2'], '1.4.10'],
    [['--semver', '>=1.0.0-0 <2.0.0'], '1.5.0-rc.1'],
    [['--semver', '*'], '2.0.0'],
    [['--alphabetical'], 'v1.4.2'],
    [['--alphabetical', 'asc'], 'v1.4.2'],
    [['--alphabetical', 'desc'], '1.0.0'],
    [['--numerical', '--pattern', '^[0-9]+$'], '20'],
    [['--numerical', 'desc', '--pattern', '^[0-9]+$'], '3'],
  ])('%j prints %s alone and exits 0', async (args, tag) => {
    const result = await select(args);
    expect(result).toMatchObject({ code: 0, stdout: `${tag}\n`, stderr: '' });
  });

  it("picks by the extracted timestamp (Flux's example) and prints the original tag", async () => {
    const result = await select([
      '--numerical',
      '--pattern',
      '^main-[a-f0-9]+-(?P<ts>[0-9]+)$',
      '--extract',
      '$ts',
    ]);
    expect(result).toMatchObject({ code: 0, stdout: 'main-8e2d4b1-1717090000\n' });
  });

  it('trims lines and skips blank ones (CRLF input too)', async () => {
    const result = await select(['--semver', '1.x'], '\r\n  1.1.0 \r\n\r\n1.2.0\r\n\n');
    expect(result).toMatchObject({ code: 0, stdout: '1.2.0\n' });
  });

  it.each<[string[], ImagePolicySpec]>([
    [['--semver', '^1.4'], { policy: { semver: { range: '^1.4' } } }],
    [['--alphabetical', 'desc'], { policy: { alphabetical: { order: 'desc' } } }],
    [
      ['--numerical', '--pattern', '-(?P<ts>[0-9]+)$', '--extract', '$ts'],
      {
        policy: { numerical: { order: 'asc' } },
        filterTags: { pattern: '-(?P<ts>[0-9]+)$', extract: '$ts' },
      },
    ],
    [
      ['--alphabetical', '--pattern', '^v?1\\.'],
      { policy: { alphabetical: {} }, filterTags: { pattern: '^v?1\\.' } },
    ],
  ])('%j agrees with selectTag', async (args, spec) => {
    const result = await select(args);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${selectTag(TAGS, spec)}\n`);
  });

  it('--explain prints every tag with its outcome and reason, the winner first, then the winner', async () => {
    const result = await select(['--semver', '>=1.0 <2', '--explain']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TAG +OUTCOME +REASON$/);
    expect(lines[1]).toMatch(/^1\.4\.10 +selected +highest version in ">=1.0 <2"/);
    expect(lines.at(-1)).toBe('1.4.10');
    const rows = new Map(lines.slice(1, -1).map((line) => [line.split(/ +/)[0], line]));
    expect([...rows.keys()].sort()).toEqual([...TAGS].sort());
    expect(rows.get('v1.4.2')).toMatch(/ beaten +lower version than "1.4.10"/);
    expect(rows.get('2.0.0')).toMatch(/ out-of-range /);
    expect(rows.get('1.5.0-rc.1')).toMatch(/ prerelease /);
    expect(rows.get('latest')).toMatch(/ unparseable /);
    expect(result.stdout).not.toContain('\u001b[');
  });

  it('--explain colors the table with FORCE_COLOR, and not with NO_COLOR', async () => {
    const args = ['select', '--semver', '1.x', '--explain'];
    const colored = await tagsmith(args, { input: stdin, env: { FORCE_COLOR: '1' } });
    expect(colored.stdout).toContain('\u001b[32m1.4.10 ');
    const plain = await tagsmith(args, { input: stdin, env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(plain.stdout).not.toContain('\u001b[');
  });

  it('--json prints the tag and the summary, and every tag with --explain', async () => {
    const plain = await select(['--semver', '1.x', '--json']);
    expect(plain.code).toBe(0);
    expect(JSON.parse(plain.stdout)).toEqual({
      tag: '1.4.10',
      summary: expect.stringContaining('selected "1.4.10"'),
    });
    const explained = await select(['--semver', '1.x', '--json', '--explain'], '1.0.0\nfoo\n');
    expect(JSON.parse(explained.stdout)).toEqual({
      tag: '1.0.0',
      summary: expect.any(String),
      tags: [
        expect.objectContaining({ tag: '1.0.0', kind: 'selected' }),
        expect.objectContaining({ tag: 'foo', kind: 'unparseable' }),
      ],
    });
  });

  it('prints nothing on stdout and why on stderr, exit 1, when no tag qualifies', async () => {
    const result = await select(['--semver', '>=3']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^tagsmith select: no tag selected, .*out of range/);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    const json = await select(['--semver', '>=3', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ tag: null });
  });

  it('fails with exit 1 when a numerical candidate is not a number', async () => {
    const result = await select(['--numerical']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('INVALID_NUMBER');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it.each([
    ['a bad range', ['--semver', '>=1.0 <2.x.y'], ['INVALID_RANGE', '">=1.0 <2.x.y"', 'column 12']],
    [
      'a non-RE2 pattern',
      ['--alphabetical', '--pattern', '^(?=v)'],
      ['INVALID_PATTERN', '"^(?=v)"'],
    ],
    [
      '--extract without --pattern',
      ['--alphabetical', '--extract', '$1'],
      ['INVALID_FILTER', '"$1"'],
    ],
    ['no strategy', [], ['--semver', '--alphabetical', '--numerical']],
    ['two strategies', ['--alphabetical', '--numerical'], ['cannot be used with']],
    ['a bad order', ['--numerical', 'up'], ['up']],
  ])('refuses %s with one line and exit 2', async (_, args, named) => {
    const result = await select(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    for (const text of named) expect(result.stderr).toContain(text);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  describe('--image', () => {
    let setup: LoggedInRegistry;
    beforeAll(async () => {
      setup = await loggedInRegistry({ 'acme/web': ['1.4.0', '1.5.0', '2.0.0', 'latest'] });
    });
    afterAll(() => setup.close());

    it('lists the tags of the image with the docker config credentials', async () => {
      const image = `${setup.registry.host}/acme/web`;
      const result = await tagsmith(['select', '--image', image, '--semver', '<2'], {
        env: setup.env,
        input: '9.9.9\n', // ignored: --image wins over stdin
      });
      expect(result).toMatchObject({ code: 0, stdout: '1.5.0\n', stderr: '' });
    });

    it('honours --host', async () => {
      const result = await tagsmith(
        [
          'select',
          '--image',
          'registry.example.com/acme/web',
          '--host',
          `registry.example.com=${setup.registry.url}`,
          '--alphabetical',
        ],
        { env: setup.env },
      );
      expect(result).toMatchObject({ code: 0, stdout: 'latest\n' });
    });

    it('fails on one line with exit 1 when the registry refuses', async () => {
      const result = await tagsmith(
        ['select', '--image', `${setup.registry.host}/acme/web`, '--semver', '*'],
        { env: { DOCKER_CONFIG: '/nonexistent-tagsmith-docker-config' } },
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^tagsmith select: .*401/);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    });
  });
});
