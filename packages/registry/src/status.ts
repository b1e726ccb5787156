import {
  type RegistryError,
  type RegistryErrorCode,
  type RequestSite,
  requestError,
} from './errors.js';

/** What a response said, as far as error reporting needs it. */
export interface FailedReply {
  readonly status: number;
  readonly body: Buffer;
}

// The OCI distribution error codes that have a code of their own here. A Map, so
// a body saying `"code": "__proto__"` or `"constructor"` finds nothing (an object
// literal would hand back Object.prototype or Object) and the status decides.
const OCI_CODES = new Map<string, RegistryErrorCode>([
  ['UNAUTHORIZED', 'UNAUTHORIZED'],
  ['DENIED', 'DENIED'],
  ['NAME_UNKNOWN', 'NAME_UNKNOWN'],
  ['MANIFEST_UNKNOWN', 'MANIFEST_UNKNOWN'],
  ['TOOMANYREQUESTS', 'RATE_LIMITED'],
  ['NAME_INVALID', 'INVALID_REFERENCE'],
]);

const MAX_MESSAGE = 300;

/**
 * The registry's own explanation from an OCI error body
 * (`{"errors":[{"code":"…","message":"…"}]}`), or `undefined` when the body is
 * something else: an HTML error page is not worth quoting.
 */
export function ociError(body: Buffer): { code?: string; message?: string } | undefined {
  if (body.length === 0 || body.length > 64 * 1024) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  const errors = (parsed as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  const first = errors[0] as { code?: unknown };
  const messages = errors
    .map((e: { message?: unknown; code?: unknown }) =>
      typeof e?.message === 'string' && e.message !== '' ? e.message : e?.code,
    )
    .filter((m): m is string => typeof m === 'string');
  const message = messages.join('; ');
  return {
    ...(typeof first?.code === 'string' ? { code: first.code } : {}),
    message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message,
  };
}

/**
 * What to say after the status of a failed reply: the registry's own message,
 * then `note` (e.g. `(gave up after 4 attempts)`), either of them possibly absent.
 */
export function explainReply(reply: FailedReply, note = ''): string {
  const explanation = ociError(reply.body)?.message;
  return explanation ? `${explanation}${note === '' ? '' : ` ${note}`}` : note;
}

/**
 * Turns an unsuccessful response into a {@link RegistryError}: the OCI error code
 * when the body has a known one, otherwise the status. `notFound` says what a bare
 * 404 means for this endpoint; `note` is added after the registry's message.
 */
export function errorForReply(
  reply: FailedReply,
  site: RequestSite,
  notFound: RegistryErrorCode,
  note = '',
): RegistryError {
  const oci = ociError(reply.body);
  const code =
    (oci?.code === undefined ? undefined : OCI_CODES.get(oci.code)) ??
    codeForStatus(reply.status, notFound);
  return requestError(code, site, explainReply(reply, note), { status: reply.status });
}

function codeForStatus(status: number, notFound: RegistryErrorCode): RegistryErrorCode {
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'DENIED';
  if (status === 404) return notFound;
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500 || status === 408 || status === 499) return 'UNAVAILABLE';
  return 'UNEXPECTED_STATUS';
}

// Docker Hub's pull-limit headers, e.g. `ratelimit-limit: 100;w=21600`.
const RATE_LIMIT_HEADERS = ['ratelimit-limit', 'ratelimit-remaining'] as const;
const PRINTABLE = /^[\x20-\x7e]{1,100}$/;

/**
 * ` (ratelimit-limit: 100;w=21600, ratelimit-remaining: 0;w=21600)` when the
 * reply carries Docker Hub's rate-limit headers, so a `RATE_LIMITED` message
 * says which limit was hit and how much is left; otherwise `''`. Values that are
 * not short printable text are left out rather than quoted.
 */
export function rateLimitNote(headers: Headers): string {
  const parts: string[] = [];
  for (const name of RATE_LIMIT_HEADERS) {
    const value = headers.get(name)?.trim();
    if (value !== undefined && PRINTABLE.test(value)) parts.push(`${name}: ${value}`);
  }
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}
