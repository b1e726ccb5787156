// End to end, real parts only: a registry failing mid-cycle (the testkit registry
// answering 500 to one repository's tag list on every try) leaves that repository's
// fields untouched while the other policy's change lands, and the report says why; an
// AbortSignal fired while a listing is in flight rejects the cycle with ABORTED and
// pushes nothing.

import type { AutomationConfig } from '@tagsmith/automation';
import { AutomationError, runAutomation } from '@tagsmith/automation';
import { expectCode } from '@tagsmith/test-utils';
import { createGitFixture, startRegistry } from '@tagsmith/testkit';
import { describe, expect, it } from 'vitest';

const location = { file: 'tagsmith.yaml', line: 1, column: 1 };
const marked = (image: string, policy: string) =>
  `image: ${image} # {"$imagepolicy": "flux-system:${policy}"}\n`;

function twoRepositories(url: string, endpoint: string): AutomationConfig {
  const repository = (name: string) => ({
    namespace: 'flux-system',
    name,
    image: `registry.example.com/${name}`,
    exclusionList: ['^.*\\.sig$'],
    insecure: false,
    location,
  });
  const policy = (name: string) => ({
    namespace: 'flux-system',
    name,
    labels: {},
    imageRepository: { namespace: 'flux-system', name },
    spec: { policy: { semver: { range: '*' } } },
    digestReflectionPolicy: 'Never' as const,
    location,
  });
  return {
    imageRepositories: [repository('web'), repository('worker')],
    imagePolicies: [policy('web'), policy('worker')],
    automations: [
      {
        namespace: 'flux-system',
        name: 'fleet',
        apiVersion: 'tagsmith/v1',
        source: { kind: 'url', url },
        checkout: { branch: 'main' },
        updatePath: '.',
        strategy: 'Setters',
        author: { name: 'bot', email: 'bot@example.com' },
        messageTemplate: 'Update from image update automation',
        messageTemplateValues: {},
        push: { options: {} },
        policies: ['flux-system:web', 'flux-system:worker'],
        allowDowngrade: true,
        location,
      },
    ],
    hosts: { 'registry.example.com': { endpoint } },
    problems: [],
    files: [],
  };
}

describe('automation: failures mid-cycle', { timeout: 120_000 }, () => {
  it('a registry failing for one repository leaves its fields alone; the other lands', async () => {
    await using registry = await startRegistry();
    await registry.pushTags('web', ['1.0.0', '1.1.0']);
    await registry.pushTags('worker', ['2.0.0', '2.3.0']);
    registry.faults.add({
      method: 'GET',
      path: '/v2/worker/tags/list',
      status: 500,
      times: Infinity,
    });
    await using remote = await createGitFixture({
      files: {
        'web.yaml': marked('registry.example.com/web:1.0.0', 'web'),
        'worker.yaml': marked('registry.example.com/worker:2.0.0', 'worker'),
      },
      branch: 'main',
    });
    const report = await runAutomation(twoRepositories(remote.url, registry.url), {
      registry: { retry: { attempts: 2, baseDelayMs: 1 } },
    });
    expect(report.imageRepositories.map((r) => r.status)).toEqual(['listed', 'failed']);
    const failed = report.imageRepositories[1];
    expect(failed?.status === 'failed' && failed.error.code).toBe('UNAVAILABLE');
    expect(failed?.status === 'failed' && failed.error.message).toContain('/v2/worker/tags/list');
    expect(report.policies[1]).toMatchObject({ policy: 'flux-system:worker', status: 'failed' });
    expect(report.policies[1]?.reason).toContain('flux-system/worker');
    expect(report.automations[0]).toMatchObject({
      status: 'pushed',
      problems: [],
      policies: [
        { policy: 'flux-system:web', decision: 'applied' },
        { policy: 'flux-system:worker', decision: 'unavailable' },
      ],
    });
    expect(await remote.readFile('web.yaml')).toBe(marked('registry.example.com/web:1.1.0', 'web'));
    expect(await remote.readFile('worker.yaml')).toBe(
      marked('registry.example.com/worker:2.0.0', 'worker'),
    );
  });

  it('an abort while a listing is in flight rejects with ABORTED and pushes nothing', async () => {
    await using registry = await startRegistry();
    await registry.pushTags('web', ['1.1.0']);
    await registry.pushTags('worker', ['2.3.0']);
    registry.faults.add({ method: 'GET', path: '/v2/worker/tags/list', delayMs: 30_000 });
    await using remote = await createGitFixture({
      files: { 'web.yaml': marked('registry.example.com/web:1.0.0', 'web') },
      branch: 'main',
    });
    const controller = new AbortController();
    const run = runAutomation(twoRepositories(remote.url, registry.url), {
      signal: controller.signal,
      onProgress: (event) => {
        if (event.type === 'tags-listed') controller.abort(new Error('stop'));
      },
      concurrency: 2,
    });
    await expectCode(run, AutomationError, 'ABORTED');
    expect((await remote.log()).length).toBe(1);
  });
});
