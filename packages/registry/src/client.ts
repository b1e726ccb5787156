import { MANIFEST_MEDIA_TYPES, sha256Digest } from '@tagsmith/oci';
import { Authenticator, type AuthTarget } from './auth.js';
import { InvalidBodyError } from './body.js';
import { parseChallenges } from './challenge.js';
import type { CredentialProvider } from './credentials.js';
import { isDigest } from './digest.js';
import { type Endpoint, endpointFor, hostOrigins, type RegistryHost } from './endpoint.js';
import { RegistryError, type RequestSite, redactUrl, requestError, statusLine } from './errors.js';
import { InvalidLinkError } from './link.js';
import type { Logger } from './logger.js';
import {
  nextPageUrl,
  onOrigin,
  parseTagPage,
  refusesPageSize,
  SkippedEntries,
} from './pagination.js';
import { type ImageReference, toReference } from './reference.js';
import type { RetryOptions } from './retry.js';
import { errorForReply } from './status.js';
import { type FetchLike, type Reply, send, type TransportSettings } from './transport.js';
import { defaultUserAgent } from './user-agent.js';

/** Options of {@link RegistryClient}. Every field is optional. */
export interface RegistryClientOptions {
  /** Where credentials come from when a registry asks. Default: none (anonymous). */
  credentials?: CredentialProvider;
  /**
   * The `fetch` to use, e.g. undici's with a proxy or custom-CA dispatcher.
   * Default: Node's global `fetch`.
   */
  fetch?: FetchLike;
  /** `User-Agent` header. Default: `tagsmith-registry/<version of this package>`. */
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
  /**
   * Where registries are really served, keyed by the registry as references
   * write it (`registry.example.com`, `docker.io`), like containerd's
   * `hosts.toml`: `{ 'registry.example.com': { endpoint: 'http://127.0.0.1:5000' } }`.
   * References, credential lookups and error messages keep the name; only the
   * requests (and the `Authorization` made for them) go to the endpoint. An
   * `http://` endpoint allows plain HTTP to that origin. Default: `{}`.
   */
  hosts?: Readonly<Record<string, RegistryHost>>;
  /**
   * Tags asked for per page (`n`). A registry that refuses it on the first page
   * is asked again with `n=1000` (when larger), then without `n`. Default: `1000`.
   */
  pageSize?: number;
  /** Pages followed before failing with `TOO_MANY_PAGES`. Default: `1000`. */
  maxPages?: number;
  /** Largest response body accepted, in bytes. Default: `16777216` (16 MiB). */
  maxBodyBytes?: number;
  /**
   * Receives a line per request and per retry, and one per registry quirk worked
   * around (skipped tag entries, a refused page size, a rewritten next link);
   * never a secret. The shape every tagsmith package accepts; `console` works.
   * Default: none.
   */
  logger?: Logger;
  /** Milliseconds since the epoch, for token expiry and `Retry-After` dates. Default: `Date.now`. */
  clock?: () => number;
  /**
   * A number in `[0, 1)` for the jitter of the retry backoff, like `Math.random`;
   * a fixed one makes the waits predictable (tests). Default: `Math.random`.
   */
  random?: () => number;
}

/** Per-call options. */
export interface RequestOptions {
  /** Aborts the call, including waits between retries. Default: none. */
  signal?: AbortSignal;
}

const DEFAULTS = {
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
  readonly #hosts: ReadonlyMap<string, string>;
  readonly #endpoints = new Map<string, Endpoint>();

  constructor(options: RegistryClientOptions = {}) {
    this.#hosts = hostOrigins(options.hosts);
    this.#settings = {
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
      userAgent: options.userAgent ?? defaultUserAgent(),
      timeoutMs: positive('timeoutMs', options.timeoutMs ?? DEFAULTS.timeoutMs),
      attempts: positive('retry.attempts', options.retry?.attempts ?? DEFAULTS.attempts),
      baseDelayMs: atLeastZero(
        'retry.baseDelayMs',
        options.retry?.baseDelayMs ?? DEFAULTS.baseDelayMs,
      ),
      maxDelayMs: atLeastZero('retry.maxDelayMs', options.retry?.maxDelayMs ?? DEFAULTS.maxDelayMs),
      insecureRegistries: [...(options.insecureRegistries ?? [])],
      plainHttpOrigins: new Set([...this.#hosts.values()].filter((o) => o.startsWith('http:'))),
      maxBodyBytes: positive('maxBodyBytes', options.maxBodyBytes ?? DEFAULTS.maxBodyBytes),
      logger: options.logger,
      now: options.clock ?? Date.now,
      random: options.random ?? Math.random,
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
    const first = await this.#firstPage(target);
    const skipped = new SkippedEntries(first.url);
    const seen = new Set<string>([first.url.href]);
    let reply = first.reply;
    let movedFrom: string | undefined;
    try {
      for (let page = 1; ; page++) {
        const site = siteOf(endpoint, ref.repository, 'GET', reply.url);
        if (reply.status !== 200) throw errorForReply(reply, site, 'NAME_UNKNOWN');
        const tags = skipped.add(parsed(() => parseTagPage(reply.body), site, reply.status));
        const link = parsed(
          () => nextPageUrl(reply.headers.get('link'), reply.url),
          site,
          reply.status,
        );
        let next: URL | undefined;
        if (link !== undefined) {
          next = onOrigin(link, endpoint.origin);
          this.#checkNext(next, seen, page, site, reply.status);
          if (link.origin !== endpoint.origin && movedFrom !== link.origin) {
            movedFrom = link.origin;
            this.#settings.logger?.warn?.(
              `GET ${redactUrl(reply.url)}: Link rel="next" names ${movedFrom}; following its path and query on ${endpoint.origin} instead`,
            );
          }
          seen.add(next.href);
        }
        yield tags;
        if (next === undefined) return;
        reply = await this.#request(target, 'GET', next, ACCEPT_JSON);
      }
    } finally {
      skipped.report(this.#settings.logger);
    }
  }

  /**
   * The first page of a listing. A registry that refuses the page size
   * (distribution 3 answers 400 `PAGINATION_NUMBER_INVALID` above its limit, ECR
   * 405 for `n` over 1000) is asked once more with `n=1000` if `pageSize` was
   * larger, then without `n`; later pages follow the registry's own links.
   */
  async #firstPage(target: AuthTarget): Promise<{ reply: Reply; url: URL }> {
    const sizes: (number | undefined)[] = [this.#pageSize];
    if (this.#pageSize > FALLBACK_PAGE_SIZE) sizes.push(FALLBACK_PAGE_SIZE);
    sizes.push(undefined);
    for (let i = 0; ; i++) {
      const n = sizes[i];
      const url = new URL(`/v2/${target.repository}/tags/list`, target.endpoint.origin);
      if (n !== undefined) url.searchParams.set('n', String(n));
      const reply = await this.#request(target, 'GET', url, ACCEPT_JSON);
      if (n === undefined || !refusesPageSize(reply)) return { reply, url };
      const then = sizes[i + 1];
      this.#settings.logger?.warn?.(
        `GET ${redactUrl(reply.url)}: ${statusLine(reply.status)}, the registry refused n=${n}; asking again ${then === undefined ? 'without n' : `with n=${then}`}`,
      );
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
      endpoint = endpointFor(registry, this.#settings.insecureRegistries, this.#hosts);
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
      mapped: target.endpoint.mapped,
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
    if (known?.fresh) throw finalUnauthorized(first, { ...site, url: first.url });

    const fresh = await this.#auth.answer(target, first, { ...site, url: first.url }, known?.value);
    const second = await send(this.#settings, {
      ...exchange,
      authorization: { value: fresh, origin },
    });
    if (second.status === 401) throw finalUnauthorized(second, { ...site, url: second.url });
    return second;
  }

  /** Refuses a next-page link that loops or passes `maxPages`. */
  #checkNext(next: URL, seen: Set<string>, page: number, site: RequestSite, status: number) {
    if (seen.has(next.href)) {
      throw requestError(
        'PAGINATION_LOOP',
        site,
        `Link rel="next" repeats an already fetched page (${next.href})`,
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
  return { registry: endpoint.registry, repository, method, url, mapped: endpoint.mapped };
}

function parsed<T>(parse: () => T, site: RequestSite, status: number): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof InvalidBodyError) {
      throw requestError('INVALID_RESPONSE', site, error.message, { status });
    }
    if (error instanceof InvalidLinkError) {
      throw requestError('INVALID_RESPONSE', site, `unreadable Link header: ${error.message}`, {
        status,
      });
    }
    throw error;
  }
}

const ACCEPT_JSON = { accept: 'application/json' };
/** ECR's largest page, and the first size tried again when a registry refuses `pageSize`. */
const FALLBACK_PAGE_SIZE = 1000;

/**
 * The error for a 401 that fresh credentials did not fix. A Bearer challenge
 * with `error="insufficient_scope"` means the token does not cover pulling this
 * repository; Docker Hub answers that, not 404, for a repository that does not
 * exist, so the message says both possibilities.
 */
function finalUnauthorized(reply: Reply, site: RequestSite): RegistryError {
  const insufficientScope = parseChallenges(reply.headers.get('www-authenticate')).some(
    (challenge) => challenge.params.get('error')?.toLowerCase() === 'insufficient_scope',
  );
  const note = insufficientScope
    ? `(even with fresh credentials; insufficient_scope: the repository ${site.repository} may not exist, or may need credentials that can pull it)`
    : '(even with fresh credentials)';
  return errorForReply(reply, site, 'UNAUTHORIZED', note);
}

function positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RegistryError('INVALID_ARGUMENT', `${name} must be a positive integer, got ${value}`);
  }
  return value;
}

function atLeastZero(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RegistryError('INVALID_ARGUMENT', `${name} must be a number ≥ 0, got ${value}`);
  }
  return value;
}
