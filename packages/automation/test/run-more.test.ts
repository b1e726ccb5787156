// runAutomation: digests per digestReflectionPolicy, allowDowngrade: false, credential
// references that give nothing, concurrent cycles racing for one branch, and a GitHub
// source with a push branch and a pull request (the testkit GitHub server).

import { expectNoSecret, SECRET_CANARY } from '@tagsmith/test-utils';
import { createGitFixture, startGitHubServer, startRegistry } from '@tagsmith/testkit';
import { describe, expect, it } from 'vitest';
import { runAutomation } from '../src/index.js';
import { automation, config, imageRepository, semverPolicy } from './helpers.js';

const TIMEOUT = { timeout: 90_000 };
const MARKED = (tag: string, extra = '') =>
  `image: registry.example.com/my-app:${tag}${extra} # {"$imagepolicy": "flux-system:my-app"}\n`;

describe('runAutomation details', () => {
  it(
    'digestReflectionPolicy Always writes the digest; IfNotPresent resolves only when needed',
    TIMEOUT,
    async () => {
      await using registry = await startRegistry();
      await registry.pushImage('my-app', '1.0.0');
      const { digest } = await registry.pushImage('my-app', '1.9.0');
      await using remote = await createGitFixture({
        files: {
          'apps/a.yaml': MARKED('1.0.0'),
          'apps/b.yaml':
            'tag: 1.0.0 # {"$imagepolicy": "flux-system:other:tag"}\ndigest: "" # {"$imagepolicy": "flux-system:other:digest"}\n',
        },
        branch: 'main',
      });
      const cfg = (policy: 'Always' | 'IfNotPresent') =>
        config({
          imageRepositories: [
            imageRepository('my-app', 'registry.example.com/my-app'),
            imageRepository('other', 'registry.example.com/my-app'),
          ],
          imagePolicies: [
            semverPolicy('my-app', '>=1.0.0 <2.0.0', { digestReflectionPolicy: 'Always' }),
            semverPolicy('other', '>=1.0.0 <2.0.0', { digestReflectionPolicy: policy }),
          ],
          automations: [
            automation(remote.url, ['flux-system:my-app', 'flux-system:other'], {
              messageTemplate: 'bump',
            }),
          ],
          hosts: { 'registry.example.com': { endpoint: registry.url } },
        });
      const manifestRequests = () =>
        registry.requests.filter((request) => request.path.startsWith('/v2/my-app/manifests/'))
          .length;

      const first = await runAutomation(cfg('IfNotPresent'));
      expect(first.automations[0]?.status).toBe('pushed');
      expect(await remote.readFile('apps/a.yaml')).toBe(MARKED('1.9.0', `@${digest}`));
      expect(await remote.readFile('apps/b.yaml')).toBe(
        `tag: 1.9.0 # {"$imagepolicy": "flux-system:other:tag"}\ndigest: "${digest}" # {"$imagepolicy": "flux-system:other:digest"}\n`,
      );
      expect(first.automations[0]?.policies.map((p) => p.chosen)).toEqual([
        `registry.example.com/my-app:1.9.0@${digest}`,
        `registry.example.com/my-app:1.9.0@${digest}`,
      ]);

      // IfNotPresent with the tag unchanged and the digest there: only Always asks the registry.
      const before = manifestRequests();
      const second = await runAutomation(cfg('IfNotPresent'));
      expect(second.automations[0]?.status).toBe('no-change');
      const ifNotPresentCost = manifestRequests() - before;
      const third = await runAutomation(cfg('Always'));
      expect(third.automations[0]?.status).toBe('no-change');
      const alwaysCost = manifestRequests() - before - ifNotPresentCost;
      expect(alwaysCost).toBeGreaterThan(0);
      expect(ifNotPresentCost).toBe(alwaysCost); // one shared resolve (my-app is Always) either way
    },
  );

  it(
    'allowDowngrade: false keeps a field whose tag the policy ranks above the chosen one',
    TIMEOUT,
    async () => {
      await using registry = await startRegistry();
      await registry.pushTags('my-app', ['1.0.0', '1.9.0']);
      await using remote = await createGitFixture({
        files: { 'apps/a.yaml': MARKED('1.9.5') },
        branch: 'main',
      });
      const cfg = (allowDowngrade: boolean) =>
        config({
          imageRepositories: [imageRepository('my-app', 'registry.example.com/my-app')],
          imagePolicies: [semverPolicy('my-app', '>=1.0.0 <2.0.0')],
          automations: [
            automation(remote.url, ['flux-system:my-app'], {
              allowDowngrade,
              messageTemplate: 'bump',
            }),
          ],
          hosts: { 'registry.example.com': { endpoint: registry.url } },
        });
      const kept = await runAutomation(cfg(false));
      expect(kept.automations[0]).toMatchObject({
        status: 'no-change',
        problems: [],
        policies: [
          {
            policy: 'flux-system:my-app',
            decision: 'kept-downgrade',
            keptTag: '1.9.5',
            previous: ['registry.example.com/my-app:1.9.5'],
          },
        ],
      });
      const flux = await runAutomation(cfg(true));
      expect(flux.automations[0]?.status).toBe('pushed');
      expect(await remote.readFile('apps/a.yaml')).toBe(MARKED('1.9.0'));
    },
  );

  it(
    'an unset credential reference fails that repository only, naming the reference',
    TIMEOUT,
    async () => {
      await using registry = await startRegistry();
      await registry.pushTags('my-app', ['1.9.0']);
      await registry.pushTags('private', ['3.0.0']);
      await using remote = await createGitFixture({
        files: {
          'apps/a.yaml': MARKED('1.0.0'),
          'apps/p.yaml':
            'image: registry.example.com/private:1.0.0 # {"$imagepolicy": "flux-system:private"}\n',
        },
        branch: 'main',
      });
      const report = await runAutomation(
        config({
          imageRepositories: [
            imageRepository('my-app', 'registry.example.com/my-app'),
            imageRepository('private', 'registry.example.com/private', {
              credentials: { env: 'REGISTRY_SECRET' },
            }),
          ],
          imagePolicies: [semverPolicy('my-app', '>=1.0.0 <2.0.0'), semverPolicy('private', '*')],
          automations: [
            automation(remote.url, ['flux-system:my-app', 'flux-system:private'], {
              messageTemplate: 'bump',
            }),
          ],
          hosts: { 'registry.example.com': { endpoint: registry.url } },
        }),
        { env: {} },
      );
      expect(report.imageRepositories[1]).toMatchObject({
        status: 'failed',
        error: { code: 'CREDENTIAL_UNAVAILABLE' },
      });
      expect(
        report.imageRepositories[1]?.status === 'failed' &&
          report.imageRepositories[1].error.message,
      ).toContain('env:REGISTRY_SECRET');
      expect(report.automations[0]?.status).toBe('pushed');
      expect(await remote.readFile('apps/p.yaml')).toContain('private:1.0.0');
      expect(await remote.readFile('apps/a.yaml')).toBe(MARKED('1.9.0'));
    },
  );

  it('a credential from env: reaches the registry and never the report', TIMEOUT, async () => {
    await using registry = await startRegistry({
      auth: { basic: { username: 'bot', password: SECRET_CANARY } },
    });
    await registry.pushTags('my-app', ['1.9.0']);
    await using remote = await createGitFixture({
      files: { 'apps/a.yaml': MARKED('1.0.0') },
      branch: 'main',
    });
    const cfg = (secret: string) =>
      runAutomation(
        config({
          imageRepositories: [
            imageRepository('my-app', 'registry.example.com/my-app', {
              credentials: { env: 'REG' },
            }),
          ],
          imagePolicies: [semverPolicy('my-app', '*')],
          automations: [
            automation(remote.url, ['flux-system:my-app'], { messageTemplate: 'bump' }),
          ],
          hosts: { 'registry.example.com': { endpoint: registry.url } },
        }),
        { env: { REG: `bot:${secret}` }, registry: { retry: { attempts: 1 } } },
      );
    const refused = await cfg(`${SECRET_CANARY}-wrong`);
    expect(refused.imageRepositories[0]).toMatchObject({
      status: 'failed',
      error: { code: 'UNAUTHORIZED' },
    });
    expectNoSecret(refused, SECRET_CANARY);
    const report = await cfg(SECRET_CANARY);
    expect(report.automations[0]?.status).toBe('pushed');
    expectNoSecret(report, SECRET_CANARY);
  });

  it('two cycles racing to push to one branch both land', TIMEOUT, async () => {
    await using registry = await startRegistry();
    await registry.pushTags('my-app', ['1.9.0']);
    await registry.pushTags('other', ['2.5.0']);
    await using remote = await createGitFixture({
      files: {
        'apps/a.yaml': MARKED('1.0.0'),
        'apps/o.yaml':
          'image: registry.example.com/other:2.0.0 # {"$imagepolicy": "flux-system:other"}\n',
      },
      branch: 'main',
    });
    const cfg = config({
      imageRepositories: [
        imageRepository('my-app', 'registry.example.com/my-app'),
        imageRepository('other', 'registry.example.com/other'),
      ],
      imagePolicies: [semverPolicy('my-app', '*'), semverPolicy('other', '*')],
      automations: [
        automation(remote.url, ['flux-system:my-app'], {
          name: 'a',
          messageTemplate: 'bump my-app',
        }),
        automation(remote.url, ['flux-system:other'], { name: 'b', messageTemplate: 'bump other' }),
      ],
      hosts: { 'registry.example.com': { endpoint: registry.url } },
    });
    const git = { backoffMs: 10, random: () => 0.5 };
    const [a, b] = await Promise.all([
      runAutomation(cfg, { automations: ['flux-system/a'], git }),
      runAutomation(cfg, { automations: ['flux-system/b'], git }),
    ]);
    expect(a.automations[0]?.status).toBe('pushed');
    expect(b.automations[0]?.status).toBe('pushed');
    expect(await remote.readFile('apps/a.yaml')).toBe(MARKED('1.9.0'));
    expect(await remote.readFile('apps/o.yaml')).toContain('other:2.5.0 #');
    const messages = (await remote.log()).map((commit) => commit.message).sort();
    expect(messages).toEqual(['bump my-app', 'bump other', 'initial commit']);
  });

  it(
    'a GitHub source with a push branch opens a pull request, and the next run updates it',
    TIMEOUT,
    async () => {
      await using registry = await startRegistry();
      await registry.pushTags('my-app', ['1.0.0', '1.9.0']);
      await using remote = await createGitFixture({
        files: { 'apps/a.yaml': MARKED('1.0.0') },
        branch: 'main',
      });
      await using github = await startGitHubServer({
        bareRepo: remote.bareDir,
        owner: 'acme',
        repo: 'fleet',
        token: SECRET_CANARY,
      });
      const cfg = config({
        imageRepositories: [imageRepository('my-app', 'registry.example.com/my-app')],
        imagePolicies: [semverPolicy('my-app', '>=1.0.0 <2.0.0')],
        automations: [
          automation('', ['flux-system:my-app'], {
            apiVersion: 'image.toolkit.fluxcd.io/v1',
            source: {
              kind: 'github',
              owner: 'acme',
              repo: 'fleet',
              baseUrl: github.url,
              token: { env: 'GH' },
            },
            push: { branch: 'tagsmith/my-app', options: {} },
            messageTemplate:
              'Update my-app{{ range $file, $objects := .Changed.FileChanges }}\n{{ $file }}:' +
              '{{ range $object, $changes := $objects }}{{ range $changes }} {{ .OldValue }} -> {{ .NewValue }}{{ end }}{{ end }}{{ end }}',
            pullRequest: { labels: ['automated'] },
          }),
        ],
        hosts: { 'registry.example.com': { endpoint: registry.url } },
      });
      const options = { env: { GH: SECRET_CANARY }, git: { githubWriteIntervalMs: 0 } };
      const first = await runAutomation(cfg, options);
      const [run] = first.automations;
      expect(run).toMatchObject({
        status: 'pushed',
        branch: 'tagsmith/my-app',
        pullRequest: { number: 1, created: true },
      });
      expect(await remote.readFile('apps/a.yaml', 'tagsmith/my-app')).toBe(MARKED('1.9.0'));
      expect(await remote.readFile('apps/a.yaml')).toBe(MARKED('1.0.0'));
      expect((await remote.log('tagsmith/my-app'))[0]?.message).toBe(
        'Update my-app\na.yaml: registry.example.com/my-app:1.0.0 -> registry.example.com/my-app:1.9.0',
      );
      const [pull] = github.pulls();
      expect(pull).toMatchObject({
        title: 'Update my-app',
        head: 'tagsmith/my-app',
        base: 'main',
        labels: ['automated'],
      });
      expect(pull?.body).toContain(
        '| flux-system:my-app | registry.example.com/my-app | registry.example.com/my-app:1.0.0 → registry.example.com/my-app:1.9.0 |',
      );
      expect(pull?.body).toContain('`apps/a.yaml`');
      expectNoSecret(first, SECRET_CANARY);

      await registry.pushTags('my-app', ['1.9.1']);
      const second = await runAutomation(cfg, options);
      expect(second.automations[0]).toMatchObject({
        status: 'pushed',
        pullRequest: { number: 1, created: false },
      });
      expect(github.pulls()).toHaveLength(1);
      expect(github.pulls()[0]?.body).toContain('my-app:1.9.1');
      expect(await remote.readFile('apps/a.yaml', 'tagsmith/my-app')).toBe(MARKED('1.9.1'));
    },
  );
});
