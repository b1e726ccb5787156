import { InvalidBodyError, parseJson } from './body.js';
import { type Challenge, parseChallenges } from './challenge.js';
import {
  type Credential,
  type CredentialProvider,
  checkCredential,
  isHeaderToken,
} from './credentials.js';
import type { Endpoint } from './endpoint.js';
import { abortedError, RegistryError, type RequestSite, requestError } from './errors.js';
import { abortable } from './retry.js';
import { errorForReply } from './status.js';
import { TokenCache } from './token-cache.js';
import { type Reply, send, type TransportSettings } from './transport.js';

/** The OAuth2 client id sent with identity-token exchanges. */
const CLIENT_ID = 'tagsmith';
// docker's convention for "this secret is an identity token" in Basic auth.
const TOKEN_USERNAME = '<token>';

/** What a request needs to authenticate: which registry, which repository scope. */
export interface AuthTarget {
  readonly endpoint: Endpoint;
  readonly repository: string;
  readonly scope: string;
  readonly signal?: AbortSignal | undefined;
}

/** An `Authorization` value and whether it was issued just now. */
export interface Prepared {
  readonly value: string;
  readonly fresh: boolean;
}

/**
 * Turns registry challenges into `Authorization` values and remembers them: Bearer
 * tokens per registry and scope until they expire, Basic per registry. Credentials
 * are looked up only when a registry asks, so anonymous pulls never touch them.
 * Concurrent calls that need the same token share one token request.
 */
export class Authenticator {
  readonly #settings: TransportSettings;
  readonly #credentials: CredentialProvider | undefined;
  // Caches are keyed by {@link identityOf}, never by origin alone: two names
  // mapped (by `hosts`) to one endpoint keep their own credentials.
  readonly #tokens: TokenCache;
  readonly #basic = new Map<string, string>();
  readonly #bearerChallenges = new Map<string, Challenge>();
  /** Token requests in flight, by registry identity and scope, resolving to `Bearer …`. */
  readonly #pending = new Map<string, Promise<string>>();

  constructor(settings: TransportSettings, credentials: CredentialProvider | undefined) {
    this.#settings = settings;
    this.#credentials = credentials;
    this.#tokens = new TokenCache(settings.now);
  }

  /**
   * The `Authorization` to send up front, if earlier challenges from this registry
   * taught us one: a cached token, Basic, or a new token from the known realm (so
   * an expired token or a new repository costs no 401 round trip). `fresh` says
   * the value was just issued, so a 401 for it is final.
   */
  async prepare(target: AuthTarget, site: RequestSite): Promise<Prepared | undefined> {
    const known = this.#known(target);
    if (known !== undefined) return { value: known, fresh: false };
    const challenge = this.#bearerChallenges.get(identityOf(target.endpoint));
    if (challenge === undefined) return undefined;
    // The remembered challenge's own scope named another repository: leave it out.
    return { value: await this.#bearer(target, challenge, undefined, site), fresh: true };
  }

  /**
   * Answers a 401 with a fresh `Authorization` value, forgetting `rejected`, the
   * value the registry just refused (`undefined` for an anonymous request).
   *
   * @throws {RegistryError} `UNAUTHORIZED` when no challenge can be answered,
   * `DENIED` when the token endpoint refuses the scope.
   */
  async answer(
    target: AuthTarget,
    unauthorized: Reply,
    site: RequestSite,
    rejected: string | undefined,
  ): Promise<string> {
    const identity = identityOf(target.endpoint);
    // A concurrent call may have obtained a value since this request was sent; only
    // the one the registry saw is known to be bad.
    const known = this.#known(target);
    if (known !== undefined && known !== rejected) return known;
    this.#tokens.delete(identity, target.scope);
    this.#basic.delete(identity);

    const challenges = parseChallenges(unauthorized.headers.get('www-authenticate'));
    const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.has('realm'));
    if (bearer !== undefined) {
      this.#bearerChallenges.set(identity, bearer);
      return this.#bearer(target, bearer, bearer.params.get('scope'), site);
    }
    if (challenges.some((c) => c.scheme === 'basic')) {
      const credential = await this.#credential(target, site);
      if (credential === undefined || !('username' in credential)) {
        throw errorForReply(
          unauthorized,
          site,
          'UNAUTHORIZED',
          `(Basic auth required; no username/password for ${target.endpoint.credentialKey})`,
        );
      }
      const value = basicAuthorization(credential.username, credential.password);
      this.#basic.set(identity, value);
      return value;
    }
    throw errorForReply(
      unauthorized,
      site,
      'UNAUTHORIZED',
      '(no Bearer or Basic challenge to answer)',
    );
  }

  /** The cached `Authorization` for this registry and scope: a live token, else Basic. */
  #known(target: AuthTarget): string | undefined {
    const identity = identityOf(target.endpoint);
    const token = this.#tokens.get(identity, target.scope);
    return token === undefined ? this.#basic.get(identity) : `Bearer ${token}`;
  }

  /**
   * A new token for the target's scope as `Bearer …`, cached. A call that finds a
   * request for the same registry and scope in flight waits for that one instead
   * of sending its own; if the call that started it is aborted, it asks again.
   */
  async #bearer(
    target: AuthTarget,
    challenge: Challenge,
    askedScope: string | undefined,
    site: RequestSite,
  ): Promise<string> {
    const identity = identityOf(target.endpoint);
    const key = `${identity} ${target.scope}`;
    for (;;) {
      const inFlight = this.#pending.get(key);
      if (inFlight === undefined) {
        const fetching = this.#fetchToken(target, challenge, askedScope, site)
          .then(({ token, expiresIn }) => {
            this.#tokens.set(identity, target.scope, token, expiresIn);
            return `Bearer ${token}`;
          })
          .finally(() => {
            if (this.#pending.get(key) === fetching) this.#pending.delete(key);
          });
        this.#pending.set(key, fetching);
        return fetching;
      }
      try {
        return await abortable(inFlight, target.signal);
      } catch (error) {
        if (target.signal?.aborted) throw abortedError(site, target.signal.reason);
        if (error instanceof RegistryError && error.code === 'ABORTED') continue;
        throw error;
      }
    }
  }

  /** Asks the provider, giving up as soon as the call is aborted (a helper may hang). */
  async #credential(target: AuthTarget, site: RequestSite): Promise<Credential | undefined> {
    if (this.#credentials === undefined) return undefined;
    try {
      const { credentialKey, registry } = target.endpoint;
      const credential = await abortable(this.#credentials(credentialKey), target.signal);
      return checkCredential(credential, registry, credentialKey);
    } catch (error) {
      if (target.signal?.aborted) throw abortedError(site, target.signal.reason);
      throw error;
    }
  }

  async #fetchToken(
    target: AuthTarget,
    challenge: Challenge,
    askedScope: string | undefined,
    site: RequestSite,
  ): Promise<{ token: string; expiresIn?: number }> {
    let realm: URL;
    try {
      realm = new URL(challenge.params.get('realm')!);
    } catch {
      throw requestError(
        'INVALID_RESPONSE',
        site,
        'the Bearer challenge has a realm that is not a URL',
      );
    }
    const scopes = [target.scope];
    if (askedScope !== undefined && askedScope !== target.scope) scopes.push(askedScope);
    const service = challenge.params.get('service');
    const credential = await this.#credential(target, site);

    if (credential !== undefined && 'registryToken' in credential) {
      return { token: credential.registryToken };
    }
    if (credential !== undefined && 'identityToken' in credential) {
      const form = new URLSearchParams({ grant_type: 'refresh_token', client_id: CLIENT_ID });
      if (service !== undefined) form.set('service', service);
      form.set('scope', scopes.join(' '));
      form.set('refresh_token', credential.identityToken);
      const reply = await this.#exchange(target, 'POST', realm, undefined, form.toString());
      // Token servers without the OAuth2 endpoint answer 404; docker then falls back to GET.
      if (reply.status !== 404) return this.#tokenFrom(reply, target, 'POST', realm);
      const basic = basicAuthorization(TOKEN_USERNAME, credential.identityToken);
      return this.#getToken(target, realm, service, scopes, basic);
    }
    const basic =
      credential === undefined
        ? undefined
        : basicAuthorization(credential.username, credential.password);
    return this.#getToken(target, realm, service, scopes, basic);
  }

  async #getToken(
    target: AuthTarget,
    realm: URL,
    service: string | undefined,
    scopes: readonly string[],
    basic: string | undefined,
  ): Promise<{ token: string; expiresIn?: number }> {
    const url = new URL(realm.href);
    if (service !== undefined) url.searchParams.set('service', service);
    for (const scope of scopes) url.searchParams.append('scope', scope);
    const reply = await this.#exchange(target, 'GET', url, basic);
    return this.#tokenFrom(reply, target, 'GET', url);
  }

  #exchange(
    target: AuthTarget,
    method: 'GET' | 'POST',
    url: URL,
    basic: string | undefined,
    form?: string,
  ): Promise<Reply> {
    return send(this.#settings, {
      method,
      url,
      registry: target.endpoint.registry,
      repository: target.repository,
      mapped: target.endpoint.mapped,
      headers:
        form === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      authorization: basic === undefined ? undefined : { value: basic, origin: url.origin },
      body: form,
      signal: target.signal,
    });
  }

  #tokenFrom(
    reply: Reply,
    target: AuthTarget,
    method: string,
    url: URL,
  ): { token: string; expiresIn?: number } {
    const site: RequestSite = {
      registry: target.endpoint.registry,
      repository: target.repository,
      method,
      url: reply.url,
      mapped: target.endpoint.mapped,
    };
    if (reply.status !== 200) throw tokenEndpointError(reply, site);
    let body: unknown;
    try {
      body = parseJson(reply.body);
    } catch (error) {
      if (error instanceof InvalidBodyError) {
        throw requestError('INVALID_RESPONSE', site, `token response ${error.message}`, {
          status: reply.status,
        });
      }
      throw error;
    }
    const {
      token,
      access_token: accessToken,
      expires_in: expiresIn,
    } = (body ?? {}) as Record<string, unknown>;
    const value = typeof token === 'string' && token !== '' ? token : accessToken;
    if (typeof value !== 'string' || value === '') {
      throw requestError(
        'INVALID_RESPONSE',
        site,
        'token response has neither "token" nor "access_token"',
        {
          status: reply.status,
        },
      );
    }
    if (!isHeaderToken(value)) {
      throw requestError(
        'INVALID_RESPONSE',
        site,
        'token response has a token with characters that cannot be sent in a header',
        { status: reply.status },
      );
    }
    this.#settings.logger?.debug?.(`obtained a token for ${target.scope} from ${url.origin}`);
    return typeof expiresIn === 'number' ? { token: value, expiresIn } : { token: value };
  }
}

function tokenEndpointError(reply: Reply, site: RequestSite): RegistryError {
  if (reply.status === 401) {
    return errorForReply(
      reply,
      site,
      'UNAUTHORIZED',
      '(the token endpoint rejected the credentials)',
    );
  }
  return errorForReply(reply, site, 'UNEXPECTED_STATUS');
}

/** Whose credentials a cached value was made from, and where it may be sent. */
function identityOf(endpoint: Endpoint): string {
  return `${endpoint.origin} ${endpoint.credentialKey}`;
}

function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
