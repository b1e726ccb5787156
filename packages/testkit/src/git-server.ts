// A git host for tests: the smart HTTP protocol (v0 and v2) for one bare
// repository on a loopback port, answered by `git http-backend`
// (git-cgi.ts), with the HTTP auth a real host asks for, a record of every
// request, and injected failures for retry tests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, resolve } from 'node:path';
import { TestkitError } from './errors.js';
import { answerWithHttpBackend } from './git-cgi.js';
import { gitEnv, runGit } from './git-run.js';
import { listenOnFreePort } from './listen.js';

/**
 * How the server authenticates every request:
 * - `basic`: HTTP Basic with exactly this user name and password;
 * - `token`: HTTP Basic whose password is the token, with any user name (as
 *   GitHub and GitLab take a personal access token);
 * - `bearer`: `Authorization: Bearer <token>` (as git sends with
 *   `http.extraHeader`).
 *
 * A request without valid credentials gets 401 with
 * `WWW-Authenticate: Basic realm="tagsmith-testkit"`, so git asks its askpass
 * program or credential helper.
 */
export type GitServerAuth =
  | { readonly type: 'basic'; readonly username: string; readonly password: string }
  | { readonly type: 'token'; readonly token: string }
  | { readonly type: 'bearer'; readonly token: string };

/** Options of {@link serveGit}. */
export interface ServeGitOptions {
  /** The credentials every request needs. Default: none (anyone may clone and push). */
  readonly auth?: GitServerAuth;
  /** Address to bind. Default: `'127.0.0.1'`. */
  readonly host?: string;
  /** The git executable whose `http-backend` answers. Default: `'git'` (found on `PATH`). */
  readonly git?: string;
  /** The environment `git http-backend` runs in, minus every `GIT_*` variable. Default: `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

/** One request as the server answered it. Credentials are never recorded. */
export interface GitServerRequest {
  /** Upper-case method. */
  readonly method: string;
  /** The path without the query, e.g. `/repo.git/info/refs`. */
  readonly path: string;
  /** The git service asked for, when the request names one. */
  readonly service?: 'git-upload-pack' | 'git-receive-pack';
  /** The `Git-Protocol` header, e.g. `'version=2'` when the client speaks protocol v2. */
  readonly gitProtocol?: string;
  /** The request body's `Content-Encoding`, e.g. `'gzip'` (git compresses large fetch negotiations). */
  readonly encoding?: string;
  /** Whether the request carried valid credentials (always `true` without `auth`). */
  readonly authorized: boolean;
  /** The status the server answered. */
  readonly status: number;
}

/** Failures to inject into a running {@link GitServer}. */
export interface GitServerFaults {
  /**
   * Answers the next `count` requests with `status` (400–599) and a short
   * text body instead of serving them, whatever their credentials.
   * Default `count`: `1`. Throws `INVALID_ARGUMENT` for another status or a
   * count below 1.
   */
  rejectNext(status: number, count?: number): void;
  /** Drops every pending injected failure. */
  clear(): void;
}

/** A running git HTTP server; close it (or `await using` it) when done. */
export interface GitServer extends AsyncDisposable {
  /** The repository's URL, e.g. `'http://127.0.0.1:40123/repo.git'`. */
  readonly url: string;
  /** Every request answered so far, oldest first. */
  readonly requests: readonly GitServerRequest[];
  /** Injected failures. */
  readonly faults: GitServerFaults;
  /** Stops listening and drops open connections; safe to call twice. */
  close(): Promise<void>;
}

const REALM = 'Basic realm="tagsmith-testkit"';
// The user http-backend sees when the request has no user name of its own.
const DEFAULT_REMOTE_USER = 'tagsmith';

/**
 * Serves the bare repository `bareDir` over git's smart HTTP protocol on a
 * free port of 127.0.0.1, at `/<basename of bareDir>`. Rejects with
 * `INVALID_ARGUMENT` when `bareDir` is no bare repository and `GIT_FAILED`
 * when git cannot run.
 */
export async function serveGit(bareDir: string, options: ServeGitOptions = {}): Promise<GitServer> {
  const git = options.git ?? 'git';
  const env = gitEnv(options.env ?? process.env);
  const repository = resolve(bareDir);
  const check = await runGit(['--git-dir', repository, 'rev-parse', '--is-bare-repository'], {
    git,
    env,
    okCodes: [0, 128],
  });
  if (check.stdout.toString('utf8').trim() !== 'true') {
    throw new TestkitError(
      'INVALID_ARGUMENT',
      `serveGit: ${repository} is not a bare git repository`,
    );
  }
  const prefix = `/${basename(repository)}`;
  const requests: GitServerRequest[] = [];
  const injected: number[] = [];

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://testkit.invalid');
    const service = serviceOf(url);
    const identity = checkCredentials(options.auth, request.headers.authorization);
    const gitProtocol = request.headers['git-protocol'];
    const encoding = request.headers['content-encoding'];
    const record = (status: number) => {
      requests.push({
        method: request.method ?? 'GET',
        path: url.pathname,
        ...(service === undefined ? {} : { service }),
        ...(typeof gitProtocol === 'string' ? { gitProtocol } : {}),
        ...(encoding === undefined ? {} : { encoding }),
        authorized: identity !== undefined,
        status,
      });
    };
    const fault = injected.shift();
    if (fault !== undefined) {
      reply(request, response, record, fault, `injected fault: status ${fault}`);
    } else if (identity === undefined) {
      reply(request, response, record, 401, 'authentication required');
    } else if (url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) {
      reply(request, response, record, 404, `no repository at ${url.pathname}`);
    } else {
      void answerWithHttpBackend(request, response, {
        git,
        env,
        projectRoot: dirname(repository),
        pathInfo: url.pathname,
        query: url.search.slice(1),
        remoteUser: identity === '' ? DEFAULT_REMOTE_USER : identity,
        onStatus: record,
      });
    }
  });
  await listenOnFreePort(server, options.host ?? '127.0.0.1');
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  let closing: Promise<void> | undefined;
  const gitServer: GitServer = {
    url: `http://${host}:${port}${prefix}`,
    requests,
    faults: {
      rejectNext(status, count = 1) {
        if (!Number.isInteger(status) || status < 400 || status > 599) {
          throw new TestkitError('INVALID_ARGUMENT', `rejectNext: status ${status} is not 400–599`);
        }
        if (!Number.isInteger(count) || count < 1) {
          throw new TestkitError(
            'INVALID_ARGUMENT',
            `rejectNext: count ${count} is not a whole number above 0`,
          );
        }
        for (let i = 0; i < count; i++) injected.push(status);
      },
      clear() {
        injected.length = 0;
      },
    },
    close() {
      closing ??= new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      return closing;
    },
    [Symbol.asyncDispose]() {
      return gitServer.close();
    },
  };
  return gitServer;
}

/** The service of `info/refs?service=…` or of a POST to `…/git-upload-pack`. */
function serviceOf(url: URL): GitServerRequest['service'] {
  const named =
    url.searchParams.get('service') ?? url.pathname.slice(url.pathname.lastIndexOf('/') + 1);
  return named === 'git-upload-pack' || named === 'git-receive-pack' ? named : undefined;
}

/**
 * The user name of a request with valid credentials (`''` when there is
 * none: no auth, or a bearer token), or undefined when it must be refused.
 */
function checkCredentials(
  auth: GitServerAuth | undefined,
  header: string | undefined,
): string | undefined {
  if (auth === undefined) return '';
  if (header === undefined) return undefined;
  const space = header.indexOf(' ');
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (auth.type === 'bearer') return scheme === 'bearer' && value === auth.token ? '' : undefined;
  if (scheme !== 'basic') return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (auth.type === 'token') return password === auth.token ? username : undefined;
  return username === auth.username && password === auth.password ? username : undefined;
}

/** A short text answer, recorded before it is sent. */
function reply(
  request: IncomingMessage,
  response: ServerResponse,
  record: (status: number) => void,
  status: number,
  text: string,
): void {
  record(status);
  // Read and drop the body nobody serves, so the connection stays usable.
  request.resume();
  const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
  if (status === 401) headers['www-authenticate'] = REALM;
  response.writeHead(status, headers);
  response.end(`${text}\n`);
}
