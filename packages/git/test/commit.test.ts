// LocalRepository.commit against a real clone: exactly the named files, nothing when
// nothing changed, deletions, refused paths, and the author and committer given.
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expectCode, tempDir } from '@tagsmith/test-utils';
import { createGitFixture } from '@tagsmith/testkit';
import { describe, expect, it } from 'vitest';
import { GitError, LocalRepository } from '../src/index.js';
import { BOT, git, PERSON } from './helpers.js';

async function setUp() {
  const fixture = await createGitFixture({
    files: { 'apps/app.yaml': 'image: app:1\n', 'stray.txt': 'stray\n', 'old.txt': 'old\n' },
  });
  const repository = await LocalRepository.clone(fixture.url, join(fixture.dir, 'work'));
  return { fixture, repository, dir: repository.dir };
}

describe('LocalRepository.commit', { timeout: 60_000 }, () => {
  it('commits exactly the named files; a stray change stays unstaged and a staged one stays staged', async () => {
    const { fixture, repository, dir } = await setUp();
    await using _ = fixture;
    await writeFile(join(dir, 'apps/app.yaml'), 'image: app:2\n');
    await mkdir(join(dir, 'apps/new'));
    await writeFile(join(dir, 'apps/new/extra.yaml'), 'new\n');
    await writeFile(join(dir, 'stray.txt'), 'changed but not named\n');
    await writeFile(join(dir, 'staged.txt'), 'staged by someone else\n');
    await git(dir, ['add', 'staged.txt']);
    const before = await git(dir, ['rev-parse', 'HEAD']);

    const commit = await repository.commit({
      files: ['apps/new/extra.yaml', './apps/app.yaml'],
      message: 'bump app to 2\n\nBody line.\n',
      author: BOT,
    });

    expect(commit).toBeDefined();
    expect(commit!.sha).toBe(await git(dir, ['rev-parse', 'HEAD']));
    expect(commit!.tree).toBe(await git(dir, ['rev-parse', 'HEAD^{tree}']));
    expect(commit!.parent).toBe(before);
    expect(commit!.files).toEqual(['apps/app.yaml', 'apps/new/extra.yaml']);
    expect(commit!.message).toBe('bump app to 2\n\nBody line.');
    expect(commit!.signed).toBe(false);
    expect(await git(dir, ['diff-tree', '--no-commit-id', '--name-only', '-r', 'HEAD'])).toBe(
      'apps/app.yaml\napps/new/extra.yaml',
    );
    expect(await git(dir, ['status', '--porcelain'])).toBe('A  staged.txt\n M stray.txt'.trim());
  });

  it('returns undefined when the files equal HEAD, and makes no commit', async () => {
    const { fixture, repository, dir } = await setUp();
    await using _ = fixture;
    const head = await git(dir, ['rev-parse', 'HEAD']);
    await writeFile(join(dir, 'apps/app.yaml'), 'image: app:1\n');
    expect(await repository.commit({ files: ['apps/app.yaml'], message: 'm', author: BOT })).toBe(
      undefined,
    );
    // A file that never existed is nothing to commit either.
    expect(await repository.commit({ files: ['ghost.txt'], message: 'm', author: BOT })).toBe(
      undefined,
    );
    expect(await repository.commit({ files: [], message: 'm', author: BOT })).toBe(undefined);
    expect(await git(dir, ['rev-parse', 'HEAD'])).toBe(head);
  });

  it('commits a named file that no longer exists as a deletion', async () => {
    const { fixture, repository, dir } = await setUp();
    await using _ = fixture;
    await rm(join(dir, 'old.txt'));
    const commit = await repository.commit({
      files: ['old.txt'],
      message: 'drop old',
      author: BOT,
    });
    expect(commit!.files).toEqual(['old.txt']);
    expect(await git(dir, ['ls-tree', '--name-only', '-r', 'HEAD'])).not.toContain('old.txt');
    expect(await git(dir, ['status', '--porcelain'])).toBe('');
  });

  it('sets the author and committer from the options, never from config', async () => {
    const { fixture, repository, dir } = await setUp();
    await using _ = fixture;
    await writeFile(join(dir, 'apps/app.yaml'), 'image: app:3\n');
    await repository.commit({
      files: ['apps/app.yaml'],
      message: 'bump',
      author: PERSON,
      committer: BOT,
    });
    expect(await git(dir, ['log', '-1', '--format=%an <%ae>|%cn <%ce>'])).toBe(
      'Pat Person <pat@example.com>|tagsmith-bot <bot@example.com>',
    );
    await writeFile(join(dir, 'apps/app.yaml'), 'image: app:4\n');
    await repository.commit({ files: ['apps/app.yaml'], message: 'bump', author: BOT });
    expect(await git(dir, ['log', '-1', '--format=%an <%ae>|%cn <%ce>'])).toBe(
      'tagsmith-bot <bot@example.com>|tagsmith-bot <bot@example.com>',
    );
  });

  it('refuses paths outside the tree with UNSAFE_PATH before staging anything', async () => {
    const { fixture, repository, dir } = await setUp();
    await using _ = fixture;
    await using outside = await tempDir('outside');
    await writeFile(join(outside.path, 'secret.txt'), 'outside\n');
    await symlink(outside.path, join(dir, 'linked'));
    await writeFile(join(dir, 'apps/app.yaml'), 'image: app:5\n');
    const index = await git(dir, ['ls-files', '--stage']);
    for (const bad of ['../x', '/etc/passwd', 'linked/secret.txt', 'apps/../../x', '.git/config']) {
      const error = await expectCode(
        repository.commit({ files: ['apps/app.yaml', bad], message: 'm', author: BOT }),
        GitError,
        'UNSAFE_PATH',
      );
      expect(error.path).toBe(bad);
      expect(await git(dir, ['ls-files', '--stage']), bad).toBe(index);
    }
    expect(await git(dir, ['status', '--porcelain', '--untracked-files=no'])).toBe(
      'M apps/app.yaml',
    );
  });

  it('refuses a bad message or author with INVALID_ARGUMENT', async () => {
    const { fixture, repository } = await setUp();
    await using _ = fixture;
    const files = ['apps/app.yaml'];
    await expectCode(
      repository.commit({ files, message: '  ', author: BOT }),
      GitError,
      'INVALID_ARGUMENT',
    );
    await expectCode(
      repository.commit({ files, message: 'm', author: { name: 'x', email: '<x>' } }),
      GitError,
      'INVALID_ARGUMENT',
    );
    await expectCode(
      repository.commit({
        files: 'apps/app.yaml' as unknown as string[],
        message: 'm',
        author: BOT,
      }),
      GitError,
      'INVALID_ARGUMENT',
    );
  });
});
