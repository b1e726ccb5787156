import { describe, expect, it } from 'vitest';
import { isMap, isScalar, type Node } from 'yaml';
import { parseDocuments } from './locate.js';
import { LineIndex } from './positions.js';
import { verifyPatch } from './verify.js';

/** Parses `before`, splices `replacement` over the value of `key`, and verifies that it reads back as `want`. */
function verifyValue(before: string, key: string, replacement: string, want: string) {
  const parsed = parseDocuments(before, new LineIndex(before));
  if (!parsed.ok) throw new Error(parsed.message);
  const root = parsed.documents[0]!.contents;
  if (!isMap(root)) throw new Error('not a map');
  const node = root.get(key, true) as Node;
  if (!isScalar(node)) throw new Error('not a scalar');
  const [start, end] = node.range!;
  const patched = before.slice(0, start) + replacement + before.slice(end);
  return verifyPatch(parsed.documents, patched, new Map([[node, want]]));
}

describe('verifyPatch', () => {
  it('proves a value that reads back under YAML 1.2 and 1.1', () => {
    expect(verifyValue('a: x\nb: 1\n', 'a', '"0:30"', '0:30')).toBeUndefined();
    expect(verifyValue('a: x\nb: 1\n', 'a', 'v1.2.3', 'v1.2.3')).toBeUndefined();
  });

  it('refuses a plain value that only a YAML 1.1 reader takes for a number, time or boolean', () => {
    // Each reads back as the string under 1.2 (no %YAML directive), so only the 1.1 re-read can tell.
    for (const value of ['0:30', '2024-06-27 1:2:3', 'yes']) {
      expect(verifyValue('a: x\n', 'a', value, value)).toContain('YAML 1.1');
    }
  });

  it('refuses a value that does not read back under YAML 1.2', () => {
    expect(verifyValue('a: x\n', 'a', '1.5', '1.5')).toContain('does not read back');
  });

  it('refuses a patch that makes an alias key repeat another key', () => {
    const before = 'a: &x v1\n*x : 3\nv2: 4\n';
    expect(verifyValue(before, 'a', 'v2', 'v2')).toContain('repeats another key');
    expect(verifyValue(before, 'a', 'v3', 'v3')).toBeUndefined();
  });
});
