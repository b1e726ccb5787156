// Proves the real-registry harness in test/support works: both distribution
// variants start, seed through their own API, list with plain fetch, agree
// with skopeo, and the htpasswd variant really requires Basic auth.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Distribution, startDistribution } from '../support/distribution.mjs';
import { seedDistribution, seedDistributionBulk } from '../support/seed.mjs';
import { skopeoListTags } from '../support/skopeo.mjs';
import { requireTool } from '../support/tools.mjs';

const haveTools = requireTool(['docker-registry', 'htpasswd', 'skopeo']);
const credentials = { username: 'tagsmith', password: 'p@ss word:with colon' };
const basic = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;

async function tagsByFetch(url: string, repository: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/v2/${repository}/tags/list`, { headers });
  expect(response.status).toBe(200);
  return (await response.json()) as { name: string; tags: string[] };
}

describe.runIf(haveTools)('distribution harness (anonymous)', () => {
  let registry: Distribution;
  beforeAll(async () => {
    registry = await startDistribution();
  }, 30_000);
  afterAll(() => registry?.close());

  it('answers /v2/ on 127.0.0.1', async () => {
    expect(registry.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${registry.url}/v2/`)).status).toBe(200);
  });

  it('seeds through the API; fetch and skopeo list the same tags', async () => {
    const tags = ['1.0.0', '1.1.0', '2.0.0-rc.1', 'latest'];
    const { digest } = await seedDistribution(registry.url, 'team/app', tags);
    const listed = await tagsByFetch(registry.url, 'team/app');
    expect(listed.name).toBe('team/app');
    expect([...listed.tags].sort()).toEqual([...tags].sort());
    expect((await skopeoListTags(`${registry.host}/team/app`)).sort()).toEqual([...tags].sort());
    const head = await fetch(`${registry.url}/v2/team/app/manifests/latest`, {
      method: 'HEAD',
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    expect(head.headers.get('docker-content-digest')).toBe(digest);
  }, 30_000);

  it('ignores n and last and sends no Link (distribution 2.8, documented in test/support/README.md)', async () => {
    const tags = Array.from({ length: 12 }, (_, i) => `v${i}`);
    await seedDistribution(registry.url, 'paging', tags);
    const response = await fetch(`${registry.url}/v2/paging/tags/list?n=5&last=v3`);
    expect(response.headers.get('link')).toBeNull();
    expect(((await response.json()) as { tags: string[] }).tags.sort()).toEqual([...tags].sort());
  }, 30_000);

  it('bulk-seeds tags on disk that the registry serves like pushed ones', async () => {
    const tags = Array.from({ length: 500 }, (_, i) => `1.0.${i}`);
    const { digest } = await seedDistributionBulk(registry, 'bulk', tags);
    expect((await tagsByFetch(registry.url, 'bulk')).tags.sort()).toEqual([...tags].sort());
    expect((await skopeoListTags(`${registry.host}/bulk`)).length).toBe(500);
    const head = await fetch(`${registry.url}/v2/bulk/manifests/1.0.499`, {
      method: 'HEAD',
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    expect(head.headers.get('docker-content-digest')).toBe(digest);
  }, 30_000);

  it('answers an unknown repository with NAME_UNKNOWN', async () => {
    const response = await fetch(`${registry.url}/v2/nothing/here/tags/list`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ errors: [{ code: 'NAME_UNKNOWN' }] });
  });
});

describe.runIf(haveTools)('distribution harness (htpasswd Basic auth)', () => {
  let registry: Distribution;
  beforeAll(async () => {
    registry = await startDistribution({ htpasswd: credentials });
  }, 30_000);
  afterAll(() => registry?.close());

  it('requires Basic auth and accepts the configured credentials', async () => {
    const anonymous = await fetch(`${registry.url}/v2/`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const wrong = `Basic ${Buffer.from(`${credentials.username}:nope`).toString('base64')}`;
    expect((await fetch(`${registry.url}/v2/`, { headers: { authorization: wrong } })).status).toBe(
      401,
    );
    expect((await fetch(`${registry.url}/v2/`, { headers: { authorization: basic } })).status).toBe(
      200,
    );
  });

  it('seeds with credentials; fetch and skopeo agree, anonymous skopeo is refused', async () => {
    const tags = ['0.1.0', '0.2.0'];
    await seedDistribution(registry.url, 'private/app', tags, { auth: credentials });
    expect(
      (await tagsByFetch(registry.url, 'private/app', { authorization: basic })).tags.sort(),
    ).toEqual(tags);
    expect(
      (await skopeoListTags(`${registry.host}/private/app`, { creds: credentials })).sort(),
    ).toEqual(tags);
    await expect(skopeoListTags(`${registry.host}/private/app`)).rejects.toThrow();
    await expect(seedDistribution(registry.url, 'private/other', ['x'])).rejects.toThrow('got 401');
  }, 30_000);
});

describe.runIf(haveTools)('distribution harness lifecycle', () => {
  it('stops the process and removes its directory on close', async () => {
    const { existsSync } = await import('node:fs');
    const registry = await startDistribution();
    expect(existsSync(registry.storageDir.replace(/\/storage$/, ''))).toBe(true);
    await registry.close();
    await registry.close();
    expect(existsSync(registry.storageDir.replace(/\/storage$/, ''))).toBe(false);
    await expect(fetch(`${registry.url}/v2/`)).rejects.toThrow();
  }, 30_000);
});

describe('requireTool', () => {
  it('returns true for a tool on PATH', () => {
    expect(requireTool('node', { env: { PATH: process.env.PATH }, log: () => {} })).toBe(true);
  });

  it('skips with a message locally and throws under CI=true when a tool is missing', () => {
    const messages: string[] = [];
    const env = { PATH: '/nonexistent' };
    expect(requireTool('skopeo', { env, log: (message) => messages.push(message) })).toBe(false);
    expect(messages[0]).toContain('apt-get install skopeo');
    // Harness errors are plain Errors without a code: the message naming CI=true is the point.
    expect(() => requireTool('skopeo', { env: { ...env, CI: 'true' } })).toThrow('CI=true');
  });
});
