import { TestkitError } from './errors.js';

/**
 * A misbehaviour to inject. A rule applies to requests whose method and path
 * match (after authentication: a request the auth layer answers 401 consumes
 * no rule), `times` times; when several rules match, the earliest added wins,
 * so adding `[503, 503, 429]` rules for one path gives that status sequence.
 * Effects combine: `delayMs` first, then `reset`, then `status`, else the
 * normal response rewritten by `body`, `rawBody`, `link`, `omitDigestHeader`,
 * `headers`, `retryAfter`.
 */
export interface FaultRule {
  /** HTTP method to match, case-insensitive. Default: any. */
  readonly method?: string;
  /**
   * The URL pathname to match: a string is exact, or a prefix when it ends in
   * `*` (`'/v2/app/*'`); a RegExp is tested against the pathname.
   */
  readonly path: string | RegExp;
  /** How many requests the rule applies to; `Infinity` allowed. Default: `1`. */
  readonly times?: number;
  /** Answer with this status and an OCI error body instead of the normal response. Default: none. */
  readonly status?: number;
  /**
   * OCI error code of the `status` answer. Default: from the status
   * (401 `UNAUTHORIZED`, 403 `DENIED`, 404 `NAME_UNKNOWN`, 429 `TOOMANYREQUESTS`,
   * 503 `UNAVAILABLE`, otherwise `UNKNOWN`).
   */
  readonly code?: string;
  /** `Retry-After` header value, seconds (`'2'`) or an HTTP date. Default: none. */
  readonly retryAfter?: string;
  /** Wait this long before answering; a client that aborts meanwhile gets nothing. Default: `0`. */
  readonly delayMs?: number;
  /**
   * Corrupt the body: `truncated` declares the full `Content-Length` then
   * closes after half; `garbage` sends invalid JSON; `oversized` streams
   * `oversizedMiB` of never-ending JSON with no `Content-Length`. Default: none.
   */
  readonly body?: 'truncated' | 'garbage' | 'oversized';
  /** Size of an `oversized` body in MiB. Default: `20`. */
  readonly oversizedMiB?: number;
  /** Replace the body with exactly this text (e.g. `'{"name":"app","tags":null}'`). Default: none. */
  readonly rawBody?: string;
  /**
   * Set the `Link` header: `loop` points `rel="next"` at the request's own
   * URL; `cross-origin` at the same path on `http://localhost:PORT`; or
   * `{ next }` sets the link target verbatim. Default: none.
   */
  readonly link?: 'loop' | 'cross-origin' | { readonly next: string };
  /** Leave `Docker-Content-Digest` out of the response. Default: `false`. */
  readonly omitDigestHeader?: boolean;
  /** Reset the connection (TCP RST) instead of answering. Default: `false`. */
  readonly reset?: boolean;
  /** Extra response headers (lower-case names win over the normal ones). Default: none. */
  readonly headers?: Readonly<Record<string, string>>;
}

interface ActiveRule {
  readonly rule: FaultRule;
  remaining: number;
}

/** The registry's fault rules, consumed in the order they were added. */
export class FaultList {
  #rules: ActiveRule[] = [];

  /** Adds a rule after the existing ones; throws `INVALID_ARGUMENT` for an impossible rule. */
  add(rule: FaultRule): void {
    validate(rule);
    const times = rule.times ?? 1;
    if (times > 0) this.#rules.push({ rule, remaining: times });
  }

  /** Removes every rule, including partly consumed ones. */
  clear(): void {
    this.#rules = [];
  }

  /** Consumes one application of the first rule matching the request, if any. */
  take(method: string, pathname: string): FaultRule | undefined {
    const index = this.#rules.findIndex((active) => matches(active.rule, method, pathname));
    const active = this.#rules[index];
    if (active === undefined) return undefined;
    active.remaining -= 1;
    if (active.remaining <= 0) this.#rules.splice(index, 1);
    return active.rule;
  }
}

/** The OCI error code a fault `status` answers with unless the rule names one. */
export function faultCode(rule: FaultRule): string {
  if (rule.code !== undefined) return rule.code;
  switch (rule.status) {
    case 401:
      return 'UNAUTHORIZED';
    case 403:
      return 'DENIED';
    case 404:
      return 'NAME_UNKNOWN';
    case 429:
      return 'TOOMANYREQUESTS';
    case 503:
      return 'UNAVAILABLE';
    default:
      return 'UNKNOWN';
  }
}

function matches(rule: FaultRule, method: string, pathname: string): boolean {
  if (rule.method !== undefined && rule.method.toUpperCase() !== method) return false;
  const { path } = rule;
  if (typeof path !== 'string') {
    path.lastIndex = 0; // a /g or /y RegExp would otherwise match every other request only
    return path.test(pathname);
  }
  return path.endsWith('*') ? pathname.startsWith(path.slice(0, -1)) : pathname === path;
}

function validate(rule: FaultRule): void {
  const problem = findProblem(rule);
  if (problem !== undefined) {
    throw new TestkitError(
      'INVALID_ARGUMENT',
      `Invalid fault rule for ${String(rule.path)}: ${problem}`,
    );
  }
}

function findProblem(rule: FaultRule): string | undefined {
  if (typeof rule.path !== 'string' && !(rule.path instanceof RegExp)) {
    return 'path must be a string or a RegExp';
  }
  if (rule.times !== undefined && !(rule.times >= 0)) return 'times must be 0 or more';
  if (
    rule.status !== undefined &&
    !(Number.isInteger(rule.status) && rule.status >= 200 && rule.status <= 599)
  ) {
    return 'status must be an integer from 200 to 599';
  }
  if (rule.delayMs !== undefined && !(rule.delayMs >= 0 && Number.isFinite(rule.delayMs))) {
    return 'delayMs must be a finite number, 0 or more';
  }
  if (
    rule.oversizedMiB !== undefined &&
    !(rule.oversizedMiB > 0 && Number.isFinite(rule.oversizedMiB))
  ) {
    return 'oversizedMiB must be a finite number above 0';
  }
  if (rule.body !== undefined && rule.rawBody !== undefined)
    return 'body and rawBody exclude each other';
  return undefined;
}
