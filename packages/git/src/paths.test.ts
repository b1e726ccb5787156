// Which paths commit accepts: repository-relative files inside the tree, reached
// without a symlinked directory.
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expectCode, tempDir } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import { GitError } from './errors.js';
import { checkRepositoryPaths } from './paths.js';

describe('checkRepositoryPaths', () => {
  it('normalises and de-duplicates, keeping the order', async () => {
    await using root = await tempDir('paths');
    expect(
      await checkRepositoryPaths(root.path, [
        './a/b.yaml',
        'a//b.yaml',
        'c/../d.txt',
        'gone/x',
        'a\\e',
      ]),
    ).toEqual(['a/b.yaml', 'd.txt', 'gone/x', 'a/e']);
  });

  it.each([
    ['', 'empty'],
    ['/etc/passwd', 'absolute'],
    ['\\\\server\\share', 'a UNC path'],
    ['C:/x', 'a drive path'],
    ['..', 'the parent'],
    ['../x', 'outside'],
    ['a/../../x', 'outside after normalising'],
    ['.', 'the root'],
    ['dir/', 'a directory'],
    ['.git/config', 'inside .git'],
    ['.GIT/hooks/pre-commit', 'inside .git, any case'],
    ['a\0b', 'a NUL'],
  ])('refuses %j (%s) with UNSAFE_PATH naming it', async (path) => {
    await using root = await tempDir('paths');
    const error = await expectCode(
      checkRepositoryPaths(root.path, ['ok.txt', path]),
      GitError,
      'UNSAFE_PATH',
    );
    expect(error.path).toBe(path);
  });

  it('refuses a path through a symlinked directory, inside or outside the tree', async () => {
    await using root = await tempDir('paths');
    await using outside = await tempDir('outside');
    await mkdir(join(root.path, 'real'));
    await writeFile(join(root.path, 'real', 'f'), 'f');
    await symlink(outside.path, join(root.path, 'out'));
    await symlink(join(root.path, 'real'), join(root.path, 'in'));
    await mkdir(join(root.path, 'deep', 'er'), { recursive: true });
    await symlink(outside.path, join(root.path, 'deep', 'er', 'link'));
    for (const path of ['out/x', 'in/f', 'deep/er/link/x']) {
      const error = await expectCode(
        checkRepositoryPaths(root.path, [path]),
        GitError,
        'UNSAFE_PATH',
      );
      expect(error.path).toBe(path);
    }
    // A symlink as the file itself is committed as a link, which is fine.
    await symlink(outside.path, join(root.path, 'real', 'link'));
    expect(await checkRepositoryPaths(root.path, ['real/link'])).toEqual(['real/link']);
  });

  it('refuses a non-array with INVALID_ARGUMENT', async () => {
    await expectCode(checkRepositoryPaths('/', 'a.txt'), GitError, 'INVALID_ARGUMENT');
    await expectCode(checkRepositoryPaths('/', [1]), GitError, 'INVALID_ARGUMENT');
  });
});
