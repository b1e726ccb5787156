import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultRule } from './faults.js';
import type { Reply } from './reply.js';

const GARBAGE = Buffer.from('{"name": "garbage", "tags": [1, 2,, <not json>', 'utf8');
const MIB = 1024 * 1024;

/** Where the registry listens, for links a fault points elsewhere. */
export interface Origin {
  readonly port: number;
}

/**
 * Writes `reply`, rewritten by `fault` when one applies. Every header and body
 * fault is applied here so each endpoint can be broken the same way.
 */
export async function writeReply(
  request: IncomingMessage,
  response: ServerResponse,
  reply: Reply,
  fault: FaultRule | undefined,
  origin: Origin,
): Promise<void> {
  const headers: Record<string, string> = {
    'docker-distribution-api-version': 'registry/2.0',
    ...reply.headers,
  };
  let body = reply.body ?? Buffer.alloc(0);
  if (fault !== undefined) {
    if (fault.omitDigestHeader === true) delete headers['docker-content-digest'];
    if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
    if (fault.link !== undefined)
      headers.link = `<${linkTarget(fault.link, request, origin)}>; rel="next"`;
    if (fault.rawBody !== undefined) body = Buffer.from(fault.rawBody, 'utf8');
    if (fault.body === 'garbage') body = GARBAGE;
    Object.assign(headers, fault.headers);
  }
  const isHead = request.method === 'HEAD';
  if (fault?.body === 'oversized' && !isHead) {
    response.writeHead(reply.status, headers);
    await streamOversized(response, (fault.oversizedMiB ?? 20) * MIB);
    return;
  }
  headers['content-length'] = String(body.length);
  response.writeHead(reply.status, headers);
  if (fault?.body === 'truncated') {
    // Half the declared bytes, flushed, then the connection ends: a premature close, not a short body.
    const half = isHead ? Buffer.alloc(0) : body.subarray(0, Math.floor(body.length / 2));
    response.write(half, () => response.socket?.destroy());
    return;
  }
  response.end(isHead ? undefined : body);
}

function linkTarget(
  link: NonNullable<FaultRule['link']>,
  request: IncomingMessage,
  origin: Origin,
): string {
  if (link === 'loop') return request.url ?? '/';
  if (link === 'cross-origin') return `http://localhost:${origin.port}${request.url ?? '/'}`;
  return link.next;
}

/**
 * Streams `size` bytes of JSON that never closes, without `Content-Length`,
 * so only a client that caps while reading can stop early. Stops as soon as
 * the client goes away.
 */
async function streamOversized(response: ServerResponse, size: number): Promise<void> {
  const chunk = Buffer.from(`"${'x'.repeat(62)}",`.repeat(1024), 'utf8');
  let sent = 0;
  if (!response.write('{"name":"oversized","tags":[')) await drained(response);
  while (sent < size && !response.destroyed) {
    const piece = size - sent < chunk.length ? chunk.subarray(0, size - sent) : chunk;
    sent += piece.length;
    if (!response.write(piece)) await drained(response);
  }
  if (!response.destroyed) response.end();
}

/** Resolves on `drain`, or when the response closes (the client aborted). */
async function drained(response: ServerResponse): Promise<void> {
  const controller = new AbortController();
  await Promise.race([
    once(response, 'drain', { signal: controller.signal }),
    once(response, 'close', { signal: controller.signal }),
  ]).finally(() => controller.abort());
}
