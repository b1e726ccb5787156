// A testkit registry with Basic auth, seeded with tags, and a docker config for it in
// a temp DOCKER_CONFIG directory, exactly as `docker login` leaves one: what `tags`
// and `select --image` read credentials from in the child-process tests.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry, type TestRegistry } from '@tagsmith/testkit';

export const LOGIN = { username: 'ci-bot', password: 'cli-test-password' };

/** A running registry and the environment that logs a child process in to it. */
export interface LoggedInRegistry {
  registry: TestRegistry;
  /** `{ DOCKER_CONFIG }` for `tagsmith(args, { env })`. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Starts the registry with Basic auth, pushes `tags` to each repository, writes the docker config. */
export async function loggedInRegistry(
  repositories: Record<string, string[]>,
): Promise<LoggedInRegistry> {
  const registry = await startRegistry({ auth: { basic: LOGIN } });
  for (const [repository, tags] of Object.entries(repositories)) {
    await registry.pushTags(repository, tags);
  }
  const dir = await mkdtemp(join(tmpdir(), 'tagsmith-cli-docker-'));
  const auth = Buffer.from(`${LOGIN.username}:${LOGIN.password}`).toString('base64');
  // Keyed by the name references use, and by the name --host maps to the same endpoint.
  const auths = { [registry.host]: { auth }, 'registry.example.com': { auth } };
  await writeFile(join(dir, 'config.json'), JSON.stringify({ auths }));
  return {
    registry,
    env: { DOCKER_CONFIG: dir },
    async close() {
      await registry.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
