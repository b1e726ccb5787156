// LocalRepository.push to real bare repositories over file://: what the result says,
// the refspec and push options the remote's pre-receive hook sees, and the refusals.
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expectCode } from '@tagsmith/test-utils';
import { createGitFixture } from '@tagsmith/testkit';
import { describe, expect, it } from 'vitest';
import { GitError, LocalRepository } from '../src/index.js';
import { BOT, git, recordingLogger } from './helpers.js';

async function setUp(options: { depth?: number } = {}) {
  const fixture = await createGitFixture({ files: { 'app.yaml': 'image: app:1\n' } });
  const { logger, lines } = recordingLogger();
  const repository = await LocalRepository.clone(fixture.url, join(fixture.dir, 'work'), {
    logger,
    ...options,
  });
  let n = 1;
  const change = async () => {
    await writeFile(join(repository.dir, 'app.yaml'), `image: app:${++n}\n`);
    return (await repository.commit({ files: ['app.yaml'], message: `bump ${n}`, author: BOT }))!;
  };
  return { fixture, repository, change, lines };
}

const ZERO = '0'.repeat(40);

describe('LocalRepository.push', { timeout: 60_000 }, () => {
  it('pushes HEAD to the checked-out branch and says what moved', async () => {
    const { fixture, repository, change, lines } = await setUp();
    await using _ = fixture;
    const before = await fixture.head();
    const commit = await change();
    const pushed = await repository.push();
    expect(pushed).toEqual({
      remote: fixture.url,
      branch: 'main',
      before,
      after: commit.sha,
      forced: false,
    });
    expect(await fixture.head()).toBe(commit.sha);
    expect(lines).toContain(`info: pushed ${commit.sha.slice(0, 12)} to main on ${fixture.url}`);
    expect(lines.some((line) => line.startsWith('debug: git push --porcelain'))).toBe(true);
  });

  it('creates another branch (no `before`), then pushes the same commit again as up to date', async () => {
    const { fixture, repository, change } = await setUp();
    await using _ = fixture;
    const commit = await change();
    const created = await repository.push({ branch: 'release' });
    expect(created).toEqual({
      remote: fixture.url,
      branch: 'release',
      after: commit.sha,
      forced: false,
    });
    expect(await fixture.head('release')).toBe(commit.sha);
    expect(await fixture.head('main')).not.toBe(commit.sha);
    const again = await repository.push({ branch: 'release' });
    expect(again).toMatchObject({ before: commit.sha, after: commit.sha, forced: false });
  });

  it('sends the push options with both pushes and pushes the refspec second', async () => {
    const { fixture, repository, change } = await setUp();
    await using _ = fixture;
    const recorder = await fixture.recordPushes();
    const before = await fixture.head();
    const commit = await change();
    const pushed = await repository.push({
      refspec: 'HEAD:refs/heads/deploy',
      pushOptions: ['merge_request.create', 'ci.skip'],
    });
    expect(pushed.refspec).toBe('HEAD:refs/heads/deploy');
    expect(await recorder.pushes()).toEqual([
      {
        updates: [{ ref: 'refs/heads/main', before, after: commit.sha }],
        pushOptions: ['merge_request.create', 'ci.skip'],
      },
      {
        updates: [{ ref: 'refs/heads/deploy', before: ZERO, after: commit.sha }],
        pushOptions: ['merge_request.create', 'ci.skip'],
      },
    ]);
  });

  it('rejects a push the remote cannot fast-forward with PUSH_REJECTED, and force replaces it', async () => {
    const { fixture, repository, change } = await setUp();
    await using _ = fixture;
    const theirs = await fixture.commit({ 'other.txt': 'theirs\n' }, 'another writer');
    const ours = await change();
    const error = await expectCode(repository.push(), GitError, 'PUSH_REJECTED');
    expect(error.ref).toBe('main');
    expect(error.remote).toBe(fixture.url);
    expect(await fixture.head()).toBe(theirs);

    const stale = await expectCode(
      repository.push({ forceWithLease: { expect: ours.parent! } }),
      GitError,
      'PUSH_REJECTED',
    );
    expect(stale.ref).toBe('main');
    expect(await fixture.head()).toBe(theirs);

    const leased = await repository.push({ forceWithLease: { expect: theirs } });
    expect(leased).toMatchObject({ before: theirs, after: ours.sha, forced: true });
    const forced = await repository.push({ branch: 'main', force: true });
    expect(forced).toMatchObject({ before: ours.sha, after: ours.sha, forced: false });
  });

  it('reports a declining hook as PUSH_REJECTED quoting the remote', async () => {
    const { fixture, repository, change } = await setUp();
    await using _ = fixture;
    const hook = join(fixture.bareDir, 'hooks', 'pre-receive');
    await git(fixture.bareDir, ['config', 'core.hooksPath', join(fixture.bareDir, 'hooks')]);
    await writeFile(hook, '#!/bin/sh\necho "main is protected by policy" >&2\nexit 1\n');
    await chmod(hook, 0o755);
    await change();
    const error = await expectCode(repository.push(), GitError, 'PUSH_REJECTED');
    expect(error.message).toContain('main is protected by policy');
    expect(error.command).toBe('push');
  });

  it('needs a branch on a detached HEAD, and refuses bad options with INVALID_ARGUMENT', async () => {
    const { fixture, repository } = await setUp();
    await using _ = fixture;
    await git(repository.dir, ['checkout', '-q', '--detach']);
    await expectCode(repository.push(), GitError, 'INVALID_ARGUMENT');
    expect((await repository.push({ branch: 'from-detached' })).branch).toBe('from-detached');
    await expectCode(repository.push({ branch: '--upload-pack=x' }), GitError, 'INVALID_ARGUMENT');
    await expectCode(repository.push({ branch: 'a', refspec: '-x' }), GitError, 'INVALID_ARGUMENT');
    await expectCode(
      repository.push({ branch: 'a', pushOptions: ['two\nlines'] }),
      GitError,
      'INVALID_ARGUMENT',
    );
    await expectCode(
      repository.push({ branch: 'a', force: true, forceWithLease: {} }),
      GitError,
      'INVALID_ARGUMENT',
    );
    await expectCode(
      repository.push({ branch: 'a', forceWithLease: { expect: 'abc' } }),
      GitError,
      'INVALID_ARGUMENT',
    );
  });

  it('pushes from a full clone and a shallow one alike', async () => {
    for (const depth of [0, 1]) {
      const { fixture, repository, change } = await setUp({ depth });
      await using _ = fixture;
      await fixture.commit({ 'other.txt': 'x\n' }, 'moved');
      // Rebuild on the moved remote, as prepare does, then push.
      await repository.prepare({ branch: 'main', refresh: true });
      const commit = await change();
      expect((await repository.push()).after).toBe(commit.sha);
      expect((await fixture.log()).map((entry) => entry.message)).toEqual([
        'bump 2',
        'moved',
        'initial commit',
      ]);
    }
  });
});
