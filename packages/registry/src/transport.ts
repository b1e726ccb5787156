import { BodyTooLargeError, discardBody, readBody } from './body.js';
import { allowsPlainHttp } from './endpoint.js';
import {
  abortedError,
  RegistryError,
  type RequestSite,
  redactUrl,
  requestError,
  statusLine,
} from './errors.js';
import type { Logger } from './logger.js';
import {
  backoffDelay,
  isRetryableNetworkError,
  isRetryableStatus,
  parseRetryAfter,
  sleep,
} from './retry.js';
import { explainReply, rateLimitNote } from './status.js';

/** The `fetch` the client calls; Node's global `fetch` or any compatible function. */
export type FetchLike = (input: URL, init: RequestInit) => Promise<Response>;

/** Everything the transport needs, resolved from the client options. */
export interface TransportSettings {
  readonly fetch: FetchLike;
  readonly userAgent: string;
  readonly timeoutMs: number;
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly insecureRegistries: readonly string[];
  /** Origins of `http://` endpoints in the `hosts` option: the caller opted in to plain HTTP there. */
  readonly plainHttpOrigins: ReadonlySet<string>;
  readonly maxBodyBytes: number;
  readonly logger: Logger | undefined;
  readonly now: () => number;
  readonly random: () => number;
}

/** One logical request; redirects and retries happen inside {@link send}. */
export interface Exchange {
  readonly method: 'GET' | 'HEAD' | 'POST';
  readonly url: URL;
  readonly registry: string;
  readonly repository?: string;
  /** The registry is served by a `hosts` endpoint (messages then name it). */
  readonly mapped?: boolean;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent only to `origin`; dropped on any redirect that leaves it. */
  readonly authorization?: { readonly value: string; readonly origin: string } | undefined;
  readonly body?: string | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** The final response of an exchange, body fully read (empty for HEAD). */
export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly url: URL;
  readonly body: Buffer;
}

const MAX_REDIRECTS = 10;
const EMPTY: Buffer = Buffer.alloc(0);

/** A connection that broke after the status arrived; keeps the status for the error message. */
class BrokenBodyError extends Error {
  readonly status: number;
  constructor(status: number, cause: unknown) {
    super('the connection broke while reading the body', { cause });
    this.status = status;
  }
}

/**
 * Sends an exchange: manual redirects (so credentials never follow a redirect to
 * another origin), plain HTTP only where allowed, a timeout per try covering the
 * body too, a streaming body cap, and retries with backoff for transient
 * failures. Returns any non-retryable response; the caller interprets statuses.
 */
export async function send(settings: TransportSettings, exchange: Exchange): Promise<Reply> {
  const site: RequestSite = {
    registry: exchange.registry,
    repository: exchange.repository,
    method: exchange.method,
    url: exchange.url,
    mapped: exchange.mapped,
  };
  const { signal } = exchange;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortedError(site, signal.reason);
    let reply: Reply;
    try {
      reply = await tryOnce(settings, exchange);
    } catch (error) {
      if (error instanceof RegistryError || !isRetryableNetworkError(error)) {
        throw asRegistryError(error, site, attempt);
      }
      if (attempt >= settings.attempts) throw asRegistryError(error, site, attempt);
      await pause(
        settings,
        site,
        backoff(settings, attempt),
        attempt,
        networkReason(error),
        signal,
      );
      continue;
    }
    if (!isRetryableStatus(reply.status)) return reply;

    const replySite = { ...site, url: reply.url };
    const retryAfterMs = parseRetryAfter(reply.headers.get('retry-after'), settings.now());
    if (retryAfterMs !== undefined && retryAfterMs > settings.maxDelayMs) {
      throw requestError(
        'RATE_LIMITED',
        replySite,
        explainReply(
          reply,
          `(Retry-After asks for ${retryAfterMs} ms, more than retry.maxDelayMs ${settings.maxDelayMs} ms)${rateLimitNote(reply.headers)}`,
        ),
        { status: reply.status, retryAfterMs },
      );
    }
    if (attempt >= settings.attempts) {
      const limited = reply.status === 429;
      const limits = limited ? rateLimitNote(reply.headers) : '';
      throw requestError(
        limited ? 'RATE_LIMITED' : 'UNAVAILABLE',
        replySite,
        explainReply(reply, `(gave up after ${attempt} attempts)${limits}`),
        { status: reply.status, retryAfterMs },
      );
    }
    const delay = retryAfterMs ?? backoff(settings, attempt);
    await pause(settings, replySite, delay, attempt, statusLine(reply.status), signal);
  }
}

function backoff(settings: TransportSettings, attempt: number): number {
  return backoffDelay(attempt, settings.baseDelayMs, settings.maxDelayMs, settings.random);
}

async function pause(
  settings: TransportSettings,
  site: RequestSite,
  delay: number,
  attempt: number,
  reason: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  settings.logger?.warn?.(
    `${site.method} ${redactUrl(site.url)}: ${reason}; retrying in ${delay} ms (attempt ${attempt + 1} of ${settings.attempts})`,
  );
  try {
    await sleep(delay, signal);
  } catch {
    throw abortedError(site, signal?.reason);
  }
}

async function tryOnce(settings: TransportSettings, exchange: Exchange): Promise<Reply> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, settings.timeoutMs);
  const onAbort = () => controller.abort();
  exchange.signal?.addEventListener('abort', onAbort, { once: true });

  let url = exchange.url;
  let method = exchange.method;
  let body = exchange.body;
  let status: number | undefined;
  const site = (): RequestSite => ({
    registry: exchange.registry,
    repository: exchange.repository,
    method,
    url,
    mapped: exchange.mapped,
  });
  try {
    for (let hop = 0; ; hop++) {
      if (url.protocol !== 'https:') {
        const host = url.host;
        const allowed =
          url.protocol === 'http:' &&
          (allowsPlainHttp(host, settings.insecureRegistries) ||
            settings.plainHttpOrigins.has(url.origin));
        if (!allowed) {
          throw requestError(
            'INSECURE_REGISTRY',
            site(),
            `refusing ${url.protocol.slice(0, -1)} to ${host}: plain HTTP is only used for loopback hosts, insecureRegistries and http:// endpoints of hosts`,
          );
        }
      }
      const headers: Record<string, string> = {
        'user-agent': settings.userAgent,
        ...exchange.headers,
      };
      if (exchange.authorization !== undefined && url.origin === exchange.authorization.origin) {
        headers.authorization = exchange.authorization.value;
      }
      const response = await settings.fetch(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        redirect: 'manual',
        signal: controller.signal,
      });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location !== null) {
        discardBody(response);
        if (hop === MAX_REDIRECTS) {
          throw requestError('TOO_MANY_REDIRECTS', site(), `more than ${MAX_REDIRECTS} redirects`, {
            status: response.status,
          });
        }
        settings.logger?.debug?.(`${method} ${redactUrl(url)} -> ${response.status} redirect`);
        // Fetch's rule: 303 always, and 301/302 after a POST, continue as GET without a body.
        if (response.status === 303 || (method === 'POST' && response.status <= 302)) {
          method = 'GET';
          body = undefined;
        }
        url = new URL(location, url);
        continue;
      }
      status = response.status;
      let bytes = EMPTY;
      if (method === 'HEAD') discardBody(response);
      else bytes = await readBody(response, settings.maxBodyBytes, controller.signal);
      settings.logger?.debug?.(`${method} ${redactUrl(url)} -> ${response.status}`);
      return { status: response.status, headers: response.headers, url, body: bytes };
    }
  } catch (error) {
    if (exchange.signal?.aborted) throw abortedError(site(), exchange.signal.reason);
    if (timedOut) {
      throw requestError(
        'TIMEOUT',
        site(),
        `no complete response within ${settings.timeoutMs} ms`,
        {
          status,
          cause: error,
        },
      );
    }
    if (error instanceof BodyTooLargeError) {
      throw requestError('RESPONSE_TOO_LARGE', site(), `${error.message} (maxBodyBytes)`, {
        status,
      });
    }
    if (status !== undefined && !(error instanceof RegistryError)) {
      throw new BrokenBodyError(status, error);
    }
    throw error;
  } finally {
    clearTimeout(timer);
    exchange.signal?.removeEventListener('abort', onAbort);
  }
}

function asRegistryError(error: unknown, site: RequestSite, attempt: number): RegistryError {
  if (error instanceof RegistryError) return error;
  const tries = attempt > 1 ? ` (gave up after ${attempt} attempts)` : '';
  const status = error instanceof BrokenBodyError ? error.status : undefined;
  return requestError('NETWORK', site, `${networkReason(error)}${tries}`, {
    status,
    cause: error instanceof BrokenBodyError ? error.cause : error,
  });
}

/** `ECONNREFUSED`, `UND_ERR_SOCKET: other side closed`: the most specific cause in the chain. */
function networkReason(error: unknown): string {
  let reason = 'network error';
  for (let cause = error, depth = 0; cause && depth < 5; depth++) {
    const { code, message } = cause as { code?: unknown; message?: unknown };
    if (typeof message === 'string' && message !== '') {
      reason = typeof code === 'string' ? `${code}: ${message}` : message;
    }
    cause = (cause as { cause?: unknown }).cause;
  }
  return `network error: ${reason.replace(/^network error: /, '')}`;
}
