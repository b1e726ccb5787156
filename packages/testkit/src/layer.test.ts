import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildLayer } from './layer.js';

const run = promisify(execFile);

describe('buildLayer', () => {
  it('builds a gzipped tar that the tar tool extracts', async () => {
    const layer = buildLayer('testkit.txt', 'hello layer\n');
    expect(gunzipSync(layer.gzip)).toEqual(layer.tar);
    const dir = await mkdtemp(join(tmpdir(), 'testkit-layer-'));
    try {
      await writeFile(join(dir, 'layer.tar.gz'), layer.gzip);
      await run('tar', ['-xzf', 'layer.tar.gz'], { cwd: dir });
      expect(await readFile(join(dir, 'testkit.txt'), 'utf8')).toBe('hello layer\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('is byte-for-byte stable, so seeded digests are too', () => {
    expect(buildLayer('a', 'x').gzip).toEqual(buildLayer('a', 'x').gzip);
    expect(buildLayer('a', 'x').gzip).not.toEqual(buildLayer('a', 'y').gzip);
  });
});
