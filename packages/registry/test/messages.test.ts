// The error contract: every request failure names method, URL and (when a
// response arrived) status in its message and properties. That every code has a
// row in docs/errors.md is test/docs/errors-table.test.ts's job.
import { STATUS_CODES } from 'node:http';
import { expectCode } from '@tagsmith/test-utils';
import type { TestRegistry } from '@tagsmith/testkit';
import { describe, expect, it } from 'vitest';
import {
  parseReference,
  RegistryClient,
  RegistryError,
  type RegistryErrorCode,
} from '../src/index.js';
import { useRegistries } from './setup.js';

const registry = useRegistries({ app: ['a', 'b', 'c'] });
const TAGS = '/v2/app/tags/list';

type Case = {
  code: RegistryErrorCode;
  how: string;
  /** The status of the response behind the error; `undefined` when none arrived. */
  status: number | undefined;
  method?: string;
  setup?: (r: TestRegistry) => void;
  call?: (client: RegistryClient, r: TestRegistry, signal: AbortSignal) => Promise<unknown>;
  options?: ConstructorParameters<typeof RegistryClient>[0];
};

const cases: Case[] = [
  {
    code: 'UNAUTHORIZED',
    how: 'a 401 after fresh credentials',
    status: 401,
    setup: (r) => r.faults.add({ path: TAGS, status: 401, times: Infinity }),
  },
  {
    code: 'DENIED',
    how: 'a 403',
    status: 403,
    setup: (r) => r.faults.add({ path: TAGS, status: 403 }),
  },
  {
    code: 'NAME_UNKNOWN',
    how: 'an unknown repository',
    status: 404,
    call: (client, r) => client.listTags(`${r.host}/nope`),
  },
  {
    code: 'MANIFEST_UNKNOWN',
    how: 'an unknown tag',
    status: 404,
    method: 'HEAD',
    call: (client, r) => client.resolveDigest(`${r.host}/app:zzz`),
  },
  {
    code: 'RATE_LIMITED',
    how: 'a Retry-After beyond maxDelayMs',
    status: 429,
    setup: (r) => r.faults.add({ path: TAGS, status: 429, retryAfter: '3600' }),
  },
  {
    code: 'UNAVAILABLE',
    how: '503 on every try',
    status: 503,
    setup: (r) => r.faults.add({ path: TAGS, status: 503, times: Infinity }),
  },
  {
    code: 'TIMEOUT',
    how: 'no headers within timeoutMs',
    status: undefined,
    setup: (r) => r.faults.add({ path: TAGS, delayMs: 10_000 }),
    options: { timeoutMs: 50 },
  },
  {
    code: 'ABORTED',
    how: 'an aborted signal',
    status: undefined,
    call: (client, r) => client.listTags(`${r.host}/app`, { signal: AbortSignal.abort() }),
  },
  {
    code: 'NETWORK',
    how: 'a reset on every try',
    status: undefined,
    setup: (r) => r.faults.add({ path: TAGS, reset: true, times: Infinity }),
  },
  {
    code: 'NETWORK',
    how: 'a body cut short on every try',
    status: 200,
    setup: (r) => r.faults.add({ path: TAGS, body: 'truncated', times: Infinity }),
  },
  {
    code: 'TOO_MANY_PAGES',
    how: 'more pages than maxPages',
    status: 200,
    options: { pageSize: 1, maxPages: 2 },
  },
  {
    code: 'PAGINATION_LOOP',
    how: 'a Link to the same page',
    status: 200,
    setup: (r) => r.faults.add({ path: TAGS, link: 'loop' }),
  },
  {
    code: 'RESPONSE_TOO_LARGE',
    how: 'a body over maxBodyBytes',
    status: 200,
    setup: (r) => r.faults.add({ path: TAGS, body: 'oversized', oversizedMiB: 1 }),
    options: { maxBodyBytes: 64 * 1024 },
  },
  {
    code: 'INVALID_RESPONSE',
    how: 'garbage JSON',
    status: 200,
    setup: (r) => r.faults.add({ path: TAGS, body: 'garbage' }),
  },
  {
    code: 'INVALID_RESPONSE',
    how: 'a Link whose next target is no URL',
    status: 200,
    setup: (r) => r.faults.add({ path: TAGS, link: { next: 'http://[::1/v2/app/tags/list' } }),
  },
];

describe('every request failure names method, URL and status', () => {
  it.each(cases)('$code ($how)', async (c) => {
    const r = await registry();
    c.setup?.(r);
    const client = new RegistryClient({ retry: { attempts: 2, baseDelayMs: 1 }, ...c.options });
    const signal = new AbortController().signal;
    const error = await expectCode(
      c.call?.(client, r, signal) ?? client.listTags(`${r.host}/app`, { signal }),
      RegistryError,
      c.code,
    );
    const method = c.method ?? 'GET';
    expect(error.method).toBe(method);
    expect(error.url).toMatch(new RegExp(`^${r.url}/v2/`));
    expect(error.registry).toBe(r.host);
    expect(error.status).toBe(c.status);
    const status = c.status === undefined ? '' : ` ${c.status} ${STATUS_CODES[c.status]}`;
    expect(error.message.startsWith(`[${method}] ${error.url}:${status}`)).toBe(true);
    if (c.status === undefined) expect(error.message).not.toMatch(/: \d{3} /);
  });

  it('INVALID_REFERENCE names the reference and the bad part instead', () => {
    expect(() => parseReference('ghcr.io/Org/app')).toThrow(
      'invalid image reference "ghcr.io/Org/app": repository path component "Org"',
    );
  });
});

describe('OCI error codes are looked up as own keys only', () => {
  // Once `__proto__` made `error.code` Object.prototype, `constructor` the Object function.
  it.each([
    ['__proto__', 404, 'NAME_UNKNOWN'],
    ['constructor', 400, 'UNEXPECTED_STATUS'],
    ['toString', 404, 'NAME_UNKNOWN'],
    ['hasOwnProperty', 400, 'UNEXPECTED_STATUS'],
  ] as const)('a body saying %j with a %i maps by status', async (ociCode, status, code) => {
    const r = await registry();
    r.faults.add({ path: TAGS, status, code: ociCode });
    const error = await expectCode(
      new RegistryClient().listTags(`${r.host}/app`),
      RegistryError,
      code,
    );
    expect(error.status).toBe(status);
  });
});
