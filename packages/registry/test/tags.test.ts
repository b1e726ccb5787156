import { expectCode } from '@tagsmith/test-utils';
import type { TestRegistry } from '@tagsmith/testkit';
import { describe, expect, it } from 'vitest';
import { RegistryClient, RegistryError } from '../src/index.js';
import { useRegistries } from './setup.js';

const registry = useRegistries();
const tagNames = (count: number) =>
  Array.from({ length: count }, (_, i) => `v${String(i).padStart(5, '0')}`);
const tagPaths = (r: TestRegistry) =>
  r.requests.filter((q) => q.path.includes('/tags/list')).map((q) => q.path);

describe('listTags', () => {
  it('lists every tag across pages, sending n and following Link exactly', async () => {
    const r = await registry();
    await r.pushTags('team/app', tagNames(25));
    const client = new RegistryClient({ pageSize: 10 });
    expect(await client.listTags(`${r.host}/team/app`)).toEqual(tagNames(25));
    expect(tagPaths(r)).toEqual([
      '/v2/team/app/tags/list?n=10',
      '/v2/team/app/tags/list?n=10&last=v00009',
      '/v2/team/app/tags/list?n=10&last=v00019',
    ]);
  });

  it('yields page by page and fetches a page only when asked for', async () => {
    const r = await registry();
    await r.pushTags('app', tagNames(5));
    const client = new RegistryClient({ pageSize: 2 });
    const pages = client.tags(`${r.host}/app`);
    const first = await pages.next();
    expect(first.value).toEqual(['v00000', 'v00001']);
    expect(tagPaths(r)).toHaveLength(1);
    const rest: string[][] = [];
    for await (const page of pages) rest.push(page);
    expect(rest).toEqual([['v00002', 'v00003'], ['v00004']]);
  });

  it('accepts a parsed reference object and an empty repository', async () => {
    const r = await registry();
    await r.pushTags('app', ['a']);
    const client = new RegistryClient();
    expect(await client.listTags({ registry: r.host, repository: 'app' })).toEqual(['a']);
    r.faults.add({ path: '/v2/app/tags/list', rawBody: '{"name":"app","tags":null}' });
    expect(await client.listTags(`${r.host}/app`)).toEqual([]);
  });

  it('maps an unknown repository to NAME_UNKNOWN with method, URL and status', async () => {
    const r = await registry();
    const error = await expectCode(
      new RegistryClient().listTags(`${r.host}/missing/repo`),
      RegistryError,
      'NAME_UNKNOWN',
    );
    expect(error.status).toBe(404);
    expect(error.registry).toBe(r.host);
    expect(error.repository).toBe('missing/repo');
    expect(error.message).toContain(
      `[GET] ${r.url}/v2/missing/repo/tags/list?n=1000: 404 Not Found — `,
    );
  });

  it('refuses a Link loop with PAGINATION_LOOP', async () => {
    const r = await registry();
    await r.pushTags('app', tagNames(4));
    r.faults.add({ path: '/v2/app/tags/list', link: 'loop', times: Infinity });
    await expectCode(
      new RegistryClient({ pageSize: 2 }).listTags(`${r.host}/app`),
      RegistryError,
      'PAGINATION_LOOP',
    );
    expect(tagPaths(r)).toHaveLength(1);
  });

  it('detects a loop that comes back to an earlier page', async () => {
    const r = await registry();
    await r.pushTags('app', tagNames(6));
    r.faults.add({
      path: '/v2/app/tags/list',
      link: { next: '/v2/app/tags/list?n=2&last=v00001' },
    });
    r.faults.add({ path: '/v2/app/tags/list', link: { next: '/v2/app/tags/list?n=2' } });
    await expectCode(
      new RegistryClient({ pageSize: 2 }).listTags(`${r.host}/app`),
      RegistryError,
      'PAGINATION_LOOP',
    );
    expect(tagPaths(r)).toEqual(['/v2/app/tags/list?n=2', '/v2/app/tags/list?n=2&last=v00001']);
  });

  it('follows a next link naming another origin by its path and query on the registry', async () => {
    const r = await registry();
    await r.pushTags('app', tagNames(4));
    r.faults.add({
      path: '/v2/app/tags/list',
      link: { next: 'http://core.harbor.internal:8080/v2/app/tags/list?n=2&last=v00001' },
    });
    const client = new RegistryClient({ pageSize: 2 });
    expect(await client.listTags(`${r.host}/app`)).toEqual(tagNames(4));
    expect(tagPaths(r)).toEqual(['/v2/app/tags/list?n=2', '/v2/app/tags/list?n=2&last=v00001']);
  });

  it('detects a loop through a link that names another origin for the same page', async () => {
    const r = await registry();
    await r.pushTags('app', tagNames(4));
    r.faults.add({ path: '/v2/app/tags/list', link: 'cross-origin' });
    await expectCode(
      new RegistryClient({ pageSize: 2 }).listTags(`${r.host}/app`),
      RegistryError,
      'PAGINATION_LOOP',
    );
    expect(tagPaths(r)).toHaveLength(1);
  });

  it('stops at maxPages with TOO_MANY_PAGES instead of truncating', async () => {
    const r = await registry();
    await r.pushTags('app', tagNames(7));
    const client = new RegistryClient({ pageSize: 2, maxPages: 3 });
    await expectCode(client.listTags(`${r.host}/app`), RegistryError, 'TOO_MANY_PAGES');
    expect(tagPaths(r)).toHaveLength(3);
    // Exactly maxPages pages is fine.
    await r.pushTags('six', tagNames(6));
    expect(await client.listTags(`${r.host}/six`)).toHaveLength(6);
  });

  it('reports garbage JSON as INVALID_RESPONSE without quoting the body', async () => {
    const r = await registry();
    await r.pushTags('app', ['a']);
    r.faults.add({ path: '/v2/app/tags/list', body: 'garbage' });
    const error = await expectCode(
      new RegistryClient().listTags(`${r.host}/app`),
      RegistryError,
      'INVALID_RESPONSE',
    );
    expect(error.message).toContain('not valid JSON');
  });

  it('rejects tags that are not strings', async () => {
    const r = await registry();
    await r.pushTags('app', ['a']);
    r.faults.add({ path: '/v2/app/tags/list', rawBody: '{"tags":["a",{"b":1}]}' });
    await expectCode(
      new RegistryClient().listTags(`${r.host}/app`),
      RegistryError,
      'INVALID_RESPONSE',
    );
  });

  it('stops an oversized body while streaming with RESPONSE_TOO_LARGE', async () => {
    const r = await registry();
    await r.pushTags('app', ['a']);
    r.faults.add({ path: '/v2/app/tags/list', body: 'oversized', oversizedMiB: 64 });
    const client = new RegistryClient({ maxBodyBytes: 1024 * 1024 });
    const before = process.memoryUsage().arrayBuffers;
    const error = await expectCode(
      client.listTags(`${r.host}/app`),
      RegistryError,
      'RESPONSE_TOO_LARGE',
    );
    expect(error.message).toContain('1048576 bytes');
    // Had the body been buffered first, 64 MiB would have passed through memory.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 1024 * 1024);
  });

  it('caps bodies at 16 MiB by default', async () => {
    const r = await registry();
    await r.pushTags('app', ['a']);
    r.faults.add({ path: '/v2/app/tags/list', body: 'oversized', oversizedMiB: 20 });
    const error = await expectCode(
      new RegistryClient().listTags(`${r.host}/app`),
      RegistryError,
      'RESPONSE_TOO_LARGE',
    );
    // The message names the limit, so the user knows which option to raise.
    expect(error.message).toContain('16777216 bytes');
  });

  it('retries a truncated body and reports NETWORK when every try is cut short', async () => {
    const r = await registry();
    await r.pushTags('app', ['a', 'b']);
    r.faults.add({ path: '/v2/app/tags/list', body: 'truncated' });
    const client = new RegistryClient({ retry: { baseDelayMs: 1 } });
    expect(await client.listTags(`${r.host}/app`)).toEqual(['a', 'b']);

    r.faults.add({ path: '/v2/app/tags/list', body: 'truncated', times: Infinity });
    const error = await expectCode(client.listTags(`${r.host}/app`), RegistryError, 'NETWORK');
    expect(error.message).toContain('gave up after 4 attempts');
  });

  it('rejects an invalid reference before any request', async () => {
    const r = await registry();
    await expectCode(
      new RegistryClient().listTags(`${r.host}/Bad_Name`),
      RegistryError,
      'INVALID_REFERENCE',
    );
    expect(r.requests).toHaveLength(0);
  });
});
