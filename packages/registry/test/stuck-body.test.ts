// A body whose bytes have all arrived but that never ends: a 200 with
// `Content-Encoding: gzip` and a correct `Content-Length` whose gzip stream is
// broken, written after the headers on a kept-alive socket. On Node 20 undici's
// `reader.read()` for it stays pending forever, even after the fetch is aborted
// (found by fuzzing, issue 7). These tests make the client's deadline and the
// caller's signal end every such read: tag lists, the digest GET and the token
// endpoint all read bodies the same way.
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { expectCode } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import { RegistryClient, RegistryError, staticCredentials } from '../src/index.js';
import { useServers } from './setup.js';

const server = useServers();

// Not a gzip stream at all: zlib fails on its first bytes, and undici never says so.
const BROKEN_GZIP = Buffer.from('this is not a gzip stream, though it says so');

/**
 * Answers with the headers first and the broken gzip body in a second write
 * (the response is complete, so the socket stays open for the next request).
 * Resolves a little after that write was flushed, when the client holds every byte.
 */
function brokenGzip(response: ServerResponse): Promise<void> {
  response.writeHead(200, {
    'content-type': 'application/json',
    'content-encoding': 'gzip',
    'content-length': BROKEN_GZIP.length,
  });
  response.flushHeaders();
  return new Promise((resolve) => {
    setTimeout(() => response.end(BROKEN_GZIP, () => setTimeout(resolve, 50)), 20);
  });
}

/** A registry whose first tag-list answer is the broken body and every later one is fine. */
async function tagListServer() {
  const connections = new Set<Socket>();
  let answers = 0;
  let bodySent: Promise<void> | undefined;
  let asked!: () => void;
  const firstRequest = new Promise<void>((resolve) => {
    asked = resolve;
  });
  const { host } = await server((request, response) => {
    connections.add(request.socket);
    if (++answers === 1) {
      bodySent = brokenGzip(response);
      asked();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"name":"app","tags":["1.0"]}');
  });
  return { host, connections, bodySent: () => firstRequest.then(() => bodySent) };
}

describe('a broken gzip body on a kept-alive socket (undici leaves the read pending)', () => {
  it('fails with TIMEOUT after timeoutMs, and frees the connection for the next call', async () => {
    const registry = await tagListServer();
    const client = new RegistryClient({ timeoutMs: 300 });
    const error = await expectCode(
      client.listTags(`${registry.host}/app`),
      RegistryError,
      'TIMEOUT',
    );
    expect(error.status).toBe(200);
    // The same client's next call goes over the same, released connection.
    expect(await client.listTags(`${registry.host}/app`)).toEqual(['1.0']);
    expect(registry.connections.size).toBe(1);
  });

  it("fails with ABORTED when the caller's signal fires", async () => {
    const registry = await tagListServer();
    const controller = new AbortController();
    const reason = new Error('shutting down');
    const pending = new RegistryClient().listTags(`${registry.host}/app`, {
      signal: controller.signal,
    });
    await registry.bodySent();
    controller.abort(reason);
    const error = await expectCode(pending, RegistryError, 'ABORTED');
    expect(error.cause).toBe(reason);
  });

  it('bounds the GET of resolveDigest the same way', async () => {
    const { host } = await server((request, response) => {
      // No Docker-Content-Digest on HEAD, so the client GETs the manifest to hash it.
      if (request.method === 'HEAD') return void response.writeHead(200).end();
      void brokenGzip(response);
    });
    const error = await expectCode(
      new RegistryClient({ timeoutMs: 300 }).resolveDigest(`${host}/app:1`),
      RegistryError,
      'TIMEOUT',
    );
    expect(error.method).toBe('GET');
  });

  it('bounds the token endpoint the same way', async () => {
    const { host } = await server((request, response, origin) => {
      if (request.url?.startsWith('/token')) return void brokenGzip(response);
      response
        .writeHead(401, { 'www-authenticate': `Bearer realm="${origin}/token",service="s"` })
        .end();
    });
    const client = new RegistryClient({
      timeoutMs: 300,
      credentials: staticCredentials({ [host]: { username: 'bot', password: 'pw' } }),
    });
    const error = await expectCode(client.listTags(`${host}/app`), RegistryError, 'TIMEOUT');
    expect(error.url).toContain('/token?');
  });
});
