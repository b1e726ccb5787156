// Flux conformance: the shared input tree must become the expected tree byte
// for byte, with the expected changes and problems.
import { readFile, rm, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type ImageRef, updateTree } from '../src/index.js';
import { copyTree, readTree } from './helpers.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'conformance');

interface Expected {
  files: Record<string, { setter: string; oldValue: string; newValue: string; object?: object }[]>;
  problems: { path: string; kind: string }[];
}

async function prepare(): Promise<{ root: string; policies: Record<string, ImageRef> }> {
  const root = await copyTree(join(fixtures, 'in'));
  // The fixture stores the dangling symlink as a file holding its target name.
  const target = (await readFile(join(root, 'dangling.yaml'), 'utf8')).trim();
  await rm(join(root, 'dangling.yaml'));
  await symlink(target, join(root, 'dangling.yaml'));
  const policies = JSON.parse(await readFile(join(fixtures, 'policies.json'), 'utf8'));
  return { root, policies };
}

describe('Flux conformance', () => {
  it('turns in/ into out/ byte for byte', async () => {
    const { root, policies } = await prepare();
    await updateTree(root, policies);
    const actual = await readTree(root);
    const expected = await readTree(join(fixtures, 'out'));
    expected.delete('dangling.yaml');
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [path, bytes] of expected) {
      expect(actual.get(path)?.toString('utf8'), path).toBe(bytes.toString('utf8'));
      expect(actual.get(path)?.equals(bytes), path).toBe(true);
    }
  });

  it('reports the expected changes, in file order, and the unknown policy', async () => {
    const { root, policies } = await prepare();
    const result = await updateTree(root, policies, { dryRun: true });
    const expected: Expected = JSON.parse(
      await readFile(join(fixtures, 'expected-changes.json'), 'utf8'),
    );
    expect(result.files.map((f) => f.path).sort()).toEqual(Object.keys(expected.files).sort());
    for (const file of result.files) {
      const want = expected.files[file.path]!;
      expect(file.changes).toHaveLength(want.length);
      for (const [i, change] of file.changes.entries()) expect(change).toMatchObject(want[i]!);
    }
    expect(result.problems).toHaveLength(expected.problems.length);
    for (const [i, problem] of result.problems.entries()) {
      expect(problem).toMatchObject(expected.problems[i]!);
    }
  });

  it('writes only the files whose values change', async () => {
    const { root, policies } = await prepare();
    const before = await readTree(root);
    const { files } = await updateTree(root, policies);
    const after = await readTree(root);
    const rewritten = [...after.keys()].filter(
      (path) => !after.get(path)!.equals(before.get(path)!),
    );
    expect(rewritten.sort()).toEqual(files.map((f) => f.path).sort());
    expect(rewritten.sort()).toEqual(['Kustomization', 'kustomization.yml', 'marked.yaml']);
  });
});
