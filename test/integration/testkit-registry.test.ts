// Cross-checks the testkit registry against real clients and the real
// registry: skopeo must list, pull and push through it, and images must
// round-trip with distribution 2.8 keeping their digests.
import { startRegistry, type TestRegistry } from '@tagsmith/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Distribution, startDistribution } from '../support/distribution.mjs';
import { skopeoCopy, skopeoListTags } from '../support/skopeo.mjs';
import { requireTool } from '../support/tools.mjs';

const haveTools = requireTool(['docker-registry', 'skopeo']);
const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

async function digestOf(
  url: string,
  repository: string,
  reference: string,
): Promise<string | null> {
  const response = await fetch(`${url}/v2/${repository}/manifests/${reference}`, {
    method: 'HEAD',
    headers: { accept: ACCEPT },
  });
  return response.headers.get('docker-content-digest');
}

describe.runIf(haveTools)('testkit registry with real clients', () => {
  let testkit: TestRegistry;
  let distribution: Distribution;
  beforeAll(async () => {
    testkit = await startRegistry({ pageSize: 7 });
    distribution = await startDistribution();
  }, 30_000);
  afterAll(async () => {
    await testkit?.close();
    await distribution?.close();
  });

  it('skopeo follows the testkit Link pagination to the full tag list', async () => {
    const tags = Array.from({ length: 50 }, (_, i) => `1.${i}.0`);
    await testkit.pushTags('team/app', tags);
    expect(await skopeoListTags(`${testkit.host}/team/app`)).toEqual([...tags].sort());
    const pages = testkit.requests.filter((request) =>
      request.path.startsWith('/v2/team/app/tags/list'),
    );
    expect(pages.length).toBeGreaterThan(1);
  }, 30_000);

  it('skopeo lists through Basic and Bearer auth', async () => {
    const creds = { username: 'bot', password: 'pw' };
    await using basic = await startRegistry({ auth: { basic: creds } });
    await using bearer = await startRegistry({ auth: { bearer: creds } });
    for (const registry of [basic, bearer]) {
      await registry.pushTags('app', ['a', 'b']);
      expect(await skopeoListTags(`${registry.host}/app`, { creds })).toEqual(['a', 'b']);
      await expect(skopeoListTags(`${registry.host}/app`)).rejects.toThrow();
    }
    expect(bearer.requests.some((request) => request.path.startsWith('/token?'))).toBe(true);
  }, 30_000);

  it('copies a multi-arch index to distribution with the same digest, and back', async () => {
    const pushed = await testkit.pushImage('multi', '1.0.0', {
      platforms: ['linux/amd64', 'linux/arm64'],
    });
    await skopeoCopy(`${testkit.host}/multi:1.0.0`, `${distribution.host}/multi:1.0.0`, {
      all: true,
    });
    expect(await digestOf(distribution.url, 'multi', '1.0.0')).toBe(pushed.digest);
    await skopeoCopy(`${distribution.host}/multi:1.0.0`, `${testkit.host}/copied:1.0.0`, {
      all: true,
    });
    expect(await digestOf(testkit.url, 'copied', '1.0.0')).toBe(pushed.digest);
    for (const child of pushed.manifests) {
      expect(await digestOf(testkit.url, 'copied', child.digest)).toBe(child.digest);
    }
  }, 60_000);

  it('copies a Docker v2 image through both registries unchanged', async () => {
    const pushed = await testkit.pushImage('docker', 'v1', { mediaType: 'docker' });
    await skopeoCopy(`${testkit.host}/docker:v1`, `${distribution.host}/docker:v1`);
    expect(await digestOf(distribution.url, 'docker', 'v1')).toBe(pushed.digest);
  }, 60_000);

  it('answers the same OCI error codes as distribution for unknown names and manifests', async () => {
    await testkit.pushImage('known', 'v1');
    await skopeoCopy(`${testkit.host}/known:v1`, `${distribution.host}/known:v1`);
    for (const path of ['/v2/unknown/tags/list', '/v2/known/manifests/missing']) {
      const codes = await Promise.all(
        [testkit.url, distribution.url].map(async (url) => {
          const response = await fetch(`${url}${path}`, { headers: { accept: ACCEPT } });
          return [
            response.status,
            ((await response.json()) as { errors: { code: string }[] }).errors[0]?.code,
          ];
        }),
      );
      expect(codes[0]).toEqual(codes[1]);
    }
  }, 60_000);
});
