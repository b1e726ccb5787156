import { createServer } from 'node:net';
import { Octokit } from '@octokit/rest';
import { expectCode, expectNoSecret, SECRET_CANARY } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import { GitError, GitHubRepository, type Logger } from '../src/index.js';
import { BOT, githubFixture } from './github-setup.js';

// Every test runs git; generous for a loaded 2-core machine.
const GIT_TIMEOUT = { timeout: 30_000 };

const FILES = { 'app.yaml': 'image: app:1.0.0\n' };

/** A logger that keeps every line, by level. */
function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (level: string) => (message: string) => lines.push(`${level}: ${message}`);
  return {
    lines,
    debug: keep('debug'),
    info: keep('info'),
    warn: keep('warn'),
    error: keep('error'),
  };
}

const statuses = (fx: { server: { requests: readonly { status: number }[] } }) =>
  fx.server.requests.map((request) => request.status);

// Rate-limit and retry waits are GitHub's and the plugins' (1 s and more), so these tests
// wait for real; each allows for that on a loaded machine.
const SLOW = { timeout: 60_000 };

describe('GitHubRepository rate limits', GIT_TIMEOUT, () => {
  it('waits out a primary rate limit (x-ratelimit-reset) and succeeds', SLOW, async () => {
    await using fx = await githubFixture(FILES);
    const logger = recordingLogger();
    fx.server.faults.rateLimit({ kind: 'primary', resetInSeconds: 1 });
    expect(await fx.repository({ logger }).readFile('app.yaml')).toBe('image: app:1.0.0\n');
    expect(statuses(fx)).toEqual([403, 200, 200]);
    expect(logger.lines.filter((line) => line.startsWith('warn:'))).toEqual([
      expect.stringContaining('primary rate limit'),
    ]);
  });

  it(
    'waits out a secondary rate limit (retry-after), sent as 403 or 429, and succeeds',
    SLOW,
    async () => {
      await using fx = await githubFixture(FILES);
      fx.server.faults.rateLimit({ kind: 'secondary', retryAfterSeconds: 1 });
      fx.server.faults.rateLimit({ kind: 'secondary', retryAfterSeconds: 1, status: 429 });
      // Built with the throttling plugin's own write pacing (1 s between writes), as users get it.
      const github = new GitHubRepository({
        owner: fx.server.owner,
        repo: fx.server.repo,
        baseUrl: fx.server.url,
      });
      const commit = await github.commitFiles({
        branch: 'main',
        files: [{ path: 'app.yaml', content: 'image: app:1.2.0\n' }],
        message: 'bump',
        author: BOT,
      });
      expect(commit?.files).toEqual(['app.yaml']);
      expect(statuses(fx).slice(0, 3)).toEqual([403, 429, 200]);
    },
  );

  it(
    'throws RATE_LIMITED with the status when the limit outlasts rateLimitRetries',
    SLOW,
    async () => {
      await using fx = await githubFixture(FILES);
      fx.server.faults.rateLimit({ kind: 'secondary', retryAfterSeconds: 1, times: 2 });
      const error = await expectCode(
        fx.repository({ rateLimitRetries: 1 }).readFile('app.yaml', 'main'),
        GitError,
        'RATE_LIMITED',
      );
      expect(error.status).toBe(403);
      expect(statuses(fx)).toEqual([403, 403]);

      fx.server.faults.rateLimit({ kind: 'primary', resetInSeconds: 3600 });
      await expectCode(
        fx.repository({ rateLimitRetries: 0 }).readFile('app.yaml', 'main'),
        GitError,
        'RATE_LIMITED',
      );
    },
  );
});

describe('GitHubRepository server and network failures', GIT_TIMEOUT, () => {
  it('retries a 502 once and succeeds', SLOW, async () => {
    await using fx = await githubFixture(FILES);
    fx.server.faults.serverError(502);
    expect(await fx.repository().readFile('app.yaml', 'main')).toBe('image: app:1.0.0\n');
    expect(statuses(fx)).toEqual([502, 200]);
  });

  it('throws API_ERROR with the status when every retry gets a 500', SLOW, async () => {
    await using fx = await githubFixture(FILES);
    fx.server.faults.serverError(500, Number.POSITIVE_INFINITY);
    const error = await expectCode(
      fx.repository({ retries: 1 }).readFile('app.yaml', 'main'),
      GitError,
      'API_ERROR',
    );
    expect(error.status).toBe(500);
    expect(error.message).toContain('500');
    expect(statuses(fx)).toEqual([500, 500]);
  });

  it('throws NETWORK when nothing listens at baseUrl', async () => {
    const port = await closedPort();
    await using fx = await githubFixture(FILES);
    const error = await expectCode(
      fx
        .repository({ baseUrl: `http://127.0.0.1:${port}`, retries: 0, auth: SECRET_CANARY })
        .readFile('app.yaml', 'main'),
      GitError,
      'NETWORK',
    );
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expectNoSecret(error, SECRET_CANARY);
  });

  it('throws ABORTED when the signal fires', async () => {
    await using fx = await githubFixture(FILES);
    await expectCode(
      fx.repository().readFile('app.yaml', 'main', { signal: AbortSignal.abort() }),
      GitError,
      'ABORTED',
    );
  });
});

describe('GitHubRepository credentials', GIT_TIMEOUT, () => {
  it('authenticates with the token the server wants', async () => {
    await using fx = await githubFixture(FILES, { token: 'right-token' });
    expect(await fx.repository().readFile('app.yaml')).toBe('image: app:1.0.0\n');
  });

  it('throws AUTH_FAILED for a wrong token, with the token nowhere in the error or the logs', async () => {
    await using fx = await githubFixture(FILES, { token: 'right-token' });
    const logger = recordingLogger();
    const github = fx.repository({ auth: SECRET_CANARY, logger });
    const error = await expectCode(github.readFile('app.yaml', 'main'), GitError, 'AUTH_FAILED');
    expect(error.status).toBe(401);
    expect(error.message).toContain('Bad credentials');
    expectNoSecret(error, SECRET_CANARY);
    const commitError = await expectCode(
      github.commitFiles({ branch: 'main', files: [{ path: 'a', content: 'a' }], message: 'a' }),
      GitError,
      'AUTH_FAILED',
    );
    expectNoSecret(commitError, SECRET_CANARY);
    expect(logger.lines.length).toBeGreaterThan(0);
    expectNoSecret(logger.lines, SECRET_CANARY);
  });

  it('throws AUTH_FAILED when the server wants a token and none is given', async () => {
    await using fx = await githubFixture(FILES, { token: 'right-token' });
    const anonymous = new GitHubRepository({
      owner: fx.server.owner,
      repo: fx.server.repo,
      baseUrl: fx.server.url,
    });
    await expectCode(anonymous.listFiles('main'), GitError, 'AUTH_FAILED');
  });
});

describe('GitHubRepository options', GIT_TIMEOUT, () => {
  it('reaches a GitHub Enterprise-style API under /api/v3 through baseUrl', async () => {
    await using fx = await githubFixture(FILES, { pathPrefix: '/api/v3' });
    const github = fx.repository({ baseUrl: `${fx.server.origin}/api/v3` });
    await github.commitFiles({
      branch: 'bot',
      files: [{ path: 'app.yaml', content: 'image: app:2.0.0\n' }],
      message: 'bump',
      author: BOT,
    });
    const pull = await github.openOrUpdatePullRequest({ head: 'bot', base: 'main', title: 'bump' });
    expect(pull.created).toBe(true);
    expect(fx.server.requests.every((request) => request.path.startsWith('/api/v3/'))).toBe(true);
    await expectCode(
      fx.repository({ baseUrl: fx.server.origin }).readFile('app.yaml', 'main'),
      GitError,
      'NOT_FOUND',
    );
  });

  it('uses an Octokit it is given, and refuses options that only configure its own', async () => {
    await using fx = await githubFixture(FILES);
    const octokit = new Octokit({ baseUrl: fx.server.url });
    const github = new GitHubRepository({
      owner: fx.server.owner,
      repo: fx.server.repo,
      octokit,
    });
    expect(await github.listFiles()).toEqual(['app.yaml']);
    const error = expectCode(() => fx.repository({ octokit }), GitError, 'INVALID_ARGUMENT');
    expect(error.message).toContain('baseUrl');
  });

  it('refuses a bad owner or retry count', async () => {
    await using fx = await githubFixture(FILES);
    expectCode(() => fx.repository({ owner: '' }), GitError, 'INVALID_ARGUMENT');
    expectCode(() => fx.repository({ retries: -1 }), GitError, 'INVALID_ARGUMENT');
    expectCode(() => fx.repository({ writeIntervalMs: Number.NaN }), GitError, 'INVALID_ARGUMENT');
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
