// End to end, real parts only: the seed scenario of issue 10 over HTTP. The testkit
// registry holds the seed's tags under `registry.example.com` (a `hosts` mapping), the
// manifests live in a bare repository served by `git http-backend` (serveGit) behind
// Basic auth, whose password reaches git through an `env:` reference. One cycle
// commits the seed's message to main, changing only the marked values; the second
// makes no commit.

import type { AutomationConfig } from '@tagsmith/automation';
import { runAutomation } from '@tagsmith/automation';
import { expectNoSecret, SECRET_CANARY } from '@tagsmith/test-utils';
import { createGitFixture, serveGit, startRegistry } from '@tagsmith/testkit';
import { describe, expect, it } from 'vitest';

const location = { file: 'flux.yaml', line: 1, column: 1 };

const FILES: Record<string, string> = {
  'apps/my-app/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-app
  namespace: apps
spec:
  template:
    spec:
      containers:
        - name: my-app
          image: registry.example.com/my-app:1.0.0 # {"$imagepolicy": "flux-system:my-app"}
          args: ["--port=8080"]   # odd spacing, kept
`,
  'apps/my-app/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
images:
  - name: my-app
    newName: registry.example.com/my-app # {"$imagepolicy": "flux-system:my-app:name"}
    newTag: 1.4.2 # {"$imagepolicy": "flux-system:my-app:tag"}
`,
  'apps/my-app/helmrelease.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: { name: my-app, namespace: apps }
spec:
  values:
    image:
      repository: registry.example.com/my-app # {"$imagepolicy": "flux-system:my-app:name"}
      tag: '1.0.0' # {"$imagepolicy": "flux-system:my-app:tag"}
`,
  'clusters/prod/flux.yaml':
    'image: registry.example.com/my-app:1.0.0 # {"$imagepolicy": "flux-system:my-app"}\n',
};

describe('automation: the seed scenario', { timeout: 120_000 }, () => {
  it('commits "chore: update image to registry.example.com/my-app:1.9.0" to main once', async () => {
    await using registry = await startRegistry();
    await registry.pushTags('my-app', [
      '1.0.0',
      '1.4.2',
      '1.9.0',
      '2.0.0',
      '1.10.0-rc.1',
      'latest',
    ]);
    await using remote = await createGitFixture({ files: FILES, branch: 'main' });
    await using server = await serveGit(remote.bareDir, {
      auth: { type: 'basic', username: 'flux', password: SECRET_CANARY },
    });

    const config: AutomationConfig = {
      imageRepositories: [
        {
          namespace: 'flux-system',
          name: 'my-app',
          image: 'registry.example.com/my-app',
          exclusionList: ['^.*\\.sig$'],
          insecure: false,
          location,
        },
      ],
      imagePolicies: [
        {
          namespace: 'flux-system',
          name: 'my-app',
          labels: {},
          imageRepository: { namespace: 'flux-system', name: 'my-app' },
          spec: { policy: { semver: { range: '>=1.0.0 <2.0.0' } } },
          digestReflectionPolicy: 'Never',
          location,
        },
      ],
      automations: [
        {
          namespace: 'flux-system',
          name: 'flux-system',
          apiVersion: 'image.toolkit.fluxcd.io/v1beta1',
          source: {
            kind: 'url',
            url: server.url,
            credentials: { type: 'basic', username: 'flux', password: { env: 'GIT_PASSWORD' } },
          },
          checkout: { branch: 'main' },
          updatePath: 'apps',
          strategy: 'Setters',
          author: { name: 'Flux', email: 'fluxcdbot@example.com' },
          messageTemplate: 'chore: update image to registry.example.com/my-app:1.9.0',
          messageTemplateValues: {},
          push: { branch: 'main', options: {} },
          policies: ['flux-system:my-app'],
          allowDowngrade: true,
          location,
        },
      ],
      hosts: { 'registry.example.com': { endpoint: registry.url } },
      problems: [],
      files: ['flux.yaml'],
    };
    const env = { GIT_PASSWORD: SECRET_CANARY };

    const report = await runAutomation(config, { env });
    expectNoSecret(report, SECRET_CANARY);
    expect(report.automations[0]).toMatchObject({ status: 'pushed', branch: 'main' });
    const log = await remote.log();
    expect(log.map((commit) => commit.message)).toEqual([
      'chore: update image to registry.example.com/my-app:1.9.0',
      'initial commit',
    ]);
    expect(await remote.readFile('apps/my-app/deployment.yaml')).toBe(
      FILES['apps/my-app/deployment.yaml']?.replace('my-app:1.0.0', 'my-app:1.9.0'),
    );
    expect(await remote.readFile('apps/my-app/kustomization.yaml')).toBe(
      FILES['apps/my-app/kustomization.yaml']?.replace('1.4.2', '1.9.0'),
    );
    expect(await remote.readFile('apps/my-app/helmrelease.yaml')).toBe(
      FILES['apps/my-app/helmrelease.yaml']?.replace("'1.0.0'", "'1.9.0'"),
    );
    // Outside update.path: untouched.
    expect(await remote.readFile('clusters/prod/flux.yaml')).toBe(FILES['clusters/prod/flux.yaml']);

    const again = await runAutomation(config, { env });
    expect(again.automations[0]?.status).toBe('no-change');
    expect((await remote.log()).length).toBe(2);
  });
});
