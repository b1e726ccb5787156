import { describe, expect, it } from 'vitest';
import {
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
});

describe('backoffDelay', () => {
  it('doubles per retry, jitters within the upper half, and caps', () => {
    expect(backoffDelay(1, 100, 10_000, () => 0)).toBe(50);
    expect(backoffDelay(1, 100, 10_000, () => 1)).toBe(100);
    expect(backoffDelay(3, 100, 10_000, () => 0.5)).toBe(300);
    expect(backoffDelay(30, 100, 1000, () => 1)).toBe(1000);
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
  it('ignores absent and unreadable values', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});

describe('sleep', () => {
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
