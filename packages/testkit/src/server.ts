import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Authenticator } from './auth.js';
import { handleBlob, handleUpload } from './blobs.js';
import { type FaultList, type FaultRule, faultCode } from './faults.js';
import { listenOnFreePort } from './listen.js';
import { handleManifest } from './manifests.js';
import { jsonReply, ociError, type Reply } from './reply.js';
import type { ApiRequest } from './request.js';
import { matchRoute, type Route, routeRepository } from './routes.js';
import type { RegistryStorage } from './storage.js';
import { listTags } from './tags.js';
import { writeReply } from './writer.js';

/** One request as received, for asserting what a client sent. */
export interface RecordedRequest {
  /** Upper-case method. */
  readonly method: string;
  /** Path and query exactly as requested, e.g. `/v2/app/tags/list?n=100`. */
  readonly path: string;
  /** Headers with lower-case names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
}

/** What the HTTP layer needs from the registry that owns it. */
export interface ServerState {
  readonly storage: RegistryStorage;
  readonly faults: FaultList;
  readonly auth: Authenticator;
  readonly pageSize: number;
  readonly requests: RecordedRequest[];
}

/** Request bodies beyond this are refused: the registry holds everything in memory. */
const MAX_REQUEST_BODY = 64 * 1024 * 1024;
const EMPTY = Buffer.alloc(0);

/** Starts the HTTP server on `host`, port 0, and resolves once it listens. */
export async function listen(state: ServerState, host: string): Promise<Server> {
  const server = createServer((request, response) => {
    serve(state, server, request, response).catch((error: unknown) => {
      // A handler bug must fail the client's test loudly, not hang it.
      if (!response.headersSent) {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(`testkit registry error: ${String(error)}`);
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
  server: Server,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const method = request.method ?? 'GET';
  state.requests.push({ method, path: request.url ?? '/', headers: flattenHeaders(request) });
  const body = await readBody(request);
  if (body === undefined) {
    await writeReply(
      request,
      response,
      ociError(413, 'SIZE_INVALID', 'request body too large'),
      undefined,
      originOf(server),
    );
    return;
  }
  const url = new URL(request.url ?? '/', 'http://testkit.invalid');
  const api: ApiRequest = { method, query: url.searchParams, headers: request.headers, body };
  const route = matchRoute(url.pathname);
  if (route.kind !== 'token' && route.kind !== 'unknown') {
    const need = {
      repository: routeRepository(route),
      action: isRead(method) ? 'pull' : 'push',
    } as const;
    const denied = state.auth.check(request.headers.authorization, need);
    if (denied !== undefined) {
      await writeReply(request, response, denied, undefined, originOf(server));
      return;
    }
  }
  const fault = state.faults.take(method, url.pathname);
  if (fault?.delayMs !== undefined && fault.delayMs > 0) {
    const stillThere = await waitUnlessClosed(response, fault.delayMs);
    if (!stillThere) return;
  }
  if (fault?.reset === true) {
    request.socket.resetAndDestroy();
    return;
  }
  const reply =
    fault?.status !== undefined ? faultReply(state, route, fault) : dispatch(state, route, api);
  await writeReply(request, response, reply, fault, originOf(server));
}

function dispatch(state: ServerState, route: Route, request: ApiRequest): Reply {
  switch (route.kind) {
    case 'base':
      return isRead(request.method)
        ? jsonReply(200, {})
        : ociError(405, 'UNSUPPORTED', `${request.method} is not supported on /v2/`);
    case 'token':
      return state.auth.token(
        request.method,
        request.query,
        request.headers.authorization,
        request.body,
      );
    case 'tags':
      return isRead(request.method)
        ? listTags(state.storage, route.repository, request, state.pageSize)
        : ociError(405, 'UNSUPPORTED', `${request.method} is not supported on tags/list`);
    case 'manifest':
      return handleManifest(state.storage, route.repository, route.reference, request);
    case 'blob':
      return handleBlob(state.storage, route.repository, route.digest, request);
    case 'upload':
      return handleUpload(state.storage, route.repository, route.id, request);
    case 'unknown':
      return ociError(404, 'UNSUPPORTED', 'no such endpoint');
  }
}

function faultReply(state: ServerState, route: Route, fault: FaultRule): Reply {
  const status = fault.status ?? 500;
  const headers: Record<string, string> = {};
  if (status === 401) {
    const challenge = state.auth.challenge({ repository: routeRepository(route), action: 'pull' });
    if (challenge !== undefined) headers['www-authenticate'] = challenge;
  }
  return ociError(status, faultCode(fault), `injected fault: status ${status}`, headers);
}

function isRead(method: string): boolean {
  return method === 'GET' || method === 'HEAD';
}

function originOf(server: Server): { port: number } {
  return { port: (server.address() as AddressInfo).port };
}

function flattenHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** The whole request body, or undefined past {@link MAX_REQUEST_BODY}. */
async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  // Most requests (every tags page) have no body; skipping the stream saves a tick per page.
  if (
    request.headers['content-length'] === undefined &&
    request.headers['transfer-encoding'] === undefined
  ) {
    return EMPTY;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BODY) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** Waits `ms`; false when the client closed the connection meanwhile (it aborted). */
function waitUnlessClosed(response: ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      response.off('close', onClose);
      resolve(!response.destroyed);
    }, ms);
    response.once('close', onClose);
  });
}
