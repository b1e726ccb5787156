import { chmod, mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Policies } from '../src/index.js';
import { SettersError, updateTree } from '../src/index.js';
import { marker, policies, readTree, tempDir } from './helpers.js';

const APP = marker('flux-system:app');
const MARKED = `image: app:v1 ${APP}\n`;
const PATCHED = `image: ghcr.io/acme/app:v2.0.0 ${APP}\n`;

/** Writes `files` (relative path → text or bytes) under a new temp root. */
async function tree(files: Record<string, string | Buffer>): Promise<string> {
  const root = await tempDir();
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<SettersError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SettersError);
  expect((error as SettersError).code).toBe(code);
  return error as SettersError;
}

describe('which files', () => {
  it('takes *.yaml, *.yml and Kustomization, and skips .git', async () => {
    const root = await tree({
      'a.yaml': MARKED,
      'b.yml': MARKED,
      'sub/Kustomization': MARKED,
      'c.json': MARKED,
      'd.yaml.txt': MARKED,
      kustomization: MARKED,
      '.git/x.yaml': MARKED,
      'sub/.git/y.yaml': MARKED,
      '.hidden/e.yaml': MARKED,
    });
    const { files } = await updateTree(root, policies);
    expect(files.map((f) => f.path)).toEqual([
      '.hidden/e.yaml',
      'a.yaml',
      'b.yml',
      'sub/Kustomization',
    ]);
    expect(await readFile(join(root, '.git/x.yaml'), 'utf8')).toBe(MARKED);
    expect(await readFile(join(root, 'c.json'), 'utf8')).toBe(MARKED);
  });

  it('adds include globs and removes exclude globs, relative to the root', async () => {
    const root = await tree({
      'apps/a.yaml': MARKED,
      'apps/b.tmpl': MARKED,
      'staging/c.yaml': MARKED,
      'apps/skip.yaml': MARKED,
    });
    const { files } = await updateTree(root, policies, {
      include: ['**/*.tmpl'],
      exclude: ['staging', '**/skip.yaml'],
    });
    expect(files.map((f) => f.path)).toEqual(['apps/a.yaml', 'apps/b.tmpl']);
  });

  it('walks only root/path but reports paths relative to the root', async () => {
    const root = await tree({ 'clusters/prod/a.yaml': MARKED, 'clusters/dev/b.yaml': MARKED });
    const { files } = await updateTree(root, policies, { path: 'clusters/prod' });
    expect(files.map((f) => f.path)).toEqual(['clusters/prod/a.yaml']);
    expect(await readFile(join(root, 'clusters/dev/b.yaml'), 'utf8')).toBe(MARKED);
    const again = await updateTree(root, policies, { path: './clusters/../clusters/dev/' });
    expect(again.files.map((f) => f.path)).toEqual(['clusters/dev/b.yaml']);
  });

  it('never parses a file without the marker bytes', async () => {
    const root = await tree({ 'broken.yaml': 'a: [\n\t: }\n# $imagepolicy without quotes\n' });
    expect(await updateTree(root, policies)).toEqual({ files: [], problems: [] });
  });

  it('skips a 50 MB file without markers without parsing it', async () => {
    // Invalid YAML throughout: parsing it would produce a parse-error problem.
    const chunk = 'key: [unclosed {\n\tbad: indentation: here\n';
    const big = Buffer.alloc(50 * 1024 * 1024, chunk);
    const root = await tree({ 'big.yaml': big, 'a.yaml': MARKED });
    const result = await updateTree(root, policies);
    expect(result.problems).toEqual([]);
    expect(result.files.map((f) => f.path)).toEqual(['a.yaml']);
  });
});

describe('path and symlink safety', () => {
  it.each(['..', '../x', 'a/../../b', '/'])('rejects path %j outside the root', async (path) => {
    const root = await tree({ 'a/x.yaml': MARKED });
    const error = await expectCode(
      updateTree(join(root, 'a'), policies, { path }),
      'PATH_OUTSIDE_ROOT',
    );
    expect(error.message).toContain(path);
  });

  it('rejects a path that leaves the root through a symlink', async () => {
    const outside = await tree({ 'o.yaml': MARKED });
    const root = await tree({ 'a.yaml': MARKED });
    await symlink(outside, join(root, 'escape'));
    await expectCode(updateTree(root, policies, { path: 'escape' }), 'PATH_OUTSIDE_ROOT');
    expect(await readFile(join(outside, 'o.yaml'), 'utf8')).toBe(MARKED);
  });

  it('does not follow file or directory symlinks out of the root, and says so', async () => {
    const outside = await tree({ 'o.yaml': MARKED, 'dir/p.yaml': MARKED });
    const root = await tree({ 'a.yaml': MARKED });
    await symlink(join(outside, 'o.yaml'), join(root, 'file-link.yaml'));
    await symlink(join(outside, 'dir'), join(root, 'dir-link'));
    await symlink(join(outside, 'o.yaml'), join(root, 'not-selected.txt'));
    const result = await updateTree(root, policies);
    expect(result.files.map((f) => f.path)).toEqual(['a.yaml']);
    expect(result.problems.map((p) => [p.path, p.kind, p.line, p.column])).toEqual([
      ['dir-link', 'symlink-outside-root', 0, 0],
      ['file-link.yaml', 'symlink-outside-root', 0, 0],
    ]);
    expect(await readTree(outside)).toEqual(
      new Map([
        ['dir/p.yaml', Buffer.from(MARKED)],
        ['o.yaml', Buffer.from(MARKED)],
      ]),
    );
  });

  it('follows symlinks inside the root, writing through them once, and survives loops', async () => {
    const root = await tree({ 'real/a.yaml': MARKED });
    await symlink(join(root, 'real'), join(root, 'alias-dir'));
    await symlink('a.yaml', join(root, 'real', 'b.yaml'));
    await symlink('..', join(root, 'real', 'loop'));
    const result = await updateTree(root, policies);
    expect(result.files.map((f) => f.path)).toEqual(['alias-dir/a.yaml']);
    expect(await readFile(join(root, 'real/a.yaml'), 'utf8')).toBe(PATCHED);
    expect((await stat(join(root, 'real'))).isDirectory()).toBe(true);
    const link = await readdir(join(root, 'real'), { withFileTypes: true });
    expect(link.find((e) => e.name === 'b.yaml')?.isSymbolicLink()).toBe(true);
  });

  it('skips dangling symlinks silently', async () => {
    const root = await tree({ 'a.yaml': MARKED });
    await symlink('missing.yaml', join(root, 'dangling.yaml'));
    await symlink('missing-dir', join(root, 'dangling-dir'));
    const result = await updateTree(root, policies);
    expect(result.problems).toEqual([]);
    expect(result.files.map((f) => f.path)).toEqual(['a.yaml']);
  });
});

describe('writing', () => {
  it('writes only changed files, atomically, keeping their mode', async () => {
    const root = await tree({
      'a.yaml': MARKED,
      'current.yaml': PATCHED,
      'plain.yaml': 'a: 1\n',
    });
    await chmod(join(root, 'a.yaml'), 0o640);
    const before = await Promise.all(
      ['a.yaml', 'current.yaml', 'plain.yaml'].map((f) => stat(join(root, f))),
    );
    const result = await updateTree(root, policies);
    expect(result.files).toEqual([
      { path: 'a.yaml', changes: [expect.objectContaining({ oldValue: 'app:v1' })] },
    ]);
    const after = await Promise.all(
      ['a.yaml', 'current.yaml', 'plain.yaml'].map((f) => stat(join(root, f))),
    );
    // A rename gives the written file a new inode; untouched files keep theirs.
    expect(after[0]!.ino).not.toBe(before[0]!.ino);
    expect(after[0]!.mode & 0o7777).toBe(0o640);
    expect(after[1]!.ino).toBe(before[1]!.ino);
    expect(after[2]!.ino).toBe(before[2]!.ino);
    expect(await readFile(join(root, 'a.yaml'), 'utf8')).toBe(PATCHED);
    expect((await readdir(root)).sort()).toEqual(['a.yaml', 'current.yaml', 'plain.yaml']);
  });

  it('writes nothing in a dry run and returns both texts', async () => {
    const root = await tree({ 'a.yaml': MARKED });
    const before = await stat(join(root, 'a.yaml'));
    const result = await updateTree(root, policies, { dryRun: true });
    expect(result.files).toEqual([
      { path: 'a.yaml', changes: [expect.any(Object)], oldText: MARKED, newText: PATCHED },
    ]);
    expect((await stat(join(root, 'a.yaml'))).ino).toBe(before.ino);
    expect(await readFile(join(root, 'a.yaml'), 'utf8')).toBe(MARKED);
  });

  it('leaves a file with a parse error untouched and reports where', async () => {
    const text = `a: 1\nimage: x ${APP}\nb: [\n`;
    const root = await tree({ 'bad.yaml': text, 'good.yaml': MARKED });
    const result = await updateTree(root, policies);
    expect(result.problems).toEqual([
      expect.objectContaining({ path: 'bad.yaml', kind: 'parse-error', line: expect.any(Number) }),
    ]);
    expect(result.problems[0]!.line).toBeGreaterThan(0);
    expect(await readFile(join(root, 'bad.yaml'), 'utf8')).toBe(text);
    expect(result.files.map((f) => f.path)).toEqual(['good.yaml']);
  });

  it('leaves invalid UTF-8 untouched and reports the byte', async () => {
    const bytes = Buffer.concat([
      Buffer.from(`a: 1\nb: caf`),
      Buffer.from([0xe9]),
      Buffer.from(`\n${MARKED}`),
    ]);
    const root = await tree({ 'latin1.yaml': bytes });
    const result = await updateTree(root, policies);
    expect(result.problems).toEqual([
      expect.objectContaining({ path: 'latin1.yaml', kind: 'parse-error', line: 2, column: 7 }),
    ]);
    expect((await readFile(join(root, 'latin1.yaml'))).equals(bytes)).toBe(true);
  });
});

describe('misuse and I/O', () => {
  it('rejects with ABORTED when the signal is aborted, passing the reason through', async () => {
    const root = await tree({ 'a.yaml': MARKED });
    const reason = new Error('stop');
    const error = await expectCode(
      updateTree(root, policies, { signal: AbortSignal.abort(reason) }),
      'ABORTED',
    );
    expect(error.cause).toBe(reason);
    expect(await readFile(join(root, 'a.yaml'), 'utf8')).toBe(MARKED);
  });

  it('rejects with IO for a missing root and INVALID_ARGUMENT for arguments of the wrong type', async () => {
    const root = await tree({});
    const error = await expectCode(updateTree(join(root, 'missing'), policies), 'IO');
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
    await expectCode(updateTree('', policies), 'INVALID_ARGUMENT');
    await expectCode(updateTree(root, null as unknown as Policies), 'INVALID_ARGUMENT');
  });
});
