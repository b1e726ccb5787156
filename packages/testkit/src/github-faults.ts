import { TestkitError } from './errors.js';
import { githubError } from './github-reply.js';
import { jsonReply, type Reply } from './reply.js';

/**
 * What an injected fault answers instead of the real response, each as GitHub sends it:
 *
 * - `not-fast-forward`: 422 `Update is not a fast forward`, what a ref update gets when
 *   another writer moved the branch first.
 * - `primary-rate-limit`: 403 `API rate limit exceeded` with `x-ratelimit-remaining: 0`
 *   and `x-ratelimit-reset` `resetInSeconds` from now (Default: `1`).
 * - `secondary-rate-limit`: `status` (Default: `403`; GitHub also sends `429`) with
 *   `retry-after: retryAfterSeconds` (Default: `1`) and GitHub's "exceeded a secondary rate
 *   limit" message.
 * - `status`: any status with a GitHub error body carrying `message` (Default:
 *   `injected fault: status <status>`), or with `body` sent as JSON instead, e.g. a
 *   hostile tree listing.
 */
export type GitHubFault =
  | { readonly kind: 'not-fast-forward' }
  | { readonly kind: 'primary-rate-limit'; readonly resetInSeconds?: number }
  | {
      readonly kind: 'secondary-rate-limit';
      readonly retryAfterSeconds?: number;
      readonly status?: 403 | 429;
    }
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly message?: string;
      readonly body?: unknown;
    };

/**
 * A fault to inject into the GitHub test server. A rule applies to requests whose method
 * and path match (after authentication: a request answered 401 consumes no rule), `times`
 * times; when several rules match, the earliest added wins, so rules added in order give
 * that sequence of answers.
 */
export interface GitHubFaultRule {
  /** HTTP method to match, case-insensitive. Default: any. */
  readonly method?: string;
  /**
   * The API path to match, without the server's `pathPrefix` and the query: a string is
   * exact, or a prefix when it ends in `*` (`'/repos/tagsmith/demo/git/*'`); a RegExp is
   * tested against it. Default: any path.
   */
  readonly path?: string | RegExp;
  /** How many requests the rule applies to; `Infinity` allowed. Default: `1`. */
  readonly times?: number;
  /** The answer. */
  readonly fault: GitHubFault;
}

/** Options of {@link GitHubFaultControl.rateLimit}. */
export type RateLimitOptions =
  | {
      /** The primary (hourly quota) limit. */
      readonly kind: 'primary';
      /** When the quota resets. Default: `1`. */
      readonly resetInSeconds?: number;
      /** How many requests are refused. Default: `1`. */
      readonly times?: number;
    }
  | {
      /** A secondary (abuse) limit. */
      readonly kind: 'secondary';
      /** The `retry-after` header. Default: `1`. */
      readonly retryAfterSeconds?: number;
      /** 403, as GitHub mostly sends, or 429. Default: `403`. */
      readonly status?: 403 | 429;
      /** How many requests are refused. Default: `1`. */
      readonly times?: number;
    };

/** The fault rules of a running GitHub test server. */
export interface GitHubFaultControl {
  /** Adds a rule after the existing ones; throws `INVALID_ARGUMENT` for an impossible rule. */
  add(rule: GitHubFaultRule): void;
  /** Removes every rule, including partly consumed ones. */
  clear(): void;
  /** The next `times` ref updates (`PATCH …/git/refs/…`) get 422 "Update is not a fast forward", fast-forward or not. Default: `1`. */
  failNextRefUpdate(times?: number): void;
  /** The next request(s), whatever they are, hit a rate limit. */
  rateLimit(options: RateLimitOptions): void;
  /** The next `times` requests get `status` (Default: `502`, `times` Default: `1`; `Infinity` allowed). */
  serverError(status?: number, times?: number): void;
}

interface ActiveRule {
  readonly rule: GitHubFaultRule;
  remaining: number;
}

/** The server's fault rules, consumed in the order they were added. */
export class GitHubFaultList implements GitHubFaultControl {
  readonly #repoPath: string;
  readonly #clock: () => number;
  #rules: ActiveRule[] = [];

  /** `repoPath` is `/repos/{owner}/{repo}`, for the ref-update shorthand. */
  constructor(repoPath: string, clock: () => number) {
    this.#repoPath = repoPath;
    this.#clock = clock;
  }

  add(rule: GitHubFaultRule): void {
    validate(rule);
    const times = rule.times ?? 1;
    if (times > 0) this.#rules.push({ rule, remaining: times });
  }

  clear(): void {
    this.#rules = [];
  }

  failNextRefUpdate(times = 1): void {
    this.add({
      method: 'PATCH',
      path: `${this.#repoPath}/git/refs/*`,
      times,
      fault: { kind: 'not-fast-forward' },
    });
  }

  rateLimit(options: RateLimitOptions): void {
    const times = options.times ?? 1;
    if (options.kind === 'primary') {
      const { resetInSeconds } = options;
      this.add({
        times,
        fault: {
          kind: 'primary-rate-limit',
          ...(resetInSeconds === undefined ? {} : { resetInSeconds }),
        },
      });
    } else {
      const { retryAfterSeconds, status } = options;
      this.add({
        times,
        fault: {
          kind: 'secondary-rate-limit',
          ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
          ...(status === undefined ? {} : { status }),
        },
      });
    }
  }

  serverError(status = 502, times = 1): void {
    this.add({ times, fault: { kind: 'status', status } });
  }

  /** Consumes one application of the first rule matching the request and returns its answer. */
  take(method: string, path: string): Reply | undefined {
    const index = this.#rules.findIndex((active) => matches(active.rule, method, path));
    const active = this.#rules[index];
    if (active === undefined) return undefined;
    active.remaining -= 1;
    if (active.remaining <= 0) this.#rules.splice(index, 1);
    return answer(active.rule.fault, this.#clock());
  }
}

const RATE_LIMIT_DOCS = 'rest/using-the-rest-api/rate-limits-for-the-rest-api';

function answer(fault: GitHubFault, now: number): Reply {
  switch (fault.kind) {
    case 'not-fast-forward':
      return githubError(422, 'Update is not a fast forward', 'rest/git/refs#update-a-reference');
    case 'primary-rate-limit': {
      const reset = Math.ceil((now + (fault.resetInSeconds ?? 1) * 1000) / 1000);
      return githubError(403, 'API rate limit exceeded for user ID 1.', RATE_LIMIT_DOCS, {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-used': '5000',
        'x-ratelimit-reset': String(reset),
        'x-ratelimit-resource': 'core',
      });
    }
    case 'secondary-rate-limit':
      return githubError(
        fault.status ?? 403,
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        `${RATE_LIMIT_DOCS}#about-secondary-rate-limits`,
        { 'retry-after': String(fault.retryAfterSeconds ?? 1) },
      );
    case 'status':
      return fault.body !== undefined
        ? jsonReply(fault.status, fault.body)
        : githubError(fault.status, fault.message ?? `injected fault: status ${fault.status}`);
  }
}

function matches(rule: GitHubFaultRule, method: string, path: string): boolean {
  if (rule.method !== undefined && rule.method.toUpperCase() !== method) return false;
  const pattern = rule.path;
  if (pattern === undefined) return true;
  if (typeof pattern !== 'string') {
    pattern.lastIndex = 0; // a /g or /y RegExp would otherwise match every other request only
    return pattern.test(path);
  }
  return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern;
}

function validate(rule: GitHubFaultRule): void {
  const problem = findProblem(rule);
  if (problem !== undefined) {
    throw new TestkitError(
      'INVALID_ARGUMENT',
      `Invalid GitHub fault rule for ${String(rule.path ?? 'any path')}: ${problem}`,
    );
  }
}

function findProblem(rule: GitHubFaultRule): string | undefined {
  if (rule.path !== undefined && typeof rule.path !== 'string' && !(rule.path instanceof RegExp)) {
    return 'path must be a string or a RegExp';
  }
  if (rule.times !== undefined && !(rule.times >= 0)) return 'times must be 0 or more';
  const fault = rule.fault as GitHubFault | undefined;
  switch (fault?.kind) {
    case 'not-fast-forward':
      return undefined;
    case 'primary-rate-limit':
      return fault.resetInSeconds !== undefined && !nonNegativeFinite(fault.resetInSeconds)
        ? 'resetInSeconds must be a finite number, 0 or more'
        : undefined;
    case 'secondary-rate-limit':
      if (
        fault.retryAfterSeconds !== undefined &&
        !(Number.isInteger(fault.retryAfterSeconds) && fault.retryAfterSeconds >= 0)
      ) {
        return 'retryAfterSeconds must be an integer, 0 or more';
      }
      return fault.status !== undefined && fault.status !== 403 && fault.status !== 429
        ? 'a secondary rate limit status must be 403 or 429'
        : undefined;
    case 'status':
      return Number.isInteger(fault.status) && fault.status >= 200 && fault.status <= 599
        ? undefined
        : 'status must be an integer from 200 to 599';
    default:
      return 'fault.kind must be not-fast-forward, primary-rate-limit, secondary-rate-limit or status';
  }
}

function nonNegativeFinite(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}
