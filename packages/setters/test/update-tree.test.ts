import {
  chmod,
  lstat,
  mkdir,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { expectCode } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import type { Policies, UpdateTreeOptions } from '../src/index.js';
import { SettersError, updateText, updateTree } from '../src/index.js';
import { RUNTIME, type TreeRuntime, updateTreeWith } from '../src/tree-update.js';
import { replaceFile } from '../src/write.js';
import { marker, policies, readTree, tempPath } from './helpers.js';

const APP = marker('flux-system:app');
const MARKED = `image: app:v1 ${APP}\n`;
const PATCHED = `image: ghcr.io/acme/app:v2.0.0 ${APP}\n`;

/** Writes `files` (relative path → text or bytes) under a new temp root. */
async function tree(files: Record<string, string | Buffer>): Promise<string> {
  const root = await tempPath();
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}

/** A runtime whose clock ends the slice after every file; `onYield` runs in each break. */
function everyFile(
  overrides: Partial<TreeRuntime> & { onYield?: () => Promise<void> },
): TreeRuntime {
  let clock = 0;
  const { onYield, ...rest } = overrides;
  return {
    now: () => (clock += 100),
    yieldToLoop: async () => {
      await setImmediate();
      await onYield?.();
    },
    replaceFile,
    ...rest,
  };
}

/** A runtime whose slice never ends: no yields besides the real awaits. */
function noYield(overrides: Partial<TreeRuntime>): TreeRuntime {
  return {
    now: () => 0,
    yieldToLoop: () => Promise.reject(new Error('must not yield')),
    replaceFile,
    ...overrides,
  };
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

  it('decodes only files holding the bytes "$imagepolicy"', async () => {
    // A JSON escape makes a marker without those bytes: updateText honours it,
    // updateTree never looks, and invalid UTF-8 elsewhere is never decoded.
    const escaped = 'image: app:v1 # {"\\u0024imagepolicy": "flux-system:app"}\n';
    expect(updateText(escaped, policies).changes).toHaveLength(1);
    const root = await tree({
      'escaped.yaml': escaped,
      'latin1.yaml': Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]),
    });
    expect(await updateTree(root, policies)).toEqual({ files: [], problems: [] });
    expect(await readFile(join(root, 'escaped.yaml'), 'utf8')).toBe(escaped);
  });

  it('skips a 50 MB file without markers without decoding it', async () => {
    // Invalid UTF-8 throughout: decoding it would produce a parse-error problem.
    const chunk = Buffer.from('key: [unclosed {\n\tbad: \xff indentation: here\n', 'latin1');
    const big = Buffer.alloc(50 * 1024 * 1024, chunk);
    const root = await tree({ 'big.yaml': big, 'a.yaml': MARKED });
    const result = await updateTree(root, policies);
    expect(result.problems).toEqual([]);
    expect(result.files.map((f) => f.path)).toEqual(['a.yaml']);
  });
});

describe('path and symlink safety', () => {
  it.each(['..', '../x', 'a/../../b', 'a/..//../b/'])(
    'rejects path %j outside the root',
    async (path) => {
      const root = await tree({ 'a/x.yaml': MARKED });
      const error = await expectCode(
        updateTree(join(root, 'a'), policies, { path }),
        SettersError,
        'PATH_OUTSIDE_ROOT',
      );
      expect(error.message).toContain(path);
    },
  );

  it('rejects a path that leaves the root through a symlink', async () => {
    const outside = await tree({ 'o.yaml': MARKED });
    const root = await tree({ 'a.yaml': MARKED });
    await symlink(outside, join(root, 'escape'));
    await expectCode(
      updateTree(root, policies, { path: 'escape' }),
      SettersError,
      'PATH_OUTSIDE_ROOT',
    );
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

  it('visits a file reached by its name and by symlinks once, under the first path met', async () => {
    const root = await tree({
      'b/x.yaml': MARKED,
      'b/y.yaml': MARKED,
      'c/b.yaml': MARKED,
      'c/z.yaml': MARKED,
      'data/t.txt': MARKED,
      'excluded/e.yaml': MARKED,
    });
    await symlink('b/x.yaml', join(root, 'a-link.yaml')); // met before b/ is listed
    await symlink('../b/y.yaml', join(root, 'c', 'back.yaml')); // met after b/y.yaml
    await symlink('z.yaml', join(root, 'c', 'a.yaml')); // same directory, sorts before z.yaml
    await symlink('b.yaml', join(root, 'c', 'm.yaml')); // same directory, sorts after b.yaml
    await symlink('../data/t.txt', join(root, 'c', 'l1.yaml')); // t.txt itself is not selected
    await symlink('../data/t.txt', join(root, 'c', 'l2.yaml'));
    await symlink('excluded/e.yaml', join(root, 'to-excluded.yaml'));
    const result = await updateTree(root, policies, { dryRun: true, exclude: ['excluded'] });
    expect(result.files.map((f) => f.path)).toEqual([
      'a-link.yaml',
      'b/y.yaml',
      'c/a.yaml',
      'c/b.yaml',
      'c/l1.yaml',
      'to-excluded.yaml',
    ]);
  });

  it('writes a symlinked file through to its target inside the root, keeping the link', async () => {
    const root = await tree({ 'data/target.txt': MARKED });
    await symlink('data/target.txt', join(root, 'link.yaml'));
    const result = await updateTree(root, policies);
    expect(result.files.map((f) => f.path)).toEqual(['link.yaml']);
    expect(await readFile(join(root, 'data/target.txt'), 'utf8')).toBe(PATCHED);
    expect((await lstat(join(root, 'link.yaml'))).isSymbolicLink()).toBe(true);
    expect((await readdir(join(root, 'data'))).sort()).toEqual(['target.txt']);
  });

  it('never reads through a file swapped for a symlink after the walk saw it', async () => {
    const outside = await tree({ 'secret.yaml': MARKED });
    const root = await tree({ 'a.yaml': MARKED, 'b.yaml': MARKED });
    const runtime = everyFile({
      // Between a.yaml and b.yaml: b.yaml becomes a link out of the root.
      async onYield() {
        await rm(join(root, 'b.yaml'));
        await symlink(join(outside, 'secret.yaml'), join(root, 'b.yaml'));
      },
    });
    const error = await expectCode(updateTreeWith(runtime, root, policies, {}), SettersError, 'IO');
    expect(error.message).toContain('"b.yaml"');
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ELOOP');
    expect(await readFile(join(outside, 'secret.yaml'), 'utf8')).toBe(MARKED);
    expect(await readFile(join(root, 'a.yaml'), 'utf8')).toBe(PATCHED);
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
    const text = `a: 1\nimage: x ${APP}\nb: c: d\n`;
    const root = await tree({ 'bad.yaml': text, 'good.yaml': MARKED });
    const result = await updateTree(root, policies);
    expect(result.problems).toEqual([
      expect.objectContaining({ path: 'bad.yaml', kind: 'parse-error', line: 3, column: 4 }),
    ]);
    expect(result.problems[0]!.message).toContain('bad.yaml:3:4');
    expect(await readFile(join(root, 'bad.yaml'), 'utf8')).toBe(text);
    expect(result.files.map((f) => f.path)).toEqual(['good.yaml']);
  });

  it('leaves a file whose patch cannot be proven untouched, and updates the others', async () => {
    const text = `replicas: !!int 3 ${marker('flux-system:app:tag')}\n`;
    const root = await tree({ 'int.yaml': text, 'ok.yaml': MARKED });
    const before = await stat(join(root, 'int.yaml'));
    const result = await updateTree(root, policies);
    expect(result.problems).toEqual([
      expect.objectContaining({ path: 'int.yaml', kind: 'verify-failed', line: 1, column: 17 }),
    ]);
    expect(result.files.map((f) => f.path)).toEqual(['ok.yaml']);
    expect((await stat(join(root, 'int.yaml'))).ino).toBe(before.ino);
    expect(await readFile(join(root, 'int.yaml'), 'utf8')).toBe(text);
  });

  it('keeps a BOM and CRLF byte for byte', async () => {
    const root = await tree({ 'win.yaml': `\ufeffa: 1\r\n${MARKED.replace('\n', '\r\n')}` });
    await updateTree(root, policies);
    expect(await readFile(join(root, 'win.yaml'))).toEqual(
      Buffer.from(`\ufeffa: 1\r\n${PATCHED.replace('\n', '\r\n')}`),
    );
  });

  it('never selects a temp file left by an interrupted write, even when include matches it', async () => {
    const root = await tree({ 'a.yaml': MARKED, '.0f1e.tagsmith-tmp': MARKED });
    const result = await updateTree(root, policies, { include: ['**'] });
    expect(result.files.map((f) => f.path)).toEqual(['a.yaml']);
    expect(await readFile(join(root, '.0f1e.tagsmith-tmp'), 'utf8')).toBe(MARKED);
  });

  it('stops at a failed write: earlier files stay written, this and later ones untouched', async () => {
    const root = await tree({ 'a.yaml': MARKED, 'b.yaml': MARKED, 'c.yaml': MARKED });
    const cause = Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    const runtime = everyFile({
      // A full disk cannot be caused for real here; the rest is the real write.
      replaceFile: (target, text) =>
        String(target).endsWith('b.yaml') ? Promise.reject(cause) : replaceFile(target, text),
    });
    const error = await expectCode(updateTreeWith(runtime, root, policies, {}), SettersError, 'IO');
    expect(error.cause).toBe(cause);
    expect(error.message).toBe(
      'writing "b.yaml" failed (1 file written before it stay written; this one is unchanged): ENOSPC',
    );
    expect(await readFile(join(root, 'a.yaml'), 'utf8')).toBe(PATCHED);
    expect(await readFile(join(root, 'b.yaml'), 'utf8')).toBe(MARKED);
    expect(await readFile(join(root, 'c.yaml'), 'utf8')).toBe(MARKED);
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
      SettersError,
      'ABORTED',
    );
    expect(error.cause).toBe(reason);
    expect(await readFile(join(root, 'a.yaml'), 'utf8')).toBe(MARKED);
  });

  it('honours an abort between slices before touching another file', async () => {
    const root = await tree({ 'a.yaml': MARKED, 'b.yaml': MARKED, 'c.yaml': MARKED });
    const controller = new AbortController();
    let yields = 0;
    const runtime = everyFile({
      async onYield() {
        if (++yields === 2) controller.abort(new Error('deploy window closed'));
      },
    });
    const error = await expectCode(
      updateTreeWith(runtime, root, policies, { signal: controller.signal }),
      SettersError,
      'ABORTED',
    );
    expect((error.cause as Error).message).toBe('deploy window closed');
    expect(await readFile(join(root, 'a.yaml'), 'utf8')).toBe(PATCHED);
    expect(await readFile(join(root, 'b.yaml'), 'utf8')).toBe(PATCHED);
    expect(await readFile(join(root, 'c.yaml'), 'utf8')).toBe(MARKED);
  });

  it('honours an abort that fires while a file is being written', async () => {
    const root = await tree({ 'a.yaml': MARKED, 'b.yaml': MARKED });
    const controller = new AbortController();
    const runtime = noYield({
      async replaceFile(target, text) {
        await replaceFile(target, text);
        controller.abort();
      },
    });
    await expectCode(
      updateTreeWith(runtime, root, policies, { signal: controller.signal }),
      SettersError,
      'ABORTED',
    );
    expect(await readFile(join(root, 'a.yaml'), 'utf8')).toBe(PATCHED);
    expect(await readFile(join(root, 'b.yaml'), 'utf8')).toBe(MARKED);
  });

  it('yields to the event loop once the slice clock runs out, and not before', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`f${String(i).padStart(2, '0')}.yaml`, 'a: 1\n']),
    );
    const root = await tree(files);
    // A clock that advances 4 ms per reading: a 10 ms slice ends after every third file.
    let clock = 0;
    let yields = 0;
    await updateTreeWith(
      {
        now: () => (clock += 4),
        yieldToLoop: async () => {
          yields++;
        },
        replaceFile,
      },
      root,
      policies,
      { dryRun: true },
    );
    expect(yields).toBe(10);
    const never = noYield({});
    await updateTreeWith(never, root, policies, { dryRun: true });
  });

  it('yields between directories that hold no candidate', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`d${String(i).padStart(2, '0')}/notes.txt`, 'a: 1\n']),
    );
    const root = await tree(files);
    let yields = 0;
    // A clock that ends the slice at every reading: one yield per directory (the root and 30).
    const runtime = everyFile({
      async onYield() {
        yields++;
      },
    });
    expect(await updateTreeWith(runtime, root, policies, {})).toEqual({ files: [], problems: [] });
    expect(yields).toBe(31);
  });

  it('lets timers and I/O run between slices (a real event-loop turn, not a microtask)', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`f${String(i).padStart(2, '0')}.yaml`, 'a: 1\n']),
    );
    const root = await tree(files);
    /** Event-loop turns seen by a setImmediate spinner at each yield of the walk. */
    const turnsAtYields = async (yieldToLoop: () => Promise<void>) => {
      let turns = 0;
      let running = true;
      const spin = (async () => {
        while (running) {
          await setImmediate();
          turns++;
        }
      })();
      const seen: number[] = [];
      let clock = 0;
      await updateTreeWith(
        {
          ...RUNTIME,
          now: () => (clock += 100),
          yieldToLoop: () => {
            seen.push(turns);
            return yieldToLoop();
          },
        },
        root,
        policies,
        { dryRun: true },
      );
      running = false;
      await spin;
      return seen;
    };
    const real = await turnsAtYields(RUNTIME.yieldToLoop);
    expect(real).toHaveLength(20);
    // Every yield let the spinner take at least one turn since the one before.
    for (let i = 1; i < real.length; i++) expect(real[i]).toBeGreaterThan(real[i - 1]!);
    // The check has teeth: a microtask "yield" starves the spinner.
    const starved = await turnsAtYields(() => Promise.resolve());
    expect(new Set(starved).size).toBe(1);
  });

  it('rejects with IO for a missing root and INVALID_ARGUMENT for arguments of the wrong type', async () => {
    const root = await tree({});
    const error = await expectCode(updateTree(join(root, 'missing'), policies), SettersError, 'IO');
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
    await expectCode(updateTree('', policies), SettersError, 'INVALID_ARGUMENT');
    await expectCode(
      updateTree(root, null as unknown as Policies),
      SettersError,
      'INVALID_ARGUMENT',
    );
  });
});

describe('options', () => {
  it.each([
    ['options', null],
    ['options', 'prod'],
    ['options.path', { path: 5 }],
    ['options.path', { path: '/etc' }],
    ['options.path', { path: 'a\0b' }],
    ['options.include', { include: '**/*.tmpl' }],
    ['options.include[1]', { include: ['**/*.tmpl', 5] }],
    ['options.exclude[0]', { exclude: [null] }],
    ['options.include[0]', { include: [''] }],
    ['options.exclude[0]', { exclude: ['#staging'] }],
    ['options.include[0]', { include: ['x'.repeat(70_000)] }],
    ['options.dryRun', { dryRun: 'yes' }],
    ['options.dryRun', { dryRun: 1 }],
    ['options.signal', { signal: {} }],
    ['options.signal', { signal: 'abort' }],
  ])(
    'rejects a bad %s with INVALID_ARGUMENT naming it, before touching a file',
    async (name, options) => {
      const root = await tree({ 'a.yaml': MARKED });
      const error = await expectCode(
        updateTree(root, policies, options as unknown as UpdateTreeOptions),
        SettersError,
        'INVALID_ARGUMENT',
      );
      expect(error.message).toContain(name);
      expect(await readFile(join(root, 'a.yaml'), 'utf8')).toBe(MARKED);
    },
  );

  it('accepts every option at its documented type, and an escaped "#" glob', async () => {
    const root = await tree({ 'apps/#a.tmpl': MARKED, 'apps/b.yaml': MARKED });
    const result = await updateTree(root, policies, {
      path: 'apps',
      include: ['**/\\#*.tmpl'],
      exclude: [],
      dryRun: false,
      signal: new AbortController().signal,
    });
    expect(result.files.map((f) => f.path)).toEqual(['apps/#a.tmpl', 'apps/b.yaml']);
    expect((await updateTree(root, policies, { path: '' })).files).toEqual([]);
  });
});

describe('names that are not UTF-8', () => {
  // Linux names are bytes; Git checks them out as they were committed.
  /** A path from text and raw bytes, e.g. `bytes('caf', [0xe9], '.yaml')`. */
  const bytes = (...parts: (string | number[])[]) =>
    Buffer.concat(parts.map((part) => Buffer.from(part as string)));
  /** `root/` followed by `parts`. */
  const at = (root: string, ...parts: (string | number[])[]) => bytes(`${root}/`, ...parts);

  it('updates a marked file whose name is not UTF-8, reporting it with U+FFFD', async () => {
    const root = await tree({ 'a.yaml': MARKED });
    const file = at(root, 'caf', [0xe9], '.yaml');
    await writeFile(file, MARKED);
    await mkdir(at(root, 'd', [0xff]));
    await writeFile(at(root, 'd', [0xff], '/x.yaml'), MARKED);
    await writeFile(at(root, 'bad', [0xfe], '.yaml'), `a: [\n${MARKED}`);

    const preview = await updateTree(root, policies, { dryRun: true });
    expect(preview.files.map((f) => [f.path, f.oldText, f.newText])).toEqual([
      ['a.yaml', MARKED, PATCHED],
      ['caf\ufffd.yaml', MARKED, PATCHED],
      ['d\ufffd/x.yaml', MARKED, PATCHED],
    ]);
    expect(preview.problems.map((p) => [p.path, p.kind])).toEqual([
      ['bad\ufffd.yaml', 'parse-error'],
    ]);

    const result = await updateTree(root, policies);
    expect(result.files.map((f) => f.path)).toEqual(preview.files.map((f) => f.path));
    expect(await readFile(file, 'utf8')).toBe(PATCHED);
    expect(await readFile(at(root, 'd', [0xff], '/x.yaml'), 'utf8')).toBe(PATCHED);
    // Written in place under the same bytes: no second, decoded name and no temp file.
    const names = await readdir(root, { encoding: 'buffer' });
    expect(names.map((n) => n.toString('hex')).sort()).toEqual(
      ['a.yaml', bytes('bad', [0xfe], '.yaml'), bytes('caf', [0xe9], '.yaml'), bytes('d', [0xff])]
        .map((n) => Buffer.from(n).toString('hex'))
        .sort(),
    );
  });

  it('tells apart two names that decode alike', async () => {
    const root = await tree({});
    await writeFile(at(root, 'a', [0xfe], '.yaml'), MARKED);
    await writeFile(at(root, 'a', [0xff], '.yaml'), `tag: v1 ${marker('flux-system:app:tag')}\n`);
    const result = await updateTree(root, policies);
    expect(result.files.map((f) => [f.path, f.changes[0]!.newValue])).toEqual([
      ['a\ufffd.yaml', 'ghcr.io/acme/app:v2.0.0'],
      ['a\ufffd.yaml', 'v2.0.0'],
    ]);
    expect(await readFile(at(root, 'a', [0xfe], '.yaml'), 'utf8')).toBe(PATCHED);
    expect(await readFile(at(root, 'a', [0xff], '.yaml'), 'utf8')).toBe(
      `tag: v2.0.0 ${marker('flux-system:app:tag')}\n`,
    );
  });

  it('follows symlinks to and from such names inside the root, and reports one leading out', async () => {
    const outside = await tree({ 'o.yaml': MARKED });
    const root = await tree({ 'data/t.txt': MARKED });
    await writeFile(at(root, 'data/u', [0xe9], '.txt'), MARKED);
    await symlink(bytes('data/u', [0xe9], '.txt'), join(root, 'to-latin1.yaml'));
    await symlink('data/t.txt', at(root, 'from-', [0xe9], '.yaml'));
    await symlink(join(outside, 'o.yaml'), at(root, 'out-', [0xe9], '.yaml'));
    const result = await updateTree(root, policies);
    expect(result.files.map((f) => f.path)).toEqual(['from-\ufffd.yaml', 'to-latin1.yaml']);
    expect(result.problems.map((p) => [p.path, p.kind])).toEqual([
      ['out-\ufffd.yaml', 'symlink-outside-root'],
    ]);
    expect(await readFile(join(root, 'data/t.txt'), 'utf8')).toBe(PATCHED);
    expect(await readFile(at(root, 'data/u', [0xe9], '.txt'), 'utf8')).toBe(PATCHED);
    expect(await readFile(join(outside, 'o.yaml'), 'utf8')).toBe(MARKED);
  });

  it('walks a root whose real path is not UTF-8 (reached through a symlink)', async () => {
    const parent = await tempPath();
    const realRoot = at(parent, 'r', [0xff]);
    await mkdir(at(parent, 'r', [0xff], '/sub'), { recursive: true });
    await writeFile(at(parent, 'r', [0xff], '/sub/a.yaml'), MARKED);
    await symlink(realRoot, join(parent, 'root'));
    const result = await updateTree(join(parent, 'root'), policies, { path: 'sub' });
    expect(result.files.map((f) => f.path)).toEqual(['sub/a.yaml']);
    expect(await readFile(at(parent, 'r', [0xff], '/sub/a.yaml'), 'utf8')).toBe(PATCHED);
    await expectCode(
      updateTree(join(parent, 'root'), policies, { path: 'sub/../..' }),
      SettersError,
      'PATH_OUTSIDE_ROOT',
    );
  });
});
