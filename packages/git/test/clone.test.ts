// LocalRepository.clone and open against real bare repositories over file://: Flux's
// ref precedence, shallow by default, sparse checkouts, and the refusals.
import { access, mkdir, readdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expectCode, SECRET_CANARY, tempDir } from '@tagsmith/test-utils';
import { createGitFixture, type GitFixture } from '@tagsmith/testkit';
import { describe, expect, it } from 'vitest';
import { GitError, LocalRepository } from '../src/index.js';
import { git } from './helpers.js';

// The caller's semver matcher (selectTag of @tagsmith/policy in production, as
// test/integration/git-local-semver.test.ts runs it): a table here, so these tests show
// what clone does with the tags it lists and the answer it gets.
const picks: Record<string, string> = { '^1.0.0': 'v1.1.0', '>=2.0.0-0': 'v2.0.0-rc.1' };
const offered: string[][] = [];
const matchSemver = (range: string, tags: readonly string[]) => {
  offered.push([...tags].sort());
  return picks[range];
};

// main: three commits (v1.0.0 annotated, v1.1.0 lightweight, v2.0.0-rc.1), and dev.
async function fixture(): Promise<GitFixture> {
  return createGitFixture({
    files: { 'README.md': '# app\n', 'apps/one/app.yaml': 'image: one:1\n' },
    history: [
      {
        message: 'two',
        files: { 'apps/two/app.yaml': 'image: two:1\n', 'infra/base.yaml': 'base\n' },
        tag: { name: 'v1.0.0', annotated: true },
      },
      { message: 'three', files: { 'apps/one/app.yaml': 'image: one:2\n' }, tag: 'v1.1.0' },
      { message: 'dev work', branch: 'dev', files: { 'dev.txt': 'dev\n' } },
      { message: 'four', files: { 'apps/one/app.yaml': 'image: one:3\n' }, tag: 'v2.0.0-rc.1' },
    ],
  });
}

async function headOf(dir: string) {
  return {
    sha: await git(dir, ['rev-parse', 'HEAD']),
    ref: await git(dir, ['rev-parse', '--symbolic-full-name', 'HEAD']),
    count: Number(await git(dir, ['rev-list', '--count', 'HEAD'])),
  };
}

describe('LocalRepository.clone', { timeout: 60_000 }, () => {
  it("checks out the remote's default branch, shallow, as a local branch tracking the remote", async () => {
    await using repo = await fixture();
    await using dir = await tempDir('clone');
    const target = join(dir.path, 'work');
    const local = await LocalRepository.clone(repo.url, target);
    expect(local.dir).toBe(target);
    const head = await headOf(target);
    expect(head).toEqual({ sha: await repo.head(), ref: 'refs/heads/main', count: 1 });
    expect(await git(target, ['rev-parse', '--abbrev-ref', 'main@{upstream}'])).toBe('origin/main');
    expect(await git(target, ['rev-parse', '--is-shallow-repository'])).toBe('true');
  });

  it('fetches the whole history with depth 0', async () => {
    await using repo = await fixture();
    await using dir = await tempDir('clone');
    const target = join(dir.path, 'work');
    await LocalRepository.clone(repo.url, target, { depth: 0 });
    expect((await headOf(target)).count).toBe(4);
    expect(await git(target, ['rev-parse', '--is-shallow-repository'])).toBe('false');
  });

  it('checks out each kind of ref: branch, tag (annotated or not), commit, full name, semver', async () => {
    await using repo = await fixture();
    await using dir = await tempDir('clone');
    const [four, three, two, first] = (await repo.log('main')).map((entry) => entry.sha);
    const dev = await repo.head('dev');
    await git(repo.bareDir, ['update-ref', 'refs/pull/7/head', dev!]);
    const cases = [
      { ref: { branch: 'dev' }, sha: dev, head: 'refs/heads/dev' },
      { ref: { tag: 'v1.0.0' }, sha: two, head: 'HEAD' },
      { ref: { tag: 'v1.1.0' }, sha: three, head: 'HEAD' },
      { ref: { commit: first! }, sha: first, head: 'HEAD' },
      { ref: { name: 'refs/heads/dev' }, sha: dev, head: 'refs/heads/dev' },
      { ref: { name: 'refs/tags/v1.0.0' }, sha: two, head: 'HEAD' },
      { ref: { name: 'refs/pull/7/head' }, sha: dev, head: 'HEAD' },
      { ref: { semver: '^1.0.0' }, sha: three, head: 'HEAD' },
      { ref: { semver: '>=2.0.0-0' }, sha: four, head: 'HEAD' },
    ];
    for (const [i, { ref, sha, head }] of cases.entries()) {
      const target = join(dir.path, `work-${i}`);
      await LocalRepository.clone(repo.url, target, { ref, matchSemver });
      expect(await headOf(target), JSON.stringify(ref)).toEqual({ sha, ref: head, count: 1 });
    }
    // Every tag of the remote, annotated or not, was offered to matchSemver.
    expect(offered.at(-1)).toEqual(['v1.0.0', 'v1.1.0', 'v2.0.0-rc.1']);
  });

  it('follows Flux precedence when several are set: commit > name > tag > semver > branch', async () => {
    await using repo = await fixture();
    await using dir = await tempDir('clone');
    const [, three, two, first] = (await repo.log('main')).map((entry) => entry.sha);
    const all = {
      commit: first!,
      name: 'refs/tags/v1.0.0',
      tag: 'v1.1.0',
      semver: '>=2.0.0-0',
      branch: 'dev',
    };
    const { commit: _c, ...noCommit } = all;
    const { name: _n, ...noName } = noCommit;
    const { tag: _t, ...semverAndBranch } = noName;
    const cases = [
      { ref: all, sha: first },
      { ref: noCommit, sha: two },
      { ref: noName, sha: three },
      { ref: semverAndBranch, sha: (await repo.log('main'))[0]!.sha },
    ];
    for (const [i, { ref, sha }] of cases.entries()) {
      const target = join(dir.path, `work-${i}`);
      await LocalRepository.clone(repo.url, target, { ref, matchSemver });
      expect((await headOf(target)).sha, JSON.stringify(ref)).toBe(sha);
    }
  });

  it('checks out only the sparse directories (and the top-level files)', async () => {
    await using repo = await fixture();
    await using dir = await tempDir('clone');
    const target = join(dir.path, 'work');
    await LocalRepository.clone(repo.url, target, { sparse: ['apps/one'] });
    expect((await readdir(target)).sort()).toEqual(['.git', 'README.md', 'apps']);
    expect(await readdir(join(target, 'apps'))).toEqual(['one']);
    expect(await git(target, ['status', '--porcelain'])).toBe('');
  });

  it('fails with NOT_FOUND naming a missing branch, tag, commit or semver match, and leaves nothing behind', async () => {
    await using repo = await fixture();
    await using dir = await tempDir('clone');
    const missing = [
      { ref: { branch: 'nope' }, name: 'nope' },
      { ref: { tag: 'v9.9.9' }, name: 'v9.9.9' },
      { ref: { commit: 'f'.repeat(40) }, name: 'f'.repeat(40) },
      { ref: { name: 'refs/pull/404/head' }, name: 'refs/pull/404/head' },
      { ref: { semver: '^3' }, name: '^3' },
    ];
    for (const { ref, name } of missing) {
      const target = join(dir.path, 'work');
      const error = await expectCode(
        LocalRepository.clone(repo.url, target, { ref, matchSemver }),
        GitError,
        'NOT_FOUND',
      );
      expect(error.ref).toBe(name);
      expect(error.message).toContain(name);
      await expect(access(target)).rejects.toMatchObject({ code: 'ENOENT' });
    }
    // A directory that existed (empty) is kept, and emptied again.
    const existing = join(dir.path, 'existing');
    await mkdir(existing);
    await expectCode(
      LocalRepository.clone(repo.url, existing, { ref: { branch: 'nope' } }),
      GitError,
      'NOT_FOUND',
    );
    expect(await readdir(existing)).toEqual([]);
  });

  it('refuses misuse with INVALID_ARGUMENT', async () => {
    await using repo = await fixture();
    await using dir = await tempDir('clone');
    const target = join(dir.path, 'work');
    const semverless = await expectCode(
      LocalRepository.clone(repo.url, target, { ref: { semver: '^1' } }),
      GitError,
      'INVALID_ARGUMENT',
    );
    expect(semverless.message).toContain('matchSemver');
    expect(semverless.message).toContain('selectTag');
    await expectCode(
      LocalRepository.clone(repo.url, target, { ref: { commit: 'abc123' } }),
      GitError,
      'INVALID_ARGUMENT',
    );
    await expectCode(
      LocalRepository.clone(repo.url, target, { ref: { branch: '-x' } }),
      GitError,
      'INVALID_ARGUMENT',
    );
    await expectCode(
      LocalRepository.clone(repo.url, target, { depth: -1 }),
      GitError,
      'INVALID_ARGUMENT',
    );
    const withPassword = await expectCode(
      LocalRepository.clone(`https://bot:${SECRET_CANARY}@example.com/r.git`, target),
      GitError,
      'INVALID_ARGUMENT',
    );
    expect(withPassword.message).not.toContain(SECRET_CANARY);
    await mkdir(target);
    await writeFile(join(target, 'x'), 'x');
    await expectCode(LocalRepository.clone(repo.url, target), GitError, 'INVALID_ARGUMENT');
  });

  it('fails with GIT_NOT_FOUND when git is not there, and ABORTED when the signal fires', async () => {
    await using repo = await fixture();
    await using dir = await tempDir('clone');
    await expectCode(
      LocalRepository.clone(repo.url, join(dir.path, 'a'), { gitPath: join(dir.path, 'no-git') }),
      GitError,
      'GIT_NOT_FOUND',
    );
    await expectCode(
      LocalRepository.clone(repo.url, join(dir.path, 'b'), { signal: AbortSignal.abort() }),
      GitError,
      'ABORTED',
    );
    await expect(access(join(dir.path, 'b'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('LocalRepository.clone, aborted', { timeout: 60_000 }, () => {
  it('kills git when the signal fires mid-command, and leaves nothing behind', async () => {
    await using dir = await tempDir('clone');
    const controller = new AbortController();
    // A server that accepts and never answers: git waits until the abort kills it.
    const silent = createServer(() => controller.abort());
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    const { port } = silent.address() as AddressInfo;
    const target = join(dir.path, 'work');
    try {
      await expectCode(
        LocalRepository.clone(`http://127.0.0.1:${port}/repo.git`, target, {
          signal: controller.signal,
        }),
        GitError,
        'ABORTED',
      );
    } finally {
      silent.closeAllConnections?.();
      await new Promise((done) => silent.close(done));
    }
    await expect(access(target)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('LocalRepository.open', { timeout: 60_000 }, () => {
  it('opens the top of a working tree and refuses anything else with NOT_A_REPOSITORY', async () => {
    await using repo = await fixture();
    await using dir = await tempDir('open');
    const clone = await repo.clone();
    const opened = await LocalRepository.open(clone);
    expect(opened.dir).toBe(clone);
    await expectCode(LocalRepository.open(join(clone, 'apps')), GitError, 'NOT_A_REPOSITORY');
    await expectCode(LocalRepository.open(dir.path), GitError, 'NOT_A_REPOSITORY');
    await expectCode(LocalRepository.open(join(dir.path, 'missing')), GitError, 'NOT_A_REPOSITORY');
    await expectCode(LocalRepository.open(repo.bareDir), GitError, 'NOT_A_REPOSITORY');
  });
});

describe('the environment git runs in', { timeout: 60_000 }, () => {
  it('reads the global config only with useGlobalConfig', async () => {
    await using repo = await fixture();
    await using home = await tempDir('home');
    // A rewrite only the global config knows: the missing path stands for the fixture.
    await writeFile(
      join(home.path, '.gitconfig'),
      `[url "${repo.bareDir}"]\n\tinsteadOf = /nonexistent-tagsmith/repo.git\n`,
    );
    const env = { PATH: process.env.PATH, HOME: home.path };
    await expectCode(
      LocalRepository.clone('/nonexistent-tagsmith/repo.git', join(home.path, 'a'), { env }),
      GitError,
      'NOT_FOUND',
    );
    const local = await LocalRepository.clone(
      '/nonexistent-tagsmith/repo.git',
      join(home.path, 'b'),
      {
        env,
        useGlobalConfig: true,
      },
    );
    expect(await git(local.dir, ['rev-parse', 'HEAD'])).toBe(await repo.head());
  });

  it('ignores GIT_DIR and GIT_WORK_TREE in a given environment', async () => {
    await using repo = await fixture();
    const other = await repo.clone();
    const otherHead = await git(other, ['rev-parse', 'HEAD']);
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GIT_DIR: join(other, '.git'),
      GIT_WORK_TREE: other,
    };
    const local = await LocalRepository.clone(repo.url, join(repo.dir, 'work'), { env });
    await writeFile(join(local.dir, 'README.md'), '# changed\n');
    await local.commit({
      files: ['README.md'],
      message: 'here',
      author: { name: 'b', email: 'b@example.com' },
    });
    expect(await git(other, ['rev-parse', 'HEAD'])).toBe(otherHead);
    expect(await git(local.dir, ['log', '-1', '--format=%s'])).toBe('here');
  });
});
