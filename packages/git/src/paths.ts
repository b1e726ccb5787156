// The paths a caller asks to commit must name files inside the working tree. An
// automation commits what a templating step touched, so a path built from untrusted
// input (`../../etc/passwd`, `/etc/passwd`, `charts/x` where `charts` is a symlink to
// `/`) must be refused before git sees it, not after something was staged.

import { lstat } from 'node:fs/promises';
import { posix } from 'node:path';
import { GitError } from './errors.js';

/**
 * The repository-relative, normalised (`a/./b` → `a/b`), de-duplicated forms of `files`,
 * in the caller's order. Every path is checked before any is returned.
 *
 * @param root - The working tree's absolute path.
 * @throws {GitError} `INVALID_ARGUMENT` when `files` is not an array of strings;
 *   `UNSAFE_PATH` (with `path`) for an empty or absolute path, one that leaves the tree
 *   (`..`), one inside `.git`, or one that goes through a symlinked directory.
 */
export async function checkRepositoryPaths(root: string, files: unknown): Promise<string[]> {
  if (!Array.isArray(files) || files.some((file) => typeof file !== 'string')) {
    throw new GitError(
      'INVALID_ARGUMENT',
      'commit: `files` must be an array of repository-relative paths',
    );
  }
  const checked = [...new Set((files as string[]).map(normalizeRelative))];
  // A bump touches many files in few directories: each directory is looked at once.
  const directories = new Map<string, Promise<DirectoryKind>>();
  await Promise.all(checked.map((path) => refuseSymlinkedParents(root, path, directories)));
  return checked;
}

function normalizeRelative(file: string): string {
  const unsafe = (why: string): GitError =>
    new GitError('UNSAFE_PATH', `commit: ${JSON.stringify(file)} ${why}`, { path: file });
  if (file === '' || file.includes('\0')) throw unsafe('is not a file path');
  // Both separators count: a path from Windows, or a backslash that git would keep as a
  // name character while a later tool reads it as a separator.
  if (file.startsWith('/') || file.startsWith('\\') || /^[A-Za-z]:/.test(file)) {
    throw unsafe('is absolute; name files relative to the repository root');
  }
  const normal = posix.normalize(file.replaceAll('\\', '/'));
  if (normal === '..' || normal.startsWith('../')) throw unsafe('is outside the repository');
  if (normal === '.' || normal.endsWith('/')) throw unsafe('names a directory, not a file');
  const first = normal.split('/')[0]!;
  if (first.toLowerCase() === '.git') throw unsafe("is inside the repository's .git directory");
  return normal;
}

// git itself refuses "beyond a symbolic link", but only once it runs, and a symlinked
// directory pointing outside is how a path escapes without `..`. Every directory on the
// way is checked with lstat; a missing one ends the walk (the file is being deleted).
async function refuseSymlinkedParents(
  root: string,
  path: string,
  directories: Map<string, Promise<DirectoryKind>>,
): Promise<void> {
  const parts = path.split('/');
  for (let depth = 1; depth < parts.length; depth++) {
    const dir = parts.slice(0, depth).join('/');
    let kind = directories.get(dir);
    if (kind === undefined) {
      kind = kindOf(`${root}/${dir}`);
      directories.set(dir, kind);
    }
    switch (await kind) {
      case 'symlink':
        throw new GitError(
          'UNSAFE_PATH',
          `commit: ${JSON.stringify(path)} goes through the symlink ${JSON.stringify(dir)}; name the file where it really is`,
          { path },
        );
      case 'directory':
        continue;
      default:
        return;
    }
  }
}

type DirectoryKind = 'directory' | 'symlink' | 'other' | 'missing';

async function kindOf(path: string): Promise<DirectoryKind> {
  try {
    const stats = await lstat(path);
    if (stats.isSymbolicLink()) return 'symlink';
    return stats.isDirectory() ? 'directory' : 'other';
  } catch {
    return 'missing';
  }
}
