// `tagsmith tags` as a child process against a testkit registry with Basic auth:
// credentials from DOCKER_CONFIG, --host, --json, and each failure as one line with
// the right exit code (and never the password).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, LOGIN, type LoggedInRegistry, loggedInRegistry } from './registry-setup.js';
import { tagsmith } from './tagsmith.js';

const TAGS = ['1.4.0', '1.4.1', '1.5.0', '2.0.0-rc.1', 'latest'];

describe('tagsmith tags', () => {
  let setup: LoggedInRegistry;
  let image: string;
  beforeAll(async () => {
    setup = await loggedInRegistry({ 'acme/web': TAGS });
    image = `${setup.registry.host}/acme/web`;
  });
  afterAll(() => setup.close());

  it('prints the tags one per line, with credentials from DOCKER_CONFIG', async () => {
    const result = await tagsmith(['tags', image], { env: setup.env });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(`${TAGS.join('\n')}\n`);
  });

  it('prints a JSON array with --json', async () => {
    const result = await tagsmith(['tags', image, '--json'], { env: setup.env });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(TAGS);
  });

  it('serves a registry name from the --host endpoint', async () => {
    const result = await tagsmith(
      [
        'tags',
        'registry.example.com/acme/web',
        '--host',
        `registry.example.com=${setup.registry.url}`,
      ],
      { env: setup.env },
    );
    expect(result).toMatchObject({ code: 0, stdout: `${TAGS.join('\n')}\n`, stderr: '' });
  });

  it('fails with UNAUTHORIZED on one line and exit 1 without credentials', async () => {
    const result = await tagsmith(['tags', image], {
      env: { DOCKER_CONFIG: '/nonexistent-tagsmith-docker-config' },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^tagsmith tags: .*401/);
    expect(result.stderr).toContain('/v2/acme/web/tags/list');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('fails on one line with exit 1 for a repository that does not exist', async () => {
    const result = await tagsmith(['tags', `${setup.registry.host}/acme/missing`], {
      env: setup.env,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^tagsmith tags: .*404/);
    expect(result.stderr).toContain('acme/missing');
    expect(result.stderr).not.toContain(LOGIN.password);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('fails on one line with exit 1 when the registry is unreachable', async () => {
    const port = await closedPort();
    const result = await tagsmith(['tags', `127.0.0.1:${port}/acme/web`], { env: setup.env });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^tagsmith tags: /);
    expect(result.stderr).toContain(`127.0.0.1:${port}`);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it.each([
    ['a bad reference', ['tags', 'Registry.Example.com/UPPER/Case'], 'UPPER'],
    ['a bad --host', ['tags', 'x.io/a', '--host', 'x.io=ftp://nope'], '--host'],
  ])('refuses %s with one line and exit 2', async (_, args, named) => {
    const result = await tagsmith(args, { env: setup.env });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(named);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
