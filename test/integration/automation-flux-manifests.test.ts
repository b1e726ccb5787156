// End to end on Flux's own manifests: the seed scenario's three manifests, byte for byte
// (test/integration/fixtures/seed-flux/flux-system.yaml), plus a GitRepository pointing at
// a bare repository served over HTTP, loaded by loadConfig with a `hosts` entry for
// registry.example.com and run by runAutomation. The commit message comes from Flux's
// `.Updated.Images` template. Once against the testkit registry, once against Debian's
// docker-registry (distribution 2.8) behind htpasswd with credentials from a docker config;
// and the git side over HTTP with Basic auth and over SSH (a real sshd), credentials given
// by reference in a tagsmith.yaml beside the manifests.
import { execFile } from 'node:child_process';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadConfig, runAutomation } from '@tagsmith/automation';
import { expectNoSecret, SECRET_CANARY, tempDir } from '@tagsmith/test-utils';
import { createGitFixture, serveGit, startRegistry } from '@tagsmith/testkit';
import { describe, expect, it } from 'vitest';
import { startDistribution } from '../support/distribution.mjs';
import { seedDistribution } from '../support/seed.mjs';
import { startSshd } from '../support/sshd.mjs';
import { requireTool } from '../support/tools.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const MANIFESTS = join(here, 'fixtures/seed-flux/flux-system.yaml');
const TAGS = ['1.0.0', '1.4.2', '1.9.0', '2.0.0', '1.10.0-rc.1', 'latest'];
const MESSAGE = 'chore: update image to registry.example.com/my-app:1.9.0';

const APPS: Record<string, string> = {
  'apps/my-app/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-app
  namespace: apps
spec:
  template:
    spec:
      containers:
        - name: my-app
          image: registry.example.com/my-app:1.0.0 # {"$imagepolicy": "flux-system:my-app"}
`,
  'apps/my-app/images.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
images:
  - name: my-app
    newName: registry.example.com/my-app # {"$imagepolicy": "flux-system:my-app:name"}
    newTag: 1.4.2 # {"$imagepolicy": "flux-system:my-app:tag"}
`,
  'apps/my-app/helmrelease.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: { name: my-app, namespace: apps }
spec:
  values:
    image:
      repository: registry.example.com/my-app # {"$imagepolicy": "flux-system:my-app:name"}
      tag: '1.0.0' # {"$imagepolicy": "flux-system:my-app:tag"}
`,
  // Outside update.path (./apps): never touched.
  'clusters/prod/app.yaml':
    'image: registry.example.com/my-app:1.0.0 # {"$imagepolicy": "flux-system:my-app"}\n',
};

/** A directory with the seed manifests, unchanged, and a GitRepository for `url`. */
async function manifests(url: string): Promise<string> {
  const dir = await tempDir('tagsmith-flux-manifests-');
  await copyFile(MANIFESTS, join(dir.path, 'flux-system.yaml'));
  await writeFile(
    join(dir.path, 'gitrepository.yaml'),
    `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: gitops-config
  namespace: flux-system
spec:
  interval: 1m
  url: ${url}
  ref:
    branch: main
`,
  );
  return dir.path;
}

/**
 * A tagsmith.yaml beside the manifests giving the GitRepository the credentials its
 * `secretRef` would hold in a cluster (`credentials`: YAML lines indented under the key),
 * by reference only.
 */
async function withGitCredentials(root: string, credentials: string): Promise<void> {
  await writeFile(
    join(root, 'tagsmith.yaml'),
    `apiVersion: tagsmith.dev/v1
kind: Config
manifests: [.]
overrides:
  gitRepositories:
    flux-system/gitops-config:
      credentials:
${credentials}`,
  );
}

async function cycleTwice(
  dir: string,
  endpoint: string,
  env: Record<string, string>,
  gitPassword?: string,
) {
  const remote = await createGitFixture({ files: APPS, branch: 'main' });
  const server = await serveGit(
    remote.bareDir,
    gitPassword === undefined
      ? {}
      : { auth: { type: 'basic', username: 'flux', password: gitPassword } },
  );
  try {
    const root = await manifests(server.url);
    if (gitPassword !== undefined) {
      await withGitCredentials(
        root,
        '        type: basic\n        username: flux\n        password: env:GIT_PASSWORD\n',
      );
    }
    const config = await loadConfig(root, { hosts: { 'registry.example.com': endpoint }, env });
    expect(config.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
    expect(config.automations.map((a) => a.policies)).toEqual([['flux-system:my-app']]);

    const first = await runAutomation(config, { env, workDir: dir });
    expect(first.automations[0]?.status).toBe('pushed');
    if (gitPassword !== undefined) expectNoSecret(first, gitPassword);
    expect((await remote.log()).map((commit) => commit.message)).toEqual([
      MESSAGE,
      'initial commit',
    ]);
    // Only the marked values changed.
    expect(await remote.readFile('apps/my-app/deployment.yaml')).toBe(
      APPS['apps/my-app/deployment.yaml']?.replace('my-app:1.0.0', 'my-app:1.9.0'),
    );
    expect(await remote.readFile('apps/my-app/images.yaml')).toBe(
      APPS['apps/my-app/images.yaml']?.replace('newTag: 1.4.2', 'newTag: 1.9.0'),
    );
    expect(await remote.readFile('apps/my-app/helmrelease.yaml')).toBe(
      APPS['apps/my-app/helmrelease.yaml']?.replace("'1.0.0'", "'1.9.0'"),
    );
    expect(await remote.readFile('clusters/prod/app.yaml')).toBe(APPS['clusters/prod/app.yaml']);

    const second = await runAutomation(config, { env, workDir: join(dir, 'second') });
    expect(second.automations[0]?.status).toBe('no-change');
    expect((await remote.log()).length).toBe(2);
    // The manifests themselves were only read.
    expect(await readFile(join(root, 'flux-system.yaml'), 'utf8')).toBe(
      await readFile(MANIFESTS, 'utf8'),
    );
  } finally {
    await server.close();
    await remote.remove();
  }
}

describe('automation on Flux manifests', { timeout: 120_000 }, () => {
  it('runs the seed scenario against the testkit registry through a hosts entry', async () => {
    await using registry = await startRegistry();
    await registry.pushTags('my-app', TAGS);
    const work = await tempDir('tagsmith-flux-work-');
    await cycleTwice(work.path, registry.url, {});
  });

  it('pushes over HTTP with Basic auth from an env: reference in tagsmith.yaml', async () => {
    await using registry = await startRegistry();
    await registry.pushTags('my-app', TAGS);
    const work = await tempDir('tagsmith-flux-work-');
    await cycleTwice(work.path, registry.url, { GIT_PASSWORD: SECRET_CANARY }, SECRET_CANARY);
  });

  describe.runIf(requireTool(['docker-registry', 'htpasswd']))(
    'on distribution 2.8 with htpasswd',
    () => {
      it('reads the registry credentials from a docker config', async () => {
        const user = { username: 'flux-bot', password: 'distribution-Pa55' };
        const registry = await startDistribution({ htpasswd: user });
        try {
          await seedDistribution(registry.url, 'my-app', TAGS, { auth: user });
          const dockerConfig = await tempDir('tagsmith-docker-config-');
          // A mapped name keeps its credential key: the config names registry.example.com.
          const auth = Buffer.from(`${user.username}:${user.password}`).toString('base64');
          await writeFile(
            join(dockerConfig.path, 'config.json'),
            JSON.stringify({ auths: { 'registry.example.com': { auth } } }),
          );
          const work = await tempDir('tagsmith-flux-work-');
          await cycleTwice(work.path, registry.url, { DOCKER_CONFIG: dockerConfig.path });
        } finally {
          await registry.close();
        }
      });
    },
  );

  // sshd lives in /usr/sbin, which a non-root user's PATH may lack.
  const sshEnv = { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin` };
  describe.runIf(requireTool(['sshd', 'ssh', 'ssh-keygen'], { env: sshEnv }))('over SSH', () => {
    it('clones and pushes an ssh:// GitRepository with a key and known_hosts by file: reference', async () => {
      await using registry = await startRegistry();
      await registry.pushTags('my-app', TAGS);
      const keys = await tempDir('tagsmith-flux-ssh-');
      const key = join(keys.path, 'id_ed25519');
      await promisify(execFile)('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
      await using remote = await createGitFixture({ files: APPS, branch: 'main' });
      await using sshd = await startSshd({
        authorizedKey: (await readFile(`${key}.pub`, 'utf8')).trim(),
        sshd: '/usr/sbin/sshd',
      });
      await writeFile(join(keys.path, 'known_hosts'), sshd.knownHosts);
      const root = await manifests(sshd.url(remote.bareDir));
      await withGitCredentials(
        root,
        `        type: ssh\n        privateKey: file:${key}\n        knownHosts: file:${join(keys.path, 'known_hosts')}\n`,
      );
      const config = await loadConfig(root, { hosts: { 'registry.example.com': registry.url } });
      expect(config.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
      const work = await tempDir('tagsmith-flux-work-');
      const report = await runAutomation(config, { env: {}, workDir: work.path });
      expect(report.automations[0]?.status).toBe('pushed');
      expect((await remote.log())[0]?.message).toBe(MESSAGE);
      expectNoSecret(report, await readFile(key, 'utf8'));
    });
  });
});
