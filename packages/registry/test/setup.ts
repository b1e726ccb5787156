// What the end-to-end tests of this package share: testkit registries and plain
// loopback servers that close after each test. Helpers every package's tests
// share (expectCode, tempDir, the secret canary) are in @tagsmith/test-utils.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expectNoSecret, SECRET_CANARY } from '@tagsmith/test-utils';
import { type StartRegistryOptions, startRegistry, type TestRegistry } from '@tagsmith/testkit';
import { afterEach } from 'vitest';

/** Repositories and the tags to push into them before a test starts. */
export type Seed = Readonly<Record<string, readonly string[]>>;

/**
 * Returns a starter of testkit registries for the calling test file; each one
 * started is seeded with `seed` and closed after the test that started it.
 */
export function useRegistries(
  defaultSeed: Seed = {},
): (options?: StartRegistryOptions, seed?: Seed) => Promise<TestRegistry> {
  const open: TestRegistry[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((registry) => registry.close()));
  });
  return async (options, seed = defaultSeed) => {
    const registry = await startRegistry(options);
    open.push(registry);
    for (const [repository, tags] of Object.entries(seed)) {
      await registry.pushTags(repository, tags);
    }
    return registry;
  };
}

/** A plain HTTP server on 127.0.0.1, for behaviour the testkit registry has no fault for. */
export interface LoopbackServer {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** `127.0.0.1:PORT`, for image references. */
  readonly host: string;
}

export type Handler = (request: IncomingMessage, response: ServerResponse, origin: string) => void;

/** Returns a starter of loopback servers that are closed after each test. */
export function useServers(): (handle: Handler) => Promise<LoopbackServer> {
  const open: ReturnType<typeof createServer>[] = [];
  afterEach(() => {
    for (const server of open.splice(0)) {
      server.closeAllConnections();
      server.close();
    }
  });
  return async (handle) => {
    let origin = '';
    const server = createServer((request, response) => handle(request, response, origin));
    open.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    origin = `http://${host}`;
    return { origin, host };
  };
}

/**
 * Asserts that `SECRET_CANARY`, used as a password or token, shows in none of
 * the forms it could leak in — itself, inside Basic auth for `bot`, or as the
 * `<token>` Basic pair — in `error` (every rendering, down its cause chain) or
 * in the log `lines`.
 */
export function expectNoCredential(error: unknown, lines: readonly string[]): void {
  const forms = [
    SECRET_CANARY,
    Buffer.from(`bot:${SECRET_CANARY}`).toString('base64'),
    Buffer.from(`<token>:${SECRET_CANARY}`).toString('base64'),
  ];
  for (const form of forms) {
    expectNoSecret(error, form);
    expectNoSecret(lines, form);
  }
}
