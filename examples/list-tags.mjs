// List the tags of a private repository and resolve a tag to its digest, with
// credentials read from a docker config file exactly as `docker login` writes
// it. The registry here is the in-memory testkit one with Basic auth, so the
// example runs anywhere; point the reference at ghcr.io or Docker Hub and drop
// the `path` option to use your own ~/.docker/config.json. Run after `pnpm build`:
//   node examples/list-tags.mjs
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerConfigCredentials, RegistryClient, RegistryError } from '@tagsmith/registry';
import { startRegistry } from '@tagsmith/testkit';

const login = { username: 'ci-bot', password: 'example-password' };
const registry = await startRegistry({ auth: { basic: login } });
await registry.pushTags('acme/web', ['1.4.0', '1.4.1', '1.5.0', '2.0.0-rc.1']);
const { digest } = await registry.pushImage('acme/web', 'latest');

const configDir = await mkdtemp(join(tmpdir(), 'tagsmith-example-'));
try {
  const auth = Buffer.from(`${login.username}:${login.password}`).toString('base64');
  const path = join(configDir, 'config.json');
  await writeFile(path, JSON.stringify({ auths: { [registry.host]: { auth } } }, null, 2));

  const client = new RegistryClient({ credentials: dockerConfigCredentials({ path }) });
  const repository = `${registry.host}/acme/web`;

  const tags = await client.listTags(repository);
  console.log(`tags of ${repository}:`, tags);
  // tags of 127.0.0.1:PORT/acme/web: [ '1.4.0', '1.4.1', '1.5.0', '2.0.0-rc.1', 'latest' ]

  const resolved = await client.resolveDigest(`${repository}:latest`);
  console.log(
    `${repository}:latest ->`,
    resolved,
    resolved === digest ? '(matches)' : '(MISMATCH)',
  );
  // 127.0.0.1:PORT/acme/web:latest -> sha256:… (matches)

  try {
    await new RegistryClient().listTags(repository);
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    console.log(`without credentials: ${error.code}`);
    // without credentials: UNAUTHORIZED
  }
} finally {
  await rm(configDir, { recursive: true, force: true });
  await registry.close();
}
