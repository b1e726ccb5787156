import { randomUUID } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces `target` with `text` so readers see the old file or the new one,
 * never a torn one: write a temp file beside it (same file system, so rename
 * is atomic), fsync it, rename it over, then fsync the directory so the rename
 * itself survives a crash. The temp name ends in `.tagsmith-tmp`, which no
 * walker selects.
 */
export async function writeFileAtomic(target: string, text: string, mode: number): Promise<void> {
  const directory = dirname(target);
  const temp = join(directory, `.${basename(target)}.${randomUUID()}.tagsmith-tmp`);
  const permissions = mode & 0o7777;
  try {
    const handle = await open(temp, 'wx', permissions);
    try {
      await handle.writeFile(text, 'utf8');
      // open() applied the umask; the file must keep exactly the old mode.
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

async function syncDirectory(directory: string): Promise<void> {
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
