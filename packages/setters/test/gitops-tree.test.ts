// A real-world-shaped GitOps repository, generated here: clusters with
// Kustomizations, HelmReleases with values, Deployments, CronJobs and plain
// lists. Each file is rendered twice from one template, with the old values
// and with the values Flux would write, so the expected tree is independent of
// the code under test.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ImageRef, updateTree } from '../src/index.js';
import { readTree, tempPath } from './helpers.js';

interface Values {
  image: string;
  name: string;
  tag: string;
}

const m = (setter: string) => `# {"$imagepolicy": "flux-system:${setter}"}`;

const templates: Record<string, (app: string, v: Values) => string> = {
  'kustomization.yaml': (app, v) => `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: ${app}
resources:
  - deployment.yaml
  - cronjob.yaml
images:
  - name: ${app}
    newName: ${v.name} ${m(`${app}:name`)}
    newTag: ${v.tag} ${m(`${app}:tag`)}
`,
  'deployment.yaml': (app, v) => `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  namespace: ${app}
  labels: {app.kubernetes.io/name: ${app}, tier: "backend"}
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: app
          image: ${v.image} ${m(app)}
          args: ["--port", "8080"]   # trailing comment, tab\there
          env:
            - name: VERSION
              value: "${v.tag}" ${m(`${app}:tag`)}
        - name: sidecar
          image: envoyproxy/envoy:v1.30.1
`,
  'cronjob.yaml': (app, v) => `apiVersion: batch/v1\r
kind: CronJob\r
metadata:\r
  name: ${app}-nightly\r
spec:\r
  schedule: "0 3 * * *"\r
  jobTemplate:\r
    spec:\r
      template:\r
        spec:\r
          containers:\r
          - name: job\r
            image: '${v.image}' ${m(app)}\r
            command:\r
            - /bin/sh\r
            - -c\r
            - |\r
              echo "image: old # {\\"$imagepolicy\\": \\"flux-system:${app}\\"}"\r
`,
  'helmrelease.yaml': (app, v) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${app}
  namespace: ${app}
spec:
  chart:
    spec: {chart: ${app}, version: "1.x"}
  values:
    image:
      repository: ${v.name} ${m(`${app}:name`)}
      tag: ${v.tag} ${m(`${app}:tag`)}
    config: |
      # kept verbatim, including this: ${m(app)}
      listen: 8080
    extra: &extra
      - a
      - b
    more: *extra`,
  'list.yaml': (app, v) => `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: ${app}-debug}
  spec:
    containers: [{name: debug, image: busybox}]
- ${v.image} ${m(app)}
`,
};

function refFor(i: number): ImageRef {
  return { name: `ghcr.io/acme/app${i}`, tag: `1.${i}.0` };
}

/** Markers each template's values carry (block scalar and README lookalikes excluded). */
const MARKERS: Record<string, number> = {
  'kustomization.yaml': 2,
  'deployment.yaml': 2,
  'cronjob.yaml': 1,
  'helmrelease.yaml': 2,
  'list.yaml': 1,
};

async function generate(root: string, which: 'old' | 'new'): Promise<void> {
  for (const cluster of ['prod', 'staging', 'dev']) {
    for (let i = 0; i < 20; i++) {
      const app = `app${i}`;
      const ref = refFor(i);
      const values: Values =
        which === 'new'
          ? { image: `${ref.name}:${ref.tag}`, name: ref.name, tag: ref.tag }
          : {
              image: `registry.old/app${i}:0.9.${i}`,
              name: `registry.old/app${i}`,
              tag: `0.9.${i}`,
            };
      for (const [file, render] of Object.entries(templates)) {
        const path = join(root, 'clusters', cluster, 'apps', app, file);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, render(app, values));
      }
      const notes = join(root, 'clusters', cluster, 'apps', app, 'README.md');
      await writeFile(notes, `image: ${values.image} ${m(app)}\n`);
    }
    await writeFile(
      join(root, 'clusters', cluster, 'flux-system.yaml'),
      'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps}\nspec: {path: ./apps}\n',
    );
  }
}

describe('a generated GitOps repository', () => {
  it('becomes exactly the expected tree, and a second run changes nothing', async () => {
    const policies = new Map(
      Array.from({ length: 20 }, (_, i) => [`flux-system:app${i}`, refFor(i)]),
    );
    const root = await tempPath();
    const expectedRoot = await tempPath();
    await generate(root, 'old');
    await generate(expectedRoot, 'new');
    const before = await readTree(root);
    expect(before.size).toBeGreaterThan(300);

    const result = await updateTree(root, policies);
    expect(result.problems).toEqual([]);
    // 3 clusters x 20 apps x 5 files, every marker changed.
    expect(result.files).toHaveLength(300);
    for (const file of result.files) {
      expect(file.changes, file.path).toHaveLength(MARKERS[file.path.split('/').at(-1)!]!);
    }
    const deployment = result.files.find(
      (f) => f.path === 'clusters/prod/apps/app3/deployment.yaml',
    );
    expect(deployment?.changes[0]).toMatchObject({
      oldValue: 'registry.old/app3:0.9.3',
      newValue: 'ghcr.io/acme/app3:1.3.0',
      line: 14,
      column: 18,
      object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'app3', name: 'app3' },
    });

    const actual = await readTree(root);
    const expected = await readTree(expectedRoot);
    // README.md files are not YAML by name and must stay as they were.
    for (const [path, bytes] of before) if (path.endsWith('README.md')) expected.set(path, bytes);
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [path, bytes] of expected) {
      expect(actual.get(path)?.toString('utf8'), path).toBe(bytes.toString('utf8'));
    }

    expect(await updateTree(root, policies)).toEqual({ files: [], problems: [] });
  });
});
