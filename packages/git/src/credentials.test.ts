// What each kind of credential becomes for one git command: the askpass script run
// for real, the private files and their modes, and nothing left after dispose.
import { execFile } from 'node:child_process';
import { access, readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { expectCode, SECRET_CANARY, tempDir } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import { checkCredentials, credentialSecrets, setUpCredentials } from './credentials.js';
import { GitError } from './errors.js';

const run = promisify(execFile);

describe('setUpCredentials', () => {
  it('gives a token to git through an askpass script that holds no secret', async () => {
    await using tmp = await tempDir('cred');
    const setup = await setUpCredentials({ type: 'token', token: SECRET_CANARY }, {}, tmp.path);
    const askpass = setup.env.GIT_ASKPASS!;
    expect((await stat(askpass)).mode & 0o777).toBe(0o700);
    expect(await readFile(askpass, 'utf8')).not.toContain(SECRET_CANARY);
    const env = { ...setup.env, PATH: process.env.PATH };
    const user = await run(askpass, ["Username for 'https://h': "], { env });
    const pass = await run(askpass, ["Password for 'https://x-access-token@h': "], { env });
    expect(user.stdout).toBe('x-access-token\n');
    expect(pass.stdout).toBe(`${SECRET_CANARY}\n`);
    expect(setup.config).toEqual([['credential.helper', '']]);
    await setup.dispose();
    await expect(access(askpass)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('sends a bearer token as an extra header in the config entries, with no file', async () => {
    await using tmp = await tempDir('cred');
    const setup = await setUpCredentials({ type: 'bearer', token: SECRET_CANARY }, {}, tmp.path);
    expect(setup.config).toContainEqual([
      'http.extraHeader',
      `Authorization: Bearer ${SECRET_CANARY}`,
    ]);
    expect(setup.env).toEqual({});
  });

  it('writes an ssh key 0600 beside its known hosts, and quotes them into GIT_SSH_COMMAND', async () => {
    await using tmp = await tempDir('cred with space');
    const setup = await setUpCredentials(
      {
        type: 'ssh',
        privateKey: 'KEY',
        knownHosts: 'h ssh-ed25519 AAAA',
        passphrase: SECRET_CANARY,
      },
      {},
      tmp.path,
    );
    const command = setup.env.GIT_SSH_COMMAND!;
    expect(command).toContain('StrictHostKeyChecking=yes');
    expect(command).not.toContain('BatchMode');
    expect(command).not.toContain(SECRET_CANARY);
    const key = /-i '([^']+)'/.exec(command)![1]!;
    expect((await stat(key)).mode & 0o777).toBe(0o600);
    expect(await readFile(key, 'utf8')).toBe('KEY\n');
    expect(setup.env.SSH_ASKPASS_REQUIRE).toBe('force');
    await setup.dispose();
    await expect(access(key)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('keeps ssh from prompting without credentials, unless the caller chose an ssh command', async () => {
    expect((await setUpCredentials(undefined, {}, '/nonexistent')).env).toEqual({
      GIT_SSH_COMMAND: 'ssh -o BatchMode=yes',
    });
    expect((await setUpCredentials(undefined, { GIT_SSH_COMMAND: 'mine' }, '/x')).env).toEqual({});
  });
});

describe('checkCredentials and credentialSecrets', () => {
  it('refuses a wrong shape naming the field, never the value', () => {
    for (const bad of [
      { type: 'token' },
      { type: 'basic', username: 'u' },
      { type: 'ssh', privateKey: SECRET_CANARY },
      { type: 'bearer', token: `${SECRET_CANARY}\nX: y` },
      { type: 'password', password: SECRET_CANARY },
    ]) {
      const error = expectCode(() => checkCredentials(bad), GitError, 'INVALID_ARGUMENT');
      expect(error.message).not.toContain(SECRET_CANARY);
    }
  });

  it('lists every form a secret may travel in', () => {
    const basic = Buffer.from(`x-access-token:${SECRET_CANARY}`).toString('base64');
    expect(credentialSecrets({ type: 'token', token: SECRET_CANARY })).toEqual([
      SECRET_CANARY,
      basic,
    ]);
    expect(
      credentialSecrets({ type: 'ssh', privateKey: 'k', knownHosts: 'h', passphrase: 'p' }),
    ).toEqual(['k', 'p']);
  });
});
