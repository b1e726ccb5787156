// Patch a GitOps directory the way Flux's image automation does, but changing
// only the marked values' bytes. Run after `pnpm build`:
//   node examples/patch-directory.mjs
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { updateTree } from '@tagsmith/setters';

const root = await mkdtemp(join(tmpdir(), 'tagsmith-example-'));
try {
  await mkdir(join(root, 'apps', 'web'), { recursive: true });
  await writeFile(
    join(root, 'apps', 'web', 'deployment.yaml'),
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
          image: ghcr.io/acme/web:1.4.0 # {"$imagepolicy": "flux-system:web"}
          args: ["--port", "8080"]  # untouched, spacing and all
`,
  );
  await writeFile(
    join(root, 'apps', 'web', 'kustomization.yaml'),
    `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [deployment.yaml]
images:
  - name: worker
    newTag: "1.0" # {"$imagepolicy": "flux-system:worker:tag"}
`,
  );
  const policies = {
    'flux-system:web': { name: 'ghcr.io/acme/web', tag: '1.5.2' },
    'flux-system:worker': { name: 'ghcr.io/acme/worker', tag: '1.1' },
  };

  const preview = await updateTree(root, policies, { dryRun: true });
  for (const file of preview.files) {
    console.log(`--- a/${file.path}\n+++ b/${file.path}`);
    const before = file.oldText.split('\n');
    const after = file.newText.split('\n');
    for (const { line } of file.changes) {
      console.log(`@@ line ${line} @@\n-${before[line - 1]}\n+${after[line - 1]}`);
    }
  }

  const { files, problems } = await updateTree(root, policies);
  console.log(`\nwrote ${files.length} files, ${problems.length} problems`);
  for (const file of files) {
    for (const c of file.changes) {
      console.log(
        `  ${file.path}:${c.line}:${c.column} ${c.setter}: ${c.oldValue} -> ${c.newValue}`,
      );
    }
  }
  console.log(`\n${await readFile(join(root, 'apps', 'web', 'kustomization.yaml'), 'utf8')}`);
} finally {
  await rm(root, { recursive: true, force: true });
}
// Output:
// --- a/apps/web/deployment.yaml
// +++ b/apps/web/deployment.yaml
// @@ line 11 @@
// -          image: ghcr.io/acme/web:1.4.0 # {"$imagepolicy": "flux-system:web"}
// +          image: ghcr.io/acme/web:1.5.2 # {"$imagepolicy": "flux-system:web"}
// --- a/apps/web/kustomization.yaml
// +++ b/apps/web/kustomization.yaml
// @@ line 6 @@
// -    newTag: "1.0" # {"$imagepolicy": "flux-system:worker:tag"}
// +    newTag: "1.1" # {"$imagepolicy": "flux-system:worker:tag"}
//
// wrote 2 files, 0 problems
//   apps/web/deployment.yaml:11:18 flux-system:web: ghcr.io/acme/web:1.4.0 -> ghcr.io/acme/web:1.5.2
//   apps/web/kustomization.yaml:6:13 flux-system:worker:tag: 1.0 -> 1.1
//
// apiVersion: kustomize.config.k8s.io/v1beta1
// kind: Kustomization
// resources: [deployment.yaml]
// images:
//   - name: worker
//     newTag: "1.1" # {"$imagepolicy": "flux-system:worker:tag"}
