/** How failed requests are retried. */
export interface RetryOptions {
  /** Tries of one request in total, the first included. Default: `4`. */
  attempts?: number;
  /** Backoff before the first retry; doubles for each further retry. Default: `250`. */
  baseDelayMs?: number;
  /**
   * Longest wait between tries. A `Retry-After` asking for longer fails the call
   * with `RATE_LIMITED` instead of sleeping. Default: `60000`.
   */
  maxDelayMs?: number;
}

/** Statuses that mean "try again later": timeouts, rate limits, gateway and origin errors. */
const RETRYABLE_STATUSES = new Set([408, 429, 499, 500, 502, 503, 504, 522]);

/** Whether a response with this status is worth another try. */
export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

// Error codes of a connection that broke under us, from Node and from undici.
// Typed for lookups of any `code`: whatever is not one of these strings is not retried.
const RETRYABLE_NETWORK_CODES: ReadonlySet<unknown> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** Whether a fetch or body-read failure is a dropped connection, worth another try. */
export function isRetryableNetworkError(error: unknown): boolean {
  for (let cause = error, depth = 0; cause && depth < 5; depth++) {
    if (RETRYABLE_NETWORK_CODES.has((cause as { code?: unknown }).code)) return true;
    // undici reports a body cut short by the peer as a bare TypeError('terminated').
    if ((cause as Error).message === 'terminated') return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Exponential backoff with "equal jitter": half the exponential step is fixed and
 * half random, so many clients hitting one registry spread out but none retries
 * immediately. `retry` counts from 1.
 */
export function backoffDelay(
  retry: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number = Math.random,
): number {
  const step = Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/**
 * The wait a `Retry-After` header asks for, in milliseconds: delta seconds or an
 * HTTP date measured against `now`. `undefined` when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // HTTP dates start with a day name, `Wed,` or (RFC 850's form, which RFC 9110 still
  // has recipients accept) `Wednesday,`; this also keeps Date.parse from reading "-5" as a year.
  if (!/^[A-Za-z]{3}/.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * Settles like `promise`, or rejects with the signal's reason as soon as it
 * aborts, for waits the caller cannot cancel itself (a credential helper, a token
 * fetch another call started).
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
