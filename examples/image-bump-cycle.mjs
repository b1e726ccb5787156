// One full image-automation cycle, composed from the primitives the way a bot
// would: list tags on a registry, pick one per Flux ImagePolicy, patch the
// marked fields of a Git checkout, and commit. Everything is local: the
// testkit's in-memory registry and a temporary git repository, no network.
// Run after `pnpm build` (the README's `pnpm demo` does both):
//   node examples/image-bump-cycle.mjs
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { compilePolicy, DEFAULT_EXCLUSIONS, excludeTags } from '@tagsmith/policy';
import { RegistryClient } from '@tagsmith/registry';
import { updateTree } from '@tagsmith/setters';
import { startRegistry } from '@tagsmith/testkit';
import { parseAllDocuments } from 'yaml';

const exec = promisify(execFile);
// A fixed identity, so the example needs no global git configuration.
const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'tagsmith example',
  GIT_AUTHOR_EMAIL: 'bot@example.invalid',
  GIT_COMMITTER_NAME: 'tagsmith example',
  GIT_COMMITTER_EMAIL: 'bot@example.invalid',
};
const git = async (cwd, ...args) => (await exec('git', args, { cwd, env: gitEnv })).stdout;

// 1. A registry with a few pushed images.
const registry = await startRegistry();
await registry.pushTags('acme/web', [
  '1.4.0',
  '1.4.1',
  '1.5.0',
  '1.5.0.sig',
  '2.0.0-rc.1',
  'latest',
]);
await registry.pushTags('acme/worker', [
  'main-3f1c2a9-1717000000',
  'main-8e2d4b1-1717090000',
  'pr-12-0a9c3d2-1717100000',
]);
const web = `${registry.host}/acme/web`;
const worker = `${registry.host}/acme/worker`;

// 2. Flux ImagePolicy manifests, used unchanged.
const policyManifests = `
apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImagePolicy
metadata: { name: web, namespace: flux-system }
spec:
  imageRepositoryRef: { name: web }
  policy:
    semver: { range: ">=1.0.0 <2.0.0" }
---
apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImagePolicy
metadata: { name: worker, namespace: flux-system }
spec:
  imageRepositoryRef: { name: worker }
  filterTags:
    pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)$'
    extract: '$ts'
  policy:
    numerical: { order: asc }
`;
const images = { web, worker };

// 3. A Git repository whose manifests carry setter markers.
const repo = await mkdtemp(join(tmpdir(), 'tagsmith-demo-'));
try {
  await git(repo, 'init', '--quiet', '--initial-branch=main');
  await mkdir(join(repo, 'apps'), { recursive: true });
  await writeFile(
    join(repo, 'apps', 'web.yaml'),
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
spec:
  template:
    spec:
      containers:
        - name: web
          image: ${web}:1.4.0 # {"$imagepolicy": "flux-system:web"}
          args: ["--port", "8080"]   # spacing and comments stay as they are
`,
  );
  await writeFile(
    join(repo, 'apps', 'kustomization.yaml'),
    `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [web.yaml]
images:
  - name: worker
    newName: ${worker} # {"$imagepolicy": "flux-system:worker:name"}
    newTag: main-3f1c2a9-1717000000 # {"$imagepolicy": "flux-system:worker:tag"}
`,
  );
  await git(repo, 'add', '.');
  await git(repo, 'commit', '--quiet', '-m', 'Initial manifests');

  const client = new RegistryClient();
  const runCycle = async () => {
    // 4. Scan and select: the ImageRepository and ImagePolicy half.
    const latest = {};
    for (const doc of parseAllDocuments(policyManifests)) {
      const { metadata, spec } = doc.toJS();
      const image = images[spec.imageRepositoryRef.name];
      const tags = excludeTags(await client.listTags(image), DEFAULT_EXCLUSIONS);
      const tag = compilePolicy(spec).select(tags);
      const key = `${metadata.namespace}:${metadata.name}`;
      console.log(`${key.padEnd(20)} ${image} -> ${tag ?? '(no candidate)'}`);
      if (tag !== undefined) latest[key] = { name: image, tag };
    }
    // 5. Patch and commit: the ImageUpdateAutomation half.
    const { files, problems } = await updateTree(repo, latest);
    for (const problem of problems) console.log(`problem: ${problem.message}`);
    if (files.length === 0) {
      console.log('no changes: nothing to commit');
      return;
    }
    console.log(`\n${(await git(repo, 'diff', '--no-color', '--unified=0')).trimEnd()}\n`);
    const lines = files.flatMap((file) =>
      file.changes.map((c) => `- ${file.path}: ${c.oldValue} -> ${c.newValue}`),
    );
    const message = `Update from image update automation\n\n${lines.join('\n')}\n`;
    await git(repo, 'commit', '--quiet', '-am', message);
    console.log((await git(repo, 'log', '-1', '--format=committed %h %s%n%b')).trimEnd());
  };

  console.log('== first cycle');
  await runCycle();
  console.log('\n== second cycle (no new tags)');
  await runCycle();
  await registry.pushTags('acme/web', ['1.5.1']);
  console.log('\n== third cycle (1.5.1 was pushed)');
  await runCycle();
} finally {
  await rm(repo, { recursive: true, force: true });
  await registry.close();
}
