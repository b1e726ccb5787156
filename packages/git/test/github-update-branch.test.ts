import { access, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expectCode, tempDir } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import { type ApplyStep, GitError, type UpdateResult, updateBranch } from '../src/index.js';
import { BOT, cloneOf, git, githubFixture, PERSON, plumbing, pushAs } from './github-setup.js';

// Every test runs git; generous for a loaded 2-core machine.
const GIT_TIMEOUT = { timeout: 30_000 };

const FILES = {
  'README.md': '# demo\n',
  'clusters/prod/app.yaml': 'image: app:1.0.0\n',
  'clusters/staging/app.yaml': 'image: app:1.0.0\n',
};

/** An apply step that sets `path` to `content`, and says it changed nothing when it already is. */
function setFile(path: string, content: string): ApplyStep {
  return async (dir) => {
    const current = await readFile(join(dir, path), 'utf8').catch(() => undefined);
    if (current === content) return [];
    await writeFile(join(dir, path), content);
    return [path];
  };
}

/** Resolves once `count` callers have arrived, so they all start from the same head. */
function barrier(count: number): () => Promise<void> {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => {
    release = resolve;
  });
  return () => {
    if (++arrived === count) release();
    return all;
  };
}

describe('updateBranch through GitHubRepository', GIT_TIMEOUT, () => {
  it('refuses a refspec or push options, which need a git push, before writing anything', async () => {
    await using fx = await githubFixture(FILES);
    for (const extra of [{ refspec: 'HEAD:refs/heads/deploy' }, { pushOptions: ['ci.skip'] }]) {
      await expectCode(
        updateBranch({
          repository: fx.repository(),
          branch: 'main',
          apply: setFile('clusters/prod/app.yaml', 'image: app:1.1.0\n'),
          message: 'bump app',
          author: BOT,
          ...extra,
        }),
        GitError,
        'INVALID_ARGUMENT',
      );
    }
    expect(fx.server.requests.filter((request) => request.method !== 'GET')).toEqual([]);
  });

  it('lands every change of N concurrent writers on the same branch, losing no commit', {
    timeout: 120_000,
  }, async () => {
    const writers = 5;
    await using fx = await githubFixture(FILES);
    const seed = await git(fx.bare, 'rev-parse', 'main');
    const together = barrier(writers);
    const results = await Promise.all(
      Array.from({ length: writers }, (_, i) =>
        updateBranch({
          repository: fx.repository(),
          branch: 'main',
          apply: async (dir, context) => {
            // Every first attempt starts from the same head, so all but one lose the race.
            if (context.attempt === 1) await together();
            await writeFile(join(dir, `writer-${i}.txt`), `writer ${i}\n`);
            return [`writer-${i}.txt`];
          },
          message: `writer ${i}`,
          author: BOT,
          attempts: writers,
          backoffMs: 20,
        }),
      ),
    );
    expect(results.map((result) => result.status)).toEqual(Array(writers).fill('pushed'));
    // All first attempts start from the same head, so exactly one wins it; a writer loses
    // only to another's success, so none needs more than N attempts.
    const attempts = results.map((result) => result.attempts);
    expect(attempts.filter((n) => n === 1)).toHaveLength(1);
    expect(Math.max(...attempts)).toBeLessThanOrEqual(writers);
    const log = (await git(fx.bare, 'log', '--format=%H %s', `${seed}..main`)).split('\n');
    expect(log).toHaveLength(writers);
    for (const result of results) {
      const sha = (result as Extract<UpdateResult, { status: 'pushed' }>).commit.sha;
      await git(fx.bare, 'merge-base', '--is-ancestor', sha, 'main');
    }
    expect(await git(fx.bare, 'rev-list', '--merges', '--count', 'main')).toBe('0');
    const work = await cloneOf(fx.bare, fx.scratch);
    for (let i = 0; i < writers; i++) {
      expect(await readFile(join(work, `writer-${i}.txt`), 'utf8')).toBe(`writer ${i}\n`);
    }
  });

  it('makes one commit when two writers make the same change', async () => {
    await using fx = await githubFixture(FILES);
    const seed = await git(fx.bare, 'rev-parse', 'main');
    const together = barrier(2);
    const bump = setFile('clusters/prod/app.yaml', 'image: app:1.2.0\n');
    // Different messages: two identical commits made in the same second would have one name.
    const run = (writer: string) =>
      updateBranch({
        repository: fx.repository(),
        branch: 'main',
        apply: async (dir, context) => {
          if (context.attempt === 1) await together();
          return bump(dir, context);
        },
        message: `Update app to 1.2.0 (${writer})`,
        author: BOT,
        backoffMs: 20,
      });
    const results = await Promise.all([run('a'), run('b')]);
    expect(results.map((result) => result.status).sort()).toEqual(['already-applied', 'pushed']);
    expect(await git(fx.bare, 'rev-list', '--count', `${seed}..main`)).toBe('1');
  });

  it('retries when GitHub answers 422 "not a fast forward" to the ref update', async () => {
    await using fx = await githubFixture(FILES);
    fx.server.faults.failNextRefUpdate();
    const result = await updateBranch({
      repository: fx.repository(),
      branch: 'main',
      apply: setFile('clusters/prod/app.yaml', 'image: app:1.2.0\n'),
      message: 'Update app',
      author: BOT,
      backoffMs: 1,
    });
    expect(result).toMatchObject({ status: 'pushed', attempts: 2 });
    expect(await git(fx.bare, 'show', 'main:clusters/prod/app.yaml')).toBe('image: app:1.2.0');
  });

  it('gives up with ATTEMPTS_EXHAUSTED when every ref update is refused', async () => {
    await using fx = await githubFixture(FILES);
    fx.server.faults.failNextRefUpdate(3);
    await expectCode(
      updateBranch({
        repository: fx.repository(),
        branch: 'main',
        apply: setFile('README.md', 'changed\n'),
        message: 'x',
        author: BOT,
        attempts: 3,
        backoffMs: 1,
      }),
      GitError,
      'ATTEMPTS_EXHAUSTED',
    );
  });

  describe('a push branch', () => {
    const PUSH = 'tagsmith/update-app';
    const bump = (version: string) => ({
      branch: PUSH,
      base: 'main',
      apply: setFile('clusters/prod/app.yaml', `image: app:${version}\n`),
      message: `Update app to ${version}`,
      author: BOT,
    });

    it('is rebuilt from the moved base plus one commit, and a run with nothing new pushes nothing', async () => {
      await using fx = await githubFixture(FILES);
      const github = fx.repository();
      const first = await updateBranch({ repository: github, ...bump('1.2.0') });
      expect(first).toMatchObject({ status: 'pushed', push: { branch: PUSH, forced: false } });
      expect(await git(fx.bare, 'rev-parse', `${PUSH}^`)).toBe(
        await git(fx.bare, 'rev-parse', 'main'),
      );

      await pushAs(fx.bare, fx.scratch, PERSON, 'main', { 'README.md': 'moved on\n' });
      const main = await git(fx.bare, 'rev-parse', 'main');
      const second = await updateBranch({ repository: github, ...bump('1.2.0') });
      expect(second).toMatchObject({ status: 'pushed', push: { forced: true } });
      expect(await git(fx.bare, 'rev-parse', `${PUSH}^`)).toBe(main);
      expect(await git(fx.bare, 'rev-list', '--count', `main..${PUSH}`)).toBe('1');
      expect(await git(fx.bare, 'show', `${PUSH}:README.md`)).toBe('moved on');
      expect(await git(fx.bare, 'show', `${PUSH}:clusters/prod/app.yaml`)).toBe('image: app:1.2.0');

      const head = await git(fx.bare, 'rev-parse', PUSH);
      const seen = fx.server.requests.length;
      const third = await updateBranch({ repository: github, ...bump('1.2.0') });
      expect(third).toMatchObject({ status: 'no-change', attempts: 1 });
      expect(await git(fx.bare, 'rev-parse', PUSH)).toBe(head);
      const writes = fx.server.requests
        .slice(seen)
        .filter(
          (request) =>
            /\/git\/(refs|commits)$|\/git\/refs\//.test(request.path) && request.method !== 'GET',
        );
      expect(writes).toEqual([]);
    });

    it('is left alone when it carries a commit the automation did not make, unless forced', async () => {
      await using fx = await githubFixture(FILES);
      const github = fx.repository();
      await updateBranch({ repository: github, ...bump('1.2.0') });
      const fix = await pushAs(fx.bare, fx.scratch, PERSON, PUSH, {
        'clusters/prod/app.yaml': 'fixed\n',
      });

      const leftAlone = await updateBranch({ repository: github, ...bump('1.3.0') });
      expect(leftAlone).toEqual({ status: 'left-alone', attempts: 1, foreignCommits: [fix] });
      expect(await git(fx.bare, 'rev-parse', PUSH)).toBe(fix);

      const forced = await updateBranch({ repository: github, ...bump('1.3.0'), force: true });
      expect(forced).toMatchObject({ status: 'pushed', push: { before: fix, forced: true } });
      expect(await git(fx.bare, 'rev-list', '--count', `main..${PUSH}`)).toBe('1');
      expect(await git(fx.bare, 'show', `${PUSH}:clusters/prod/app.yaml`)).toBe('image: app:1.3.0');
    });

    it('is a conflict, not an overwrite, when another writer creates it after prepare', async () => {
      await using fx = await githubFixture(FILES);
      const github = fx.repository();
      const workspace = await github.prepare({ branch: PUSH, base: 'main' });
      await writeFile(join(workspace.dir, 'README.md'), 'mine\n');
      const theirs = await fx.repository().commitFiles({
        branch: PUSH,
        files: [{ path: 'README.md', content: 'theirs\n' }],
        message: 'theirs',
        author: BOT,
      });
      const outcome = await github.publish(workspace, {
        files: ['README.md'],
        message: 'mine',
        author: BOT,
      });
      await github.release(workspace);
      expect(outcome).toEqual({ status: 'conflict', remoteHead: theirs!.sha });
      expect(await git(fx.bare, 'rev-parse', PUSH)).toBe(theirs!.sha);
    });
  });
});

describe('GitHubRepository.prepare, publish and release', GIT_TIMEOUT, () => {
  it('lays out only the asked-for paths, skips symlinks and submodules, and keeps them when publishing', async () => {
    await using fx = await githubFixture(FILES);
    const work = await cloneOf(fx.bare, fx.scratch);
    await symlink('app.yaml', join(work, 'clusters/prod/link.yaml'));
    const submodule = await git(fx.bare, 'rev-parse', 'main');
    await git(work, 'add', '-A');
    // After `add -A`, which would drop a gitlink with no directory behind it.
    await git(
      work,
      'update-index',
      '--add',
      '--cacheinfo',
      `160000,${submodule},clusters/prod/vendor`,
    );
    await git(
      work,
      '-c',
      'user.name=x',
      '-c',
      'user.email=x@x',
      'commit',
      '-qm',
      'link, submodule',
    );
    await git(work, 'push', '-q', 'origin', 'main');
    await using parent = await tempDir('github-workdir');
    const github = fx.repository({ workDir: parent.path });

    const workspace = await github.prepare({ branch: 'main', paths: ['clusters/prod'] });
    expect(workspace).toMatchObject({
      branch: 'main',
      base: 'main',
      head: await git(fx.bare, 'rev-parse', 'main'),
    });
    expect(workspace.dir.startsWith(parent.path)).toBe(true);
    expect(await readdir(workspace.dir, { recursive: true })).toEqual(
      expect.arrayContaining(['clusters', 'clusters/prod', 'clusters/prod/app.yaml']),
    );
    expect((await readdir(workspace.dir, { recursive: true })).sort()).toEqual([
      'clusters',
      'clusters/prod',
      'clusters/prod/app.yaml',
    ]);

    await writeFile(join(workspace.dir, 'clusters/prod/app.yaml'), 'image: app:2.0.0\n');
    const outcome = await github.publish(workspace, {
      files: ['clusters/prod/app.yaml', 'README.md'],
      message: 'bump, drop README',
      author: BOT,
    });
    expect(outcome).toMatchObject({
      status: 'pushed',
      commit: { files: ['README.md', 'clusters/prod/app.yaml'] },
      push: { branch: 'main', forced: false },
    });
    const tree = await git(fx.bare, 'ls-tree', '-r', 'main');
    expect(tree).toContain(`120000 blob`);
    expect(tree).toContain(`160000 commit ${submodule}\tclusters/prod/vendor`);
    expect(tree).not.toContain('README.md');

    await github.release(workspace);
    await expect(access(workspace.dir)).rejects.toMatchObject({ code: 'ENOENT' });
    await github.release(workspace);
    await expectCode(
      github.publish(workspace, { files: [], message: 'x', author: BOT }),
      GitError,
      'INVALID_ARGUMENT',
    );
  });

  it('walks the tree level by level when GitHub truncates the recursive listing', async () => {
    await using fx = await githubFixture(
      { ...FILES, 'other/a.txt': 'a\n', 'other/b.txt': 'b\n' },
      { maxTreeEntries: 2 },
    );
    const github = fx.repository();
    expect(await github.listFiles('main', 'clusters')).toEqual([
      'clusters/prod/app.yaml',
      'clusters/staging/app.yaml',
    ]);
    expect(await github.listFiles()).toHaveLength(5);
    const workspace = await github.prepare({ branch: 'main', paths: ['clusters/staging'] });
    expect(await readFile(join(workspace.dir, 'clusters/staging/app.yaml'), 'utf8')).toBe(
      'image: app:1.0.0\n',
    );
    await github.release(workspace);
  });

  it('refuses a tree whose paths would leave the workspace, writing nothing', async () => {
    await using fx = await githubFixture(FILES);
    const blob = await git(fx.bare, 'rev-parse', 'main:README.md');
    const evilTree = await plumbing(fx.bare, ['mktree'], `100644 blob ${blob}\t..\n`);
    const evil = await git(
      fx.bare,
      '-c',
      'user.name=x',
      '-c',
      'user.email=x@x',
      'commit-tree',
      evilTree,
      '-m',
      'evil',
    );
    await git(fx.bare, 'update-ref', 'refs/heads/evil', evil);
    await using parent = await tempDir('github-workdir');
    const github = fx.repository({ workDir: parent.path });
    const error = await expectCode(github.prepare({ branch: 'evil' }), GitError, 'UNSAFE_PATH');
    expect(error.path).toBe('..');

    // A server could name an absolute path too; git cannot store one, so a fault sends it.
    fx.server.faults.add({
      method: 'GET',
      path: '/repos/tagsmith/demo/git/trees/*',
      fault: {
        kind: 'status',
        status: 200,
        body: {
          sha: evilTree,
          truncated: false,
          tree: [{ path: '/tmp/owned', mode: '100644', type: 'blob', sha: blob }],
        },
      },
    });
    await expectCode(github.prepare({ branch: 'main' }), GitError, 'UNSAFE_PATH');
    expect(await readdir(parent.path)).toEqual([]);
  });

  it('refuses to publish through a symlink the apply step made', async () => {
    await using fx = await githubFixture(FILES);
    const github = fx.repository();
    const workspace = await github.prepare({ branch: 'main' });
    await symlink('/etc', join(workspace.dir, 'etc'));
    await expectCode(
      github.publish(workspace, { files: ['etc/passwd'], message: 'x', author: BOT }),
      GitError,
      'UNSAFE_PATH',
    );
    await symlink('/etc/hostname', join(workspace.dir, 'hostname'));
    await expectCode(
      github.publish(workspace, { files: ['hostname'], message: 'x', author: BOT }),
      GitError,
      'UNSAFE_PATH',
    );
    await expectCode(
      github.publish(workspace, { files: ['../x'], message: 'x', author: BOT }),
      GitError,
      'UNSAFE_PATH',
    );
    await github.release(workspace);
  });

  it('throws NOT_FOUND when the base branch does not exist', async () => {
    await using fx = await githubFixture(FILES);
    const error = await expectCode(
      fx.repository().prepare({ branch: 'bot', base: 'nope' }),
      GitError,
      'NOT_FOUND',
    );
    expect(error.ref).toBe('nope');
  });
});
