import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectCode, tempDir } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import { createGitFixture, TestkitError } from '../src/index.js';
import { git, tryGit } from './git.js';

const ZERO = '0'.repeat(40);

describe('createGitFixture', () => {
  it('makes a bare repository on main with a README by default, and a clone that commits with no global identity', async () => {
    await using fixture = await createGitFixture();
    expect(fixture.branch).toBe('main');
    expect(fileURLToPath(fixture.url)).toBe(fixture.bareDir);
    expect(await git(['--git-dir', fixture.bareDir, 'rev-parse', '--is-bare-repository'])).toBe(
      'true',
    );
    expect(await git(['--git-dir', fixture.bareDir, 'symbolic-ref', 'HEAD'])).toBe(
      'refs/heads/main',
    );
    expect(await fixture.files()).toEqual(['README.md']);

    const clone = await fixture.clone();
    expect(clone.startsWith(fixture.dir)).toBe(true);
    expect(await readFile(join(clone, 'README.md'), 'utf8')).toBe('# fixture\n');
    expect(await git(['config', 'user.email'], { cwd: clone })).toBe('fixture@example.com');
    await writeFile(join(clone, 'app.yaml'), 'image: app:1\n');
    await git(['add', 'app.yaml'], { cwd: clone });
    await git(['commit', '-q', '-m', 'add app'], { cwd: clone });
    await git(['push', '-q', 'origin', 'main'], { cwd: clone });

    expect(await fixture.head()).toBe(await git(['rev-parse', 'HEAD'], { cwd: clone }));
    expect(await fixture.readFile('app.yaml')).toBe('image: app:1\n');
    const [latest] = await fixture.log();
    expect(latest?.message).toBe('add app');
    expect(latest?.author).toEqual({ name: 'tagsmith-fixture', email: 'fixture@example.com' });
  });

  it('writes the history the test describes: branches, deletions, authors, lightweight and annotated tags', async () => {
    await using fixture = await createGitFixture({
      files: { 'deploy/app.yaml': 'image: app:1\n', 'README.md': 'hi\n' },
      message: 'start',
      history: [
        { message: 'bump', files: { 'deploy/app.yaml': 'image: app:2\n' }, tag: 'v1.0.0' },
        {
          message: 'feature work',
          branch: 'feature',
          files: { 'feature.txt': 'F\n' },
          tag: { name: 'v2.0.0-rc.1', annotated: true, message: 'first rc' },
        },
        {
          message: 'drop readme',
          files: { 'README.md': null },
          author: { name: 'Someone Else', email: 'else@example.com' },
        },
        { message: 'more feature', branch: 'feature', files: { 'feature.txt': 'F2\n' } },
      ],
    });
    expect(await fixture.files()).toEqual(['deploy/app.yaml']);
    expect(await fixture.files('feature')).toEqual(['README.md', 'deploy/app.yaml', 'feature.txt']);
    expect(await fixture.readFile('deploy/app.yaml', 'v1.0.0')).toBe('image: app:2\n');
    expect(await fixture.readFile('feature.txt', 'feature')).toBe('F2\n');

    const main = await fixture.log();
    expect(main.map((entry) => entry.message)).toEqual(['drop readme', 'bump', 'start']);
    expect(main[0]?.author).toEqual({ name: 'Someone Else', email: 'else@example.com' });
    expect(main[0]?.committer).toEqual({ name: 'tagsmith-fixture', email: 'fixture@example.com' });
    expect(main[0]?.parents).toEqual([main[1]?.sha]);
    expect(main[2]?.parents).toEqual([]);
    // The feature branch started at main's head when it was created: after "bump".
    const feature = await fixture.log('feature');
    expect(feature.map((entry) => entry.message)).toEqual([
      'more feature',
      'feature work',
      'bump',
      'start',
    ]);

    const refs = await fixture.refs();
    expect(Object.keys(refs).sort()).toEqual([
      'refs/heads/feature',
      'refs/heads/main',
      'refs/tags/v1.0.0',
      'refs/tags/v2.0.0-rc.1',
    ]);
    expect(refs['refs/heads/main']).toBe(await fixture.head());
    const tagType = (tag: string) => git(['--git-dir', fixture.bareDir, 'cat-file', '-t', tag]);
    expect(await tagType('refs/tags/v1.0.0')).toBe('commit');
    expect(await tagType('refs/tags/v2.0.0-rc.1')).toBe('tag');
    expect(
      await git([
        '--git-dir',
        fixture.bareDir,
        'for-each-ref',
        '--format=%(contents:subject)',
        'refs/tags/v2.0.0-rc.1',
      ]),
    ).toBe('first rc');
    expect(await git(['--git-dir', fixture.bareDir, 'fsck', '--strict'])).toBe('');
  });

  it('gives the same shas for the same options, so a history can be pinned', async () => {
    const options = {
      files: { 'a.txt': 'a' },
      history: [{ message: 'two', files: { 'b.txt': 'b' } }],
    };
    await using first = await createGitFixture(options);
    await using second = await createGitFixture(options);
    expect(await first.head()).toBe(await second.head());
  });

  it('answers undefined or empty for refs and paths that do not exist', async () => {
    await using fixture = await createGitFixture({ files: { 'dir/file.txt': 'x' } });
    expect(await fixture.head('nope')).toBeUndefined();
    expect(await fixture.readFile('missing.txt')).toBeUndefined();
    expect(await fixture.readFile('dir')).toBeUndefined();
    expect(await fixture.readFile('dir/file.txt', 'nope')).toBeUndefined();
    expect(await fixture.log('nope')).toEqual([]);
    expect(await fixture.files('nope')).toEqual([]);
  });

  it('builds a large first commit in one go', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 1000; i++) files[`deploy/app-${i}.yaml`] = `image: app:${i}\n`;
    await using fixture = await createGitFixture({ files });
    expect(await fixture.files()).toHaveLength(1000);
    expect(await fixture.readFile('deploy/app-999.yaml')).toBe('image: app:999\n');
  });

  it('makes an empty repository whose first push creates the default branch', async () => {
    await using fixture = await createGitFixture({ empty: true, branch: 'trunk' });
    expect(await fixture.head()).toBeUndefined();
    expect(await fixture.refs()).toEqual({});
    const clone = await fixture.clone();
    await writeFile(join(clone, 'first.txt'), '1');
    await git(['add', 'first.txt'], { cwd: clone });
    await git(['commit', '-q', '-m', 'first'], { cwd: clone });
    await git(['push', '-q', 'origin', 'HEAD:trunk'], { cwd: clone });
    expect(await fixture.files()).toEqual(['first.txt']);
  });

  it('clones a named branch into a named directory', async () => {
    await using fixture = await createGitFixture({
      history: [{ message: 'on dev', branch: 'dev', files: { 'dev.txt': 'd' } }],
    });
    const clone = await fixture.clone({ branch: 'dev', name: 'dev-work' });
    expect(clone).toBe(join(fixture.dir, 'dev-work'));
    expect(await git(['branch', '--show-current'], { cwd: clone })).toBe('dev');
    expect(existsSync(join(clone, 'dev.txt'))).toBe(true);
  });

  it('puts its directory inside `dir` and removes it on remove()', async () => {
    await using parent = await tempDir('fixture-parent');
    const fixture = await createGitFixture({ dir: parent.path });
    expect(fixture.dir.startsWith(parent.path)).toBe(true);
    await fixture.clone();
    await fixture.remove();
    expect(existsSync(fixture.dir)).toBe(false);
    await fixture.remove();
  });
});

describe('GitFixture.commit (another writer)', () => {
  it('commits onto the branch so that a stale clone is rejected as non-fast-forward', async () => {
    await using fixture = await createGitFixture();
    const clone = await fixture.clone();
    const sha = await fixture.commit(
      { 'other.txt': 'theirs\n', 'README.md': null },
      'someone else',
      { author: { name: 'Other', email: 'other@example.com' } },
    );
    expect(await fixture.head()).toBe(sha);
    expect(await fixture.files()).toEqual(['other.txt']);
    const [entry] = await fixture.log();
    expect(entry?.author).toEqual({ name: 'Other', email: 'other@example.com' });

    await writeFile(join(clone, 'mine.txt'), 'mine\n');
    await git(['add', 'mine.txt'], { cwd: clone });
    await git(['commit', '-q', '-m', 'mine'], { cwd: clone });
    const push = await tryGit(['push', 'origin', 'main'], { cwd: clone });
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain('rejected');
  });

  it('starts a missing branch at the default branch head', async () => {
    await using fixture = await createGitFixture();
    const base = await fixture.head();
    const sha = await fixture.commit({ 'x.txt': 'x' }, 'new branch', { branch: 'bot/update' });
    expect(await fixture.head('bot/update')).toBe(sha);
    const [entry] = await fixture.log('bot/update');
    expect(entry?.parents).toEqual([base]);
  });

  it('lands every one of concurrent commits, none overwriting another', async () => {
    await using fixture = await createGitFixture();
    const writers = Array.from({ length: 6 }, (_, i) =>
      fixture.commit({ [`writer-${i}.txt`]: `${i}\n` }, `writer ${i}`),
    );
    await Promise.all(writers);
    const files = await fixture.files();
    for (let i = 0; i < 6; i++) expect(files).toContain(`writer-${i}.txt`);
    expect(await fixture.log()).toHaveLength(7);
  }, 60_000);
});

describe('GitFixture.recordPushes', () => {
  it('records each push: its ref updates and push options, even with hooks disabled on the client', async () => {
    await using fixture = await createGitFixture();
    const recorder = await fixture.recordPushes();
    const clone = await fixture.clone();
    const before = await fixture.head();
    await writeFile(join(clone, 'a.txt'), 'a');
    await git(['add', 'a.txt'], { cwd: clone });
    await git(['commit', '-q', '-m', 'a'], { cwd: clone });
    const after = await git(['rev-parse', 'HEAD'], { cwd: clone });
    await git(
      [
        '-c',
        'core.hooksPath=/dev/null',
        'push',
        '-q',
        '--push-option=merge_request.create',
        '--push-option=merge_request.title=Update app',
        'origin',
        'HEAD:main',
        'HEAD:refs/heads/bot/copy',
      ],
      { cwd: clone },
    );
    await git(['push', '-q', 'origin', '--delete', 'bot/copy'], { cwd: clone });

    const pushes = await recorder.pushes();
    expect(pushes).toEqual([
      {
        updates: [
          { ref: 'refs/heads/main', before, after },
          { ref: 'refs/heads/bot/copy', before: ZERO, after },
        ],
        pushOptions: ['merge_request.create', 'merge_request.title=Update app'],
      },
      { updates: [{ ref: 'refs/heads/bot/copy', before: after, after: ZERO }], pushOptions: [] },
    ]);
  });
});

describe('errors', () => {
  it('refuses paths outside the tree, bad branch and tag names, bad names and identities with INVALID_ARGUMENT', async () => {
    for (const path of ['../escape.txt', '/abs.txt', '.git/config', 'a//b', 'x/./y', '']) {
      const error = await expectCode(
        () => createGitFixture({ files: { [path]: 'x' } }),
        TestkitError,
        'INVALID_ARGUMENT',
      );
      expect(error.message).toContain(JSON.stringify(path));
    }
    await expectCode(() => createGitFixture({ branch: 'a..b' }), TestkitError, 'INVALID_ARGUMENT');
    await expectCode(
      () => createGitFixture({ history: [{ message: 'm', tag: 'bad tag' }] }),
      TestkitError,
      'INVALID_ARGUMENT',
    );
    await expectCode(() => createGitFixture({ name: '../up' }), TestkitError, 'INVALID_ARGUMENT');
    await expectCode(
      () => createGitFixture({ author: { name: 'a <b>', email: 'x@y' } }),
      TestkitError,
      'INVALID_ARGUMENT',
    );
    await expectCode(
      () => createGitFixture({ empty: true, files: { 'a.txt': 'a' } }),
      TestkitError,
      'INVALID_ARGUMENT',
    );
    await expectCode(
      () => createGitFixture({ empty: true, author: { name: 'n', email: 'a\nb' } }),
      TestkitError,
      'INVALID_ARGUMENT',
    );
    const missing = await expectCode(
      () => createGitFixture({ dir: '/nonexistent/parent' }),
      TestkitError,
      'INVALID_ARGUMENT',
    );
    expect(missing.message).toContain('/nonexistent/parent');
    await using fixture = await createGitFixture();
    await expectCode(() => fixture.commit({ '../x': 'x' }, 'm'), TestkitError, 'INVALID_ARGUMENT');
    await expectCode(
      () => fixture.commit({ 'x.txt': 'x' }, 'm', { author: { name: '<', email: 'e' } }),
      TestkitError,
      'INVALID_ARGUMENT',
    );
    await expectCode(() => fixture.clone({ name: 'a/b' }), TestkitError, 'INVALID_ARGUMENT');
  });

  it('rejects with GIT_FAILED quoting git when git fails or cannot start', async () => {
    await using fixture = await createGitFixture();
    const error = await expectCode(
      () => fixture.clone({ branch: 'nope' }),
      TestkitError,
      'GIT_FAILED',
    );
    expect(error.message).toContain('nope');
    expect(error.cause).toBeInstanceOf(Error);
    await expectCode(
      () => createGitFixture({ git: '/nonexistent/git' }),
      TestkitError,
      'GIT_FAILED',
    );
  });
});
