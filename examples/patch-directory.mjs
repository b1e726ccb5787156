// Patch a GitOps directory the way Flux's image automation does, but changing
// only the marked values' bytes: a dry run first, printed as a unified diff
// (`git apply` takes it), then the real write. Run after `pnpm build`:
//   node examples/patch-directory.mjs
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { updateTree } from '@tagsmith/setters';

/**
 * A unified diff of one file of a dry run, 3 lines of context. The setters change
 * values inside their lines and never add or remove one, so old line N is new line N
 * and a hunk is a run of changed lines with its context.
 */
function unifiedDiff({ path, oldText, newText }) {
  const lines = (text) => text.replace(/\n$/, '').split('\n');
  const before = lines(oldText);
  const after = lines(newText);
  const changed = before.flatMap((line, index) => (line === after[index] ? [] : [index]));
  const hunks = [];
  for (const index of changed) {
    const last = hunks.at(-1);
    if (last && index - last.end <= 6) last.end = index;
    else hunks.push({ start: index, end: index });
  }
  let text = `--- a/${path}\n+++ b/${path}\n`;
  for (const { start, end } of hunks) {
    const from = Math.max(0, start - 3);
    const to = Math.min(before.length - 1, end + 3);
    text += `@@ -${from + 1},${to - from + 1} +${from + 1},${to - from + 1} @@\n`;
    for (let i = from; i <= to; i++) {
      text += before[i] === after[i] ? ` ${before[i]}\n` : `-${before[i]}\n+${after[i]}\n`;
    }
  }
  return text;
}

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

  // A dry run reads and patches in memory only: each file's old and new text, nothing written.
  const preview = await updateTree(root, policies, { dryRun: true });
  for (const file of preview.files) process.stdout.write(unifiedDiff(file));

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
// @@ -8,5 +8,5 @@
//      spec:
//        containers:
//          - name: web
// -          image: ghcr.io/acme/web:1.4.0 # {"$imagepolicy": "flux-system:web"}
// +          image: ghcr.io/acme/web:1.5.2 # {"$imagepolicy": "flux-system:web"}
//            args: ["--port", "8080"]  # untouched, spacing and all
// --- a/apps/web/kustomization.yaml
// +++ b/apps/web/kustomization.yaml
// @@ -3,4 +3,4 @@
//  resources: [deployment.yaml]
//  images:
//    - name: worker
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
