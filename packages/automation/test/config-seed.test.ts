// The seed scenario of issue 10: Flux's three manifests, byte for byte, plus the
// GitRepository they point at, load into the config runAutomation takes.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/index.js';

const fixtures = fileURLToPath(new URL('fixtures/', import.meta.url));

describe('loadConfig: the seed scenario', () => {
  it('applies the CRD defaults and selects the namespace policies', async () => {
    const config = await loadConfig('seed', { cwd: fixtures, env: {} });
    const deprecated = {
      severity: 'warning',
      kind: 'deprecated',
      message: expect.stringContaining('.Updated'),
      location: { file: 'seed/image-automation.yaml', line: 37, column: 24 },
    };
    expect(config).toEqual({
      imageRepositories: [
        {
          namespace: 'flux-system',
          name: 'my-app',
          image: 'registry.example.com/my-app',
          exclusionList: ['^.*\\.sig$'],
          insecure: false,
          interval: '5m',
          location: { file: 'seed/image-automation.yaml', line: 1, column: 1 },
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
          location: { file: 'seed/image-automation.yaml', line: 10, column: 1 },
        },
      ],
      automations: [
        {
          namespace: 'flux-system',
          name: 'flux-system',
          apiVersion: 'image.toolkit.fluxcd.io/v1beta1',
          source: { kind: 'url', url: 'https://git.example.com/org/gitops-config.git' },
          checkout: { branch: 'main' },
          updatePath: 'apps',
          strategy: 'Setters',
          author: { name: 'Flux', email: 'fluxcdbot@example.com' },
          messageTemplate: 'chore: update image to {{range .Updated.Images}}{{.}}{{end}}',
          messageTemplateValues: {},
          push: { branch: 'main', options: {} },
          policies: ['flux-system:my-app'],
          allowDowngrade: true,
          interval: '30m',
          location: { file: 'seed/image-automation.yaml', line: 22, column: 1 },
        },
      ],
      hosts: {},
      problems: [deprecated],
      files: ['seed/gitrepository.yaml', 'seed/image-automation.yaml'],
    });
  });
});
