import { expectCode } from '@tagsmith/test-utils';
import type { TestRegistry } from '@tagsmith/testkit';
import { describe, expect, it } from 'vitest';
import { type Logger, RegistryClient, RegistryError } from '../src/index.js';
import { useRegistries, useServers } from './setup.js';

const registry = useRegistries({ app: ['1.0', '2.0'] });
const server = useServers();
const TAGS = '/v2/app/tags/list';
const tagRequests = (r: TestRegistry) => r.requests.filter((q) => q.path.startsWith(TAGS)).length;

/** Collects the retry lines the client logs, which state the wait it chose. */
function retryLog() {
  const lines: string[] = [];
  return { lines, logger: { warn: (line: string) => lines.push(line) } };
}

describe('retries', () => {
  it.each([408, 429, 499, 500, 502, 503, 504, 522])(
    'retries %i and then succeeds',
    async (status) => {
      const r = await registry();
      r.faults.add({ path: TAGS, status, times: 2 });
      const client = new RegistryClient({ retry: { baseDelayMs: 1 } });
      expect(await client.listTags(`${r.host}/app`)).toEqual(['1.0', '2.0']);
      expect(tagRequests(r)).toBe(3);
    },
  );

  it('does not retry other client errors', async () => {
    const r = await registry();
    r.faults.add({ path: TAGS, status: 400, code: 'TAG_INVALID', times: Infinity });
    const error = await expectCode(
      new RegistryClient().listTags(`${r.host}/app`),
      RegistryError,
      'UNEXPECTED_STATUS',
    );
    expect(error.status).toBe(400);
    expect(tagRequests(r)).toBe(1);
  });

  it('retries a connection reset', async () => {
    const r = await registry();
    r.faults.add({ path: TAGS, reset: true, times: 2 });
    const client = new RegistryClient({ retry: { baseDelayMs: 1 } });
    expect(await client.listTags(`${r.host}/app`)).toEqual(['1.0', '2.0']);
    expect(tagRequests(r)).toBe(3);
  });

  it('gives up with UNAVAILABLE after retry.attempts tries, quoting the registry', async () => {
    const r = await registry();
    r.faults.add({ path: TAGS, status: 503, times: Infinity });
    const client = new RegistryClient({ retry: { attempts: 3, baseDelayMs: 1 } });
    const error = await expectCode(client.listTags(`${r.host}/app`), RegistryError, 'UNAVAILABLE');
    expect(error.status).toBe(503);
    expect(error.message).toContain(': 503 Service Unavailable — ');
    expect(error.message).toContain('(gave up after 3 attempts)');
    expect(tagRequests(r)).toBe(3);
  });

  it('gives up on a persistent 429 with RATE_LIMITED', async () => {
    const r = await registry();
    r.faults.add({ path: TAGS, status: 429, times: Infinity });
    const client = new RegistryClient({ retry: { attempts: 2, baseDelayMs: 1 } });
    await expectCode(client.listTags(`${r.host}/app`), RegistryError, 'RATE_LIMITED');
  });

  it('reports NETWORK after resets on every try', async () => {
    const r = await registry();
    r.faults.add({ path: TAGS, reset: true, times: Infinity });
    const client = new RegistryClient({ retry: { attempts: 2, baseDelayMs: 1 } });
    const error = await expectCode(client.listTags(`${r.host}/app`), RegistryError, 'NETWORK');
    expect(error.cause).toBeDefined();
    expect(tagRequests(r)).toBe(2);
  });

  it('waits as long as Retry-After seconds says', async () => {
    const r = await registry();
    r.faults.add({ path: TAGS, status: 429, retryAfter: '1' });
    const { lines, logger } = retryLog();
    const client = new RegistryClient({ retry: { baseDelayMs: 1 }, logger });
    const started = performance.now();
    expect(await client.listTags(`${r.host}/app`)).toEqual(['1.0', '2.0']);
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(lines).toEqual([
      expect.stringMatching(
        /tags\/list\?n=1000: 429 Too Many Requests; retrying in 1000 ms \(attempt 2 of 4\)$/,
      ),
    ]);
  });

  it('waits until a Retry-After HTTP date, measured with the injected clock', async () => {
    const r = await registry();
    const now = Date.parse('2030-01-01T00:00:00Z');
    r.faults.add({ path: TAGS, status: 503, retryAfter: new Date(now + 1000).toUTCString() });
    const { lines, logger } = retryLog();
    const client = new RegistryClient({ clock: () => now, logger });
    expect(await client.listTags(`${r.host}/app`)).toEqual(['1.0', '2.0']);
    expect(lines).toEqual([expect.stringContaining('retrying in 1000 ms')]);
  });

  it('takes console as its logger: the Logger shape every tagsmith package shares', () => {
    const logger: Logger = console;
    expect(new RegistryClient({ logger })).toBeInstanceOf(RegistryClient);
  });

  it('backs off by exactly the waits the injected random gives, without Retry-After', async () => {
    const r = await registry();
    r.faults.add({ path: TAGS, status: 503, times: 3 });
    const draws = [0, 0.5, 0.999];
    const random = () => draws.shift() ?? 0;
    const { lines, logger } = retryLog();
    const client = new RegistryClient({
      retry: { baseDelayMs: 8 },
      random,
      clock: () => Date.parse('2030-01-01T00:00:00Z'),
      logger,
    });
    expect(await client.listTags(`${r.host}/app`)).toEqual(['1.0', '2.0']);
    // Equal jitter: half of the doubling step fixed, half scaled by random (8, 16, 32 ms steps).
    expect(lines).toEqual([
      expect.stringContaining('retrying in 4 ms (attempt 2 of 4)'),
      expect.stringContaining('retrying in 12 ms (attempt 3 of 4)'),
      expect.stringContaining('retrying in 32 ms (attempt 4 of 4)'),
    ]);
    expect(draws).toEqual([]);
  });

  it('fails with RATE_LIMITED carrying the wait when Retry-After exceeds maxDelayMs', async () => {
    const r = await registry();
    r.faults.add({ path: TAGS, status: 429, retryAfter: '120' });
    const client = new RegistryClient({ retry: { maxDelayMs: 5000 } });
    const error = await expectCode(client.listTags(`${r.host}/app`), RegistryError, 'RATE_LIMITED');
    expect(error.retryAfterMs).toBe(120_000);
    expect(error.message).toContain('Retry-After asks for 120000 ms');
    expect(tagRequests(r)).toBe(1);
  });
});

/**
 * Fault injector: a `fetch` whose first `times` calls throw what undici throws
 * when the connection fails with Node's `code`, and which then is the real fetch.
 */
function failingFetch(code: string, times = 1) {
  let calls = 0;
  const fetchWithFaults: typeof fetch = (input, init) => {
    calls++;
    if (calls <= times) {
      const cause = Object.assign(new Error(`connect ${code} 127.0.0.1`), { code });
      return Promise.reject(new TypeError('fetch failed', { cause }));
    }
    return fetch(input, init);
  };
  return { fetch: fetchWithFaults, calls: () => calls };
}

describe('network errors', () => {
  it.each(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'EAI_AGAIN', 'UND_ERR_SOCKET'])(
    'retries a fetch that fails with %s',
    async (code) => {
      const r = await registry();
      const injector = failingFetch(code, 2);
      const client = new RegistryClient({ fetch: injector.fetch, retry: { baseDelayMs: 1 } });
      expect(await client.listTags(`${r.host}/app`)).toEqual(['1.0', '2.0']);
      expect(injector.calls()).toBe(3);
    },
  );

  it.each(['ENOTFOUND', 'ETIMEDOUT', 'CERT_HAS_EXPIRED'])(
    'fails with NETWORK at once for %s, naming the code',
    async (code) => {
      const r = await registry();
      const injector = failingFetch(code, Infinity);
      const client = new RegistryClient({ fetch: injector.fetch, retry: { baseDelayMs: 1 } });
      const error = await expectCode(client.listTags(`${r.host}/app`), RegistryError, 'NETWORK');
      expect(error.message).toContain(code);
      expect(injector.calls()).toBe(1);
    },
  );

  it('does not retry when the caller aborts a fetch in flight', async () => {
    const r = await registry();
    const controller = new AbortController();
    let calls = 0;
    const abortingFetch: typeof fetch = (input, init) => {
      calls++;
      controller.abort(new Error('caller stopped'));
      return fetch(input, init);
    };
    const client = new RegistryClient({ fetch: abortingFetch, retry: { baseDelayMs: 1 } });
    const error = await expectCode(
      client.listTags(`${r.host}/app`, { signal: controller.signal }),
      RegistryError,
      'ABORTED',
    );
    expect((error.cause as Error).message).toBe('caller stopped');
    expect(calls).toBe(1);
  });
});

describe('timeouts and aborts', () => {
  it('fails with TIMEOUT when one try takes longer than timeoutMs, without retrying', async () => {
    const r = await registry();
    r.faults.add({ path: TAGS, delayMs: 5000 });
    const client = new RegistryClient({ timeoutMs: 100 });
    const error = await expectCode(client.listTags(`${r.host}/app`), RegistryError, 'TIMEOUT');
    expect(error.message).toContain('no complete response within 100 ms');
    expect(tagRequests(r)).toBe(1);
  });

  it('fails with ABORTED at once when the signal is already aborted', async () => {
    const r = await registry();
    await expectCode(
      new RegistryClient().listTags(`${r.host}/app`, { signal: AbortSignal.abort() }),
      RegistryError,
      'ABORTED',
    );
    expect(r.requests).toHaveLength(0);
  });

  it('stops a backoff sleep as soon as the signal aborts', async () => {
    const r = await registry();
    r.faults.add({ path: TAGS, status: 503, retryAfter: '30', times: Infinity });
    const controller = new AbortController();
    const reason = new Error('shutting down');
    // The client logs right before it sleeps: abort at exactly that moment.
    const client = new RegistryClient({ logger: { warn: () => controller.abort(reason) } });
    const started = performance.now();
    const error = await expectCode(
      client.listTags(`${r.host}/app`, { signal: controller.signal }),
      RegistryError,
      'ABORTED',
    );
    expect(error.cause).toBe(reason);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(tagRequests(r)).toBe(1);
  });

  it('stops while waiting for a slow response', async () => {
    const r = await registry();
    r.faults.add({ path: TAGS, delayMs: 30_000 });
    const controller = new AbortController();
    const pending = new RegistryClient().listTags(`${r.host}/app`, { signal: controller.signal });
    while (tagRequests(r) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await expectCode(pending, RegistryError, 'ABORTED');
  });

  describe('in the middle of a body', () => {
    /** A registry whose tag list sends its first bytes and then stalls. */
    async function stallingServer() {
      let firstChunkWritten!: () => void;
      const firstChunkSent = new Promise<void>((resolve) => {
        firstChunkWritten = resolve;
      });
      const { host } = await server((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"name":"app","tags":["a",', () => firstChunkWritten());
      });
      return { host, firstChunkSent };
    }

    it('fails with ABORTED when the signal fires mid-body', async () => {
      const { host, firstChunkSent } = await stallingServer();
      const controller = new AbortController();
      const pending = new RegistryClient().listTags(`${host}/app`, { signal: controller.signal });
      await firstChunkSent;
      controller.abort();
      await expectCode(pending, RegistryError, 'ABORTED');
    });

    it('fails with TIMEOUT when the body stalls past timeoutMs', async () => {
      const { host } = await stallingServer();
      await expectCode(
        new RegistryClient({ timeoutMs: 200 }).listTags(`${host}/app`),
        RegistryError,
        'TIMEOUT',
      );
    });
  });
});

describe('redirects and options', () => {
  it('follows at most 10 redirects, then fails with TOO_MANY_REDIRECTS', async () => {
    let hops = 0;
    const { host } = await server((request, response) => {
      hops++;
      response.writeHead(302, { location: `${request.url}x` }).end();
    });
    const error = await expectCode(
      new RegistryClient().listTags(`${host}/app`),
      RegistryError,
      'TOO_MANY_REDIRECTS',
    );
    expect(error.status).toBe(302);
    expect(error.message).toContain(`/tags/list?n=1000${'x'.repeat(10)}: 302 Found`);
    expect(error.message).toContain('more than 10 redirects');
    expect(hops).toBe(11);
  });

  it.each([
    [{ pageSize: 0 }, 'pageSize'],
    [{ maxPages: 1.5 }, 'maxPages'],
    [{ timeoutMs: -1 }, 'timeoutMs'],
    [{ retry: { attempts: 0 } }, 'retry.attempts'],
    [{ retry: { maxDelayMs: Number.NaN } }, 'retry.maxDelayMs'],
  ])('rejects %j with INVALID_ARGUMENT naming %s, and no registry', (options, name) => {
    const error = expectCode(() => new RegistryClient(options), RegistryError, 'INVALID_ARGUMENT');
    expect(error.name).toBe('RegistryError');
    expect(error.message).toContain(name);
    // A client option concerns no registry: the field is absent, not `''`.
    expect(error).not.toHaveProperty('registry');
  });
});
