import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ociImage } from '../../../test/support/seed.mjs';
import { startRegistry, TestkitError, type TestRegistry } from '../src/index.js';

/** The `tags` array of a tags/list response. */
async function tagsOf(response: Response): Promise<string[]> {
  return ((await response.json()) as { tags: string[] }).tags;
}

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function nextLink(response: Response): string | undefined {
  return /^<([^>]+)>;\s*rel="next"$/.exec(response.headers.get('link') ?? '')?.[1];
}

describe('startRegistry', () => {
  it('listens on 127.0.0.1 and answers /v2/ with {}', async () => {
    await using registry = await startRegistry();
    expect(registry.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(registry.url).toBe(`http://${registry.host}`);
    const response = await fetch(`${registry.url}/v2/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
    expect(await response.json()).toEqual({});
  });

  it('rejects a page size below 1', async () => {
    await expect(startRegistry({ pageSize: 0 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('answers unknown endpoints with a 404 OCI error', async () => {
    await using registry = await startRegistry();
    const response = await fetch(`${registry.url}/v3/`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ errors: [{ code: 'UNSUPPORTED' }] });
  });
});

describe('tags list', () => {
  it('lists every tag in byte order in one page by default', async () => {
    await using registry = await startRegistry();
    await registry.pushTags('team/app', ['b', '1.10.0', 'A', '1.9.0', '_x']);
    const response = await fetch(`${registry.url}/v2/team/app/tags/list`);
    expect(response.headers.get('link')).toBeNull();
    expect(await response.json()).toEqual({
      name: 'team/app',
      tags: ['1.10.0', '1.9.0', 'A', '_x', 'b'],
    });
  });

  it('pages with n and last and a relative Link, like distribution', async () => {
    await using registry = await startRegistry();
    await registry.pushTags('app', ['a', 'b', 'c', 'd', 'e']);
    const first = await fetch(`${registry.url}/v2/app/tags/list?n=2`);
    expect(first.headers.get('link')).toBe('</v2/app/tags/list?n=2&last=b>; rel="next"');
    expect(await tagsOf(first)).toEqual(['a', 'b']);
    const second = await fetch(new URL(nextLink(first)!, registry.url));
    expect(await tagsOf(second)).toEqual(['c', 'd']);
    const third = await fetch(new URL(nextLink(second)!, registry.url));
    expect(await tagsOf(third)).toEqual(['e']);
    expect(third.headers.get('link')).toBeNull();
  });

  it('uses pageSize when the client sends no n, and the client n when it does', async () => {
    await using registry = await startRegistry({ pageSize: 3 });
    await registry.pushTags('app', ['1', '2', '3', '4', '5']);
    const byDefault = await fetch(`${registry.url}/v2/app/tags/list`);
    expect(await tagsOf(byDefault)).toEqual(['1', '2', '3']);
    expect(nextLink(byDefault)).toBe('/v2/app/tags/list?n=3&last=3');
    const byClient = await fetch(`${registry.url}/v2/app/tags/list?n=4`);
    expect(await tagsOf(byClient)).toEqual(['1', '2', '3', '4']);
  });

  it('starts after a last that is not itself a tag', async () => {
    await using registry = await startRegistry();
    await registry.pushTags('app', ['a', 'c', 'e']);
    const response = await fetch(`${registry.url}/v2/app/tags/list?last=b`);
    expect(await tagsOf(response)).toEqual(['c', 'e']);
  });

  it('sends no Link when the last page is exactly full', async () => {
    await using registry = await startRegistry();
    await registry.pushTags('app', ['a', 'b']);
    const response = await fetch(`${registry.url}/v2/app/tags/list?n=2`);
    expect(response.headers.get('link')).toBeNull();
  });

  it('answers n=0 with no tags', async () => {
    await using registry = await startRegistry();
    await registry.pushTags('app', ['a']);
    const response = await fetch(`${registry.url}/v2/app/tags/list?n=0`);
    expect(await response.json()).toEqual({ name: 'app', tags: [] });
  });

  it('rejects a malformed n with PAGINATION_NUMBER_INVALID', async () => {
    await using registry = await startRegistry();
    await registry.pushTags('app', ['a']);
    const response = await fetch(`${registry.url}/v2/app/tags/list?n=-1`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      errors: [{ code: 'PAGINATION_NUMBER_INVALID' }],
    });
  });

  it('answers an unknown repository with 404 NAME_UNKNOWN', async () => {
    await using registry = await startRegistry();
    const response = await fetch(`${registry.url}/v2/nope/tags/list`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ errors: [{ code: 'NAME_UNKNOWN' }] });
  });

  it('seeds and pages through 50,000 tags without losing or repeating one', async () => {
    await using registry = await startRegistry();
    const tags = Array.from({ length: 50_000 }, (_, i) => `1.0.${i}`);
    await registry.pushTags('big', tags);
    const seen: string[] = [];
    let next: string | undefined = '/v2/big/tags/list?n=1000';
    while (next !== undefined) {
      const response: Response = await fetch(new URL(next, registry.url));
      seen.push(...(await tagsOf(response)));
      next = nextLink(response);
    }
    expect(seen).toEqual([...tags].sort());
  });
});

describe('manifests', () => {
  it('serves a pushed OCI image by tag and by digest with its digest header', async () => {
    await using registry = await startRegistry();
    const pushed = await registry.pushImage('team/app', '1.0.0');
    expect(pushed.mediaType).toBe(OCI_MANIFEST);
    expect(pushed.manifests).toEqual([]);
    const byTag = await fetch(`${registry.url}/v2/team/app/manifests/1.0.0`);
    const bytes = new Uint8Array(await byTag.arrayBuffer());
    expect(byTag.headers.get('content-type')).toBe(OCI_MANIFEST);
    expect(byTag.headers.get('docker-content-digest')).toBe(pushed.digest);
    expect(sha256(bytes)).toBe(pushed.digest);
    expect(bytes.length).toBe(pushed.size);
    const byDigest = await fetch(`${registry.url}/v2/team/app/manifests/${pushed.digest}`);
    expect(new Uint8Array(await byDigest.arrayBuffer())).toEqual(bytes);
  });

  it('answers HEAD with the headers and no body', async () => {
    await using registry = await startRegistry();
    const pushed = await registry.pushImage('app', 'v1');
    const response = await fetch(`${registry.url}/v2/app/manifests/v1`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('docker-content-digest')).toBe(pushed.digest);
    expect(response.headers.get('content-length')).toBe(String(pushed.size));
    expect(await response.text()).toBe('');
  });

  it('pushes a multi-arch OCI index whose children are served too', async () => {
    await using registry = await startRegistry();
    const pushed = await registry.pushImage('app', 'multi', {
      platforms: ['linux/amd64', 'linux/arm64/v8'],
    });
    expect(pushed.mediaType).toBe(OCI_INDEX);
    const index = (await (await fetch(`${registry.url}/v2/app/manifests/multi`)).json()) as {
      manifests: { platform: unknown; digest: string }[];
    };
    expect(index.manifests.map((m: { platform: unknown }) => m.platform)).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
    ]);
    expect(index.manifests.map((m: { digest: string }) => m.digest)).toEqual(
      pushed.manifests.map((m) => m.digest),
    );
    for (const child of pushed.manifests) {
      const response = await fetch(`${registry.url}/v2/app/manifests/${child.digest}`);
      expect(response.headers.get('content-type')).toBe(OCI_MANIFEST);
    }
  });

  it('pushes Docker v2 manifests and manifest lists', async () => {
    await using registry = await startRegistry();
    const single = await registry.pushImage('app', 'single', { mediaType: 'docker' });
    const list = await registry.pushImage('app', 'list', {
      mediaType: 'docker',
      platforms: ['linux/amd64', 'linux/arm64'],
    });
    expect(single.mediaType).toBe(DOCKER_MANIFEST);
    expect(list.mediaType).toBe(DOCKER_LIST);
    const manifest = (await (await fetch(`${registry.url}/v2/app/manifests/single`)).json()) as {
      config: { mediaType: string };
      layers: { mediaType: string }[];
    };
    expect(manifest.config.mediaType).toBe('application/vnd.docker.container.image.v1+json');
    expect(manifest.layers[0]?.mediaType).toBe('application/vnd.docker.image.rootfs.diff.tar.gzip');
  });

  it('gives equal content equal digests and different content different digests', async () => {
    await using registry = await startRegistry();
    const a = await registry.pushImage('app', 'a', { content: 'same' });
    const b = await registry.pushImage('app', 'b', { content: 'same' });
    const c = await registry.pushImage('app', 'c');
    const d = await registry.pushImage('app', 'd');
    expect(a.digest).toBe(b.digest);
    expect(c.digest).not.toBe(d.digest);
  });

  it('honours Accept: a manifest type the client does not list is MANIFEST_UNKNOWN', async () => {
    await using registry = await startRegistry();
    await registry.pushImage('app', 'v1', { mediaType: 'docker' });
    const refused = await fetch(`${registry.url}/v2/app/manifests/v1`, {
      headers: { accept: `${OCI_MANIFEST}, ${OCI_INDEX}` },
    });
    expect(refused.status).toBe(404);
    expect(await refused.json()).toMatchObject({ errors: [{ code: 'MANIFEST_UNKNOWN' }] });
    const accepted = await fetch(`${registry.url}/v2/app/manifests/v1`, {
      headers: { accept: `${OCI_MANIFEST}, ${DOCKER_MANIFEST};q=0.5` },
    });
    expect(accepted.status).toBe(200);
  });

  it('answers unknown manifests and repositories with their OCI codes', async () => {
    await using registry = await startRegistry();
    await registry.pushImage('app', 'v1');
    const unknownTag = await fetch(`${registry.url}/v2/app/manifests/v2`);
    expect(unknownTag.status).toBe(404);
    expect(await unknownTag.json()).toMatchObject({ errors: [{ code: 'MANIFEST_UNKNOWN' }] });
    const unknownRepo = await fetch(`${registry.url}/v2/other/manifests/v1`);
    expect(await unknownRepo.json()).toMatchObject({ errors: [{ code: 'NAME_UNKNOWN' }] });
    const badReference = await fetch(`${registry.url}/v2/app/manifests/-bad`);
    expect(badReference.status).toBe(400);
  });

  it('throws typed errors for invalid seeds', async () => {
    await using registry = await startRegistry();
    await expect(registry.pushImage('Upper', 'v1')).rejects.toMatchObject({ code: 'INVALID_NAME' });
    await expect(registry.pushImage('app', '.bad')).rejects.toMatchObject({ code: 'INVALID_TAG' });
    await expect(registry.pushTags('app', ['ok', 'no/slash'])).rejects.toBeInstanceOf(TestkitError);
    await expect(registry.pushImage('app', 'v1', { platforms: ['linux'] })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('points bulk tags at one image and serves it', async () => {
    await using registry = await startRegistry();
    const { digest } = await registry.pushTags('app', ['a', 'b']);
    const again = await registry.pushTags('app', ['c']);
    expect(again.digest).toBe(digest);
    const response = await fetch(`${registry.url}/v2/app/manifests/b`, { method: 'HEAD' });
    expect(response.headers.get('docker-content-digest')).toBe(digest);
  });
});

/** Pushes a blob the way distribution clients do: POST to start, PUT with ?digest= to finish. */
async function uploadBlob(
  registry: TestRegistry,
  repository: string,
  bytes: Buffer,
): Promise<string> {
  const begun = await fetch(`${registry.url}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
  expect(begun.status).toBe(202);
  const location = new URL(begun.headers.get('location')!, registry.url);
  location.searchParams.set('digest', sha256(bytes));
  const done = await fetch(location, { method: 'PUT', body: bytes });
  expect(done.status).toBe(201);
  return done.headers.get('docker-content-digest')!;
}

describe('blobs and uploads', () => {
  it('uploads monolithically, then serves the blob by GET and HEAD', async () => {
    await using registry = await startRegistry();
    const bytes = Buffer.from('hello blob');
    const digest = await uploadBlob(registry, 'app', bytes);
    expect(digest).toBe(sha256(bytes));
    const get = await fetch(`${registry.url}/v2/app/blobs/${digest}`);
    expect(Buffer.from(await get.arrayBuffer())).toEqual(bytes);
    const head = await fetch(`${registry.url}/v2/app/blobs/${digest}`, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe(String(bytes.length));
    expect(head.headers.get('docker-content-digest')).toBe(digest);
  });

  it('uploads in PATCH chunks with a growing Range, as skopeo does', async () => {
    await using registry = await startRegistry();
    const begun = await fetch(`${registry.url}/v2/app/blobs/uploads/`, { method: 'POST' });
    expect(begun.headers.get('range')).toBe('0-0');
    const location = new URL(begun.headers.get('location')!, registry.url);
    const first = await fetch(location, { method: 'PATCH', body: 'abc' });
    expect(first.status).toBe(202);
    expect(first.headers.get('range')).toBe('0-2');
    await fetch(location, { method: 'PATCH', body: 'def' });
    const status = await fetch(location);
    expect(status.status).toBe(204);
    expect(status.headers.get('range')).toBe('0-5');
    location.searchParams.set('digest', sha256(Buffer.from('abcdef')));
    const done = await fetch(location, { method: 'PUT' });
    expect(done.status).toBe(201);
    const blob = await fetch(new URL(done.headers.get('location')!, registry.url));
    expect(await blob.text()).toBe('abcdef');
  });

  it('accepts a single-request POST ?digest= upload and a cross-repository mount', async () => {
    await using registry = await startRegistry();
    const bytes = Buffer.from('one shot');
    const digest = sha256(bytes);
    const post = await fetch(`${registry.url}/v2/a/blobs/uploads/?digest=${digest}`, {
      method: 'POST',
      body: bytes,
    });
    expect(post.status).toBe(201);
    expect((await fetch(`${registry.url}/v2/b/blobs/${digest}`)).status).toBe(404);
    const mount = await fetch(`${registry.url}/v2/b/blobs/uploads/?mount=${digest}&from=a`, {
      method: 'POST',
    });
    expect(mount.status).toBe(201);
    expect((await fetch(`${registry.url}/v2/b/blobs/${digest}`)).status).toBe(200);
  });

  it('rejects a wrong digest, an unknown upload and an unknown blob', async () => {
    await using registry = await startRegistry();
    const begun = await fetch(`${registry.url}/v2/app/blobs/uploads/`, { method: 'POST' });
    const location = new URL(begun.headers.get('location')!, registry.url);
    location.searchParams.set('digest', sha256(Buffer.from('other')));
    const wrong = await fetch(location, { method: 'PUT', body: 'content' });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ errors: [{ code: 'DIGEST_INVALID' }] });
    const gone = await fetch(`${registry.url}/v2/app/blobs/uploads/nope`, {
      method: 'PATCH',
      body: 'x',
    });
    expect(await gone.json()).toMatchObject({ errors: [{ code: 'BLOB_UPLOAD_UNKNOWN' }] });
    const blob = await fetch(`${registry.url}/v2/app/blobs/${sha256(Buffer.from('x'))}`);
    expect(await blob.json()).toMatchObject({ errors: [{ code: 'BLOB_UNKNOWN' }] });
  });

  it('cancels an upload with DELETE', async () => {
    await using registry = await startRegistry();
    const begun = await fetch(`${registry.url}/v2/app/blobs/uploads/`, { method: 'POST' });
    const location = new URL(begun.headers.get('location')!, registry.url);
    expect((await fetch(location, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(location)).status).toBe(404);
  });
});

describe('manifest PUT', () => {
  it('stores a client-pushed image and tags it, checking its blobs exist', async () => {
    await using registry = await startRegistry();
    const { config, layer, manifest } = ociImage('pushed by hand');
    const put = () =>
      fetch(`${registry.url}/v2/app/manifests/pushed`, {
        method: 'PUT',
        headers: { 'content-type': OCI_MANIFEST },
        body: manifest,
      });
    const early = await put();
    expect(early.status).toBe(400);
    expect(await early.json()).toMatchObject({ errors: [{ code: 'MANIFEST_BLOB_UNKNOWN' }] });
    await uploadBlob(registry, 'app', config);
    await uploadBlob(registry, 'app', layer);
    const done = await put();
    expect(done.status).toBe(201);
    expect(done.headers.get('docker-content-digest')).toBe(sha256(manifest));
    expect(await tagsOf(await fetch(`${registry.url}/v2/app/tags/list`))).toEqual(['pushed']);
  });

  it('rejects a body that is not a manifest and a digest reference that does not match', async () => {
    await using registry = await startRegistry();
    const garbage = await fetch(`${registry.url}/v2/app/manifests/v1`, {
      method: 'PUT',
      headers: { 'content-type': OCI_MANIFEST },
      body: 'not json',
    });
    expect(await garbage.json()).toMatchObject({ errors: [{ code: 'MANIFEST_INVALID' }] });
    const index = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] }),
    );
    const mismatch = await fetch(`${registry.url}/v2/app/manifests/${sha256(Buffer.from('x'))}`, {
      method: 'PUT',
      headers: { 'content-type': OCI_INDEX },
      body: index,
    });
    expect(await mismatch.json()).toMatchObject({ errors: [{ code: 'DIGEST_INVALID' }] });
    const byDigest = await fetch(`${registry.url}/v2/app/manifests/${sha256(index)}`, {
      method: 'PUT',
      headers: { 'content-type': OCI_INDEX },
      body: index,
    });
    expect(byDigest.status).toBe(201);
  });
});

describe('requests and lifecycle', () => {
  it('records every request with its path, query and lower-case headers', async () => {
    await using registry = await startRegistry();
    await fetch(`${registry.url}/v2/app/tags/list?n=5`, { headers: { 'X-Trace': 'abc' } });
    expect(registry.requests).toHaveLength(1);
    expect(registry.requests[0]).toMatchObject({
      method: 'GET',
      path: '/v2/app/tags/list?n=5',
      headers: { 'x-trace': 'abc' },
    });
  });

  it('closes promptly although a client holds a keep-alive connection', async () => {
    const registry = await startRegistry();
    const response = await fetch(`${registry.url}/v2/`);
    await response.text();
    expect(response.headers.get('connection')).toBe('keep-alive');
    await registry.close();
    await registry.close();
    await expect(fetch(`${registry.url}/v2/`)).rejects.toThrow();
    await expect(registry.pushTags('app', ['a'])).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('closes through Symbol.asyncDispose', async () => {
    let url = '';
    {
      await using registry = await startRegistry();
      url = registry.url;
      expect((await fetch(`${url}/v2/`)).status).toBe(200);
    }
    await expect(fetch(`${url}/v2/`)).rejects.toThrow();
  });

  it('closes while a raw keep-alive socket is idle', async () => {
    const registry = await startRegistry();
    const socket = connect(Number(registry.host.split(':')[1]), '127.0.0.1');
    socket.write('GET /v2/ HTTP/1.1\r\nHost: testkit\r\nConnection: keep-alive\r\n\r\n');
    await once(socket, 'data');
    const closed = once(socket, 'close');
    await registry.close();
    await closed;
    expect(socket.destroyed).toBe(true);
  });
});
