import { createHash } from 'node:crypto';
import { expectCode } from '@tagsmith/test-utils';
import type { TestRegistry } from '@tagsmith/testkit';
import { describe, expect, it } from 'vitest';
import {
  MANIFEST_MEDIA_TYPES,
  parseReference,
  RegistryClient,
  RegistryError,
} from '../src/index.js';
import { useRegistries } from './setup.js';

const registry = useRegistries();
const manifestRequests = (r: TestRegistry) =>
  r.requests.filter((q) => q.path.includes('/manifests/'));

describe('resolveDigest', () => {
  it('uses HEAD with all four manifest media types', async () => {
    const r = await registry();
    const { digest } = await r.pushImage('app', '1.0');
    expect(await new RegistryClient().resolveDigest(`${r.host}/app:1.0`)).toBe(digest);
    const [head, ...rest] = manifestRequests(r);
    expect(rest).toHaveLength(0);
    expect(head?.method).toBe('HEAD');
    expect(head?.headers.accept?.split(/,\s*/)).toEqual([...MANIFEST_MEDIA_TYPES]);
  });

  it('gives the index digest of a multi-arch image and the digest of a Docker v2 image', async () => {
    const r = await registry();
    const index = await r.pushImage('multi', 'v1', { platforms: ['linux/amd64', 'linux/arm64'] });
    const docker = await r.pushImage('docker', 'v1', { mediaType: 'docker' });
    const client = new RegistryClient();
    expect(await client.resolveDigest(`${r.host}/multi:v1`)).toBe(index.digest);
    expect(await client.resolveDigest(parseReference(`${r.host}/docker:v1`))).toBe(docker.digest);
  });

  it('defaults to latest and accepts a digest reference', async () => {
    const r = await registry();
    const { digest } = await r.pushImage('app', 'latest');
    const client = new RegistryClient();
    expect(await client.resolveDigest(`${r.host}/app`)).toBe(digest);
    expect(await client.resolveDigest(`${r.host}/app@${digest}`)).toBe(digest);
  });

  it('falls back to GET and hashes the exact bytes when the header is missing', async () => {
    const r = await registry();
    const { digest } = await r.pushImage('app', '1.0', { content: 'fallback' });
    r.faults.add({ path: '/v2/app/manifests/1.0', omitDigestHeader: true, times: 2 });
    expect(await new RegistryClient().resolveDigest(`${r.host}/app:1.0`)).toBe(digest);
    expect(manifestRequests(r).map((q) => q.method)).toEqual(['HEAD', 'GET']);
    const bytes = await fetch(`${r.url}/v2/app/manifests/1.0`, {
      headers: { accept: MANIFEST_MEDIA_TYPES.join(', ') },
    }).then((res) => res.arrayBuffer());
    expect(`sha256:${createHash('sha256').update(Buffer.from(bytes)).digest('hex')}`).toBe(digest);
  });

  it('checks the hashed bytes against a requested digest', async () => {
    const r = await registry();
    const { digest } = await r.pushImage('app', '1.0');
    const path = `/v2/app/manifests/${digest}`;
    r.faults.add({ method: 'HEAD', path, omitDigestHeader: true });
    r.faults.add({ method: 'GET', path, omitDigestHeader: true, rawBody: '{"tampered":true}' });
    const error = await expectCode(
      new RegistryClient().resolveDigest(`${r.host}/app@${digest}`),
      RegistryError,
      'INVALID_RESPONSE',
    );
    expect(error.message).toContain('not the requested digest');
  });

  it('maps a missing tag to MANIFEST_UNKNOWN', async () => {
    const r = await registry();
    await r.pushImage('app', '1.0');
    const error = await expectCode(
      new RegistryClient().resolveDigest(`${r.host}/app:2.0`),
      RegistryError,
      'MANIFEST_UNKNOWN',
    );
    expect(error.status).toBe(404);
    expect(error.method).toBe('HEAD');
    expect(error.message).toContain(`[HEAD] ${r.url}/v2/app/manifests/2.0: 404 Not Found`);
  });

  it('rejects a malformed Docker-Content-Digest', async () => {
    const r = await registry();
    await r.pushImage('app', '1.0');
    r.faults.add({
      path: '/v2/app/manifests/1.0',
      headers: { 'docker-content-digest': 'sha256:xyz' },
    });
    await expectCode(
      new RegistryClient().resolveDigest(`${r.host}/app:1.0`),
      RegistryError,
      'INVALID_RESPONSE',
    );
  });

  it('authenticates HEAD requests like any other', async () => {
    const r = await registry({ auth: { bearer: {} } });
    const { digest } = await r.pushImage('app', '1.0');
    expect(await new RegistryClient().resolveDigest(`${r.host}/app:1.0`)).toBe(digest);
    expect(r.requests.map((q) => q.method)).toContain('HEAD');
  });
});
