import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  abortable,
  backoffDelay,
  isRetryableNetworkError,
  isRetryableStatus,
  parseRetryAfter,
  sleep,
} from './retry.js';

describe('isRetryableStatus', () => {
  it('retries only transient statuses', () => {
    for (const status of [408, 429, 499, 500, 502, 503, 504, 522]) {
      expect(isRetryableStatus(status)).toBe(true);
    }
    for (const status of [200, 400, 401, 403, 404, 405, 501, 505]) {
      expect(isRetryableStatus(status)).toBe(false);
    }
  });
});

describe('isRetryableNetworkError', () => {
  it('recognises resets through the cause chain, not other failures', () => {
    const reset = new TypeError('fetch failed', {
      cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
    });
    expect(isRetryableNetworkError(reset)).toBe(true);
    expect(isRetryableNetworkError(new TypeError('terminated'))).toBe(true);
    expect(isRetryableNetworkError(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(
      true,
    );
    const dns = new TypeError('fetch failed', {
      cause: Object.assign(new Error('getaddrinfo'), { code: 'ENOTFOUND' }),
    });
    expect(isRetryableNetworkError(dns)).toBe(false);
    expect(isRetryableNetworkError(undefined)).toBe(false);
  });

  // Every code Node's net/dns layer or undici gives a connection that broke before
  // or while answering: another try may well reach the registry.
  it.each([
    'ECONNRESET',
    'ECONNREFUSED',
    'ECONNABORTED',
    'EPIPE',
    'EAI_AGAIN',
    'UND_ERR_SOCKET',
    'UND_ERR_CLOSED',
  ])('retries fetch failed with cause %s', (code) => {
    const error = new TypeError('fetch failed', {
      cause: Object.assign(new Error(`connect ${code}`), { code }),
    });
    expect(isRetryableNetworkError(error)).toBe(true);
  });

  // A name that does not resolve, a certificate that does not verify, a connect
  // timeout (our own per-try timeout is TIMEOUT, not retried either), an abort:
  // another try would fail the same way, or was not wanted.
  it.each([
    'ENOTFOUND',
    'ETIMEDOUT',
    'UND_ERR_CONNECT_TIMEOUT',
    'CERT_HAS_EXPIRED',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'ABORT_ERR',
  ])('does not retry fetch failed with cause %s', (code) => {
    const error = new TypeError('fetch failed', {
      cause: Object.assign(new Error(`failed with ${code}`), { code }),
    });
    expect(isRetryableNetworkError(error)).toBe(false);
  });

  it('does not retry an AbortError, whatever its message', () => {
    expect(
      isRetryableNetworkError(new DOMException('This operation was aborted', 'AbortError')),
    ).toBe(false);
    expect(
      isRetryableNetworkError(new DOMException('The operation timed out.', 'TimeoutError')),
    ).toBe(false);
  });

  it('finds a reset several causes deep, and ends on a cause chain that loops', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const wrapped = new Error('outer', { cause: new Error('middle', { cause: reset }) });
    expect(isRetryableNetworkError(wrapped)).toBe(true);
    const loop = new Error('loop') as Error & { cause?: unknown };
    loop.cause = loop;
    expect(isRetryableNetworkError(loop)).toBe(false);
  });

  it('reads a code only as a string', () => {
    expect(isRetryableNetworkError({ code: 104, message: 'reset' })).toBe(false);
  });
});

describe('backoffDelay', () => {
  it('doubles per retry, jitters within the upper half, and caps', () => {
    expect(backoffDelay(1, 100, 10_000, () => 0)).toBe(50);
    expect(backoffDelay(1, 100, 10_000, () => 1)).toBe(100);
    expect(backoffDelay(3, 100, 10_000, () => 0.5)).toBe(300);
    expect(backoffDelay(30, 100, 1000, () => 1)).toBe(1000);
  });

  it('caps the step before the jitter, so the longest wait is maxDelayMs and the shortest half of it', () => {
    expect(backoffDelay(5, 100, 1000, () => 0)).toBe(500);
    expect(backoffDelay(5, 100, 1000, () => 0.999_999)).toBe(1000);
  });

  it('rounds to whole milliseconds', () => {
    expect(backoffDelay(1, 3, 10_000, () => 0)).toBe(2);
    expect(backoffDelay(1, 250, 60_000, () => 0.3)).toBe(163);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it('reads delta seconds and HTTP dates', () => {
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0);
  });
  it('reads delta seconds of several digits', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('\t30\t', now)).toBe(30_000);
  });
  it('reads the RFC 850 date form, which RFC 9110 has recipients accept', () => {
    expect(parseRetryAfter('Wednesday, 01-Jan-25 00:00:07 GMT', now)).toBe(7000);
  });
  it('ignores absent and unreadable values', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
  it.each([
    ['a fraction of a second', '1.5'],
    ['seconds with a unit', '5s'],
    ['a number after words', 'in 5'],
    ['an ISO 8601 date, which is not an HTTP date', '2025-01-01T00:00:05Z'],
    ['a day name that is not a date', 'Wed soon'],
  ])('ignores %s', (_, value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe('abortable', () => {
  it('settles like the promise when no signal fires', async () => {
    await expect(abortable(Promise.resolve('v'), undefined)).resolves.toBe('v');
    await expect(abortable(Promise.resolve('v'), new AbortController().signal)).resolves.toBe('v');
    await expect(
      abortable(Promise.reject(new Error('helper failed')), new AbortController().signal),
    ).rejects.toThrow('helper failed');
  });

  it('rejects with the reason at once, for a promise that never settles', async () => {
    await expect(
      abortable(new Promise(() => {}), AbortSignal.abort(new Error('early'))),
    ).rejects.toThrow('early');
    const controller = new AbortController();
    const waiting = abortable(new Promise(() => {}), controller.signal);
    controller.abort(new Error('late'));
    await expect(waiting).rejects.toThrow('late');
  });

  it('leaves no listener on a long-lived signal once the promise settles', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 3; i++) await abortable(Promise.resolve(i), controller.signal);
    await abortable(Promise.reject(new Error('x')), controller.signal).catch(() => {});
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});

describe('sleep', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves after the given time, and leaves no listener on the signal', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    let done = false;
    const pending = sleep(1000, controller.signal).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await pending;
    expect(done).toBe(true);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('frees its timer when aborted, so an aborted backoff keeps no process alive', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    expect(vi.getTimerCount()).toBe(1);
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects with the reason when the signal aborts mid-sleep', async () => {
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });
  it('rejects at once on an already aborted signal and resolves otherwise', async () => {
    await expect(sleep(1, AbortSignal.abort(new Error('early')))).rejects.toThrow('early');
    await expect(sleep(1, undefined)).resolves.toBeUndefined();
  });
});
