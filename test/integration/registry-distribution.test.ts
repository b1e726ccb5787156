// @tagsmith/registry against Debian's docker-registry (CNCF distribution 2.8),
// cross-checked with skopeo. Distribution 2.8 ignores `n` on tag lists, so
// pagination is covered by the testkit tests in packages/registry/test.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerConfigCredentials, RegistryClient, RegistryError } from '@tagsmith/registry';
import { expectCode } from '@tagsmith/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDistribution } from '../support/distribution.mjs';
import { seedDistribution } from '../support/seed.mjs';
import { skopeoListTags } from '../support/skopeo.mjs';
import { requireTool } from '../support/tools.mjs';

const haveTools = requireTool(['docker-registry', 'skopeo', 'htpasswd']);
const TAGS = ['1.0.0', '1.1.0', '2.0.0-rc.1', 'latest', 'v3'];

describe.runIf(haveTools)('registry client against distribution 2.8', () => {
  describe('anonymous', () => {
    let registry: Awaited<ReturnType<typeof startDistribution>>;
    let digest: string;
    beforeAll(async () => {
      registry = await startDistribution();
      ({ digest } = await seedDistribution(registry.url, 'team/app', TAGS));
    }, 60_000);
    afterAll(() => registry?.close());

    it('lists the same tags as skopeo list-tags', async () => {
      const ours = await new RegistryClient().listTags(`${registry.host}/team/app`);
      const skopeo = await skopeoListTags(`${registry.host}/team/app`);
      expect([...ours].sort()).toEqual([...TAGS].sort());
      expect(ours).toEqual(skopeo);
    });

    it('resolves the digest the registry reports for the tag', async () => {
      const client = new RegistryClient();
      expect(await client.resolveDigest(`${registry.host}/team/app:1.1.0`)).toBe(digest);
      const head = await fetch(`${registry.url}/v2/team/app/manifests/1.1.0`, {
        method: 'HEAD',
        headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
      });
      expect(head.headers.get('docker-content-digest')).toBe(digest);
    });

    it('maps distribution errors to codes', async () => {
      const client = new RegistryClient();
      const unknownRepo = await expectCode(
        client.listTags(`${registry.host}/no/such`),
        RegistryError,
        'NAME_UNKNOWN',
      );
      // distribution's own error text is passed on after the status.
      expect(unknownRepo.message).toContain(
        ': 404 Not Found — repository name not known to registry',
      );
      await expectCode(
        client.resolveDigest(`${registry.host}/team/app:9.9.9`),
        RegistryError,
        'MANIFEST_UNKNOWN',
      );
    });
  });

  describe('htpasswd Basic auth with credentials from a docker config file', () => {
    const user = { username: 'ci-bot', password: 'distribution-Pa55' };
    let registry: Awaited<ReturnType<typeof startDistribution>>;
    let digest: string;
    let configDir: string;
    beforeAll(async () => {
      registry = await startDistribution({ htpasswd: user });
      ({ digest } = await seedDistribution(registry.url, 'private/app', TAGS, { auth: user }));
      configDir = await mkdtemp(join(tmpdir(), 'tagsmith-docker-config-'));
      const auth = Buffer.from(`${user.username}:${user.password}`).toString('base64');
      await writeFile(
        join(configDir, 'config.json'),
        JSON.stringify({ auths: { [`http://${registry.host}`]: { auth } } }),
      );
    }, 60_000);
    afterAll(async () => {
      await registry?.close();
      if (configDir) await rm(configDir, { recursive: true, force: true });
    });

    it('lists tags with DOCKER_CONFIG credentials, matching skopeo', async () => {
      const client = new RegistryClient({
        credentials: dockerConfigCredentials({ env: { DOCKER_CONFIG: configDir } }),
      });
      const ours = await client.listTags(`${registry.host}/private/app`);
      expect(ours).toEqual(await skopeoListTags(`${registry.host}/private/app`, { creds: user }));
      expect(await client.resolveDigest(`${registry.host}/private/app:latest`)).toBe(digest);
    });

    it('fails with UNAUTHORIZED without credentials or with wrong ones', async () => {
      const anonymous = await new RegistryClient()
        .listTags(`${registry.host}/private/app`)
        .catch((e) => e);
      expect(anonymous.code).toBe('UNAUTHORIZED');
      const wrong = await new RegistryClient({
        credentials: async () => ({ username: user.username, password: 'wrong' }),
      })
        .listTags(`${registry.host}/private/app`)
        .catch((e) => e);
      expect(wrong.code).toBe('UNAUTHORIZED');
      expect(wrong.status).toBe(401);
      expect(JSON.stringify(wrong)).not.toContain('wrong');
    });
  });
});
