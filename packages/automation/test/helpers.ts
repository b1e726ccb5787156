// AutomationConfig objects written by hand (what loadConfig would return for the seed
// scenario), and the seed's manifests under apps/, for the public-API tests.

import type {
  AutomationConfig,
  ImagePolicyConfig,
  ImageRepositoryConfig,
  UpdateAutomationConfig,
} from '../src/index.js';

const location = { file: 'test.yaml', line: 1, column: 1 };

/** An ImageRepository as loadConfig returns it, CRD defaults applied. */
export function imageRepository(
  name: string,
  image: string,
  extra: Partial<ImageRepositoryConfig> = {},
): ImageRepositoryConfig {
  return {
    namespace: 'flux-system',
    name,
    image,
    exclusionList: ['^.*\\.sig$'],
    insecure: false,
    location,
    ...extra,
  };
}

/** A semver ImagePolicy on the repository of the same name. */
export function semverPolicy(
  name: string,
  range: string,
  extra: Partial<ImagePolicyConfig> = {},
): ImagePolicyConfig {
  return {
    namespace: 'flux-system',
    name,
    labels: {},
    imageRepository: { namespace: 'flux-system', name },
    spec: { policy: { semver: { range } } },
    digestReflectionPolicy: 'Never',
    location,
    ...extra,
  };
}

/** An automation pushing to `main` of a git URL, applying `policies`. */
export function automation(
  url: string,
  policies: string[],
  extra: Partial<UpdateAutomationConfig> = {},
): UpdateAutomationConfig {
  return {
    namespace: 'flux-system',
    name: 'flux-system',
    apiVersion: 'image.toolkit.fluxcd.io/v1beta1',
    source: { kind: 'url', url },
    checkout: { branch: 'main' },
    updatePath: 'apps',
    strategy: 'Setters',
    author: { name: 'Flux', email: 'fluxcdbot@example.com' },
    messageTemplate: 'chore: update image to registry.example.com/my-app:1.9.0',
    messageTemplateValues: {},
    push: { branch: 'main', options: {} },
    policies,
    allowDowngrade: true,
    location,
    ...extra,
  };
}

/** The whole config. */
export function config(
  parts: Pick<AutomationConfig, 'imageRepositories' | 'imagePolicies' | 'automations'> &
    Partial<AutomationConfig>,
): AutomationConfig {
  return { hosts: {}, problems: [], files: [], ...parts };
}

/** The seed scenario's tags. */
export const SEED_TAGS = ['1.0.0', '1.4.2', '1.9.0', '2.0.0', '1.10.0-rc.1', 'latest'];

/** Realistic manifests with every marker form of the seed scenario. */
export const SEED_FILES: Record<string, string> = {
  'apps/my-app/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-app
  namespace: apps
spec:
  replicas: 2
  selector:
    matchLabels: { app: my-app }
  template:
    metadata:
      labels: { app: my-app }
    spec:
      containers:
        - name: my-app
          image: registry.example.com/my-app:1.0.0 # {"$imagepolicy": "flux-system:my-app"}
          ports:
            - containerPort: 8080 # keep this comment
`,
  'apps/my-app/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml
images:
  - name: my-app
    newName: registry.example.com/my-app # {"$imagepolicy": "flux-system:my-app:name"}
    newTag: 1.4.2 # {"$imagepolicy": "flux-system:my-app:tag"}
`,
  'apps/my-app/release.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: my-app
  namespace: apps
spec:
  interval: 10m
  chart:
    spec: { chart: my-app, version: "1.x" }
  values:
    image:
      repository: registry.example.com/my-app # {"$imagepolicy": "flux-system:my-app:name"}
      tag: "1.0.0" # {"$imagepolicy": "flux-system:my-app:tag"}
      pullPolicy: IfNotPresent
`,
  'README.md': '# fleet\n',
};
