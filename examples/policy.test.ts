// Pin what your Flux ImagePolicies pick, in your own test suite: read the
// ImagePolicy from the manifest you deploy, hand its `spec` to @tagsmith/policy
// unchanged, and assert the winner and, with `explain`, why each other tag lost.
// A change to the range (or a surprising tag on the registry) then fails a test
// before it reaches a cluster. `pnpm test` runs this file; alone:
//   npx vitest run examples/policy.test.ts
import { readFile } from 'node:fs/promises';
import { compilePolicy, excludeTags, type ImagePolicySpec, selectTag } from '@tagsmith/policy';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

/** The `spec` of the ImagePolicy `name` in a multi-document manifest file. */
async function imagePolicySpec(file: URL, name: string): Promise<ImagePolicySpec> {
  const documents = parseAllDocuments(await readFile(file, 'utf8')).map((doc) => doc.toJS());
  const policy = documents.find(
    (object) => object?.kind === 'ImagePolicy' && object.metadata?.name === name,
  );
  if (policy === undefined) throw new Error(`no ImagePolicy ${name} in ${file.pathname}`);
  return policy.spec as ImagePolicySpec;
}

// What the registry holds, as the ImageRepository lists it.
const listed = ['1.0.0', '1.4.2', '1.9.0', '1.10.0-rc.1', '2.0.0', 'latest', 'sha256-1f2e.sig'];

describe('the my-app ImagePolicy (examples/flux/image-automation.yaml)', () => {
  const manifest = new URL('./flux/image-automation.yaml', import.meta.url);

  it('picks the newest 1.x release', async () => {
    const spec = await imagePolicySpec(manifest, 'my-app');
    // The ImageRepository's default exclusionList drops cosign signatures first, as Flux does.
    expect(selectTag(excludeTags(listed), spec)).toBe('1.9.0');
  });

  it('never moves to 2.x, a prerelease or latest, and says why', async () => {
    const policy = compilePolicy(await imagePolicySpec(manifest, 'my-app'));
    const why = Object.fromEntries(
      policy.explain(excludeTags(listed)).tags.map((entry) => [entry.tag, entry.kind]),
    );
    expect(why).toEqual({
      '1.0.0': 'beaten',
      '1.4.2': 'beaten',
      '1.9.0': 'selected',
      '1.10.0-rc.1': 'prerelease',
      '2.0.0': 'out-of-range',
      latest: 'unparseable',
    });
  });

  it('takes a patch release as soon as it is pushed', async () => {
    const spec = await imagePolicySpec(manifest, 'my-app');
    expect(selectTag([...listed, '1.9.1'], spec)).toBe('1.9.1');
  });
});

describe('a build-number policy written inline', () => {
  // filterTags as in an ImagePolicy: keep main-<sha>-<timestamp>, compare the timestamp.
  const policy = compilePolicy({
    filterTags: { pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)$', extract: '$ts' },
    policy: { numerical: { order: 'asc' } },
  });

  it('picks the latest main build, never a pull request build', () => {
    const tags = ['main-3f1c2a9-1717000000', 'main-8e2d4b1-1717090000', 'pr-12-0a9c3d2-1717100000'];
    expect(policy.select(tags)).toBe('main-8e2d4b1-1717090000');
    expect(policy.explain(tags).tags.find((entry) => entry.tag.startsWith('pr-'))?.kind).toBe(
      'filtered',
    );
  });
});
