import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expectCode, SECRET_CANARY, tempDir } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import { createGitFixture, type GitServer, serveGit, TestkitError } from '../src/index.js';
import { git, tryGit } from './git.js';

/** A GIT_ASKPASS program answering git's username and password prompts. */
async function askpass(username: string, password: string): Promise<string> {
  const dir = await tempDir('askpass');
  const program = join(dir.path, 'askpass.sh');
  // The prompt is the first argument: "Username for '…': " or "Password for '…': ".
  await writeFile(
    program,
    `#!/bin/sh\ncase "$1" in\n  Username*) printf '%s\\n' '${username}' ;;\n  *) printf '%s\\n' '${password}' ;;\nesac\n`,
    { mode: 0o755 },
  );
  return program;
}

/** `http.extraHeader` through the environment, so it is in no argv and no config file. */
function extraHeader(value: string): NodeJS.ProcessEnv {
  return { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: value };
}

function basic(username: string, password: string): string {
  return `Authorization: Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** Commits `files` in `clone` with the test identity. */
async function commitIn(
  clone: string,
  files: Record<string, string>,
  message: string,
): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(clone, path, '..'), { recursive: true });
    await writeFile(join(clone, path), content);
  }
  await git(['add', '--', ...Object.keys(files)], { cwd: clone });
  await git(
    ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', message],
    {
      cwd: clone,
    },
  );
}

function statuses(server: GitServer): number[] {
  return server.requests.map((request) => request.status);
}

describe('serveGit without auth', () => {
  it('serves clone, fetch and push over smart HTTP at /<repo>.git', async () => {
    await using fixture = await createGitFixture({ files: { 'a.txt': 'a\n' } });
    await using server = await serveGit(fixture.bareDir);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/repo\.git$/);
    await using work = await tempDir('http-clone');
    const clone = join(work.path, 'clone');
    await git(['clone', '-q', server.url, clone]);
    await commitIn(clone, { 'b.txt': 'b\n' }, 'add b');
    await git(['push', '-q', 'origin', 'main'], { cwd: clone });
    expect(await fixture.readFile('b.txt')).toBe('b\n');

    const theirs = await fixture.commit({ 'c.txt': 'c\n' }, 'theirs');
    await git(['fetch', '-q', 'origin'], { cwd: clone });
    expect(await git(['rev-parse', 'origin/main'], { cwd: clone })).toBe(theirs);

    const services = server.requests.map((request) => `${request.method} ${request.service}`);
    expect(services).toContain('GET git-upload-pack');
    expect(services).toContain('POST git-upload-pack');
    expect(services).toContain('GET git-receive-pack');
    expect(services).toContain('POST git-receive-pack');
    expect(server.requests.every((request) => request.authorized && request.status === 200)).toBe(
      true,
    );
  }, 60_000);

  it('speaks protocol v2 when the client asks for it, and v0 when it does not', async () => {
    await using fixture = await createGitFixture();
    await using server = await serveGit(fixture.bareDir);
    await using work = await tempDir('http-v2');
    await git(['-c', 'protocol.version=2', 'clone', '-q', server.url, join(work.path, 'v2')]);
    expect(server.requests.every((request) => request.gitProtocol === 'version=2')).toBe(true);
    const v2 = server.requests.length;
    await git(['-c', 'protocol.version=0', 'clone', '-q', server.url, join(work.path, 'v0')]);
    const v0 = server.requests.slice(v2);
    expect(v0.length).toBeGreaterThan(0);
    expect(v0.every((request) => request.gitProtocol === undefined)).toBe(true);
    expect(await git(['rev-parse', 'HEAD'], { cwd: join(work.path, 'v0') })).toBe(
      await fixture.head(),
    );
  }, 60_000);

  it('takes a large push (1,000 files, 3 MB, sent chunked) and a gzipped fetch negotiation', async () => {
    await using fixture = await createGitFixture();
    await using server = await serveGit(fixture.bareDir);
    await using work = await tempDir('http-large');
    const clone = join(work.path, 'clone');
    await git(['clone', '-q', server.url, clone]);
    const files: Record<string, string> = {};
    // Random bytes do not compress, so the pack stays above git's 1 MiB post buffer.
    for (let i = 0; i < 1000; i++) files[`data/file-${i}.txt`] = randomBytes(1500).toString('hex');
    await commitIn(clone, files, 'many files');
    const push = await tryGit(['push', '-q', 'origin', 'main'], {
      cwd: clone,
      env: { GIT_TRACE_CURL: '1', GIT_TRACE_CURL_NO_DATA: '1' },
    });
    expect(push.code).toBe(0);
    // Bigger than http.postBuffer: no Content-Length, http-backend reads to the end.
    expect(push.stderr).toContain('Transfer-Encoding: chunked');
    expect(await fixture.files()).toHaveLength(1001);
    expect(await fixture.head()).toBe(await git(['rev-parse', 'HEAD'], { cwd: clone }));

    // Many local commits the server lacks make the "have" lines of a fetch
    // negotiation big enough for git to gzip the request body.
    const other = join(work.path, 'other');
    await git(['clone', '-q', server.url, other]);
    for (let i = 0; i < 60; i++) {
      await git(
        [
          '-c',
          'user.name=t',
          '-c',
          'user.email=t@e',
          'commit',
          '-q',
          '--allow-empty',
          '-m',
          `local ${i}`,
        ],
        {
          cwd: other,
        },
      );
    }
    const theirs = await fixture.commit({ 'new.txt': 'n' }, 'theirs');
    await git(['fetch', '-q', 'origin'], { cwd: other });
    expect(await git(['rev-parse', 'origin/main'], { cwd: other })).toBe(theirs);
    expect(server.requests.some((request) => request.encoding === 'gzip')).toBe(true);
  }, 120_000);

  it('answers 404 outside the repository and refuses a directory that is no bare repository', async () => {
    await using fixture = await createGitFixture();
    await using server = await serveGit(fixture.bareDir);
    const response = await fetch(
      new URL('/other.git/info/refs?service=git-upload-pack', server.url),
    );
    expect(response.status).toBe(404);
    await response.text();
    await using dir = await tempDir('not-bare');
    await expectCode(() => serveGit(dir.path), TestkitError, 'INVALID_ARGUMENT');
    await expectCode(
      () => serveGit(fixture.bareDir, { git: '/nonexistent/git' }),
      TestkitError,
      'GIT_FAILED',
    );
  });

  it('lets the bare repository record pushes and their push options over HTTP', async () => {
    await using fixture = await createGitFixture();
    const recorder = await fixture.recordPushes();
    await using server = await serveGit(fixture.bareDir);
    await using work = await tempDir('http-push-options');
    const clone = join(work.path, 'clone');
    await git(['clone', '-q', server.url, clone]);
    await commitIn(clone, { 'x.txt': 'x' }, 'x');
    await git(['push', '-q', '-o', 'ci.skip', 'origin', 'HEAD:refs/heads/bot'], { cwd: clone });
    const [push] = await recorder.pushes();
    expect(push?.pushOptions).toEqual(['ci.skip']);
    expect(push?.updates.map((update) => update.ref)).toEqual(['refs/heads/bot']);
  }, 60_000);
});

describe('serveGit under concurrent pushes', () => {
  it('lets exactly the pushes that won the race land, and keeps the repository sound', async () => {
    await using fixture = await createGitFixture();
    await using server = await serveGit(fixture.bareDir);
    await using work = await tempDir('http-race');
    const clones: string[] = [];
    for (let i = 0; i < 4; i++) {
      const clone = join(work.path, `writer-${i}`);
      await git(['clone', '-q', server.url, clone]);
      await commitIn(clone, { [`writer-${i}.txt`]: `${i}` }, `writer ${i}`);
      clones.push(clone);
    }
    const outcomes = await Promise.all(
      clones.map((clone) => tryGit(['push', '-q', 'origin', 'main'], { cwd: clone })),
    );
    const winners = clones.filter((_, i) => outcomes[i]!.code === 0);
    // Every writer started from the same commit, so only one push can be a fast-forward.
    expect(winners).toHaveLength(1);
    expect(await fixture.head()).toBe(await git(['rev-parse', 'HEAD'], { cwd: winners[0]! }));
    // The losers' objects stay behind unreferenced, as on any git server.
    expect(await git(['--git-dir', fixture.bareDir, 'fsck', '--strict', '--no-dangling'])).toBe('');
  }, 60_000);
});

describe('serveGit with auth', () => {
  it('basic: git asks its askpass program after a 401 and then clones and pushes', async () => {
    await using fixture = await createGitFixture();
    const password = SECRET_CANARY;
    await using server = await serveGit(fixture.bareDir, {
      auth: { type: 'basic', username: 'bot', password },
    });
    await using work = await tempDir('http-basic');
    const env = { GIT_ASKPASS: await askpass('bot', password) };
    const clone = join(work.path, 'clone');
    await git(['clone', '-q', server.url, clone], { env });
    await commitIn(clone, { 'b.txt': 'b' }, 'b');
    await git(['push', '-q', 'origin', 'main'], { cwd: clone, env });
    expect(await fixture.readFile('b.txt')).toBe('b');
    expect(server.requests[0]).toMatchObject({ status: 401, authorized: false });
    expect(
      server.requests.some(
        (request) => request.service === 'git-receive-pack' && request.authorized,
      ),
    ).toBe(true);
    expect(JSON.stringify(server.requests)).not.toContain(password);
  }, 60_000);

  it('basic: a wrong password or user name fails with "Authentication failed"', async () => {
    await using fixture = await createGitFixture();
    await using server = await serveGit(fixture.bareDir, {
      auth: { type: 'basic', username: 'bot', password: 'right' },
    });
    await using work = await tempDir('http-basic-wrong');
    for (const [username, password] of [
      ['bot', 'wrong'],
      ['someone', 'right'],
    ] as const) {
      const env = { GIT_ASKPASS: await askpass(username, password) };
      const outcome = await tryGit(['clone', '-q', server.url, join(work.path, username)], { env });
      expect(outcome.code).not.toBe(0);
      expect(outcome.stderr).toContain('Authentication failed');
    }
    expect(statuses(server).every((status) => status === 401)).toBe(true);
  }, 60_000);

  it('basic: without credentials git fails instead of prompting', async () => {
    await using fixture = await createGitFixture();
    await using server = await serveGit(fixture.bareDir, {
      auth: { type: 'basic', username: 'bot', password: 'right' },
    });
    await using work = await tempDir('http-none');
    const outcome = await tryGit(['clone', '-q', server.url, join(work.path, 'c')]);
    expect(outcome.code).not.toBe(0);
    expect(statuses(server)).toEqual([401]);
  });

  it('token: the token is the Basic password with any user name, here sent as http.extraHeader', async () => {
    await using fixture = await createGitFixture();
    const token = SECRET_CANARY;
    await using server = await serveGit(fixture.bareDir, { auth: { type: 'token', token } });
    await using work = await tempDir('http-token');
    const env = extraHeader(basic('x-access-token', token));
    const clone = join(work.path, 'clone');
    await git(['clone', '-q', server.url, clone], { env });
    await commitIn(clone, { 't.txt': 't' }, 't');
    await git(['push', '-q', 'origin', 'main'], { cwd: clone, env });
    expect(await fixture.readFile('t.txt')).toBe('t');
    expect(statuses(server).every((status) => status === 200)).toBe(true);

    const wrong = await tryGit(['clone', '-q', server.url, join(work.path, 'wrong')], {
      env: extraHeader(basic('x-access-token', 'not-the-token')),
    });
    expect(wrong.code).not.toBe(0);
    expect(server.requests.at(-1)).toMatchObject({ status: 401, authorized: false });
  }, 60_000);

  it('bearer: Authorization: Bearer <token> through http.extraHeader; a wrong token gets 401', async () => {
    await using fixture = await createGitFixture();
    await using server = await serveGit(fixture.bareDir, {
      auth: { type: 'bearer', token: 'tok-1' },
    });
    await using work = await tempDir('http-bearer');
    await git(['clone', '-q', server.url, join(work.path, 'ok')], {
      env: extraHeader('Authorization: Bearer tok-1'),
    });
    const before = server.requests.length;
    const wrong = await tryGit(['clone', '-q', server.url, join(work.path, 'wrong')], {
      env: extraHeader('Authorization: Bearer tok-2'),
    });
    expect(wrong.code).not.toBe(0);
    expect(statuses(server).slice(before)).toEqual([401]);
    // A Basic password equal to the bearer token is not a bearer token.
    const response = await fetch(`${server.url}/info/refs?service=git-upload-pack`, {
      headers: { authorization: basic('x', 'tok-1').slice('Authorization: '.length) },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="tagsmith-testkit"');
    await response.text();
  }, 60_000);
});

describe('serveGit faults and lifecycle', () => {
  it('rejectNext answers the next requests with the status, then serves again', async () => {
    await using fixture = await createGitFixture();
    await using server = await serveGit(fixture.bareDir);
    await using work = await tempDir('http-faults');
    server.faults.rejectNext(503);
    const failed = await tryGit(['clone', '-q', server.url, join(work.path, 'a')]);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain('503');
    server.faults.rejectNext(500, 2);
    server.faults.clear();
    await git(['clone', '-q', server.url, join(work.path, 'b')]);
    expect(statuses(server)[0]).toBe(503);
    expect(
      statuses(server)
        .slice(1)
        .every((status) => status === 200),
    ).toBe(true);

    server.faults.rejectNext(500, 2);
    for (const expected of [500, 500, 200]) {
      const response = await fetch(`${server.url}/info/refs?service=git-upload-pack`);
      expect(response.status).toBe(expected);
      await response.arrayBuffer();
    }
    for (const [status, count] of [
      [200, 1],
      [600, 1],
      [500, 0],
      [500, 1.5],
    ] as const) {
      expectCode(() => server.faults.rejectNext(status, count), TestkitError, 'INVALID_ARGUMENT');
    }
  }, 60_000);

  it('close() stops serving and is safe to call twice', async () => {
    await using fixture = await createGitFixture();
    const server = await serveGit(fixture.bareDir);
    await server.close();
    await server.close();
    await using work = await tempDir('http-closed');
    const outcome = await tryGit(['clone', '-q', server.url, join(work.path, 'c')]);
    expect(outcome.code).not.toBe(0);
  });
});
