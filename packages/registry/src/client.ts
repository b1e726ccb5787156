import { Authenticator, type AuthTarget } from './auth.js';
import { InvalidBodyError } from './body.js';
import type { CredentialProvider } from './credentials.js';
import { isDigest, MANIFEST_MEDIA_TYPES, sha256Digest } from './digest.js';
import { type Endpoint, endpointFor } from './endpoint.js';
import { RegistryError, type RequestSite, redactUrl, requestError } from './errors.js';
import { nextPageUrl, parseTagPage } from './pagination.js';
import { type ImageReference, toReference } from './reference.js';
import type { RetryOptions } from './retry.js';
import { errorForReply } from './status.js';
import {
  type FetchLike,
  type RegistryLogger,
  type Reply,
  send,
  type TransportSettings,
} from './transport.js';

/** Options of {@link RegistryClient}. Every field is optional. */
export interface RegistryClientOptions {
  /** Where credentials come from when a registry asks. Default: none (anonymous). */
  credentials?: CredentialProvider;
  /**
   * The `fetch` to use, e.g. undici's with a proxy or custom-CA dispatcher.
   * Default: Node's global `fetch`.
   */
  fetch?: FetchLike;
  /** `User-Agent` header. Default: `tagsmith-registry/0.1.0`. */
  userAgent?: string;
  /** Limit for one try of one request, body included, in milliseconds. Default: `30000`. */
  timeoutMs?: number;
  /** Retry policy for transient failures. Default: `{ attempts: 4, baseDelayMs: 250, maxDelayMs: 60000 }`. */
  retry?: RetryOptions;
  /**
   * Registries (`host` or `host:port`) reached over plain HTTP. Loopback hosts
   * (`localhost`, `*.localhost`, `127.0.0.0/8`, `::1`) always are. Default: `[]`.
   */
  insecureRegistries?: readonly string[];
  /** Tags asked for per page (`n`). Default: `1000`. */
  pageSize?: number;
  /** Pages followed before failing with `TOO_MANY_PAGES`. Default: `1000`. */
  maxPages?: number;
  /** Largest response body accepted, in bytes. Default: `16777216` (16 MiB). */
  maxBodyBytes?: number;
  /** Receives a line per request and per retry, never a secret. Default: none. */
  logger?: RegistryLogger;
  /** Milliseconds since the epoch, for token expiry and `Retry-After` dates. Default: `Date.now`. */
  clock?: () => number;
}

/** Per-call options. */
export interface RequestOptions {
  /** Aborts the call, including waits between retries. Default: none. */
  signal?: AbortSignal;
}

const DEFAULTS = {
  userAgent: 'tagsmith-registry/0.1.0',
  timeoutMs: 30_000,
  attempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 60_000,
  pageSize: 1000,
  maxPages: 1000,
  maxBodyBytes: 16 * 1024 * 1024,
};

/**
 * A client for the OCI distribution API: lists tags and resolves digests on any
 * registry, with the docker auth flows, pagination, retries and a body cap.
 * One client may be shared; it caches tokens per registry and scope.
 *
 * @example
 * const client = new RegistryClient({ credentials: dockerConfigCredentials() });
 * const tags = await client.listTags('ghcr.io/fluxcd/source-controller');
 */
export class RegistryClient {
  readonly #settings: TransportSettings;
  readonly #auth: Authenticator;
  readonly #pageSize: number;
  readonly #maxPages: number;
  readonly #endpoints = new Map<string, Endpoint>();

  constructor(options: RegistryClientOptions = {}) {
    this.#settings = {
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
      userAgent: options.userAgent ?? DEFAULTS.userAgent,
      timeoutMs: positive('timeoutMs', options.timeoutMs ?? DEFAULTS.timeoutMs),
      attempts: positive('retry.attempts', options.retry?.attempts ?? DEFAULTS.attempts),
      baseDelayMs: atLeastZero(
        'retry.baseDelayMs',
        options.retry?.baseDelayMs ?? DEFAULTS.baseDelayMs,
      ),
      maxDelayMs: atLeastZero('retry.maxDelayMs', options.retry?.maxDelayMs ?? DEFAULTS.maxDelayMs),
      insecureRegistries: [...(options.insecureRegistries ?? [])],
      maxBodyBytes: positive('maxBodyBytes', options.maxBodyBytes ?? DEFAULTS.maxBodyBytes),
      logger: options.logger,
      now: options.clock ?? Date.now,
      random: Math.random,
    };
    this.#pageSize = positive('pageSize', options.pageSize ?? DEFAULTS.pageSize);
    this.#maxPages = positive('maxPages', options.maxPages ?? DEFAULTS.maxPages);
    this.#auth = new Authenticator(this.#settings, options.credentials);
  }

  /**
   * Every tag of a repository, in the registry's order, following pagination.
   *
   * @param repository `ghcr.io/org/app`, `nginx`, or a parsed reference (tag and digest are ignored).
   * @throws {RegistryError} e.g. `NAME_UNKNOWN`, `UNAUTHORIZED`, `TOO_MANY_PAGES`.
   */
  async listTags(
    repository: string | ImageReference,
    options: RequestOptions = {},
  ): Promise<string[]> {
    let all: string[] | undefined;
    for await (const page of this.tags(repository, options)) {
      if (all === undefined) all = page;
      else for (const tag of page) all.push(tag);
    }
    return all ?? [];
  }

  /**
   * The tags of a repository page by page, as the registry returns them. Each page
   * is requested only when the previous one has been consumed.
   *
   * @throws {RegistryError} as {@link RegistryClient.listTags}, when the failing page is reached.
   */
  async *tags(
    repository: string | ImageReference,
    options: RequestOptions = {},
  ): AsyncGenerator<string[], void, undefined> {
    const ref = toReference(repository);
    const endpoint = this.#endpoint(ref.registry);
    const target = this.#target(endpoint, ref.repository, options.signal);
    let url: URL | undefined = new URL(`/v2/${ref.repository}/tags/list`, endpoint.origin);
    url.searchParams.set('n', String(this.#pageSize));
    const seen = new Set<string>();

    for (let page = 1; url !== undefined; page++) {
      seen.add(url.href);
      const reply = await this.#request(target, 'GET', url, { accept: 'application/json' });
      const site = siteOf(endpoint, ref.repository, 'GET', reply.url);
      if (reply.status !== 200) throw errorForReply(reply, site, 'NAME_UNKNOWN');
      const tags = parsed(() => parseTagPage(reply.body), site, reply.status);

      const next = nextPageUrl(reply.headers.get('link'), reply.url);
      if (next !== undefined) this.#checkNext(next, endpoint, seen, page, site, reply.status);
      yield tags;
      url = next;
    }
  }

  /**
   * The digest of the manifest a tag (or digest) points at, as the registry
   * reports it in `Docker-Content-Digest`; if it does not, the sha256 of the exact
   * manifest bytes. A multi-arch image gives its index digest.
   *
   * @param reference `nginx:1.25`, `ghcr.io/org/app@sha256:…`; without tag or digest, `latest`.
   * @throws {RegistryError} e.g. `MANIFEST_UNKNOWN`, `UNAUTHORIZED`, `INVALID_RESPONSE`.
   */
  async resolveDigest(
    reference: string | ImageReference,
    options: RequestOptions = {},
  ): Promise<string> {
    const ref = toReference(reference);
    const endpoint = this.#endpoint(ref.registry);
    const target = this.#target(endpoint, ref.repository, options.signal);
    const url = new URL(
      `/v2/${ref.repository}/manifests/${ref.digest ?? ref.tag ?? 'latest'}`,
      endpoint.origin,
    );
    const headers = { accept: MANIFEST_MEDIA_TYPES.join(', ') };

    const head = await this.#request(target, 'HEAD', url, headers);
    const headSite = siteOf(endpoint, ref.repository, 'HEAD', head.url);
    const header = head.headers.get('docker-content-digest');
    if (head.status === 200 && header !== null) {
      if (!isDigest(header)) {
        throw requestError('INVALID_RESPONSE', headSite, 'Docker-Content-Digest is not a digest', {
          status: head.status,
        });
      }
      return header;
    }
    // Registries that answer HEAD without the digest header, or not at all (405), get a GET.
    if (head.status !== 200 && head.status !== 405) {
      throw errorForReply(head, headSite, 'MANIFEST_UNKNOWN');
    }
    const get = await this.#request(target, 'GET', url, headers);
    const getSite = siteOf(endpoint, ref.repository, 'GET', get.url);
    if (get.status !== 200) throw errorForReply(get, getSite, 'MANIFEST_UNKNOWN');
    const digest = sha256Digest(get.body);
    if (ref.digest?.startsWith('sha256:') && ref.digest !== digest) {
      throw requestError(
        'INVALID_RESPONSE',
        getSite,
        `manifest bytes hash to ${digest}, not the requested digest`,
        {
          status: get.status,
        },
      );
    }
    return digest;
  }

  #endpoint(registry: string): Endpoint {
    let endpoint = this.#endpoints.get(registry);
    if (endpoint === undefined) {
      endpoint = endpointFor(registry, this.#settings.insecureRegistries);
      this.#endpoints.set(registry, endpoint);
    }
    return endpoint;
  }

  #target(endpoint: Endpoint, repository: string, signal: AbortSignal | undefined): AuthTarget {
    return { endpoint, repository, scope: `repository:${repository}:pull`, signal };
  }

  /**
   * Sends a registry request with whatever auth we already know; on a 401 answers
   * the challenge once with fresh credentials. A second 401 is final, so a
   * registry that rejects every token cannot keep us looping.
   */
  async #request(
    target: AuthTarget,
    method: 'GET' | 'HEAD',
    url: URL,
    headers: Record<string, string>,
  ): Promise<Reply> {
    const exchange = {
      method,
      url,
      registry: target.endpoint.registry,
      repository: target.repository,
      headers,
      signal: target.signal,
    };
    const origin = target.endpoint.origin;
    const site = siteOf(target.endpoint, target.repository, method, url);
    const known = await this.#auth.prepare(target, site);
    const first = await send(this.#settings, {
      ...exchange,
      authorization: known === undefined ? undefined : { value: known.value, origin },
    });
    if (first.status !== 401) return first;
    if (known?.fresh) {
      throw errorForReply(
        first,
        { ...site, url: first.url },
        'UNAUTHORIZED',
        '(even with fresh credentials)',
      );
    }

    const fresh = await this.#auth.answer(target, first, { ...site, url: first.url }, known?.value);
    const second = await send(this.#settings, {
      ...exchange,
      authorization: { value: fresh, origin },
    });
    if (second.status === 401) {
      throw errorForReply(
        second,
        { ...site, url: second.url },
        'UNAUTHORIZED',
        '(even with fresh credentials)',
      );
    }
    return second;
  }

  /** Refuses a next-page link that leaves the registry, loops, or passes `maxPages`. */
  #checkNext(
    next: URL,
    endpoint: Endpoint,
    seen: Set<string>,
    page: number,
    site: RequestSite,
    status: number,
  ) {
    if (next.origin !== endpoint.origin) {
      throw requestError(
        'CROSS_ORIGIN_LINK',
        site,
        `Link rel="next" points to another origin (${redactUrl(next)}); refusing to follow it`,
        { status },
      );
    }
    if (seen.has(next.href)) {
      throw requestError(
        'PAGINATION_LOOP',
        site,
        `Link rel="next" repeats an already fetched page (${redactUrl(next)})`,
        { status },
      );
    }
    if (page >= this.#maxPages) {
      throw requestError(
        'TOO_MANY_PAGES',
        site,
        `more than maxPages (${this.#maxPages}) pages of tags; raise maxPages or pageSize`,
        { status },
      );
    }
  }
}

function siteOf(endpoint: Endpoint, repository: string, method: string, url: URL): RequestSite {
  return { registry: endpoint.registry, repository, method, url };
}

function parsed<T>(parse: () => T, site: RequestSite, status: number): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof InvalidBodyError) {
      throw requestError('INVALID_RESPONSE', site, error.message, { status });
    }
    throw error;
  }
}

function positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RegistryError('INVALID_OPTIONS', `${name} must be a positive integer, got ${value}`, {
      registry: '',
    });
  }
  return value;
}

function atLeastZero(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RegistryError('INVALID_OPTIONS', `${name} must be a number ≥ 0, got ${value}`, {
      registry: '',
    });
  }
  return value;
}
