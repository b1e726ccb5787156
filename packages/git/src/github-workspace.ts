// A GitHub workspace is a plain directory: the branch's files under the asked-for paths,
// downloaded blob by blob, for an `apply` step to edit; publishing reads the named files
// back. Only regular files are laid out or read back: a symlink could point an edit (or a
// read) outside the directory, and a submodule has no content here.
import { lstat, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, posix } from 'node:path';
import { GitError } from './errors.js';
import { mapInBatches } from './github-batch.js';
import { FILE_MODES, type RemoteEntry } from './github-tree.js';

// Blob downloads in flight at once; the throttling plugin allows ten concurrent requests.
const DOWNLOADS_AT_ONCE = 8;

/**
 * Writes every regular file of `entries` under `dir` (executables with mode 0755) and
 * returns the paths it skipped (symlinks, submodules).
 */
export async function layOut(
  dir: string,
  entries: ReadonlyMap<string, RemoteEntry>,
  fetchBlob: (sha: string) => Promise<Uint8Array>,
): Promise<string[]> {
  const files = [...entries.values()].filter((entry) => FILE_MODES.has(entry.mode));
  const skipped = [...entries.values()].filter((entry) => !FILE_MODES.has(entry.mode));
  await mapInBatches(files, DOWNLOADS_AT_ONCE, async (entry) => {
    const target = join(dir, entry.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, await fetchBlob(entry.sha), {
      mode: entry.mode === '100755' ? 0o755 : 0o644,
    });
  });
  return skipped.map((entry) => entry.path).sort();
}

/**
 * The content of each named file in `dir` by its normalized path, or null for a file that
 * is not there (a deletion). A path that leaves `dir`, or runs through or ends in a
 * symlink, is refused with `UNSAFE_PATH`; a directory with `INVALID_ARGUMENT`.
 */
export async function readChanges(
  dir: string,
  files: readonly string[],
): Promise<Map<string, Uint8Array | null>> {
  const changes = new Map<string, Uint8Array | null>();
  for (const named of files) {
    const path = repositoryPath(named, 'publish');
    changes.set(path, await readWorkspaceFile(dir, path));
  }
  return changes;
}

async function readWorkspaceFile(dir: string, path: string): Promise<Uint8Array | null> {
  const parts = path.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const partial = parts.slice(0, i).join('/');
    const info = await lstat(join(dir, partial)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw error;
    });
    if (info === undefined) return null;
    if (info.isSymbolicLink()) {
      throw new GitError(
        'UNSAFE_PATH',
        `publish: ${partial} is a symlink in the workspace; ${path} is not published through it`,
        { path },
      );
    }
    if (i < parts.length && !info.isDirectory()) return null;
    if (i === parts.length) {
      if (info.isDirectory()) {
        throw new GitError(
          'INVALID_ARGUMENT',
          `publish: ${path} is a directory; name the files in it that changed`,
          { path },
        );
      }
      return readFile(join(dir, path));
    }
  }
  return null;
}

/**
 * A caller's repository-relative path, normalized (`./a//b/` is `a/b`), or `UNSAFE_PATH`
 * when it is absolute, leaves the repository (`../x`, `a/../../x`), names the root, or
 * runs through `.git`.
 */
export function repositoryPath(path: unknown, what: string): string {
  const normal =
    typeof path === 'string' && path !== '' && !path.includes('\0') && !isAbsolute(path)
      ? posix.normalize(path).replace(/\/+$/, '')
      : undefined;
  if (
    normal === undefined ||
    normal === '.' ||
    normal === '..' ||
    normal.startsWith('../') ||
    normal.split('/').some((part) => part.toLowerCase() === '.git')
  ) {
    throw new GitError(
      'UNSAFE_PATH',
      `${what}: ${JSON.stringify(path)} is not a path inside the repository (absolute, .. past the root, or .git)`,
      { path: String(path) },
    );
  }
  return normal;
}
