import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expectCode } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import { GitError } from '../src/index.js';
import { BOT, cloneOf, git, githubFixture, PERSON } from './github-setup.js';

// Every test runs git; generous for a loaded 2-core machine.
const GIT_TIMEOUT = { timeout: 30_000 };

const FILES = {
  'README.md': '# demo\n',
  'clusters/prod/app.yaml': 'image: app:1.0.0\n',
  'clusters/prod/db.yaml': 'image: db:2.0.0\n',
  'clusters/staging/app.yaml': 'image: app:1.1.0\n',
};

describe('GitHubRepository.commitFiles', GIT_TIMEOUT, () => {
  it('uploads blobs, makes a tree on the parent and a commit, and moves the branch', async () => {
    await using fx = await githubFixture(FILES);
    const github = fx.repository();
    const before = await git(fx.bare, 'rev-parse', 'main');
    const commit = await github.commitFiles({
      branch: 'main',
      files: [
        { path: 'clusters/prod/app.yaml', content: 'image: app:1.2.0\n' },
        { path: 'clusters/prod/new/cron.yaml', content: 'image: cron:0.1.0\n' },
      ],
      message: 'Update app to 1.2.0',
      author: BOT,
    });
    expect(commit).toMatchObject({
      parent: before,
      message: 'Update app to 1.2.0',
      files: ['clusters/prod/app.yaml', 'clusters/prod/new/cron.yaml'],
      signed: false,
    });
    expect(await git(fx.bare, 'rev-parse', 'main')).toBe(commit!.sha);
    expect(await git(fx.bare, 'rev-parse', 'main^{tree}')).toBe(commit!.tree);

    const work = await cloneOf(fx.bare, fx.scratch);
    expect(await readFile(join(work, 'clusters/prod/app.yaml'), 'utf8')).toBe('image: app:1.2.0\n');
    expect(await readFile(join(work, 'clusters/prod/new/cron.yaml'), 'utf8')).toBe(
      'image: cron:0.1.0\n',
    );
    expect(await readFile(join(work, 'clusters/prod/db.yaml'), 'utf8')).toBe('image: db:2.0.0\n');
    expect(await git(work, 'log', '-1', '--format=%an <%ae>|%cn <%ce>|%s')).toBe(
      `${BOT.name} <${BOT.email}>|${BOT.name} <${BOT.email}>|Update app to 1.2.0`,
    );
    expect(await git(work, 'fsck', '--strict')).toBe('');
  });

  it('returns undefined and makes no commit when the files already are as given', async () => {
    await using fx = await githubFixture(FILES);
    const github = fx.repository();
    const before = await git(fx.bare, 'rev-parse', 'main');
    const writes = () => fx.server.requests.filter((request) => request.method !== 'GET').length;
    const result = await github.commitFiles({
      branch: 'main',
      files: [
        { path: 'clusters/prod/app.yaml', content: FILES['clusters/prod/app.yaml'] },
        { path: 'not/there.yaml', content: null },
      ],
      message: 'no-op',
      author: BOT,
    });
    expect(result).toBeUndefined();
    expect(writes()).toBe(0);
    expect(await git(fx.bare, 'rev-parse', 'main')).toBe(before);
  });

  it('creates a missing branch from base, leaving base alone', async () => {
    await using fx = await githubFixture(FILES);
    const github = fx.repository();
    const main = await git(fx.bare, 'rev-parse', 'main');
    const commit = await github.commitFiles({
      branch: 'tagsmith/update-app',
      base: 'main',
      files: [{ path: 'clusters/staging/app.yaml', content: 'image: app:1.2.0\n' }],
      message: 'Update staging',
      author: BOT,
    });
    expect(commit?.parent).toBe(main);
    expect(await git(fx.bare, 'rev-parse', 'tagsmith/update-app')).toBe(commit!.sha);
    expect(await git(fx.bare, 'rev-parse', 'main')).toBe(main);
  });

  it('creates a missing branch from the default branch when no base is given', async () => {
    await using fx = await githubFixture(FILES);
    const commit = await fx.repository({ writeIntervalMs: 50 }).commitFiles({
      branch: 'feature',
      files: [{ path: 'x.txt', content: 'x\n' }],
      message: 'x',
    });
    expect(commit?.parent).toBe(await git(fx.bare, 'rev-parse', 'main'));
  });

  it('throws NOT_FOUND when neither the branch nor its base exists', async () => {
    await using fx = await githubFixture(FILES);
    const error = await expectCode(
      fx.repository().commitFiles({
        branch: 'feature',
        base: 'nope',
        files: [{ path: 'x.txt', content: 'x\n' }],
        message: 'x',
      }),
      GitError,
      'NOT_FOUND',
    );
    expect(error.message).toContain('nope');
  });

  it('deletes files named with null content, and keeps the executable bit of files it rewrites', async () => {
    await using fx = await githubFixture({ ...FILES, 'bin/run.sh': '#!/bin/sh\necho 1\n' });
    const seed = await cloneOf(fx.bare, fx.scratch);
    await git(seed, 'update-index', '--chmod=+x', 'bin/run.sh');
    await git(seed, '-c', 'user.name=x', '-c', 'user.email=x@x', 'commit', '-qm', 'chmod');
    await git(seed, 'push', '-q', 'origin', 'main');
    const commit = await fx.repository().commitFiles({
      branch: 'main',
      files: [
        { path: 'clusters/prod/db.yaml', content: null },
        { path: 'bin/run.sh', content: '#!/bin/sh\necho 2\n' },
      ],
      message: 'drop db, bump script',
      author: BOT,
    });
    expect(commit?.files).toEqual(['bin/run.sh', 'clusters/prod/db.yaml']);
    expect(await git(fx.bare, 'ls-tree', '-r', '--name-only', 'main')).not.toContain(
      'clusters/prod/db.yaml',
    );
    expect(await git(fx.bare, 'ls-tree', 'main', 'bin/run.sh')).toMatch(/^100755 /);
  });

  it('commits bytes that are not UTF-8 unchanged', async () => {
    await using fx = await githubFixture(FILES);
    const bytes = Uint8Array.from([0, 255, 254, 10, 0xc3, 0x28]);
    await fx.repository().commitFiles({
      branch: 'main',
      files: [{ path: 'blob.bin', content: bytes }],
      message: 'binary',
      author: BOT,
    });
    const work = await cloneOf(fx.bare, fx.scratch);
    expect(new Uint8Array(await readFile(join(work, 'blob.bin')))).toEqual(bytes);
  });

  it('sets committer apart from author', async () => {
    await using fx = await githubFixture(FILES);
    await fx.repository().commitFiles({
      branch: 'main',
      files: [{ path: 'a.txt', content: 'a\n' }],
      message: 'a',
      author: PERSON,
      committer: BOT,
    });
    expect(await git(fx.bare, 'log', '-1', '--format=%ae %ce', 'main')).toBe(
      `${PERSON.email} ${BOT.email}`,
    );
  });

  it('throws PUSH_REJECTED when the branch moves under it, overwriting nothing', async () => {
    await using fx = await githubFixture(FILES);
    fx.server.faults.failNextRefUpdate();
    const before = await git(fx.bare, 'rev-parse', 'main');
    const error = await expectCode(
      fx.repository().commitFiles({
        branch: 'main',
        files: [{ path: 'a.txt', content: 'a\n' }],
        message: 'a',
        author: BOT,
      }),
      GitError,
      'PUSH_REJECTED',
    );
    expect(error.ref).toBe('main');
    expect(await git(fx.bare, 'rev-parse', 'main')).toBe(before);
  });

  it('takes paths as git does: ./a//b/ is a/b', async () => {
    await using fx = await githubFixture(FILES);
    const commit = await fx.repository().commitFiles({
      branch: 'main',
      files: [{ path: './docs//notes.md/', content: 'notes\n' }],
      message: 'notes',
    });
    expect(commit?.files).toEqual(['docs/notes.md']);
    expect(await git(fx.bare, 'show', 'main:docs/notes.md')).toBe('notes');
  });

  it('refuses paths that leave the repository, before any request', async () => {
    await using fx = await githubFixture(FILES);
    const github = fx.repository();
    for (const path of ['../x', '/etc/passwd', 'a/../../b', '.git/config', 'a/.GIT/x', '', '.']) {
      await expectCode(
        github.commitFiles({ branch: 'main', files: [{ path, content: 'x' }], message: 'x' }),
        GitError,
        'UNSAFE_PATH',
      );
    }
    expect(fx.server.requests).toEqual([]);
  });
});

describe('GitHubRepository.readFile and listFiles', GIT_TIMEOUT, () => {
  it('reads a file at the default branch, a branch and a commit; undefined for a missing file or a directory', async () => {
    await using fx = await githubFixture(FILES);
    const github = fx.repository();
    const seed = await git(fx.bare, 'rev-parse', 'main');
    await github.commitFiles({
      branch: 'next',
      files: [{ path: 'clusters/prod/app.yaml', content: 'image: app:9.9.9\n' }],
      message: 'next',
    });
    expect(await github.readFile('clusters/prod/app.yaml')).toBe('image: app:1.0.0\n');
    expect(await github.readFile('clusters/prod/app.yaml', 'next')).toBe('image: app:9.9.9\n');
    expect(await github.readFile('clusters/prod/app.yaml', seed)).toBe('image: app:1.0.0\n');
    expect(await github.readFile('clusters/prod/missing.yaml')).toBeUndefined();
    expect(await github.readFile('clusters/prod')).toBeUndefined();
  });

  it('throws NOT_FOUND for a ref that does not exist', async () => {
    await using fx = await githubFixture(FILES);
    const error = await expectCode(
      fx.repository().readFile('README.md', 'no-such-branch'),
      GitError,
      'NOT_FOUND',
    );
    expect(error.message).toContain('no-such-branch');
    await expectCode(fx.repository().listFiles('no-such-branch'), GitError, 'NOT_FOUND');
  });

  it('lists the files of a ref, under a path', async () => {
    await using fx = await githubFixture(FILES);
    const github = fx.repository();
    expect(await github.listFiles()).toEqual(Object.keys(FILES).sort());
    expect(await github.listFiles('main', 'clusters/prod')).toEqual([
      'clusters/prod/app.yaml',
      'clusters/prod/db.yaml',
    ]);
    expect(await github.listFiles('main', 'clusters/pro')).toEqual([]);
    await github.commitFiles({
      branch: 'main',
      files: [{ path: 'clusters/prod/db.yaml', content: null }],
      message: 'drop db',
    });
    expect(await github.listFiles('main', 'clusters')).toEqual([
      'clusters/prod/app.yaml',
      'clusters/staging/app.yaml',
    ]);
  });
});
