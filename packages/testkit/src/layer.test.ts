import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { tempDir } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import { buildLayer } from './layer.js';

const run = promisify(execFile);

describe('buildLayer', () => {
  it('builds a gzipped tar that the tar tool extracts', async () => {
    const layer = buildLayer('testkit.txt', 'hello layer\n');
    expect(gunzipSync(layer.gzip)).toEqual(layer.tar);
    const dir = (await tempDir('testkit-layer')).path;
    await writeFile(join(dir, 'layer.tar.gz'), layer.gzip);
    await run('tar', ['-xzf', 'layer.tar.gz'], { cwd: dir });
    expect(await readFile(join(dir, 'testkit.txt'), 'utf8')).toBe('hello layer\n');
  });

  it('is byte-for-byte stable, so seeded digests are too', () => {
    expect(buildLayer('a', 'x').gzip).toEqual(buildLayer('a', 'x').gzip);
    expect(buildLayer('a', 'x').gzip).not.toEqual(buildLayer('a', 'y').gzip);
  });
});
