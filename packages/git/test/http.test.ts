// Clone, commit and push over git's smart HTTP (testkit's serveGit: git http-backend
// on 127.0.0.1) with token, Basic and Bearer credentials, and the proof that a refused
// token shows up nowhere: not in the error or its cause, the log, any git command line
// (recorded by a gitPath wrapper), git's own trace of the programs it ran, .git/config,
// or a file left in the temp directory.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expectCode, expectNoSecret, SECRET_CANARY, tempDir } from '@tagsmith/test-utils';
import { createGitFixture, type GitServerAuth, serveGit } from '@tagsmith/testkit';
import { describe, expect, it } from 'vitest';
import { type GitCredentials, GitError, LocalRepository } from '../src/index.js';
import { BOT, git, recordingGit, recordingLogger } from './helpers.js';

const cases: { name: string; auth: GitServerAuth; credentials: GitCredentials }[] = [
  {
    name: 'a token',
    auth: { type: 'token', token: 'tok-123' },
    credentials: { type: 'token', token: 'tok-123' },
  },
  {
    name: 'Basic auth',
    auth: { type: 'basic', username: 'bot', password: 'pw-456' },
    credentials: { type: 'basic', username: 'bot', password: 'pw-456' },
  },
  {
    name: 'a Bearer token',
    auth: { type: 'bearer', token: 'bearer-789' },
    credentials: { type: 'bearer', token: 'bearer-789' },
  },
];

describe('LocalRepository over HTTP', { timeout: 60_000 }, () => {
  it.each(cases)('clones, commits and pushes with $name', async ({ auth, credentials }) => {
    await using fixture = await createGitFixture({ files: { 'app.yaml': 'image: app:1\n' } });
    await using server = await serveGit(fixture.bareDir, { auth });
    const repository = await LocalRepository.clone(server.url, join(fixture.dir, 'work'), {
      credentials,
    });
    await writeFile(join(repository.dir, 'app.yaml'), 'image: app:2\n');
    const commit = await repository.commit({ files: ['app.yaml'], message: 'bump', author: BOT });
    const pushed = await repository.push();
    expect(pushed.after).toBe(commit!.sha);
    expect(pushed.remote).toBe(server.url);
    expect(await fixture.head()).toBe(commit!.sha);
    expect(server.requests.some((request) => request.service === 'git-receive-pack')).toBe(true);
    const config = await readFile(join(repository.dir, '.git', 'config'), 'utf8');
    for (const secret of Object.values(credentials)) {
      if (secret !== credentials.type && secret !== 'bot') expect(config).not.toContain(secret);
    }
  });

  it('fails with AUTH_FAILED on a wrong token, which shows up nowhere', async () => {
    await using fixture = await createGitFixture({ files: { 'app.yaml': 'image: app:1\n' } });
    await using server = await serveGit(fixture.bareDir, {
      auth: { type: 'token', token: 'right' },
    });
    await using tmp = await tempDir('http-tmp');
    const recorder = await recordingGit(fixture.dir);
    const { logger, lines } = recordingLogger();
    const trace = join(fixture.dir, 'git-trace.log');
    const options = {
      gitPath: recorder.gitPath,
      logger,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: tmp.path, GIT_TRACE: trace },
    };
    // Cloned with no credentials from an open copy, then pointed at the guarded server:
    // the push is what meets the wrong token.
    await using open = await serveGit(fixture.bareDir);
    const work = join(fixture.dir, 'work');
    await LocalRepository.clone(open.url, work, options);
    await git(work, ['remote', 'set-url', 'origin', server.url]);
    const repository = await LocalRepository.open(work, {
      ...options,
      credentials: { type: 'token', token: SECRET_CANARY },
    });
    await writeFile(join(work, 'app.yaml'), 'image: app:2\n');
    await repository.commit({ files: ['app.yaml'], message: 'bump', author: BOT });

    const error = await expectCode(repository.push(), GitError, 'AUTH_FAILED');
    expect(error.remote).toBe(server.url);
    expect(error.command).toBe('push');
    expectNoSecret(error);
    // Bearer tokens and Basic passwords travel the same ways; a wrong one of each too.
    for (const credentials of [
      { type: 'bearer', token: SECRET_CANARY },
      { type: 'basic', username: 'bot', password: SECRET_CANARY },
    ] as const) {
      const other = await LocalRepository.open(work, { ...options, credentials });
      expectNoSecret(await expectCode(other.push(), GitError, 'AUTH_FAILED'));
    }
    // Without credentials git has nothing to answer the 401 with.
    const anonymous = await LocalRepository.open(work, options);
    expectNoSecret(await expectCode(anonymous.push(), GitError, 'AUTH_FAILED'));

    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(SECRET_CANARY);
    const invocations = await recorder.log();
    expect(invocations).toContain('argv: [push] [--porcelain]');
    expect(invocations).toContain('GIT_ASKPASS');
    expect(invocations).not.toContain(SECRET_CANARY);
    expect(await readFile(trace, 'utf8')).toContain('run_command');
    expect(await readFile(trace, 'utf8')).not.toContain(SECRET_CANARY);
    expect(await readFile(join(work, '.git', 'config'), 'utf8')).not.toContain(SECRET_CANARY);
    expect(await readdir(tmp.path)).toEqual([]);
  });

  it('fails with NETWORK when nothing listens, and NOT_FOUND for a repository the server lacks', async () => {
    await using fixture = await createGitFixture();
    const server = await serveGit(fixture.bareDir);
    const url = server.url;
    await server.close();
    await expectCode(LocalRepository.clone(url, join(fixture.dir, 'a')), GitError, 'NETWORK');
    await using again = await serveGit(fixture.bareDir);
    await mkdir(join(fixture.dir, 'b'));
    await expectCode(
      LocalRepository.clone(again.url.replace(/[^/]+$/, 'missing.git'), join(fixture.dir, 'b')),
      GitError,
      'NOT_FOUND',
    );
  });
});
