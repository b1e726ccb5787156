import { STATUS_CODES } from 'node:http';

/**
 * Every way a registry operation can fail. Branch on this, never on the message.
 * docs/errors.md has a row for each code saying when it happens and what to do.
 */
export type RegistryErrorCode =
  | 'INVALID_REFERENCE'
  | 'INVALID_ARGUMENT'
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

/**
 * Where and how a {@link RegistryError} happened; every field is optional and set only
 * when known. The constructor redacts `url`, so a caller may pass the request's URL as is.
 */
export interface RegistryErrorDetails {
  /** The registry as written in the reference, e.g. `docker.io` or `localhost:5000`. */
  registry?: string;
  /** The repository, e.g. `library/nginx`, when the failure concerns one. */
  repository?: string;
  /** The HTTP status of the response that caused the failure, if there was one. */
  status?: number;
  /** The HTTP method of the failed request, e.g. `GET`. */
  method?: string;
  /** The URL of the failed request; stored with credentials and secret query values redacted. */
  url?: string | URL;
  /** For `RATE_LIMITED`: how long the registry asked us to wait, in milliseconds. */
  retryAfterMs?: number;
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * The one error class of `@tagsmith/registry`. Its message reads
 * `[GET] https://host/v2/x/tags/list: 401 Unauthorized — <registry's message>` for
 * HTTP failures. It never carries a password, token or signed URL parameter: the
 * constructor redacts `details.url` and every URL in the message (as octokit's
 * `RequestError` does), so no call site can forget to.
 */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  /** What went wrong; see {@link RegistryErrorCode}. */
  readonly code: RegistryErrorCode;
  /** The registry as written in the reference, e.g. `docker.io`; absent when no registry is concerned (a client option). */
  declare readonly registry?: string;
  /** The repository, when the failure concerns one. */
  declare readonly repository?: string;
  /** HTTP status of the response that caused the failure, if any. */
  declare readonly status?: number;
  /** HTTP method of the failed request, if any. */
  declare readonly method?: string;
  /** Redacted URL of the failed request, if any. */
  declare readonly url?: string;
  /** For `RATE_LIMITED`: the wait the registry asked for, in milliseconds. */
  declare readonly retryAfterMs?: number;

  constructor(code: RegistryErrorCode, message: string, details: RegistryErrorDetails = {}) {
    super(
      redactUrlsIn(message),
      details.cause === undefined ? undefined : { cause: details.cause },
    );
    this.code = code;
    if (details.registry !== undefined) this.registry = details.registry;
    if (details.repository !== undefined) this.repository = details.repository;
    if (details.status !== undefined) this.status = details.status;
    if (details.method !== undefined) this.method = details.method;
    if (details.url !== undefined) {
      this.url = details.url instanceof URL ? redactUrl(details.url) : redactUrlsIn(details.url);
    }
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

// A URL as it appears in running text. `"`, `<`, `>`, backticks and whitespace are
// percent-encoded in every href, so they end one; trailing punctuation belongs to the sentence.
const URL_IN_TEXT = /[a-z][a-z0-9+.-]*:\/\/[^\s"<>`]+/gi;
const TRAILING_PUNCTUATION = /[.,:;'")\]]+$/;

/**
 * `text` with every URL in it redacted as {@link redactUrl} does. A URL with nothing
 * to hide is left exactly as written, so messages keep the caller's spelling.
 */
function redactUrlsIn(text: string): string {
  return text.replace(URL_IN_TEXT, (match) => {
    const candidate = match.replace(TRAILING_PUNCTUATION, '');
    let url: URL;
    try {
      url = new URL(candidate);
    } catch {
      return match;
    }
    const redacted = redactUrl(url);
    return redacted === url.href ? match : redacted + match.slice(candidate.length);
  });
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
  let text = what;
  if (extra.status !== undefined) {
    const status = statusLine(extra.status);
    text = what === '' ? status : `${status}${what.startsWith('(') ? ' ' : ' — '}${what}`;
  }
  // The URL goes in raw: the constructor redacts it, in the message and in `url`.
  const where = site.mapped ? `${site.url.href} (${site.registry})` : site.url.href;
  const details: RegistryErrorDetails = {
    registry: site.registry,
    method: site.method,
    url: site.url,
  };
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
