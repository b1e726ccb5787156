// Octokit's failures, turned into GitErrors. Octokit's RequestError redacts the
// authorization header, but it still carries the whole request (options, hooks, body); the
// cause we keep is a fresh error with only GitHub's status and message, so no part of the
// request (and no token) rides along on the cause chain.
import { GitError, type GitErrorCode } from './errors.js';

/** Where a request failed, for the message and the error's fields. */
export interface FailureContext {
  /** What was being done, e.g. `commitFiles main`. */
  what: string;
  /** The repository, as `GitError.remote`. */
  remote: string;
  ref?: string;
  path?: string;
  /** The caller's signal: its firing makes any failure `ABORTED`. */
  signal?: AbortSignal | undefined;
  /** Replaces every credential in a text with `***`. */
  scrub: (text: string) => string;
}

/** The parts of Octokit's RequestError this module reads. */
interface HttpFailure {
  status: number;
  message: string;
  request?: { method?: string; url?: string };
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
  cause?: unknown;
}

/** The HTTP status GitHub answered a failed request with, or undefined for other failures. */
export function responseStatus(error: unknown): number | undefined {
  return isHttpFailure(error) && error.response !== undefined ? error.status : undefined;
}

/** GitHub's own `message` of a failed request's body, e.g. `Update is not a fast forward`. */
export function githubMessage(error: unknown): string {
  if (!isHttpFailure(error)) return error instanceof Error ? error.message : String(error);
  const data = error.response?.data;
  if (typeof data === 'object' && data !== null) {
    const { message, errors } = data as { message?: unknown; errors?: unknown };
    if (typeof message === 'string') {
      const details = Array.isArray(errors)
        ? errors
            .map((entry) =>
              typeof entry === 'object' && entry !== null && 'message' in entry
                ? String((entry as { message: unknown }).message)
                : JSON.stringify(entry),
            )
            .join('; ')
        : '';
      return details === '' ? message : `${message}: ${details}`;
    }
  }
  return typeof data === 'string' && data !== '' ? data : error.message;
}

/** The GitError for any failure of a GitHub request (a GitError passes through unchanged). */
export function toGitError(error: unknown, context: FailureContext): GitError {
  if (error instanceof GitError) return error;
  const details = {
    remote: context.remote,
    ...(context.ref === undefined ? {} : { ref: context.ref }),
    ...(context.path === undefined ? {} : { path: context.path }),
  };
  if (context.signal?.aborted || (error instanceof Error && error.name === 'AbortError')) {
    return new GitError('ABORTED', `${context.what}: aborted`, {
      ...details,
      cause: context.signal?.reason ?? scrubbedCause(error, context.scrub),
    });
  }
  if (!isHttpFailure(error)) {
    return new GitError('API_ERROR', context.scrub(`${context.what}: ${githubMessage(error)}`), {
      ...details,
      cause: scrubbedCause(error, context.scrub),
    });
  }
  const where = `[${error.request?.method ?? 'GET'}] ${error.request?.url ?? ''}`;
  if (error.response === undefined) {
    // Octokit reports a fetch that never got an answer as a status-500 RequestError with
    // the fetch error as its cause; the retry plugin has already retried it.
    return new GitError(
      'NETWORK',
      context.scrub(`${context.what}: ${where}: GitHub could not be reached — ${error.message}`),
      { ...details, cause: scrubbedCause(error, context.scrub) },
    );
  }
  const status = error.status;
  const code = codeFor(status, error);
  const hint = HINTS[code] ?? '';
  return new GitError(
    code,
    context.scrub(`${context.what}: ${where}: ${status} — ${githubMessage(error)}${hint}`),
    { ...details, status, cause: scrubbedCause(error, context.scrub) },
  );
}

const HINTS: Partial<Record<GitErrorCode, string>> = {
  AUTH_FAILED: '. Check the token and its permissions (contents and pull requests: write).',
  RATE_LIMITED: '. GitHub rate limit outlasted the retries; wait, or raise `rateLimitRetries`.',
  NOT_FOUND:
    '. Check the owner, repository, branch and path (a token without access also gets 404).',
};

function codeFor(status: number, error: HttpFailure): GitErrorCode {
  if (status === 401) return 'AUTH_FAILED';
  if ((status === 403 || status === 429) && isRateLimit(error)) return 'RATE_LIMITED';
  if (status === 403) return 'AUTH_FAILED';
  if (status === 404) return 'NOT_FOUND';
  return 'API_ERROR';
}

function isRateLimit(error: HttpFailure): boolean {
  const headers = error.response?.headers ?? {};
  return (
    headers['x-ratelimit-remaining'] === '0' ||
    headers['retry-after'] !== undefined ||
    /rate limit/i.test(githubMessage(error))
  );
}

// What the cause keeps: the status and message of an HTTP failure, the name, message and
// code of anything else with its own causes (a failed fetch's network error names the
// address and system error, never a request header).
function scrubbedCause(error: unknown, scrub: (text: string) => string, depth = 0): Error {
  if (!(error instanceof Error)) return new Error(scrub(String(error)));
  const http = isHttpFailure(error);
  const inner = http && error.response !== undefined ? undefined : error.cause;
  const cause = new Error(
    scrub(error.message),
    inner === undefined || depth > 4
      ? undefined
      : { cause: scrubbedCause(inner, scrub, depth + 1) },
  );
  cause.name = error.name;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') Object.assign(cause, { code });
  if (http) Object.assign(cause, { status: error.status });
  return cause;
}

function isHttpFailure(error: unknown): error is HttpFailure & Error {
  return (
    error instanceof Error &&
    typeof (error as { status?: unknown }).status === 'number' &&
    typeof (error as { request?: unknown }).request === 'object'
  );
}
