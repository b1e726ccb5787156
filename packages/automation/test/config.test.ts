// loadConfig through the public API: every apiVersion of every kind, label
// selectors, a mixed directory with a malformed manifest, the Kubernetes-only
// fields, tagsmith.yaml valid and invalid, hosts, and the errors it throws.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { expectCode, SECRET_CANARY, tempDir } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import {
  type AutomationConfig,
  AutomationError,
  type ConfigProblem,
  loadConfig,
} from '../src/index.js';

async function tree(files: Record<string, string>): Promise<string> {
  const dir = await tempDir('automation-config-');
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir.path, name)), { recursive: true });
    await writeFile(join(dir.path, name), text);
  }
  return dir.path;
}

const load = (dir: string, path = '.', hosts?: Record<string, string>) =>
  loadConfig(path, { cwd: dir, env: {}, ...(hosts === undefined ? {} : { hosts }) });

const brief = (problems: ConfigProblem[]) =>
  problems.map(
    (p) => `${p.severity} ${p.kind} ${p.location.file}:${p.location.line}:${p.location.column}`,
  );

const repo = (version: string, extra = '') => `apiVersion: image.toolkit.fluxcd.io/${version}
kind: ImageRepository
metadata:
  name: app
  namespace: apps
spec:
  image: registry.example.com/app
${extra}`;

const policy = (
  version: string,
  name: string,
  labels = '',
  extra = '',
) => `apiVersion: image.toolkit.fluxcd.io/${version}
kind: ImagePolicy
metadata:
  name: ${name}
  namespace: apps
${labels}spec:
  imageRepositoryRef:
    name: app
  policy:
    alphabetical: {}
${extra}`;

const automation = (version: string, extra = '') => `apiVersion: image.toolkit.fluxcd.io/${version}
kind: ImageUpdateAutomation
metadata:
  name: bot
  namespace: apps
spec:
  sourceRef:
    name: repo
  git:
    checkout:
      ref:
        branch: dev
    commit:
      author:
        email: bot@example.com
    push:
      branch: out
${extra}`;

const gitRepository = (
  version: string,
  url = 'file:///srv/git/repo.git',
) => `apiVersion: source.toolkit.fluxcd.io/${version}
kind: GitRepository
metadata:
  name: repo
  namespace: apps
spec:
  url: ${url}
  ref:
    branch: main
`;

describe('loadConfig: Flux API versions', () => {
  it.each([
    ['v1beta1', 'v1beta2'],
    ['v1beta2', 'v1'],
    ['v1', 'v1'],
  ])('reads image %s with GitRepository %s, applying defaults', async (image, source) => {
    const dir = await tree({
      'repo.yaml': repo(image),
      'policy.yaml': policy(image, 'p'),
      'automation.yml': automation(image),
      'git/repo.yaml': gitRepository(source),
    });
    const config = await load(dir);
    expect(config.problems).toEqual([]);
    expect(config.imageRepositories[0]).toMatchObject({
      exclusionList: ['^.*\\.sig$'],
      insecure: false,
    });
    expect(config.imagePolicies[0]).toMatchObject({
      spec: { policy: { alphabetical: { order: 'asc' } } },
      digestReflectionPolicy: 'Never',
      imageRepository: { namespace: 'apps', name: 'app' },
    });
    expect(config.automations[0]).toMatchObject({
      apiVersion: `image.toolkit.fluxcd.io/${image}`,
      source: { kind: 'local', path: '/srv/git/repo.git' },
      checkout: { branch: 'dev' },
      updatePath: '.',
      author: { name: 'bot@example.com', email: 'bot@example.com' },
      messageTemplate: 'Update from image update automation',
      push: { branch: 'out', options: {} },
      policies: ['apps:p'],
    });
  });

  it('warns about a field its version does not have, and keeps the object', async () => {
    const dir = await tree({
      'p.yaml':
        policy('v1beta1', 'p', '', '  digestReflectionPolicy: Always\n') +
        `---\n${repo('v1beta1')}`,
    });
    const config = await load(dir);
    expect(brief(config.problems)).toEqual(['warning schema p.yaml:11:3']);
    expect(config.problems[0]?.message).toContain('digestReflectionPolicy');
    expect(config.imagePolicies[0]?.digestReflectionPolicy).toBe('Never');
  });

  it('keeps a non-empty exclusionList and reads v1beta2 digestReflectionPolicy', async () => {
    const dir = await tree({
      'all.yaml': `${repo('v1', '  exclusionList: ["^dev-"]\n  insecure: true\n')}---\n${policy('v1beta2', 'p', '', '  digestReflectionPolicy: IfNotPresent\n')}`,
    });
    const config = await load(dir);
    expect(config.imageRepositories[0]).toMatchObject({ exclusionList: ['^dev-'], insecure: true });
    expect(config.imagePolicies[0]?.digestReflectionPolicy).toBe('IfNotPresent');
  });

  it('reports an exclusion pattern RE2 refuses at the pattern, and leaves the repository out', async () => {
    const dir = await tree({
      'repo.yaml': repo('v1', '  exclusionList:\n    - "^dev-"\n    - "(unclosed"\n'),
    });
    const config = await load(dir);
    expect(config.imageRepositories).toEqual([]);
    expect(brief(config.problems)).toEqual(['error schema repo.yaml:10:7']);
    expect(config.problems[0]?.message).toContain('exclusionList[1]');
  });
});

describe('loadConfig: policySelector', () => {
  const labelled = [
    policy('v1', 'a', '  labels:\n    team: web\n    tier: front\n'),
    policy('v1', 'b', '  labels:\n    team: api\n'),
    policy('v1', 'c', ''),
  ].join('---\n');
  it.each([
    ['matchLabels', 'matchLabels:\n      team: web', ['apps:a']],
    [
      'In',
      'matchExpressions:\n      - { key: team, operator: In, values: [web, api] }',
      ['apps:a', 'apps:b'],
    ],
    [
      'NotIn',
      'matchExpressions:\n      - { key: team, operator: NotIn, values: [web] }',
      ['apps:b', 'apps:c'],
    ],
    ['Exists', 'matchExpressions:\n      - { key: tier, operator: Exists }', ['apps:a']],
    [
      'DoesNotExist',
      'matchExpressions:\n      - { key: team, operator: DoesNotExist }',
      ['apps:c'],
    ],
  ])('%s', async (_name, selector, expected) => {
    const dir = await tree({
      'p.yaml': labelled,
      'r.yaml': repo('v1'),
      'g.yaml': gitRepository('v1'),
      'a.yaml': automation('v1', `  policySelector:\n    ${selector}\n`),
    });
    const config = await load(dir);
    expect(config.problems).toEqual([]);
    expect(config.automations[0]?.policies).toEqual(expected);
  });

  it('leaves out policies of another namespace', async () => {
    const dir = await tree({
      'p.yaml':
        policy('v1', 'mine') +
        '---\n' +
        policy('v1', 'theirs').replace('namespace: apps', 'namespace: other'),
      'r.yaml': `${repo('v1')}---\n${repo('v1').replace('namespace: apps', 'namespace: other')}`,
      'g.yaml': gitRepository('v1'),
      'a.yaml': automation('v1'),
    });
    expect((await load(dir)).automations[0]?.policies).toEqual(['apps:mine']);
  });
});

describe('loadConfig: a mixed directory', () => {
  it('ignores other kinds and files, reports a malformed manifest and loads the rest', async () => {
    const dir = await tree({
      'README.md': '# not yaml',
      'kustomization.yaml': 'resources: [repo.yaml]\n',
      'deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: x }\n',
      'helm/template.yaml': 'key: {{ .Values.x }}\n',
      'repo.yaml': repo('v1'),
      'broken.yaml':
        'apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata:\n  name: [oops\n',
      'bad-schema.yaml': policy('v1', 'typed').replace(
        'alphabetical: {}',
        'semver:\n      range: 5',
      ),
      'missing.yaml': policy('v1', 'orphan').replace('name: app', 'name: nope'),
      'dup.yaml': repo('v1'),
      'p.yaml': policy('v1', 'ok'),
    });
    const config = await load(dir);
    expect(brief(config.problems)).toEqual([
      'error schema bad-schema.yaml:11:14',
      'error yaml-syntax broken.yaml:5:1',
      'error unknown-reference missing.yaml:8:11',
      'error duplicate repo.yaml:1:1',
    ]);
    expect(config.problems[0]?.message).toContain('spec.policy.semver.range');
    expect(config.problems[2]?.message).toContain('apps/nope');
    expect(config.problems[3]?.message).toContain('dup.yaml:1:1');
    expect(config.imagePolicies.map((p) => p.name)).toEqual(['ok']);
    expect(config.files).not.toContain('deploy.yaml');
  });

  it('reports an unknown apiVersion of a Flux kind', async () => {
    const dir = await tree({ 'r.yaml': repo('v1alpha1') });
    expect(brief((await load(dir)).problems)).toEqual(['error schema r.yaml:1:13']);
  });
});

describe('loadConfig: Kubernetes-only fields', () => {
  it('warns about each one and skips a suspended automation', async () => {
    const dir = await tree({
      'r.yaml': repo(
        'v1',
        '  secretRef: { name: s }\n  certSecretRef: { name: c }\n  serviceAccountName: sa\n  provider: aws\n  accessFrom: { namespaceSelectors: [] }\n  timeout: 1m\n  proxySecretRef: { name: p }\n',
      ),
      'g.yaml': `${gitRepository('v1')}  secretRef: { name: git }\n  provider: github\n  timeout: 1m\n`,
      'p.yaml': policy('v1', 'p'),
      'a.yaml': `${automation('v1')}  suspend: false\n`.replace(
        '    push:',
        '      signingKey:\n        secretRef: { name: key }\n    push:',
      ),
      'b.yaml': `${automation('v1').replace('name: bot', 'name: sleepy')}  suspend: true\n`,
    });
    const config = await load(dir);
    const kinds = config.problems.map((p) => `${p.kind} ${p.message.split(' ')[0]}`);
    expect(kinds.filter((k) => k.startsWith('not-supported')).length).toBe(12);
    for (const field of [
      'certSecretRef',
      'serviceAccountName',
      'provider',
      'accessFrom',
      'timeout',
      'proxySecretRef',
      'signingKey',
      'suspend',
    ]) {
      expect(config.problems.some((p) => p.message.includes(field))).toBe(true);
    }
    expect(config.problems.every((p) => p.severity === 'warning')).toBe(true);
    expect(config.automations.map((a) => a.name)).toEqual(['bot']);
  });
});

describe('loadConfig: tagsmith.yaml', () => {
  const valid = `# yaml-language-server: $schema=../schema/tagsmith.schema.json
apiVersion: tagsmith.dev/v1
kind: Config
hosts:
  registry.example.com: http://127.0.0.1:5000
  other.example.com: { endpoint: https://mirror.internal }
manifests: [flux]
overrides:
  imageRepositories:
    apps/app: { credentials: env:REGISTRY_TOKEN }
  gitRepositories:
    apps/repo:
      github: org/repo
      token: { env: GITHUB_TOKEN }
  automations:
    apps/bot:
      pullRequest: { title: Bump, labels: [deps] }
imageRepositories:
  - name: local
    image: registry.example.com/local
    credentials: file:secrets/registry
imagePolicies:
  - name: local
    imageRepository: local
    policy: { semver: { range: ^1 } }
automations:
  - name: local
    git: { path: ../work }
    author: { name: Bot, email: bot@example.com }
    updatePath: ./deploy
    policies: [local]
    allowDowngrade: false
`;

  it('loads its objects and the Flux manifests it names, with overrides', async () => {
    const dir = await tree({
      'tagsmith.yaml': valid,
      'flux/repo.yaml': repo('v1', '  secretRef: { name: s }\n'),
      'flux/p.yaml': policy('v1', 'p'),
      'flux/g.yaml': gitRepository('v1', 'https://github.com/org/repo.git'),
      'flux/a.yaml': automation('v1'),
    });
    const config = await load(dir, '.', { 'registry.example.com': 'http://127.0.0.1:6000' });
    expect(config.problems).toEqual([]);
    expect(config.hosts).toEqual({
      'registry.example.com': { endpoint: 'http://127.0.0.1:6000' },
      'other.example.com': { endpoint: 'https://mirror.internal' },
    });
    expect(config.imageRepositories.find((r) => r.name === 'app')?.credentials).toEqual({
      env: 'REGISTRY_TOKEN',
    });
    expect(config.imageRepositories.find((r) => r.name === 'local')?.credentials).toEqual({
      file: join(dir, 'secrets/registry'),
    });
    const [bot, local] = config.automations;
    expect(bot).toMatchObject({
      source: { kind: 'github', owner: 'org', repo: 'repo', token: { env: 'GITHUB_TOKEN' } },
      pullRequest: { title: 'Bump', labels: ['deps'] },
    });
    expect(local).toMatchObject({
      namespace: 'default',
      apiVersion: 'tagsmith.dev/v1',
      source: { kind: 'local', path: join(dirname(dir), 'work') },
      updatePath: 'deploy',
      policies: ['default:local'],
      allowDowngrade: false,
    });
  });

  it('keeps an https GitHub URL a clone without an override', async () => {
    const dir = await tree({
      'g.yaml': gitRepository('v1', 'https://github.com/org/repo'),
      'a.yaml': automation('v1'),
    });
    expect((await load(dir)).automations[0]?.source).toEqual({
      kind: 'url',
      url: 'https://github.com/org/repo',
    });
  });

  it('refuses a literal secret without showing it', async () => {
    const dir = await tree({
      'tagsmith.yaml': valid.replace(
        'credentials: file:secrets/registry',
        `credentials: ${SECRET_CANARY}`,
      ),
    });
    const config = await load(dir, 'tagsmith.yaml');
    const problem = config.problems.find((p) => p.kind === 'schema');
    expect(problem).toMatchObject({
      severity: 'error',
      location: { file: 'tagsmith.yaml', line: 21, column: 18 },
    });
    expect(problem?.message).toContain('imageRepositories[0].credentials');
    expect(JSON.stringify(config)).not.toContain(SECRET_CANARY);
    expect(config.imageRepositories).toEqual([]);
    // The entry is left out, its neighbours load.
    expect(config.automations.map((a) => a.name)).toEqual([]);
    expect(config.problems.map((p) => p.kind)).toContain('unknown-reference');
  });

  it('reports a wrong type at its line and column, and an unknown field', async () => {
    const dir = await tree({
      'tagsmith.yaml': valid
        .replace('allowDowngrade: false', 'allowDowngrade: nope')
        .replace('kind: Config', 'kind: Config\nextra: 1'),
    });
    const config = await load(dir, 'tagsmith.yaml');
    const schema = config.problems.filter((p) => p.kind === 'schema');
    expect(brief(schema)).toEqual([
      'error schema tagsmith.yaml:4:1',
      'error schema tagsmith.yaml:33:21',
    ]);
    expect(schema[0]?.message).toContain('extra');
    expect(config.automations).toEqual([]);
    expect(schema[1]?.message).toContain('automations[0].allowDowngrade');
    expect(schema[1]?.message).toContain('boolean');
  });
});

describe('loadConfig: what it throws', () => {
  it('CONFIG_NOT_FOUND for a missing path', async () => {
    const dir = await tree({});
    const error = await expectCode(load(dir, 'nowhere'), AutomationError, 'CONFIG_NOT_FOUND');
    expect(error.message).toContain('nowhere');
  });

  it('INVALID_ARGUMENT for a bad host option', async () => {
    await expectCode(
      loadConfig('.', { hosts: { a: 'ftp://x' } }),
      AutomationError,
      'INVALID_ARGUMENT',
    );
    await expectCode(loadConfig('' as string), AutomationError, 'INVALID_ARGUMENT');
  });

  it('ABORTED when the signal fired', async () => {
    const dir = await tree({ 'r.yaml': repo('v1') });
    await expectCode(
      loadConfig('.', { cwd: dir, signal: AbortSignal.abort() }),
      AutomationError,
      'ABORTED',
    );
  });

  it('returns a config with no automation as it is', async () => {
    const config: AutomationConfig = await load(await tree({ 'r.yaml': repo('v1') }));
    expect(config.automations).toEqual([]);
  });
});

describe('examples/tagsmith.yaml', () => {
  it('loads without an error', async () => {
    const examples = new URL('../../../examples/', import.meta.url).pathname;
    const config = await loadConfig('tagsmith.yaml', { cwd: examples, env: {} });
    expect(config.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(config.automations.map((a) => `${a.namespace}/${a.name} ${a.source.kind}`)).toEqual([
      'default/tools local',
      'flux-system/flux-system github',
    ]);
  });
});

describe('loadConfig: commit message templates', () => {
  const files = (version: string, template: string) => ({
    'g.yaml': gitRepository('v1'),
    'a.yaml': automation(version).replace(
      '        email: bot@example.com\n',
      `        email: bot@example.com\n      messageTemplate: '${template}'\n`,
    ),
  });

  it('reports a broken template at the template and leaves the automation out', async () => {
    const config = await load(await tree(files('v1', 'bump {{ .Changed')));
    expect(brief(config.problems)).toEqual(['error template a.yaml:16:24']);
    expect(config.problems[0]?.message).toContain('apps/bot');
    expect(config.automations).toEqual([]);
  });

  it('warns about .Updated under v1beta2 and refuses it under v1', async () => {
    const beta = await load(await tree(files('v1beta2', '{{range .Updated.Images}}{{.}}{{end}}')));
    expect(brief(beta.problems)).toEqual(['warning deprecated a.yaml:16:24']);
    expect(beta.automations).toHaveLength(1);
    const v1 = await load(await tree(files('v1', '{{range .Updated.Images}}{{.}}{{end}}')));
    expect(v1.problems.map((p) => p.kind)).toEqual(['template']);
    expect(v1.automations).toEqual([]);
  });
});
