import { expectCode } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import {
  type FaultRule,
  type StartRegistryOptions,
  startRegistry,
  TestkitError,
  type TestRegistry,
} from '../src/index.js';

/** A registry holding `app` with tags a, b, c; `await using` closes it after the test. */
async function start(options?: StartRegistryOptions): Promise<TestRegistry> {
  const registry = await startRegistry(options);
  await registry.pushTags('app', ['a', 'b', 'c']);
  return registry;
}

const TAGS = '/v2/app/tags/list';

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('status faults', () => {
  it('answers a per-route status sequence in the order the rules were added, then normally', async () => {
    await using registry = await start({ faults: [{ path: TAGS, status: 503 }] });
    registry.faults.add({ path: TAGS, status: 429, retryAfter: '2' });
    registry.faults.add({ path: TAGS, status: 500, times: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${registry.url}${TAGS}`);
      statuses.push(response.status);
      if (response.status === 429) {
        expect(response.headers.get('retry-after')).toBe('2');
        expect(await response.json()).toMatchObject({ errors: [{ code: 'TOOMANYREQUESTS' }] });
      }
    }
    expect(statuses).toEqual([503, 429, 500, 500, 200]);
  });

  it('sends an HTTP-date Retry-After and a chosen OCI code', async () => {
    const date = 'Wed, 21 Oct 2026 07:28:00 GMT';
    await using registry = await start({
      faults: [{ path: TAGS, status: 403, code: 'DENIED', retryAfter: date }],
    });
    const response = await fetch(`${registry.url}${TAGS}`);
    expect(response.status).toBe(403);
    expect(response.headers.get('retry-after')).toBe(date);
    expect(await response.json()).toMatchObject({ errors: [{ code: 'DENIED' }] });
  });

  it('matches method, path prefixes and RegExps, and leaves other requests alone', async () => {
    await using registry = await start({
      faults: [
        {
          method: 'head',
          path: '/v2/app/manifests/*',
          status: 502,
          times: Number.POSITIVE_INFINITY,
        },
        { path: /\/tags\/list$/g, status: 504, times: 2 },
      ],
    });
    expect((await fetch(`${registry.url}/v2/app/manifests/a`)).status).toBe(200);
    for (let i = 0; i < 3; i++) {
      expect((await fetch(`${registry.url}/v2/app/manifests/a`, { method: 'HEAD' })).status).toBe(
        502,
      );
    }
    expect((await fetch(`${registry.url}${TAGS}`)).status).toBe(504);
    expect((await fetch(`${registry.url}${TAGS}`)).status).toBe(504);
    expect((await fetch(`${registry.url}${TAGS}`)).status).toBe(200);
  });

  it('clears every rule', async () => {
    await using registry = await start({
      faults: [{ path: '*', status: 500, times: Number.POSITIVE_INFINITY }],
    });
    expect((await fetch(`${registry.url}/v2/`)).status).toBe(500);
    registry.faults.clear();
    expect((await fetch(`${registry.url}/v2/`)).status).toBe(200);
  });

  it('applies only to requests that pass authentication', async () => {
    const auth = { basic: { username: 'u', password: 'p' } };
    await using registry = await start({ auth, faults: [{ path: TAGS, status: 503 }] });
    expect((await fetch(`${registry.url}${TAGS}`)).status).toBe(401);
    const headers = { authorization: `Basic ${Buffer.from('u:p').toString('base64')}` };
    expect((await fetch(`${registry.url}${TAGS}`, { headers })).status).toBe(503);
    expect((await fetch(`${registry.url}${TAGS}`, { headers })).status).toBe(200);
  });

  it('puts the registry challenge on an injected 401', async () => {
    await using registry = await start({ auth: { bearer: {} } });
    const answer = await fetch(`${registry.url}/token?service=testkit&scope=repository:app:pull`);
    const { token } = (await answer.json()) as { token: string };
    registry.faults.add({ path: TAGS, status: 401 });
    const response = await fetch(`${registry.url}${TAGS}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('scope="repository:app:pull"');
  });

  it('refuses impossible rules with INVALID_ARGUMENT', async () => {
    await using registry = await start();
    const rules: [FaultRule, string][] = [
      [{ path: TAGS, status: 99 }, 'status'],
      [{ path: TAGS, times: -1 }, 'times'],
      [{ path: TAGS, delayMs: Number.NaN }, 'delayMs'],
      [{ path: TAGS, body: 'garbage', rawBody: '{}' }, 'rawBody'],
    ];
    for (const [rule, field] of rules) {
      const error = expectCode(() => registry.faults.add(rule), TestkitError, 'INVALID_ARGUMENT');
      // The message names the field at fault.
      expect(error.message).toContain(field);
    }
  });
});

describe('delays and resets', () => {
  it('answers normally after a delay', async () => {
    await using registry = await start({ faults: [{ path: TAGS, delayMs: 20 }] });
    const response = await fetch(`${registry.url}${TAGS}`);
    expect(await response.json()).toEqual({ name: 'app', tags: ['a', 'b', 'c'] });
  });

  it('gives up a delayed answer when the client aborts, and keeps serving others', async () => {
    await using registry = await start({ faults: [{ path: TAGS, delayMs: 600_000 }] });
    const controller = new AbortController();
    const pending = fetch(`${registry.url}${TAGS}`, { signal: controller.signal });
    await until(() => registry.requests.some((request) => request.path === TAGS));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect((await fetch(`${registry.url}${TAGS}`)).status).toBe(200);
  });

  it('closes promptly while an answer is delayed', async () => {
    await using registry = await start({ faults: [{ path: TAGS, delayMs: 600_000 }] });
    const pending = fetch(`${registry.url}${TAGS}`);
    await until(() => registry.requests.length > 0);
    await registry.close();
    await expect(pending).rejects.toThrow();
  });

  it('resets the connection instead of answering', async () => {
    await using registry = await start({ faults: [{ path: TAGS, reset: true }] });
    const error = await fetch(`${registry.url}${TAGS}`).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError & { cause?: { code?: string } }).cause?.code).toBe('ECONNRESET');
    expect((await fetch(`${registry.url}${TAGS}`)).status).toBe(200);
  });
});

describe('body faults', () => {
  it('truncates: declares the full length, sends half, then closes', async () => {
    await using registry = await start({ faults: [{ path: TAGS, body: 'truncated' }] });
    const response = await fetch(`${registry.url}${TAGS}`);
    expect(response.status).toBe(200);
    const full = JSON.stringify({ name: 'app', tags: ['a', 'b', 'c'] });
    expect(response.headers.get('content-length')).toBe(String(full.length));
    await expect(response.text()).rejects.toThrow();
  });

  it('sends garbage that is not JSON', async () => {
    await using registry = await start({ faults: [{ path: TAGS, body: 'garbage' }] });
    const text = await (await fetch(`${registry.url}${TAGS}`)).text();
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });

  it('streams an oversized body without Content-Length', async () => {
    await using registry = await start({
      faults: [{ path: TAGS, body: 'oversized', oversizedMiB: 2 }],
    });
    const response = await fetch(`${registry.url}${TAGS}`);
    expect(response.headers.get('content-length')).toBeNull();
    const bytes = await response.arrayBuffer();
    expect(bytes.byteLength).toBe(2 * 1024 * 1024 + '{"name":"oversized","tags":['.length);
  });

  it('stops streaming an oversized body when the client cancels, default 20 MiB', async () => {
    await using registry = await start({ faults: [{ path: TAGS, body: 'oversized' }] });
    const response = await fetch(`${registry.url}${TAGS}`);
    const reader = response.body!.getReader();
    let received = 0;
    while (received < 1024 * 1024) received += (await reader.read()).value?.length ?? 0;
    await reader.cancel();
    expect((await fetch(`${registry.url}${TAGS}`)).status).toBe(200);
  });

  it('replaces the body verbatim, e.g. with "tags": null', async () => {
    await using registry = await start({
      faults: [{ path: TAGS, rawBody: '{"name":"app","tags":null}' }],
    });
    expect(await (await fetch(`${registry.url}${TAGS}`)).json()).toEqual({
      name: 'app',
      tags: null,
    });
  });
});

describe('header faults', () => {
  it('makes a Link loop back to the request URL', async () => {
    await using registry = await start({ faults: [{ path: TAGS, link: 'loop' }] });
    const response = await fetch(`${registry.url}${TAGS}?n=1&last=a`);
    expect(response.headers.get('link')).toBe(`<${TAGS}?n=1&last=a>; rel="next"`);
  });

  it('points the Link at another origin', async () => {
    await using registry = await start({ faults: [{ path: TAGS, link: 'cross-origin' }] });
    const port = registry.host.split(':')[1];
    const response = await fetch(`${registry.url}${TAGS}?n=1`);
    expect(response.headers.get('link')).toBe(`<http://localhost:${port}${TAGS}?n=1>; rel="next"`);
  });

  it('sets an explicit Link target and extra headers', async () => {
    await using registry = await start({
      faults: [
        { path: TAGS, link: { next: 'https://evil.test/v2/x' }, headers: { 'x-extra': '1' } },
      ],
    });
    const response = await fetch(`${registry.url}${TAGS}`);
    expect(response.headers.get('link')).toBe('<https://evil.test/v2/x>; rel="next"');
    expect(response.headers.get('x-extra')).toBe('1');
  });

  it('omits Docker-Content-Digest from manifest HEAD and GET', async () => {
    await using registry = await start({
      faults: [{ path: '/v2/app/manifests/a', omitDigestHeader: true, times: 2 }],
    });
    for (const method of ['HEAD', 'GET']) {
      const response = await fetch(`${registry.url}/v2/app/manifests/a`, { method });
      expect(response.status).toBe(200);
      expect(response.headers.has('docker-content-digest')).toBe(false);
    }
    const normal = await fetch(`${registry.url}/v2/app/manifests/a`, { method: 'HEAD' });
    expect(normal.headers.get('docker-content-digest')).toMatch(/^sha256:/);
  });
});
