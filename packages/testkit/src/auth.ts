import { randomBytes } from 'node:crypto';
import { jsonReply, ociError, type Reply } from './reply.js';

/** Credentials the registry accepts with HTTP Basic auth on every `/v2/` request. */
export interface BasicAuthOptions {
  readonly username: string;
  readonly password: string;
}

/** A field the token endpoint puts in its JSON answer. */
export type TokenResponseField = 'token' | 'access_token' | 'expires_in' | 'issued_at';

/**
 * Bearer auth: `/v2/` requests need a token from the registry's own `/token`
 * endpoint, announced by a `WWW-Authenticate: Bearer realm=…` challenge.
 */
export interface BearerAuthOptions {
  /** With `password`, what the token endpoint requires as Basic auth. Default: none. */
  readonly username?: string;
  /** With `username`, what the token endpoint requires as Basic auth. Default: none. */
  readonly password?: string;
  /**
   * An identity (refresh) token the token endpoint accepts through the OAuth2
   * POST (`grant_type=refresh_token`), or as the password of Basic auth on GET.
   * Default: none.
   */
  readonly identityToken?: string;
  /**
   * Lifetime of issued tokens in seconds, enforced by the registry and sent as
   * `expires_in`. Default: `300`.
   */
  readonly expiresIn?: number;
  /** The `service` of the challenge, required to match at the token endpoint. Default: `'testkit'`. */
  readonly service?: string;
  /**
   * The fields of the token endpoint's JSON answer, to test clients against
   * servers that send only `access_token` or no `expires_in`.
   * Default: all four, `['token', 'access_token', 'expires_in', 'issued_at']`.
   */
  readonly responseFields?: readonly TokenResponseField[];
}

/**
 * Authentication of a registry. Default (`undefined`): anonymous. Without
 * `username`/`password`/`identityToken`, Bearer tokens are handed to anyone
 * who asks (anonymous tokens, like Docker Hub's for public images).
 */
export type RegistryAuth =
  | { readonly basic: BasicAuthOptions }
  | { readonly bearer: BearerAuthOptions };

/** What a request needs: nothing, or pull/push on one repository. */
export interface AccessNeed {
  readonly repository?: string | undefined;
  readonly action: 'pull' | 'push';
}

interface IssuedToken {
  readonly expiresAt: number;
  readonly grants: ReadonlySet<string>;
}

const ALL_FIELDS: readonly TokenResponseField[] = [
  'token',
  'access_token',
  'expires_in',
  'issued_at',
];

/** Checks `Authorization` on `/v2/` requests and serves the Bearer token endpoint. */
export class Authenticator {
  readonly #auth: RegistryAuth | undefined;
  readonly #realm: () => string;
  readonly #clock: () => number;
  readonly #tokens = new Map<string, IssuedToken>();

  /**
   * @param auth - The configured auth, or undefined for anonymous access.
   * @param realm - The absolute token endpoint URL (known only once listening).
   * @param clock - Milliseconds since the epoch, for token expiry.
   */
  constructor(auth: RegistryAuth | undefined, realm: () => string, clock: () => number) {
    this.#auth = auth;
    this.#realm = realm;
    this.#clock = clock;
  }

  /** The `WWW-Authenticate` value for a request needing `need`, or undefined when anonymous. */
  challenge(need: AccessNeed, error?: 'invalid_token' | 'insufficient_scope'): string | undefined {
    if (this.#auth === undefined) return undefined;
    if ('basic' in this.#auth) return 'Basic realm="testkit"';
    const service = this.#auth.bearer.service ?? 'testkit';
    let value = `Bearer realm="${this.#realm()}",service="${service}"`;
    if (need.repository !== undefined) value += `,scope="${scopeOf(need)}"`;
    if (error !== undefined) value += `,error="${error}"`;
    return value;
  }

  /** A 401 reply when `authorization` does not grant `need`; undefined when it does. */
  check(authorization: string | undefined, need: AccessNeed): Reply | undefined {
    const auth = this.#auth;
    if (auth === undefined) return undefined;
    if ('basic' in auth) {
      const given = parseBasic(authorization);
      if (given?.username === auth.basic.username && given.password === auth.basic.password) {
        return undefined;
      }
      return this.#unauthorized(need, 'authentication required');
    }
    const token = /^Bearer +(\S+)$/i.exec(authorization ?? '')?.[1];
    if (token === undefined) return this.#unauthorized(need, 'authentication required');
    const issued = this.#tokens.get(token);
    if (issued === undefined || this.#clock() >= issued.expiresAt) {
      return this.#unauthorized(need, 'token unknown or expired', 'invalid_token');
    }
    if (need.repository !== undefined && !grants(issued, need)) {
      return this.#unauthorized(
        need,
        `token does not grant ${scopeOf(need)}`,
        'insufficient_scope',
      );
    }
    return undefined;
  }

  /** Serves `GET|POST /token`; a 404 when the registry does not use Bearer auth. */
  token(
    method: string,
    query: URLSearchParams,
    authorization: string | undefined,
    body: Buffer,
  ): Reply {
    const auth = this.#auth;
    if (auth === undefined || !('bearer' in auth)) {
      return ociError(
        404,
        'UNSUPPORTED',
        'this registry has no token endpoint (auth is not bearer)',
      );
    }
    if (method !== 'GET' && method !== 'POST') {
      return ociError(405, 'UNSUPPORTED', `${method} is not supported on /token`);
    }
    const options = auth.bearer;
    // Docker's OAuth2 POST sends its parameters as a form body; the GET flow in the query.
    const params = method === 'POST' ? new URLSearchParams(body.toString('utf8')) : query;
    const service = options.service ?? 'testkit';
    if (params.get('service') !== service) {
      return ociError(400, 'UNSUPPORTED', `unknown service: expected "${service}"`);
    }
    const verdict =
      method === 'POST' ? checkOAuth(options, params) : checkTokenBasic(options, authorization);
    if (verdict !== undefined) return verdict;
    const grants = new Set<string>();
    for (const scope of params.getAll('scope').flatMap((value) => value.split(' '))) {
      for (const grant of parseScope(scope)) grants.add(grant);
    }
    return this.#issue(options, grants, method === 'POST' ? params.get('refresh_token') : null);
  }

  #issue(options: BearerAuthOptions, grants: Set<string>, refreshToken: string | null): Reply {
    const expiresIn = options.expiresIn ?? 300;
    const now = this.#clock();
    const token = randomBytes(24).toString('hex');
    this.#tokens.set(token, { expiresAt: now + expiresIn * 1000, grants });
    const fields = new Set(options.responseFields ?? ALL_FIELDS);
    const answer: Record<string, string | number> = {};
    if (fields.has('token')) answer.token = token;
    if (fields.has('access_token')) answer.access_token = token;
    if (fields.has('expires_in')) answer.expires_in = expiresIn;
    if (fields.has('issued_at')) answer.issued_at = new Date(now).toISOString();
    if (refreshToken !== null) answer.refresh_token = refreshToken;
    return jsonReply(200, answer);
  }

  #unauthorized(
    need: AccessNeed,
    message: string,
    error?: 'invalid_token' | 'insufficient_scope',
  ): Reply {
    const challenge = this.challenge(need, error);
    return ociError(
      401,
      'UNAUTHORIZED',
      message,
      challenge === undefined ? {} : { 'www-authenticate': challenge },
    );
  }
}

function scopeOf(need: AccessNeed): string {
  return `repository:${need.repository}:${need.action === 'push' ? 'pull,push' : 'pull'}`;
}

function grants(token: IssuedToken, need: AccessNeed): boolean {
  if (!token.grants.has(`${need.repository}:pull`)) return false;
  return need.action === 'pull' || token.grants.has(`${need.repository}:push`);
}

/** `repository:team/app:pull,push` -> `team/app:pull`, `team/app:push`; other resource types grant nothing. */
function parseScope(scope: string): string[] {
  const match = /^repository:([^:]+):(.+)$/.exec(scope);
  if (match === null) return [];
  const [, name, actions] = match as unknown as [string, string, string];
  return actions.split(',').map((action) => `${name}:${action}`);
}

function parseBasic(
  authorization: string | undefined,
): { username: string; password: string } | undefined {
  const encoded = /^Basic +(\S+)$/i.exec(authorization ?? '')?.[1];
  if (encoded === undefined) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function requiresCredentials(options: BearerAuthOptions): boolean {
  return (
    (options.username !== undefined && options.password !== undefined) ||
    options.identityToken !== undefined
  );
}

/** GET /token: Basic with the username/password, or with the identity token as password (docker's fallback). */
function checkTokenBasic(
  options: BearerAuthOptions,
  authorization: string | undefined,
): Reply | undefined {
  if (!requiresCredentials(options)) return undefined;
  const given = parseBasic(authorization);
  if (given !== undefined) {
    if (
      options.username !== undefined &&
      given.username === options.username &&
      given.password === options.password
    ) {
      return undefined;
    }
    if (options.identityToken !== undefined && given.password === options.identityToken)
      return undefined;
  }
  return ociError(401, 'UNAUTHORIZED', 'token endpoint: credentials missing or wrong', {
    'www-authenticate': 'Basic realm="testkit-token"',
  });
}

/** POST /token: the OAuth2 grants docker uses, `refresh_token` (identity token) and `password`. */
function checkOAuth(options: BearerAuthOptions, params: URLSearchParams): Reply | undefined {
  const grant = params.get('grant_type');
  if (grant === 'refresh_token') {
    if (
      options.identityToken !== undefined &&
      params.get('refresh_token') === options.identityToken
    )
      return undefined;
    if (!requiresCredentials(options)) return undefined;
    return jsonReply(401, {
      error: 'invalid_grant',
      error_description: 'refresh token not accepted',
    });
  }
  if (grant === 'password') {
    if (!requiresCredentials(options)) return undefined;
    if (
      options.username !== undefined &&
      params.get('username') === options.username &&
      params.get('password') === options.password
    ) {
      return undefined;
    }
    return jsonReply(401, {
      error: 'invalid_grant',
      error_description: 'username or password not accepted',
    });
  }
  return jsonReply(400, {
    error: 'unsupported_grant_type',
    error_description: `grant_type ${JSON.stringify(grant)}`,
  });
}
