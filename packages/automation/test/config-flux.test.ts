// loadConfig on small Flux manifests: each CRD default the API server would apply
// (namespace, exclusionList, policy order, digestReflectionPolicy, strategy, references
// in the object's own namespace, GitRepository's master branch), each version's field set
// (a field it lacks is dropped with a warning), and what leaves an object out.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { tempDir } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import { type ConfigProblem, loadConfig } from '../src/index.js';

async function load(files: Record<string, string>) {
  const dir = await tempDir('automation-flux-');
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir.path, name)), { recursive: true });
    await writeFile(join(dir.path, name), text);
  }
  return loadConfig('.', { cwd: dir.path, env: {} });
}

const brief = (problems: ConfigProblem[]) =>
  problems.map(
    (p) => `${p.severity} ${p.kind} ${p.location.file}:${p.location.line}:${p.location.column}`,
  );

const IMAGE = 'image.toolkit.fluxcd.io';
const SOURCE = 'source.toolkit.fluxcd.io';

const repository = (spec = '', meta = '  namespace: apps\n', version = 'v1') =>
  `apiVersion: ${IMAGE}/${version}
kind: ImageRepository
metadata:
  name: app
${meta}spec:
  image: registry.example.com/app
${spec}`;

const policy = (policySpec: string, spec = '', meta = '  namespace: apps\n', version = 'v1') =>
  `apiVersion: ${IMAGE}/${version}
kind: ImagePolicy
metadata:
  name: p
${meta}spec:
  imageRepositoryRef:
    name: app
  policy:
${policySpec}${spec}`;

const automation = (spec = '', commit = '', meta = '  namespace: apps\n', version = 'v1') =>
  `apiVersion: ${IMAGE}/${version}
kind: ImageUpdateAutomation
metadata:
  name: bot
${meta}spec:
  sourceRef:
    name: repo
  git:
    commit:
      author:
        email: bot@example.com
${commit}${spec}`;

const gitRepository = (
  spec = '  ref:\n    branch: main\n',
  meta = '  namespace: apps\n',
  version = 'v1',
) =>
  `apiVersion: ${SOURCE}/${version}
kind: GitRepository
metadata:
  name: repo
${meta}spec:
  url: file:///srv/git/repo.git
${spec}`;

/** A whole working set in namespace `apps`, with `extra` documents beside it. */
const working = (parts: { repo?: string; policy?: string; automation?: string; git?: string }) => ({
  'repo.yaml': parts.repo ?? repository(),
  'policy.yaml': parts.policy ?? policy('    alphabetical: {}\n'),
  'automation.yaml': parts.automation ?? automation(),
  'git.yaml': parts.git ?? gitRepository(),
});

describe('Flux defaults: namespace and references', () => {
  it('puts objects without a namespace in default, and their references there too', async () => {
    const none = '';
    const config = await load(
      working({
        repo: repository('', none),
        policy: policy('    alphabetical: {}\n', '', none),
        automation: automation('', '', none),
        git: gitRepository(undefined, none),
      }),
    );
    expect(config.problems).toEqual([]);
    expect(config.imageRepositories.map((r) => `${r.namespace}/${r.name}`)).toEqual([
      'default/app',
    ]);
    expect(config.imagePolicies[0]?.namespace).toBe('default');
    expect(config.imagePolicies[0]?.imageRepository).toEqual({ namespace: 'default', name: 'app' });
    expect(config.automations[0]?.namespace).toBe('default');
    expect(config.automations[0]?.policies).toEqual(['default:p']);
  });

  it('follows a reference that names another namespace', async () => {
    const config = await load({
      'repo.yaml': repository('', '  namespace: images\n'),
      'policy.yaml': policy('    alphabetical: {}\n').replace(
        '    name: app\n',
        '    name: app\n    namespace: images\n',
      ),
      'automation.yaml': automation().replace(
        '    name: repo\n',
        '    name: repo\n    namespace: git\n',
      ),
      'git.yaml': gitRepository(undefined, '  namespace: git\n'),
    });
    expect(config.problems).toEqual([]);
    expect(config.imagePolicies[0]?.imageRepository).toEqual({ namespace: 'images', name: 'app' });
    expect(config.automations[0]?.source).toEqual({ kind: 'local', path: '/srv/git/repo.git' });
  });
});

describe('Flux defaults: ImageRepository', () => {
  it.each([
    ['absent', ''],
    ['empty', '  exclusionList: []\n'],
  ])('an %s exclusionList is the cosign default', async (_, spec) => {
    const config = await load({ 'repo.yaml': repository(spec) });
    expect(config.imageRepositories[0]?.exclusionList).toEqual(['^.*\\.sig$']);
  });

  it('keeps spec.interval as written and has none when it is absent', async () => {
    const config = await load({
      'a.yaml': `${repository('  interval: 5m\n')}---\n${repository().replace('name: app', 'name: b')}`,
    });
    expect(config.imageRepositories.map((r) => r.interval)).toEqual(['5m', undefined]);
    expect('interval' in (config.imageRepositories[1] ?? {})).toBe(false);
    expect(config.imageRepositories.map((r) => r.insecure)).toEqual([false, false]);
  });

  it('warns about a Kubernetes-only field, but not about provider: generic', async () => {
    const config = await load({
      'a.yaml': repository('  provider: generic\n'),
      'b.yaml': repository('  provider: aws\n').replace('name: app', 'name: b'),
    });
    expect(brief(config.problems)).toEqual(['warning not-supported b.yaml:8:3']);
    expect(config.problems[0]?.message).toMatch(
      /^spec\.provider is Kubernetes-only: no cloud login/,
    );
  });

  it('skips a suspended repository with a warning naming it, and the policies on it', async () => {
    const config = await load(working({ repo: repository('  suspend: true\n') }));
    expect(config.problems.find((p) => p.kind === 'not-supported')).toMatchObject({
      severity: 'warning',
      kind: 'not-supported',
      message:
        'ImageRepository apps/app has spec.suspend: true; it is skipped, and so is what depends on it',
    });
    expect(config.problems.map((p) => p.message)).toContain(
      'ImagePolicy apps/p is skipped: its ImageRepository apps/app is suspended',
    );
    expect(config.imageRepositories).toEqual([]);
    expect(config.imagePolicies).toEqual([]);
  });
});

describe('Flux defaults: ImagePolicy', () => {
  it.each([
    ['alphabetical', '    alphabetical: {}\n', { alphabetical: { order: 'asc' } }],
    [
      'alphabetical desc',
      '    alphabetical:\n      order: desc\n',
      { alphabetical: { order: 'desc' } },
    ],
    ['numerical', '    numerical: {}\n', { numerical: { order: 'asc' } }],
    ['numerical desc', '    numerical:\n      order: desc\n', { numerical: { order: 'desc' } }],
    ['semver', '    semver:\n      range: ">=1.0.0"\n', { semver: { range: '>=1.0.0' } }],
  ])('%s', async (_, policySpec, expected) => {
    const config = await load({ 'repo.yaml': repository(), 'p.yaml': policy(policySpec) });
    expect(config.problems).toEqual([]);
    expect(config.imagePolicies[0]?.spec).toEqual({ policy: expected });
  });

  it('drops empty filterTags fields and keeps the others', async () => {
    const config = await load({
      'repo.yaml': repository(),
      'p.yaml': [
        policy('    numerical: {}\n', '  filterTags:\n    pattern: ""\n    extract: ""\n'),
        policy('    numerical: {}\n', '  filterTags:\n    pattern: "^v(?P<n>[0-9]+)$"\n').replace(
          'name: p',
          'name: q',
        ),
        policy(
          '    numerical: {}\n',
          '  filterTags:\n    pattern: "^(?P<n>[0-9]+)$"\n    extract: "$n"\n',
        ).replace('name: p', 'name: r'),
      ].join('---\n'),
    });
    expect(config.problems).toEqual([]);
    expect(config.imagePolicies.map((p) => p.spec.filterTags)).toEqual([
      undefined,
      { pattern: '^v(?P<n>[0-9]+)$' },
      { pattern: '^(?P<n>[0-9]+)$', extract: '$n' },
    ]);
    expect('filterTags' in (config.imagePolicies[0]?.spec ?? {})).toBe(false);
  });

  it('copies the labels and reads Always in v1', async () => {
    const config = await load({
      'repo.yaml': repository(),
      'p.yaml': policy(
        '    alphabetical: {}\n',
        '  digestReflectionPolicy: Always\n',
        '  namespace: apps\n  labels:\n    team: web\n',
      ),
    });
    expect(config.imagePolicies[0]).toMatchObject({
      labels: { team: 'web' },
      digestReflectionPolicy: 'Always',
    });
  });

  it('an empty spec.policy is an error at its value, and the policy is left out', async () => {
    const config = await load({ 'repo.yaml': repository(), 'p.yaml': policy('    {}\n') });
    expect(config.imagePolicies).toEqual([]);
    expect(config.problems.map((p) => p.message)).toEqual([
      'spec.policy must set exactly one of semver, alphabetical, numerical',
    ]);
    expect(brief(config.problems)).toEqual(['error schema p.yaml:10:5']);
  });

  // The image-reflector-controller's switch: semver first, then alphabetical, then numerical.
  it.each([
    [
      'semver over alphabetical',
      '    alphabetical: {}\n    semver:\n      range: "1.x"\n',
      { semver: { range: '1.x' } },
    ],
    [
      'alphabetical over numerical',
      '    numerical: {}\n    alphabetical: {}\n',
      { alphabetical: { order: 'asc' } },
    ],
  ])('with two strategies, %s', async (_, policySpec, expected) => {
    const config = await load({ 'repo.yaml': repository(), 'p.yaml': policy(policySpec) });
    expect(config.problems).toEqual([]);
    expect(config.imagePolicies[0]?.spec.policy).toEqual(expected);
  });

  it('reports a semver range the policy package refuses, at spec.policy', async () => {
    const config = await load({
      'repo.yaml': repository(),
      'p.yaml': policy('    semver:\n      range: "not a range"\n'),
    });
    expect(config.imagePolicies).toEqual([]);
    expect(brief(config.problems)).toEqual(['error schema p.yaml:10:5']);
    expect(config.problems[0]?.message).toContain('not a range');
  });
});

describe('Flux defaults: ImageUpdateAutomation', () => {
  it('fills strategy, author name, message, values, push and allowDowngrade', async () => {
    const config = await load(working({}));
    expect(config.problems).toEqual([]);
    const a = config.automations[0];
    expect(a).toMatchObject({
      strategy: 'Setters',
      author: { name: 'bot@example.com', email: 'bot@example.com' },
      messageTemplate: 'Update from image update automation',
      messageTemplateValues: {},
      push: { options: {} },
      allowDowngrade: true,
      updatePath: '.',
      checkout: { branch: 'main' },
    });
    expect(Object.keys(a?.push ?? {})).toEqual(['options']);
    expect(a !== undefined && ('interval' in a || 'policySelector' in a)).toBe(false);
  });

  it('keeps what is written: author name, message, values, push, interval, selector, path', async () => {
    const config = await load(
      working({
        automation: automation(
          '    push:\n      branch: out\n      refspec: refs/heads/out:refs/heads/review\n      options:\n        ci.skip: ""\n  interval: 30m\n  policySelector:\n    matchLabels:\n      team: web\n  update:\n    path: ./apps/\n    strategy: Setters\n',
          '        name: Bot\n      messageTemplate: "bump {{ .Values.x }}"\n      messageTemplateValues:\n        x: "1"\n',
        ),
        policy: policy(
          '    alphabetical: {}\n',
          '',
          '  namespace: apps\n  labels:\n    team: web\n',
        ),
      }),
    );
    expect(config.problems).toEqual([]);
    expect(config.automations[0]).toMatchObject({
      author: { name: 'Bot', email: 'bot@example.com' },
      messageTemplate: 'bump {{ .Values.x }}',
      messageTemplateValues: { x: '1' },
      push: {
        branch: 'out',
        refspec: 'refs/heads/out:refs/heads/review',
        options: { 'ci.skip': '' },
      },
      interval: '30m',
      policySelector: { matchLabels: { team: 'web' } },
      updatePath: 'apps',
      policies: ['apps:p'],
    });
  });

  it('treats an empty author name, message and push branch as absent', async () => {
    const config = await load(
      working({
        automation: automation(
          '    push:\n      branch: ""\n      refspec: ""\n',
          '        name: ""\n      messageTemplate: ""\n',
        ),
      }),
    );
    expect(config.problems).toEqual([]);
    expect(config.automations[0]).toMatchObject({
      author: { name: 'bot@example.com' },
      messageTemplate: 'Update from image update automation',
    });
    expect(Object.keys(config.automations[0]?.push ?? {})).toEqual(['options']);
  });

  it('reads its own checkout, dropping empty ref fields, over the GitRepository ref', async () => {
    const config = await load(
      working({
        automation: automation('    checkout:\n      ref:\n        branch: dev\n        tag: ""\n'),
      }),
    );
    expect(config.automations[0]?.checkout).toEqual({ branch: 'dev' });
  });

  it.each(['../elsewhere', '/etc', '..', 'apps/../../x'])(
    'refuses an update path %s that leaves the repository',
    async (path) => {
      const config = await load(
        working({ automation: automation(`  update:\n    path: ${path}\n`) }),
      );
      expect(config.automations).toEqual([]);
      expect(config.problems).toMatchObject([
        {
          severity: 'error',
          kind: 'schema',
          message: `spec.update.path ${JSON.stringify(path)} leaves the repository; expected a relative path inside it`,
        },
      ]);
      expect(brief(config.problems)).toEqual(['error schema automation.yaml:14:11']);
    },
  );

  it('warns about fields v1beta1 lacks and drops them (messageTemplateValues, policySelector)', async () => {
    const config = await load(
      working({
        automation: automation(
          '  policySelector:\n    matchLabels:\n      team: web\n',
          '      messageTemplateValues:\n        x: "1"\n',
          '  namespace: apps\n',
          'v1beta1',
        ),
        repo: repository('', '  namespace: apps\n', 'v1beta1'),
        policy: policy('    alphabetical: {}\n', '', '  namespace: apps\n', 'v1beta1'),
      }),
    );
    expect(config.problems.map((p) => `${p.severity} ${p.kind} ${p.location.line}`)).toEqual([
      'warning schema 13',
      'warning schema 15',
    ]);
    for (const p of config.problems)
      expect(p.message).toContain(
        `not in ${IMAGE}/v1beta1 ImageUpdateAutomation; the API server would prune it`,
      );
    expect(config.automations[0]).toMatchObject({
      messageTemplateValues: {},
      policies: ['apps:p'],
    });
    expect('policySelector' in (config.automations[0] ?? {})).toBe(false);
  });

  it('skips a suspended automation with a warning naming it', async () => {
    const config = await load(working({ automation: automation('  suspend: true\n') }));
    expect(config.automations).toEqual([]);
    expect(config.problems.map((p) => p.message)).toEqual([
      'ImageUpdateAutomation apps/bot has spec.suspend: true; it is skipped, and so is what depends on it',
    ]);
  });
});

describe('Flux defaults: GitRepository', () => {
  it('checks out master when spec.ref is absent', async () => {
    const config = await load(working({ git: gitRepository('') }));
    expect(config.automations[0]?.checkout).toEqual({ branch: 'master' });
  });

  it('drops empty ref fields', async () => {
    const config = await load(
      working({ git: gitRepository('  ref:\n    branch: ""\n    tag: v1\n') }),
    );
    expect(config.automations[0]?.checkout).toEqual({ tag: 'v1' });
  });

  it('reads a suspended GitRepository with a warning that suspension is ignored', async () => {
    const config = await load(
      working({ git: gitRepository('  ref:\n    branch: main\n  suspend: true\n') }),
    );
    expect(config.automations.map((a) => a.name)).toEqual(['bot']);
    expect(config.problems).toMatchObject([
      {
        severity: 'warning',
        kind: 'not-supported',
        message: 'spec.suspend of a GitRepository is ignored, as by Flux’s image automation',
      },
    ]);
    expect(brief(config.problems)).toEqual(['warning not-supported git.yaml:10:3']);
  });

  it('refuses v1beta1, which left Flux in 2.0, naming the versions it reads', async () => {
    const config = await load({
      'g.yaml': gitRepository(undefined, '  namespace: apps\n', 'v1beta1'),
    });
    expect(config.problems.map((p) => p.message)).toEqual([
      `GitRepository "${SOURCE}/v1beta1" is not read; expected version v1beta2, v1`,
    ]);
  });
});

describe('Flux secret references and URLs', () => {
  it('names each Kubernetes secret reference, its field and where it was written', async () => {
    const config = await load(
      working({
        repo: repository('  secretRef:\n    name: regcred\n'),
        git: gitRepository('  ref:\n    branch: main\n  secretRef:\n    name: gitcred\n'),
        automation: automation('', '      signingKey:\n        secretRef:\n          name: gpg\n'),
      }),
    );
    expect(config.problems.map((p) => p.message).sort()).toEqual([
      'GitRepository apps/repo: spec.secretRef (Secret gitcred) is Kubernetes-only: git uses no credentials; give overrides.gitRepositories["apps/repo"].credentials',
      'ImageRepository apps/app: spec.secretRef (Secret regcred) is Kubernetes-only: registry credentials come from the docker config; give overrides.imageRepositories["apps/app"].credentials to choose them',
      'spec.git.commit.signingKey.secretRef (Secret gpg) is Kubernetes-only: commits are not signed; give overrides.automations["apps/bot"].signingKey',
    ]);
    expect(brief(config.problems).sort()).toEqual([
      'warning not-supported automation.yaml:13:7',
      'warning not-supported git.yaml:10:3',
      'warning not-supported repo.yaml:8:3',
    ]);
  });

  it('reports a GitRepository URL it cannot clone at spec.url', async () => {
    const config = await load(
      working({ git: gitRepository().replace('file:///srv/git/repo.git', 'gopher://x/y') }),
    );
    expect(config.automations).toEqual([]);
    expect(config.problems[0]?.message).toMatch(/^spec\.url: /);
    expect(brief(config.problems)[0]).toBe('error schema git.yaml:7:8');
  });
});

describe('Flux documents the reader ignores', () => {
  // Each file names a Flux group, so the loader parses it and hands every document to the reader.
  it('ignores other kinds of the image group, non-mappings and objects without a string kind', async () => {
    const config = await load({
      'a.yaml': `apiVersion: ${IMAGE}/v1\nkind: ImageThing\nmetadata: { name: x }\n`,
      'b.yaml': `# ${IMAGE}\n- a\n- b\n`,
      'c.yaml': `apiVersion: ${IMAGE}/v1\nkind: 3\n`,
      'd.yaml': `# ${IMAGE}\nkind: ImagePolicy\n`,
      'e.yaml': `apiVersion: ${SOURCE}/v1\nkind: HelmRepository\nmetadata: { name: x }\n`,
      'f.yaml': `# ${IMAGE}\n"just a string"\n`,
      'g.yaml': `# ${IMAGE}\n~\n---\n---\nnull\n`,
      'h.yaml': `apiVersion: ${IMAGE}\nkind: ImageRepository\n`,
      'i.yaml': `apiVersion: 7\nkind: ImageRepository\n# ${IMAGE}\n`,
    });
    expect(config.problems.map((p) => p.message)).toEqual([
      `ImageRepository "${IMAGE}" is not read; expected version v1beta1, v1beta2, v1`,
    ]);
    expect(config.imageRepositories).toEqual([]);
  });

  it('names the image versions it reads for an unknown one', async () => {
    const config = await load({ 'r.yaml': repository('', '  namespace: apps\n', 'v2') });
    expect(config.problems.map((p) => p.message)).toEqual([
      `ImageRepository "${IMAGE}/v2" is not read; expected version v1beta1, v1beta2, v1`,
    ]);
  });
});
