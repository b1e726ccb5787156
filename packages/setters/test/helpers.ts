import { cp, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@tagsmith/test-utils';

/** A fresh temp directory's path, removed after the current test. */
export async function tempPath(): Promise<string> {
  return (await tempDir('setters')).path;
}

/** Copies a fixture directory to a fresh temp directory. */
export async function copyTree(from: string): Promise<string> {
  const dir = await tempPath();
  await cp(from, dir, { recursive: true });
  return dir;
}

/** Every regular file under `dir` as relative path → bytes (symlinks not followed). */
export async function readTree(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    files.set(
      full
        .slice(dir.length + 1)
        .split('\\')
        .join('/'),
      await readFile(full),
    );
  }
  return files;
}

/** Shorthand for a policy map. */
export const policies = {
  'flux-system:app': { name: 'ghcr.io/acme/app', tag: 'v2.0.0' },
  'flux-system:digested': {
    name: 'ghcr.io/acme/app',
    tag: 'v2.0.0',
    digest: 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  },
};

/** A marker comment for `setter`. */
export function marker(setter: string): string {
  return `# {"$imagepolicy": "${setter}"}`;
}
