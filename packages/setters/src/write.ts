import { randomUUID } from 'node:crypto';
import { type FileHandle, lstat, open, realpath, rename, unlink } from 'node:fs/promises';
import { childOf, fromBytes, parentOf, type RealPath, samePath } from './real-path.js';

/** Suffix of the temp files {@link replaceFile} creates; the walk never selects them. */
export const TEMP_SUFFIX = '.tagsmith-tmp';

/**
 * Replaces the regular file at `target` (an absolute real path) with `text` so
 * readers see the old file or the new one, never a torn one: write a temp file
 * beside it (same file system, so the rename is atomic), give it the old mode
 * and, where allowed, the old owner, fsync it, rename it over, then fsync the
 * directory so the rename itself survives a crash.
 *
 * Nothing here follows a symlink at the last step: `lstat` refuses a target
 * that has become a symlink, the temp file is created exclusively (`wx`), and
 * `rename` replaces a directory entry. The directory is re-resolved right
 * before writing and must still be where the walk found it. A path that is not
 * UTF-8 comes as its bytes and every call here takes them as they are.
 */
export async function replaceFile(target: RealPath, text: string): Promise<void> {
  const directory = parentOf(target);
  const before = await lstat(target);
  if (!before.isFile()) throw new Error('it is no longer a regular file');
  const resolved = fromBytes(await realpath(directory, { encoding: 'buffer' }));
  if (!samePath(resolved, directory)) {
    throw new Error(`its directory moved or became a symlink since the walk`);
  }
  // Fixed length, whatever the target's name: a name near the 255-byte limit
  // must not make the temp name too long.
  const temp = childOf(directory, `.${randomUUID()}${TEMP_SUFFIX}`);
  const permissions = before.mode & 0o7777;
  try {
    const handle = await open(temp, 'wx', permissions);
    try {
      await handle.writeFile(text, 'utf8');
      await keepOwner(handle, before.uid, before.gid);
      // open() applied the umask, and chown clears set-id bits: set the mode last.
      await handle.chmod(permissions);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(directory);
}

/** Gives the new file the old owner when that differs; only root may, so a refusal is fine. */
async function keepOwner(handle: FileHandle, uid: number, gid: number): Promise<void> {
  const stats = await handle.stat();
  if (stats.uid === uid && stats.gid === gid) return;
  await handle.chown(uid, gid).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPERM') throw error;
  });
}

async function syncDirectory(directory: RealPath): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some file systems refuse fsync on a directory; the rename is still atomic.
    if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error;
  } finally {
    await handle.close();
  }
}
