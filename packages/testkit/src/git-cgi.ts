// One HTTP request answered by `git http-backend`, git's own smart HTTP
// server, run as a CGI program (RFC 3875): the request's metadata goes in as
// environment variables, its body on stdin; the program prints CGI headers
// (with a `Status:` line instead of a status line), a blank line and the body.
import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What {@link answerWithHttpBackend} needs besides the request. */
export interface HttpBackendCall {
  /** The git executable. */
  readonly git: string;
  /** The controlled git environment (git-run.ts's `gitEnv`). */
  readonly env: NodeJS.ProcessEnv;
  /** The directory the repository paths are relative to (`GIT_PROJECT_ROOT`). */
  readonly projectRoot: string;
  /** The request path below the project root, e.g. `/repo.git/info/refs`. */
  readonly pathInfo: string;
  /** The query string without `?`. */
  readonly query: string;
  /** Who the request is from; http-backend serves receive-pack only to a known user. */
  readonly remoteUser: string;
  /**
   * Told the status just before it is sent, so a record of it is complete
   * before the client can see the answer.
   */
  readonly onStatus: (status: number) => void;
}

// The most a program may print before its blank line; more means it is no CGI header.
const HEADER_LIMIT = 64 * 1024;

/**
 * Streams `request` through `git http-backend` into `response`, resolving
 * once the response has closed. A backend that fails before its headers
 * gives a 502 with its stderr as the body.
 */
export function answerWithHttpBackend(
  request: IncomingMessage,
  response: ServerResponse,
  call: HttpBackendCall,
): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(call.git, ['http-backend'], {
      env: { ...call.env, ...cgiEnv(request, call) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let head = Buffer.alloc(0);
    const stderr: Buffer[] = [];
    const fail = (why: string) => {
      if (response.writableEnded) return;
      if (response.headersSent) {
        response.destroy();
      } else {
        call.onStatus(502);
        response.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
        response.end(`git http-backend failed: ${why}\n`);
      }
    };
    response.on('close', () => {
      // A client that hung up leaves nobody to read the backend's output.
      if (child.exitCode === null) child.kill();
      resolve();
    });
    child.on('error', (error) => fail(error.message));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    // The backend may answer (e.g. 403) without reading the whole body.
    child.stdin.on('error', () => {});
    request.pipe(child.stdin);

    const onHeadData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = headerEnd(head);
      if (end === undefined) {
        if (head.length > HEADER_LIMIT) {
          child.kill();
          fail('no CGI header block');
        }
        return;
      }
      child.stdout.off('data', onHeadData);
      child.stdout.pause();
      const parsed = parseCgiHeaders(head.subarray(0, end.at).toString('latin1'));
      call.onStatus(parsed.status);
      response.writeHead(parsed.status, parsed.headers);
      response.write(head.subarray(end.at + end.length));
      child.stdout.pipe(response);
    };
    child.stdout.on('data', onHeadData);
    child.on('close', (code) => {
      if (!response.headersSent) {
        fail(Buffer.concat(stderr).toString('utf8').trim() || `exit code ${code}`);
      }
    });
  });
}

/** The CGI variables http-backend reads (git-http-backend(1)). */
function cgiEnv(request: IncomingMessage, call: HttpBackendCall): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    GIT_PROJECT_ROOT: call.projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: `HTTP/${request.httpVersion}`,
    REQUEST_METHOD: request.method ?? 'GET',
    PATH_INFO: call.pathInfo,
    QUERY_STRING: call.query,
    REMOTE_USER: call.remoteUser,
    REMOTE_ADDR: request.socket.remoteAddress ?? '127.0.0.1',
  };
  const headers = request.headers;
  if (headers['content-type'] !== undefined) env.CONTENT_TYPE = headers['content-type'];
  // Without CONTENT_LENGTH (a chunked body) http-backend reads stdin to its end.
  if (headers['content-length'] !== undefined) env.CONTENT_LENGTH = headers['content-length'];
  // git gzips large request bodies; http-backend inflates them itself.
  const encoding = headers['content-encoding'];
  if (encoding !== undefined) env.HTTP_CONTENT_ENCODING = encoding;
  // Protocol v2 is asked for with this header; http-backend passes it on to upload-pack.
  const protocol = headers['git-protocol'];
  if (typeof protocol === 'string') env.GIT_PROTOCOL = protocol;
  return env;
}

/** Where the header block ends: the offset of the blank line and its length. */
function headerEnd(buffer: Buffer): { at: number; length: number } | undefined {
  const crlf = buffer.indexOf('\r\n\r\n');
  const lf = buffer.indexOf('\n\n');
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return { at: crlf, length: 4 };
  return lf === -1 ? undefined : { at: lf, length: 2 };
}

/** The status (from `Status:`, default 200) and the other headers of a CGI header block. */
function parseCgiHeaders(block: string): { status: number; headers: Record<string, string> } {
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') {
      status = Number.parseInt(value, 10) || 500;
    } else {
      headers[name] = value;
    }
  }
  return { status, headers };
}
