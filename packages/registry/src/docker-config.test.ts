import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expectCode, expectNoSecret, tempDir } from '@tagsmith/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { dockerConfigCredentials } from './docker-config.js';
import { RegistryError } from './errors.js';

let dir: string;
beforeEach(async () => {
  dir = (await tempDir('docker-config')).path;
});

const b64 = (text: string) => Buffer.from(text).toString('base64');

async function writeConfig(config: unknown, folder = dir): Promise<string> {
  await mkdir(folder, { recursive: true });
  const path = join(folder, 'config.json');
  await writeFile(path, typeof config === 'string' ? config : JSON.stringify(config));
  return path;
}

/**
 * A real `docker-credential-<name>` executable: it logs the server URL it was given
 * on stdin, then answers for `known` like docker-credential-helpers do.
 */
async function writeHelper(name: string, known: string, username: string, secret: string) {
  const bin = join(dir, 'bin');
  await mkdir(bin, { recursive: true });
  const script = `#!/bin/sh
server=$(cat)
printf '%s\\n' "$server" >> "${join(dir, `${name}.log`)}"
if [ "$server" = "${known}" ]; then
  printf '{"ServerURL":"%s","Username":"${username}","Secret":"${secret}"}\\n' "$server"
  exit 0
fi
if [ "$server" = "broken" ]; then
  echo "keychain exploded" ; exit 3
fi
if [ "$server" = "chatty" ]; then
  echo "hello, not JSON" ; exit 0
fi
if [ "$server" = "partial" ]; then
  echo '{"Username":"u"}' ; exit 0
fi
if [ "$server" = "spills" ]; then
  printf '{"Username":"u","Secret":"${secret}"}\n' ; exit 2
fi
echo "credentials not found in native keychain"
exit 1
`;
  const path = join(bin, `docker-credential-${name}`);
  await writeFile(path, script);
  await chmod(path, 0o755);
  return { env: { PATH: `${bin}:${process.env.PATH}`, HOME: dir }, log: join(dir, `${name}.log`) };
}

describe('dockerConfigCredentials: auths', () => {
  it('decodes auth, username/password, identitytoken and registrytoken entries', async () => {
    const path = await writeConfig({
      auths: {
        'https://index.docker.io/v1/': { auth: b64('hubuser:hub:pass') },
        'ghcr.io': { username: 'gh', password: 'ghpass' },
        'quay.io': { identitytoken: 'refresh-123' },
        'example.com': { registrytoken: 'reg-456' },
        'tokenuser.io': { auth: b64('<token>:id-789') },
        'stub.io': {},
      },
    });
    const provider = dockerConfigCredentials({ path, env: {} });
    expect(await provider('https://index.docker.io/v1/')).toEqual({
      username: 'hubuser',
      password: 'hub:pass',
    });
    expect(await provider('ghcr.io')).toEqual({ username: 'gh', password: 'ghpass' });
    expect(await provider('quay.io')).toEqual({ identityToken: 'refresh-123' });
    expect(await provider('example.com')).toEqual({ registryToken: 'reg-456' });
    expect(await provider('tokenuser.io')).toEqual({ identityToken: 'id-789' });
    expect(await provider('stub.io')).toBeUndefined();
    expect(await provider('other.io')).toBeUndefined();
  });

  it('matches exact keys first, then by host name after stripping scheme and path', async () => {
    const path = await writeConfig({
      auths: {
        'https://localhost:5000/v2/': { auth: b64('byhost:1') },
        'localhost:5001': { auth: b64('exact:2') },
        'https://localhost:5001': { auth: b64('byhost:3') },
        'docker.io': { auth: b64('hub:4') },
      },
    });
    const provider = dockerConfigCredentials({ path, env: {} });
    expect(await provider('localhost:5000')).toEqual({ username: 'byhost', password: '1' });
    expect(await provider('localhost:5001')).toEqual({ username: 'exact', password: '2' });
    expect(await provider('https://index.docker.io/v1/')).toEqual({
      username: 'hub',
      password: '4',
    });
  });

  it('finds the file through DOCKER_CONFIG, then HOME, then USERPROFILE', async () => {
    await writeConfig({ auths: { a: { auth: b64('from-docker-config:x') } } }, join(dir, 'dc'));
    await writeConfig({ auths: { a: { auth: b64('from-home:x') } } }, join(dir, 'home', '.docker'));
    await writeConfig(
      { auths: { a: { auth: b64('from-profile:x') } } },
      join(dir, 'up', '.docker'),
    );
    const user = async (env: NodeJS.ProcessEnv) => {
      const credential = await dockerConfigCredentials({ env })('a');
      return credential && 'username' in credential ? credential.username : undefined;
    };
    expect(await user({ DOCKER_CONFIG: join(dir, 'dc'), HOME: join(dir, 'home') })).toBe(
      'from-docker-config',
    );
    expect(await user({ HOME: join(dir, 'home') })).toBe('from-home');
    expect(await user({ USERPROFILE: join(dir, 'up') })).toBe('from-profile');
    expect(await user({ HOME: join(dir, 'nowhere') })).toBeUndefined();
    expect(await user({})).toBeUndefined();
  });

  it('reports malformed files and entries without quoting their content', async () => {
    const secret = 'S3CRET-in-broken-file';
    const broken = await writeConfig(`{"auths": {"a": {"auth": "${secret}"`);
    const error = await expectCode(
      dockerConfigCredentials({ path: broken, env: {} })('a'),
      RegistryError,
      'CREDENTIAL_CONFIG',
    );
    expect(error.message).toContain(broken);
    expectNoSecret(error, secret);

    const noColon = await writeConfig({ auths: { a: { auth: b64(secret) } } });
    const entryError = await expectCode(
      dockerConfigCredentials({ path: noColon, env: {} })('a'),
      RegistryError,
      'CREDENTIAL_CONFIG',
    );
    expect(entryError.message).toContain('auths["a"].auth');
    expectNoSecret(entryError, secret);
  });
});

describe('dockerConfigCredentials: values of the wrong type', () => {
  // Each of these once threw a TypeError, or ran a helper named by one letter of a string.
  it.each([
    [{ auths: { 'quay.io': null } }, 'auths["quay.io"] must be an object, not null'],
    [{ auths: { 'quay.io': 'dXNlcjpwdw==' } }, 'auths["quay.io"] must be an object, not a string'],
    [{ auths: { 'quay.io': [] } }, 'auths["quay.io"] must be an object, not an array'],
    [{ auths: ['quay.io'] }, '"auths" must be an object, not an array'],
    [{ auths: { 'quay.io': { username: 5, password: 'p' } } }, 'auths["quay.io"].username'],
    [{ auths: { 'quay.io': { auth: true } } }, 'auths["quay.io"].auth must be a string'],
    [{ credHelpers: { 'quay.io': null } }, 'credHelpers["quay.io"] must be a string'],
    [{ credHelpers: { 'quay.io': 7 } }, 'credHelpers["quay.io"] must be a string'],
    [{ credHelpers: 'acme' }, '"credHelpers" must be an object, not a string'],
    [{ credsStore: 5 }, '"credsStore" must be a string'],
    [{ credsStore: { name: 'acme' } }, '"credsStore" must be a string'],
  ])(
    'refuses %j with CREDENTIAL_CONFIG naming the key, for every registry',
    async (config, named) => {
      const path = await writeConfig(config);
      const provider = dockerConfigCredentials({ path, env: {} });
      for (const registry of ['quay.io', 'ghcr.io']) {
        const error = await expectCode(provider(registry), RegistryError, 'CREDENTIAL_CONFIG');
        expect(error.registry).toBe(registry);
        expect(error.message).toContain(path);
        expect(error.message).toContain(named);
      }
    },
  );

  it('never quotes the value it refuses', async () => {
    const path = await writeConfig({
      auths: { 'quay.io': { username: 'u', password: 735_019_284 } },
    });
    const error = await expectCode(
      dockerConfigCredentials({ path, env: {} })('quay.io'),
      RegistryError,
      'CREDENTIAL_CONFIG',
    );
    expect(error.message).toContain('auths["quay.io"].password must be a string, not a number');
    expectNoSecret(error, '735019284');
  });

  it('reads null sections and null fields as absent, as docker does', async () => {
    const empty = await writeConfig({ auths: null, credHelpers: null, credsStore: null });
    expect(await dockerConfigCredentials({ path: empty, env: {} })('quay.io')).toBeUndefined();
    const path = await writeConfig({
      auths: { 'quay.io': { auth: null, identitytoken: null, username: 'u', password: 'p' } },
    });
    expect(await dockerConfigCredentials({ path, env: {} })('quay.io')).toEqual({
      username: 'u',
      password: 'p',
    });
  });
});

describe('dockerConfigCredentials: credential helpers', () => {
  it('runs credHelpers[host] with the server URL on stdin', async () => {
    const { env, log } = await writeHelper('acme', 'registry.acme.io', 'robot', 'helper-secret');
    const path = await writeConfig({
      credHelpers: { 'registry.acme.io': 'acme' },
      auths: { 'registry.acme.io': { auth: b64('file:ignored') } },
    });
    const provider = dockerConfigCredentials({ path, env });
    expect(await provider('registry.acme.io')).toEqual({
      username: 'robot',
      password: 'helper-secret',
    });
    expect(await readFile(log, 'utf8')).toBe('registry.acme.io\n');
  });

  it('uses credsStore for other hosts, maps <token> to an identity token, and falls back to auths', async () => {
    const { env, log } = await writeHelper(
      'store',
      'https://index.docker.io/v1/',
      '<token>',
      'id-token',
    );
    const path = await writeConfig({
      credsStore: 'store',
      auths: { 'ghcr.io': { auth: b64('inline:pw') } },
    });
    const provider = dockerConfigCredentials({ path, env });
    expect(await provider('https://index.docker.io/v1/')).toEqual({ identityToken: 'id-token' });
    expect(await provider('ghcr.io')).toEqual({ username: 'inline', password: 'pw' });
    expect(await provider('quay.io')).toBeUndefined();
    expect(await readFile(log, 'utf8')).toBe('https://index.docker.io/v1/\nghcr.io\nquay.io\n');
  });

  it('reports a failing or missing helper as CREDENTIAL_HELPER', async () => {
    const { env } = await writeHelper('acme', 'x', 'u', 'p');
    const path = await writeConfig({ credHelpers: { broken: 'acme', gone: 'missing' } });
    const provider = dockerConfigCredentials({ path, env });
    const failing = await expectCode(provider('broken'), RegistryError, 'CREDENTIAL_HELPER');
    expect(failing.message).toBe(
      'docker-credential-acme get exited with status 3: keychain exploded',
    );
    const missing = await expectCode(provider('gone'), RegistryError, 'CREDENTIAL_HELPER');
    expect(missing.message).toContain('docker-credential-missing get failed (ENOENT)');
  });

  it('withholds the output of a failing helper that printed credentials', async () => {
    const { env } = await writeHelper('acme', 'x', 'u', 'spilled-canary');
    const path = await writeConfig({ credHelpers: { spills: 'acme' } });
    const error = await expectCode(
      dockerConfigCredentials({ path, env })('spills'),
      RegistryError,
      'CREDENTIAL_HELPER',
    );
    expect(error.message).toBe(
      'docker-credential-acme get exited with status 2: (output withheld: it looks like JSON)',
    );
    expectNoSecret(error, 'spilled-canary');
  });

  it('reports a helper that succeeds with output other than credentials as CREDENTIAL_HELPER', async () => {
    const { env } = await writeHelper('acme', 'x', 'u', 'p');
    const path = await writeConfig({ credsStore: 'acme' });
    const provider = dockerConfigCredentials({ path, env });
    const chatty = await expectCode(provider('chatty'), RegistryError, 'CREDENTIAL_HELPER');
    expect(chatty.message).toBe('docker-credential-acme get printed something that is not JSON');
    const partial = await expectCode(provider('partial'), RegistryError, 'CREDENTIAL_HELPER');
    expect(partial.message).toContain('without string Username and Secret');
  });

  it('refuses helper names that are paths', async () => {
    const path = await writeConfig({ credsStore: '../../bin/sh' });
    await expectCode(
      dockerConfigCredentials({ path, env: {} })('x'),
      RegistryError,
      'CREDENTIAL_HELPER',
    );
  });

  it('refuses a name too long to be a file name instead of failing to spawn it', async () => {
    // 5,000 characters once surfaced as a raw `spawn ENAMETOOLONG`.
    for (const length of [5000, 238]) {
      const path = await writeConfig({ credsStore: 'x'.repeat(length) });
      await expectCode(
        dockerConfigCredentials({ path, env: {} })('quay.io'),
        RegistryError,
        'CREDENTIAL_HELPER',
      );
    }
    // The longest name that fits a file name is looked for, and is simply not there.
    const path = await writeConfig({ credsStore: 'x'.repeat(237) });
    const error = await expectCode(
      dockerConfigCredentials({ path, env: { PATH: dir } })('quay.io'),
      RegistryError,
      'CREDENTIAL_HELPER',
    );
    expect(error.message).toContain('failed (ENOENT)');
  });

  it('reports a helper that cannot be started as CREDENTIAL_HELPER with its code as cause', async () => {
    const { env } = await writeHelper('acme', 'x', 'u', 'p');
    const path = await writeConfig({ credsStore: 'acme' });
    // spawn throws on a NUL byte in the environment, quoting the value in its message.
    const poisoned = { ...env, API_TOKEN: 'env-canary\0x' };
    const error = await expectCode(
      dockerConfigCredentials({ path, env: poisoned })('x'),
      RegistryError,
      'CREDENTIAL_HELPER',
    );
    expect(error.cause).toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
    expectNoSecret(error, 'env-canary');
  });
});
