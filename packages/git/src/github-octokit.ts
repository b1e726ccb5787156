// The Octokit a GitHubRepository builds when it is not handed one: @octokit/rest with the
// retry plugin (5xx and network failures) and the throttling plugin (GitHub's primary and
// secondary rate limits, honouring `retry-after` and `x-ratelimit-reset`), its log wired
// to the caller's logger with every line scrubbed of the token.
import { createRequire } from 'node:module';
import { setTimeout as delay } from 'node:timers/promises';
import { retry } from '@octokit/plugin-retry';
import { type ThrottlingOptions, throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import type { Logger } from './types.js';

/** What {@link createOctokit} needs; see `GitHubRepositoryOptions` for each field's meaning. */
export interface OctokitSettings {
  auth: string | undefined;
  baseUrl: string | undefined;
  userAgent: string;
  logger: Logger | undefined;
  retries: number;
  rateLimitRetries: number;
  writeIntervalMs: number | undefined;
  fetch: typeof fetch | undefined;
  scrub: (text: string) => string;
}

// The retry plugin's default list plus 429: a rate limit is the throttling plugin's to
// retry (it reads `retry-after`), and counting it in both would blur `rateLimitRetries`.
const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451];

const GitHubOctokit = Octokit.plugin(retry, throttling);

/** A new Octokit with retries, rate-limit handling and logging as `settings` say. */
export function createOctokit(settings: OctokitSettings): Octokit {
  const { logger, scrub } = settings;
  const onLimit =
    (kind: 'primary' | 'secondary') =>
    (retryAfter: number, request: { method: string; url: string }, _o: unknown, count: number) => {
      const where = `${request.method} ${request.url}`;
      if (count < settings.rateLimitRetries) {
        logger?.warn?.(
          scrub(
            `GitHub ${kind} rate limit on ${where}; retry ${count + 1} of ${settings.rateLimitRetries} in ${retryAfter} s`,
          ),
        );
        return true;
      }
      logger?.warn?.(scrub(`GitHub ${kind} rate limit on ${where}; no retries left`));
      return false;
    };
  const throttle: ThrottlingOptions = {
    onRateLimit: onLimit('primary'),
    onSecondaryRateLimit: onLimit('secondary'),
    ...(settings.writeIntervalMs === undefined ? {} : pacedWrites(settings.writeIntervalMs)),
  };
  return new GitHubOctokit({
    ...(settings.auth === undefined ? {} : { auth: settings.auth }),
    ...(settings.baseUrl === undefined ? {} : { baseUrl: settings.baseUrl }),
    userAgent: settings.userAgent,
    ...(settings.fetch === undefined ? {} : { request: { fetch: settings.fetch } }),
    retry: { retries: settings.retries, doNotRetry: DO_NOT_RETRY },
    throttle,
    // Octokit logs every request at info and every failed one (a 404 we expect included)
    // at error; both are detail here. Only the message is passed on: Octokit's second
    // argument is the request options, headers and all.
    log: {
      debug: (message: string) => logger?.debug?.(scrub(message)),
      info: (message: string) => logger?.debug?.(scrub(message)),
      warn: (message: string) => logger?.warn?.(scrub(message)),
      error: (message: string) => logger?.debug?.(scrub(message)),
    },
  });
}

/**
 * The throttling plugin spaces writes 1 s apart (3 s for requests that notify people, such
 * as opening a pull request), as GitHub asks of integrations, in limiters shared by every
 * Octokit in the process. A caller that sets `writeIntervalMs` gets limiters of its own with
 * that spacing instead. The plugin only ever asks them to `schedule` an empty job before a
 * write (plugin-throttling 11's `write` and `notifications` groups), so that is all these do.
 */
function pacedWrites(intervalMs: number): Pick<ThrottlingOptions, 'write' | 'notifications'> {
  // A structural stand-in for Bottleneck.Group, whose type the plugin's declarations name.
  return { write: pacer(intervalMs) as never, notifications: pacer(intervalMs) as never };
}

function pacer(intervalMs: number) {
  let next = 0;
  return {
    key: () => ({
      schedule: async <T>(_options: unknown, job: () => Promise<T>): Promise<T> => {
        const now = Date.now();
        const at = Math.max(now, next);
        next = at + intervalMs;
        if (at > now) await delay(at - now);
        return job();
      },
    }),
  };
}

let cachedUserAgent: string | undefined;

/**
 * `tagsmith-git/<version>`, the version read from this package's package.json so it cannot
 * drift from the release (`../package.json` is the package root from `src/` and `dist/`).
 */
export function defaultUserAgent(): string {
  if (cachedUserAgent === undefined) {
    const manifest = createRequire(import.meta.url)('../package.json') as { version: string };
    cachedUserAgent = `tagsmith-git/${manifest.version}`;
  }
  return cachedUserAgent;
}
