// What would these Flux ImagePolicies pick? Parses real ImagePolicy manifests,
// hands their `.spec` to @tagsmith/policy unchanged, and explains one choice.
// Run from the repository root after `pnpm build`: node examples/policy-select.mjs
import { compilePolicy, excludeTags } from '@tagsmith/policy';
import { parseAllDocuments } from 'yaml';

const manifests = `
apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImagePolicy
metadata: { name: podinfo-stable, namespace: flux-system }
spec:
  imageRepositoryRef: { name: podinfo }
  policy:
    semver:
      range: '>=6.0.0 <7.0.0'
---
apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImagePolicy
metadata: { name: podinfo-candidates, namespace: flux-system }
spec:
  imageRepositoryRef: { name: podinfo }
  policy:
    semver:
      range: '>=6.5.0-0 <7.0.0'
---
apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImagePolicy
metadata: { name: podinfo-main, namespace: flux-system }
spec:
  imageRepositoryRef: { name: podinfo }
  filterTags:
    pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)$'
    extract: '$ts'
  policy:
    numerical:
      order: asc
`;

// A registry listing as Flux's ImageRepository would see it.
const listed = [
  '6.4.1',
  '6.5.0',
  '6.5.1',
  '6.5.2-rc.1',
  '6.6.0-rc.1',
  'v6.5.1',
  '6.5.1+build.7',
  '7.0.0',
  '5.9.9',
  'latest',
  'main-3f1c2a9-1717000000',
  'main-8e2d4b1-1717090000',
  'main-0a9c3d2-1716900000',
  'sha256-1f2e3d.sig',
];
const tags = excludeTags(listed); // ImageRepository's default exclusionList drops the .sig tag

for (const doc of parseAllDocuments(manifests)) {
  const { metadata, spec } = doc.toJS();
  console.log(`${metadata.name.padEnd(20)} -> ${compilePolicy(spec).select(tags)}`);
}

const stable = parseAllDocuments(manifests)[0].toJS();
const explanation = compilePolicy(stable.spec).explain(tags);
console.log(`\nwhy ${stable.metadata.name}: ${explanation.summary}`);
for (const entry of explanation.tags)
  console.log(`  ${entry.tag.padEnd(24)} ${entry.kind.padEnd(13)} ${entry.reason}`);
