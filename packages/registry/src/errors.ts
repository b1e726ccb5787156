import { STATUS_CODES } from 'node:http';

/**
 * Every way a registry operation can fail. Branch on this, never on the message.
 * docs/errors.md has a row for each code saying when it happens and what to do.
 */
export type RegistryErrorCode =
  | 'INVALID_REFERENCE'
  | 'INVALID_OPTIONS'
  | 'UNAUTHORIZED'
  | 'DENIED'
  | 'NAME_UNKNOWN'
  | 'MANIFEST_UNKNOWN'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'UNEXPECTED_STATUS'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'NETWORK'
  | 'TOO_MANY_REDIRECTS'
  | 'TOO_MANY_PAGES'
  | 'PAGINATION_LOOP'
  | 'RESPONSE_TOO_LARGE'
  | 'INVALID_RESPONSE'
  | 'INSECURE_REGISTRY'
  | 'CREDENTIAL_CONFIG'
  | 'CREDENTIAL_HELPER';

/** Where and how a {@link RegistryError} happened. None of these fields ever holds a secret. */
export interface RegistryErrorDetails {
  /** The registry as written in the reference, e.g. `docker.io` or `localhost:5000`. */
  registry: string;
  /** The repository, e.g. `library/nginx`, when the failure concerns one. */
  repository?: string;
  /** The HTTP status of the response that caused the failure, if there was one. */
  status?: number;
  /** The HTTP method of the failed request, e.g. `GET`. */
  method?: string;
  /** The URL of the failed request with credentials and secret query parameters redacted. */
  url?: string;
  /** For `RATE_LIMITED`: how long the registry asked us to wait, in milliseconds. */
  retryAfterMs?: number;
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * The one error class of `@tagsmith/registry`. Its message reads
 * `[GET] https://host/v2/x/tags/list: 401 Unauthorized — <registry's message>` for
 * HTTP failures. It never carries a password, token or signed URL parameter.
 */
export class RegistryError extends Error {
  /** What went wrong; see {@link RegistryErrorCode}. */
  readonly code: RegistryErrorCode;
  /** The registry as written in the reference, e.g. `docker.io`. */
  readonly registry: string;
  /** The repository, when the failure concerns one. */
  readonly repository?: string;
  /** HTTP status of the response that caused the failure, if any. */
  readonly status?: number;
  /** HTTP method of the failed request, if any. */
  readonly method?: string;
  /** Redacted URL of the failed request, if any. */
  readonly url?: string;
  /** For `RATE_LIMITED`: the wait the registry asked for, in milliseconds. */
  readonly retryAfterMs?: number;

  constructor(code: RegistryErrorCode, message: string, details: RegistryErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'RegistryError';
    this.code = code;
    this.registry = details.registry;
    if (details.repository !== undefined) this.repository = details.repository;
    if (details.status !== undefined) this.status = details.status;
    if (details.method !== undefined) this.method = details.method;
    if (details.url !== undefined) this.url = details.url;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
  }
}

/** Where a request went, for error messages and logs. */
export interface RequestSite {
  registry: string;
  repository?: string | undefined;
  method: string;
  url: URL;
  /** The registry is served by a `hosts` endpoint, so messages name it beside the URL. */
  mapped?: boolean | undefined;
}

// Query parameters that carry credentials: signed blob URLs (S3, GCS, Azure), OAuth
// tokens some registries put in pagination links, and anything named like a secret.
const SECRET_PARAM =
  /token|secret|password|passwd|signature|sig$|credential|^code$|^key$|^auth|x-amz-|x-goog-|^sv$|^se$|^sp$/i;

/** The URL as text with userinfo dropped and secret query values replaced by `REDACTED`. */
export function redactUrl(url: URL): string {
  if (url.username === '' && url.password === '' && url.search === '') return url.href;
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  for (const name of new Set(copy.searchParams.keys())) {
    if (SECRET_PARAM.test(name)) copy.searchParams.set(name, 'REDACTED');
  }
  return copy.href;
}

/**
 * Creates an error about a request. The message is `[METHOD] url: what`, or with
 * a status `[METHOD] url: 404 Not Found — what` (`what` in parentheses follows the
 * status without a dash; an empty `what` leaves the status alone). For a registry
 * mapped by `hosts`, `url (registry as written)` takes the place of `url`.
 */
export function requestError(
  code: RegistryErrorCode,
  site: RequestSite,
  what: string,
  extra: { status?: number | undefined; retryAfterMs?: number | undefined; cause?: unknown } = {},
): RegistryError {
  const url = redactUrl(site.url);
  let text = what;
  if (extra.status !== undefined) {
    const status = statusLine(extra.status);
    text = what === '' ? status : `${status}${what.startsWith('(') ? ' ' : ' — '}${what}`;
  }
  const where = site.mapped ? `${url} (${site.registry})` : url;
  const details: RegistryErrorDetails = { registry: site.registry, method: site.method, url };
  // Callers forward what they know; an unknown field stays absent, never `undefined`.
  if (site.repository !== undefined) details.repository = site.repository;
  if (extra.status !== undefined) details.status = extra.status;
  if (extra.retryAfterMs !== undefined) details.retryAfterMs = extra.retryAfterMs;
  if (extra.cause !== undefined) details.cause = extra.cause;
  return new RegistryError(code, `[${site.method}] ${where}: ${text}`, details);
}

/** The error for a call stopped by the caller's signal; `cause` is the signal's reason. */
export function abortedError(site: RequestSite, reason: unknown): RegistryError {
  return requestError('ABORTED', site, 'aborted by the caller', { cause: reason });
}

/** `401 Unauthorized`, using Node's table so a server's custom reason phrase never leaks in. */
export function statusLine(status: number): string {
  const text = STATUS_CODES[status];
  return text === undefined ? String(status) : `${status} ${text}`;
}
