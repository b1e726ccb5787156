import { chmod, chown, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempPath } from '../test/helpers.js';
import { replaceFile } from './write.js';

describe('replaceFile', () => {
  it('replaces the file through a new inode, keeping its exact mode and leaving no temp file', async () => {
    const dir = await tempPath();
    const target = join(dir, 'a.yaml');
    await writeFile(target, 'old\n');
    // Bits the umask would strip from a new file, and the setgid bit.
    await chmod(target, 0o2777);
    const before = await stat(target);
    await replaceFile(target, 'new ☕\n');
    const after = await stat(target);
    expect(await readFile(target, 'utf8')).toBe('new ☕\n');
    expect(after.ino).not.toBe(before.ino);
    expect(after.mode & 0o7777).toBe(0o2777);
    expect(await readdir(dir)).toEqual(['a.yaml']);
  });

  it('keeps a file name near the 255-byte limit writable (the temp name does not grow with it)', async () => {
    const dir = await tempPath();
    const target = join(dir, `${'n'.repeat(250)}.yaml`);
    await writeFile(target, 'old\n');
    await replaceFile(target, 'new\n');
    expect(await readFile(target, 'utf8')).toBe('new\n');
  });

  it.runIf(process.getuid?.() === 0)('keeps the owner when running as root', async () => {
    const dir = await tempPath();
    const target = join(dir, 'a.yaml');
    await writeFile(target, 'old\n');
    await chown(target, 1234, 5678);
    await replaceFile(target, 'new\n');
    const after = await stat(target);
    expect([after.uid, after.gid]).toEqual([1234, 5678]);
  });

  it('refuses a target that has become a symlink, writing nothing', async () => {
    const dir = await tempPath();
    const outside = await tempPath();
    await writeFile(join(outside, 'secret.yaml'), 'outside\n');
    await symlink(join(outside, 'secret.yaml'), join(dir, 'a.yaml'));
    await expect(replaceFile(join(dir, 'a.yaml'), 'new\n')).rejects.toThrow(
      'no longer a regular file',
    );
    expect(await readFile(join(outside, 'secret.yaml'), 'utf8')).toBe('outside\n');
    expect((await readdir(dir)).sort()).toEqual(['a.yaml']);
  });

  it('refuses when the directory has been swapped for a symlink out of the tree', async () => {
    const root = await tempPath();
    const outside = await tempPath();
    await writeFile(join(outside, 'a.yaml'), 'outside\n');
    // The walk saw root/sub as a real directory; it is now a symlink elsewhere.
    await symlink(outside, join(root, 'sub'));
    await expect(replaceFile(join(root, 'sub', 'a.yaml'), 'new\n')).rejects.toThrow(
      'directory moved or became a symlink',
    );
    expect(await readdir(outside)).toEqual(['a.yaml']);
    expect(await readFile(join(outside, 'a.yaml'), 'utf8')).toBe('outside\n');
  });
});
