// runAutomation through the public API on real parts: the testkit registry and a
// bare git repository from createGitFixture, with AutomationConfig objects written by
// hand (what loadConfig returns for the seed scenario).

import { expectCode } from '@tagsmith/test-utils';
import { createGitFixture, startRegistry } from '@tagsmith/testkit';
import { describe, expect, it } from 'vitest';
import { AutomationError, runAutomation } from '../src/index.js';
import {
  automation,
  config,
  imageRepository,
  SEED_FILES,
  SEED_TAGS,
  semverPolicy,
} from './helpers.js';

const TIMEOUT = { timeout: 60_000 };

async function seed() {
  const registry = await startRegistry();
  await registry.pushTags('my-app', SEED_TAGS);
  const remote = await createGitFixture({ files: SEED_FILES, branch: 'main' });
  const cfg = config({
    imageRepositories: [imageRepository('my-app', 'registry.example.com/my-app')],
    imagePolicies: [semverPolicy('my-app', '>=1.0.0 <2.0.0')],
    automations: [automation(remote.url, ['flux-system:my-app'])],
    hosts: { 'registry.example.com': { endpoint: registry.url } },
  });
  return {
    registry,
    remote,
    cfg,
    async [Symbol.asyncDispose]() {
      await registry.close();
      await remote.remove();
    },
  };
}

describe('runAutomation', () => {
  it(
    "sends Flux's push.options with the push and pushes push.refspec second",
    TIMEOUT,
    async () => {
      await using s = await seed();
      const recorder = await s.remote.recordPushes();
      const [base] = s.cfg.automations;
      const cfg = {
        ...s.cfg,
        automations: [
          {
            ...base!,
            push: {
              branch: 'main',
              refspec: 'HEAD:refs/heads/deployed',
              options: { 'merge_request.create': '', 'ci.variable': 'A=1' },
            },
          },
        ],
      };
      const [run] = (await runAutomation(cfg)).automations;
      expect(run?.status).toBe('pushed');
      expect(run?.push?.refspec).toBe('HEAD:refs/heads/deployed');
      const pushes = await recorder.pushes();
      expect(pushes.map((push) => push.updates.map((update) => update.ref))).toEqual([
        ['refs/heads/main'],
        ['refs/heads/deployed'],
      ]);
      for (const push of pushes) {
        expect(push.pushOptions).toEqual(['merge_request.create', 'ci.variable=A=1']);
      }
    },
  );

  it(
    'commits the chosen tag at every marker, and a second cycle makes no commit',
    TIMEOUT,
    async () => {
      await using s = await seed();
      const report = await runAutomation(s.cfg);

      expect(report.imageRepositories).toEqual([
        {
          repository: 'flux-system/my-app',
          image: 'registry.example.com/my-app',
          status: 'listed',
          tagCount: 6,
        },
      ]);
      const [policy] = report.policies;
      expect(policy).toMatchObject({
        policy: 'flux-system:my-app',
        status: 'chosen',
        chosen: { name: 'registry.example.com/my-app', tag: '1.9.0' },
      });
      expect(policy?.reason).toContain('>=1.0.0 <2.0.0');
      const [run] = report.automations;
      expect(run).toMatchObject({
        automation: 'flux-system/flux-system',
        status: 'pushed',
        attempts: 1,
        branch: 'main',
      });
      expect(run?.policies).toEqual([
        {
          policy: 'flux-system:my-app',
          previous: ['1.0.0', '1.4.2', 'registry.example.com/my-app:1.0.0'],
          chosen: 'registry.example.com/my-app:1.9.0',
          decision: 'applied',
        },
      ]);
      expect(run?.files.map((file) => file.path)).toEqual([
        'apps/my-app/deployment.yaml',
        'apps/my-app/kustomization.yaml',
        'apps/my-app/release.yaml',
      ]);
      const [head] = await s.remote.log();
      expect(head?.message).toBe('chore: update image to registry.example.com/my-app:1.9.0');
      expect(run?.commit?.sha).toBe(head?.sha);
      expect(run?.push?.after).toBe(head?.sha);
      expect(head?.author).toEqual({ name: 'Flux', email: 'fluxcdbot@example.com' });

      // Only the marked values changed, byte for byte.
      for (const [path, text] of Object.entries(SEED_FILES)) {
        const expected = text
          .replace('my-app:1.0.0 #', 'my-app:1.9.0 #')
          .replace('newTag: 1.4.2', 'newTag: 1.9.0')
          .replace('tag: "1.0.0"', 'tag: "1.9.0"');
        expect(await s.remote.readFile(path)).toBe(expected);
      }

      const again = await runAutomation(s.cfg);
      expect(again.automations[0]).toMatchObject({ status: 'no-change', files: [] });
      expect((await s.remote.log()).length).toBe(2);
    },
  );

  it('dry run reports the diff and pushes nothing', TIMEOUT, async () => {
    await using s = await seed();
    const before = await s.remote.head();
    const report = await runAutomation(s.cfg, { dryRun: true });
    const [run] = report.automations;
    expect(report.dryRun).toBe(true);
    expect(run?.status).toBe('would-push');
    const deployment = run?.files.find((file) => file.path === 'apps/my-app/deployment.yaml');
    expect(deployment?.oldText).toBe(SEED_FILES['apps/my-app/deployment.yaml']);
    expect(deployment?.newText).toContain('registry.example.com/my-app:1.9.0 #');
    expect(await s.remote.head()).toBe(before);
  });

  it('a failing registry is reported and its policies change nothing', TIMEOUT, async () => {
    await using s = await seed();
    s.registry.faults.add({
      method: 'GET',
      path: '/v2/my-app/tags/list',
      status: 500,
      times: Infinity,
    });
    const report = await runAutomation(s.cfg, { registry: { retry: { attempts: 1 } } });
    expect(report.imageRepositories[0]).toMatchObject({
      status: 'failed',
      error: { code: 'UNAVAILABLE' },
    });
    expect(report.policies[0]).toMatchObject({ status: 'failed', error: { code: 'UNAVAILABLE' } });
    expect(report.automations[0]).toMatchObject({
      status: 'no-change',
      problems: [],
      policies: [{ policy: 'flux-system:my-app', decision: 'unavailable' }],
    });
    expect((await s.remote.log()).length).toBe(1);
  });

  it('rejects an unknown automation name and an aborted signal', TIMEOUT, async () => {
    await using s = await seed();
    const error = await expectCode(
      runAutomation(s.cfg, { automations: ['flux-system/nope'] }),
      AutomationError,
      'INVALID_ARGUMENT',
    );
    expect(error.message).toContain('flux-system/nope');
    await expectCode(
      runAutomation(s.cfg, { signal: AbortSignal.abort() }),
      AutomationError,
      'ABORTED',
    );
    expect((await s.remote.log()).length).toBe(1);
  });
});
