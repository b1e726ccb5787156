import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** A fresh directory under the OS temp dir. */
export interface TempDir {
  /** Its absolute path. */
  readonly path: string;
  /** Removes it and everything in it; safe to call twice. */
  remove(): Promise<void>;
  /** `await using dir = await tempDir()` removes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void>;
}

const open = new Set<TempDir>();

// Whatever a test left behind goes when it ends, failed or not.
afterEach(async () => {
  await Promise.all([...open].map((dir) => dir.remove()));
});

/**
 * Makes a fresh temp directory named `tagsmith-<prefix>-XXXXXX`, removed after
 * the current test (or earlier by `remove()`).
 */
export async function tempDir(prefix = 'test'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), `tagsmith-${prefix}-`));
  const dir: TempDir = {
    path,
    async remove() {
      open.delete(dir);
      await rm(path, { recursive: true, force: true });
    },
    [Symbol.asyncDispose]() {
      return dir.remove();
    },
  };
  open.add(dir);
  return dir;
}
