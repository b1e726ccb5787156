// A loopback stand-in for api.github.com (or a GitHub Enterprise Server under /api/v3):
// the REST endpoints a bot uses to commit without a clone and to open pull requests,
// answered from a real bare repository, with GitHub's checks, JSON shapes and failure
// answers, and faults to inject the ones a test cannot cause for real.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestkitError } from './errors.js';
import { ApiAnswer, type GitHubApi } from './github-api.js';
import { type GitHubFaultControl, GitHubFaultList, type GitHubFaultRule } from './github-faults.js';
import { BareRepository } from './github-git.js';
import { type PullRequestRecord, PullRequestStore } from './github-pulls.js';
import { githubError, notFound } from './github-reply.js';
import { route } from './github-routes.js';
import { listenOnFreePort } from './listen.js';
import type { Reply } from './reply.js';

/** Options of {@link startGitHubServer}. */
export interface StartGitHubServerOptions {
  /** Path of the bare git repository (`git init --bare`) the API reads and writes. */
  readonly bareRepo: string;
  /** The repository owner in API paths (`/repos/{owner}/{repo}`). Default: `'tagsmith'`. */
  readonly owner?: string;
  /** The repository name in API paths. Default: `'demo'`. */
  readonly repo?: string;
  /**
   * When set, every request must send `Authorization: token <token>` (or `Bearer`);
   * others get 401 with GitHub's `Bad credentials` (or `Requires authentication`) body.
   * Default: none (anonymous requests allowed).
   */
  readonly token?: string;
  /**
   * Serve the API under this path, as GitHub Enterprise Server does under `/api/v3`; every
   * other path is 404. Default: `''` (at the root, as api.github.com).
   */
  readonly pathPrefix?: string;
  /** Fault rules in place from the first request, as if passed to `faults.add`. Default: none. */
  readonly faults?: readonly GitHubFaultRule[];
  /**
   * Entries in a recursive tree listing (`GET …/git/trees/{sha}?recursive=1`) past which it
   * is cut short with `truncated: true`, as GitHub does past 100,000 entries; set it low to
   * test a client's fallback. Default: `100000`.
   */
  readonly maxTreeEntries?: number;
  /** Address to bind. Default: `'127.0.0.1'`. */
  readonly host?: string;
  /** Milliseconds since the epoch, for commit dates and rate-limit resets. Default: `Date.now`. */
  readonly clock?: () => number;
}

/** One request as answered, for asserting what a client did. */
export interface GitHubRequestRecord {
  /** Upper-case method. */
  readonly method: string;
  /** Path and query exactly as requested, `pathPrefix` included. */
  readonly path: string;
  /** The status it was answered with. */
  readonly status: number;
}

/** A running GitHub test server; close it (or `await using` it) when done. */
export interface GitHubServer extends AsyncDisposable {
  /** The API base URL to give Octokit as `baseUrl`: `http://127.0.0.1:PORT` plus `pathPrefix`. */
  readonly url: string;
  /** `http://127.0.0.1:PORT`, the host of `html_url`s. */
  readonly origin: string;
  /** The owner in API paths. */
  readonly owner: string;
  /** The repository name in API paths. */
  readonly repo: string;
  /** The bare repository behind the API. */
  readonly bareRepo: string;
  /** Every request answered so far, in the order they were answered (401s included). */
  readonly requests: readonly GitHubRequestRecord[];
  /** The pull requests opened so far, oldest first (a snapshot). */
  pulls(): readonly PullRequestRecord[];
  /** Add or clear fault rules while the server runs. */
  readonly faults: GitHubFaultControl;
  /** Stops listening, closes every connection and removes the server's scratch files. Idempotent. */
  close(): Promise<void>;
}

// Request bodies beyond this are refused: a blob is held in memory before git stores it.
const MAX_REQUEST_BODY = 64 * 1024 * 1024;
const NAME = /^[A-Za-z0-9_.-]+$/;
const PREFIX = /^(\/[A-Za-z0-9._~-]+)*$/;

/**
 * Starts a GitHub REST API server for tests on `127.0.0.1` and a random port, backed by the
 * bare repository `options.bareRepo` through git plumbing: what a client commits through
 * the API can be cloned and checked with the git CLI, and what a test pushes to the bare
 * repository the API sees. Ref updates get GitHub's fast-forward check and 422 answer, and
 * are atomic compare-and-swaps, so concurrent writers cannot lose each other's commits.
 * Pull requests and labels are kept in memory.
 *
 * @example
 * ```ts
 * await using github = await startGitHubServer({ bareRepo, token: 'test-token' });
 * const octokit = new Octokit({ baseUrl: github.url, auth: 'test-token' });
 * const { data } = await octokit.rest.git.getRef({ owner: github.owner, repo: github.repo, ref: 'heads/main' });
 * github.faults.failNextRefUpdate(); // the next PATCH …/git/refs/… gets 422 "Update is not a fast forward"
 * ```
 *
 * @throws {TestkitError} `INVALID_ARGUMENT` when `bareRepo` is not a bare repository or
 *   `owner`, `repo`, `pathPrefix`, `token` or `maxTreeEntries` is malformed; `GIT_FAILED`
 *   when git cannot start.
 */
export async function startGitHubServer(options: StartGitHubServerOptions): Promise<GitHubServer> {
  const owner = options.owner ?? 'tagsmith';
  const repo = options.repo ?? 'demo';
  const pathPrefix = options.pathPrefix ?? '';
  if (!NAME.test(owner) || !NAME.test(repo)) {
    throw new TestkitError(
      'INVALID_ARGUMENT',
      `startGitHubServer: owner and repo must match ${NAME}, got ${JSON.stringify(`${owner}/${repo}`)}`,
    );
  }
  if (!PREFIX.test(pathPrefix)) {
    throw new TestkitError(
      'INVALID_ARGUMENT',
      `startGitHubServer: pathPrefix must be '' or like '/api/v3' (no trailing slash), got ${JSON.stringify(pathPrefix)}`,
    );
  }
  if (options.token !== undefined && (options.token === '' || /\s/.test(options.token))) {
    throw new TestkitError(
      'INVALID_ARGUMENT',
      'startGitHubServer: token must be non-empty, without spaces',
    );
  }
  const maxTreeEntries = options.maxTreeEntries ?? 100_000;
  if (!Number.isInteger(maxTreeEntries) || maxTreeEntries < 1) {
    throw new TestkitError(
      'INVALID_ARGUMENT',
      `startGitHubServer: maxTreeEntries must be a positive integer, got ${String(maxTreeEntries)}`,
    );
  }
  const git = new BareRepository(options.bareRepo);
  await assertBare(git);
  const clock = options.clock ?? Date.now;
  const faults = new GitHubFaultList(`/repos/${owner}/${repo}`, clock);
  for (const rule of options.faults ?? []) faults.add(rule);
  const scratchDir = await mkdtemp(join(tmpdir(), 'tagsmith-github-server-'));
  let indexCounter = 0;
  const host = options.host ?? '127.0.0.1';
  const requests: GitHubRequestRecord[] = [];
  const state: ServerState = {
    token: options.token,
    pathPrefix,
    faults,
    requests,
    api: undefined,
  };
  const server = await listen(state, host);
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const pulls = new PullRequestStore();
  const api: GitHubApi = {
    git,
    owner,
    repo,
    origin,
    apiUrl: `${origin}${pathPrefix}`,
    pulls,
    maxTreeEntries,
    clock,
    nextIndexFile: () => join(scratchDir, `index-${++indexCounter}`),
  };
  state.api = api;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      // Keep-alive sockets (undici keeps them) would otherwise hold close() open.
      server.closeAllConnections();
    }).finally(() => rm(scratchDir, { recursive: true, force: true }));
    return closing;
  };
  return {
    url: api.apiUrl,
    origin,
    owner,
    repo,
    bareRepo: options.bareRepo,
    requests,
    pulls: () => pulls.records((number) => `${origin}/${owner}/${repo}/pull/${number}`),
    faults: {
      add: (rule) => faults.add(rule),
      clear: () => faults.clear(),
      failNextRefUpdate: (times) => faults.failNextRefUpdate(times),
      rateLimit: (limit) => faults.rateLimit(limit),
      serverError: (status, times) => faults.serverError(status, times),
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

interface ServerState {
  readonly token: string | undefined;
  readonly pathPrefix: string;
  readonly faults: GitHubFaultList;
  readonly requests: GitHubRequestRecord[];
  api: GitHubApi | undefined;
}

async function assertBare(git: BareRepository): Promise<void> {
  // 128: not a repository at all. A git that cannot start is GIT_FAILED, from the runner.
  const { code, stdout } = await git.run(['rev-parse', '--is-bare-repository'], {
    okCodes: [0, 128],
  });
  if (code !== 0) {
    throw new TestkitError(
      'INVALID_ARGUMENT',
      `startGitHubServer: ${git.dir} is not a git repository`,
    );
  }
  if (stdout.toString().trim() !== 'true') {
    throw new TestkitError(
      'INVALID_ARGUMENT',
      `startGitHubServer: ${git.dir} is not a bare repository (make one with git init --bare)`,
    );
  }
}

async function listen(state: ServerState, host: string): Promise<Server> {
  const server = createServer((request, response) => {
    serve(state, request, response).catch((error: unknown) => {
      // A handler bug must fail the client's test loudly, not hang it.
      if (!response.headersSent) {
        write(response, githubError(500, `testkit GitHub server error: ${String(error)}`));
      } else {
        response.destroy();
      }
    });
  });
  await listenOnFreePort(server, host);
  return server;
}

async function serve(
  state: ServerState,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const method = request.method ?? 'GET';
  const raw = request.url ?? '/';
  const reply = await answerRequest(state, method, raw, request);
  state.requests.push({ method, path: raw, status: reply.status });
  write(response, reply);
}

async function answerRequest(
  state: ServerState,
  method: string,
  raw: string,
  request: IncomingMessage,
): Promise<Reply> {
  const body = await readBody(request);
  if (body === undefined) return githubError(413, 'request body too large');
  const url = new URL(raw, 'http://testkit.invalid');
  if (!url.pathname.startsWith(`${state.pathPrefix}/`)) return notFound();
  const path = url.pathname.slice(state.pathPrefix.length);
  const denied = checkToken(state.token, request.headers.authorization);
  if (denied !== undefined) return denied;
  const fault = state.faults.take(method, path);
  if (fault !== undefined) return fault;
  const api = state.api!;
  const found = route(api, method, path);
  if (found === undefined) return notFound();
  try {
    return await found.handler(api, {
      method,
      params: found.params,
      query: url.searchParams,
      body,
    });
  } catch (error) {
    if (error instanceof ApiAnswer) return error.reply;
    throw error;
  }
}

function checkToken(token: string | undefined, header: string | undefined): Reply | undefined {
  if (token === undefined) return undefined;
  if (header === undefined) return githubError(401, 'Requires authentication');
  const match = /^(?:token|bearer) +(\S+)$/i.exec(header.trim());
  return match?.[1] === token ? undefined : githubError(401, 'Bad credentials');
}

function write(response: ServerResponse, reply: Reply): void {
  const body = reply.body ?? Buffer.alloc(0);
  response.writeHead(reply.status, {
    'x-github-request-id': randomUUID(),
    'x-github-api-version-selected': '2022-11-28',
    ...reply.headers,
    ...(reply.status === 204 ? {} : { 'content-length': String(body.length) }),
  });
  response.end(reply.status === 204 ? undefined : body);
}

/** The whole request body, or undefined past {@link MAX_REQUEST_BODY}. */
async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BODY) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}
