// Signed commits with keys the test generates, checked by `git verify-commit`: OpenPGP
// through a throwaway GNUPGHOME (with and without a passphrase) and SSH (gpg.format=ssh).
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectCode, expectNoSecret, SECRET_CANARY } from '@tagsmith/test-utils';
import { createGitFixture } from '@tagsmith/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitError, LocalRepository, type SigningKey } from '../src/index.js';
import { BOT, git, run } from './helpers.js';

interface GpgKey {
  armoredKey: string;
  publicKey: string;
}

// A key generated into its own GNUPGHOME, exported, and the agent that made it stopped.
async function generateGpgKey(home: string, passphrase: string): Promise<GpgKey> {
  const env = { ...process.env, GNUPGHOME: home };
  const gpg = (...args: string[]) =>
    run('gpg', ['--batch', '--pinentry-mode', 'loopback', '--passphrase', passphrase, ...args], {
      env,
    });
  await gpg('--quick-gen-key', `${BOT.name} <${BOT.email}>`, 'ed25519', 'sign', 'never');
  const key = {
    armoredKey: await gpg('--armor', '--export-secret-keys', BOT.email),
    publicKey: await gpg('--armor', '--export', BOT.email),
  };
  await run('gpgconf', ['--kill', 'gpg-agent'], { env });
  return key;
}

async function sshKey(dir: string, name: string, passphrase: string) {
  const file = join(dir, name);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', name, '-f', file]);
  return {
    privateKey: await readFile(file, 'utf8'),
    publicKey: (await readFile(`${file}.pub`, 'utf8')).trim(),
  };
}

let keys: {
  dir: string;
  gpg: GpgKey;
  gpgWithPassphrase: GpgKey;
  ssh: { privateKey: string; publicKey: string };
  sshWithPassphrase: { privateKey: string; publicKey: string };
  verifyHome: string;
  allowedSigners: string;
};
// Made by hand, not with tempDir(): that one is removed after the first test.
let keysDir: string | undefined;

beforeAll(async () => {
  keysDir = await mkdtemp(join(tmpdir(), 'tagsmith-keys-'));
  const dir = keysDir;
  await Promise.all(
    ['g1', 'g2', 'verify'].map((name) => run('mkdir', ['-m', '700', join(dir, name)])),
  );
  const gpg = await generateGpgKey(join(dir, 'g1'), '');
  const gpgWithPassphrase = await generateGpgKey(join(dir, 'g2'), SECRET_CANARY);
  const verifyHome = join(dir, 'verify');
  const verifyEnv = { ...process.env, GNUPGHOME: verifyHome };
  await run('gpg', ['--batch', '--import'], { env: verifyEnv, input: gpg.publicKey });
  await run('gpg', ['--batch', '--import'], { env: verifyEnv, input: gpgWithPassphrase.publicKey });
  await run('gpgconf', ['--kill', 'gpg-agent'], { env: verifyEnv });
  const ssh = await sshKey(dir, 'ssh', '');
  const sshWithPassphrase = await sshKey(dir, 'ssh-pass', SECRET_CANARY);
  const allowedSigners = join(dir, 'allowed_signers');
  await writeFile(
    allowedSigners,
    [ssh, sshWithPassphrase].map((key) => `${BOT.email} ${key.publicKey}\n`).join(''),
  );
  keys = { dir, gpg, gpgWithPassphrase, ssh, sshWithPassphrase, verifyHome, allowedSigners };
}, 60_000);

afterAll(async () => {
  if (keysDir !== undefined) await rm(keysDir, { recursive: true, force: true });
});

// A clone whose temp files (keyrings, key files) go to a directory of the test's own.
async function setUp() {
  const fixture = await createGitFixture({ files: { 'app.yaml': 'image: app:1\n' } });
  const tmp = join(fixture.dir, 'tmp');
  await run('mkdir', [tmp]);
  const repository = await LocalRepository.clone(fixture.url, join(fixture.dir, 'work'), {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: tmp },
  });
  let n = 0;
  const change = async (signing: SigningKey) => {
    await writeFile(join(repository.dir, 'app.yaml'), `image: app:${++n + 1}\n`);
    return repository.commit({ files: ['app.yaml'], message: `bump ${n}`, author: BOT, signing });
  };
  return { fixture, repository, dir: repository.dir, tmp, change };
}

async function agentsUnder(path: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(path)) found.push(cmdline.replaceAll('\0', ' '));
  }
  return found;
}

describe('signed commits', { timeout: 60_000 }, () => {
  it('signs with an OpenPGP key, with or without a passphrase; git verify-commit accepts both', async () => {
    const { fixture, dir, tmp, change } = await setUp();
    await using _ = fixture;
    for (const key of [keys.gpg, keys.gpgWithPassphrase]) {
      const passphrase = key === keys.gpg ? {} : { passphrase: SECRET_CANARY };
      const commit = await change({ type: 'gpg', armoredKey: key.armoredKey, ...passphrase });
      expect(commit!.signed).toBe(true);
      const verified = await git(dir, ['verify-commit', '--raw', commit!.sha], {
        env: { GNUPGHOME: keys.verifyHome },
      }).catch((error: Error) => error.message);
      expect(verified).toBe('');
      expect(await git(dir, ['cat-file', 'commit', commit!.sha])).toContain(
        '-----BEGIN PGP SIGNATURE-----',
      );
    }
    await run('gpgconf', ['--kill', 'gpg-agent'], {
      env: { ...process.env, GNUPGHOME: keys.verifyHome },
    });
    // The throwaway keyrings are gone, and so are their agents.
    expect(await readdir(tmp)).toEqual([]);
    expect(await agentsUnder(tmp)).toEqual([]);
  });

  it('signs with an SSH key, with or without a passphrase; git verify-commit accepts both', async () => {
    const { fixture, dir, tmp, change } = await setUp();
    await using _ = fixture;
    for (const key of [keys.ssh, keys.sshWithPassphrase]) {
      const passphrase = key === keys.ssh ? {} : { passphrase: SECRET_CANARY };
      const commit = await change({ type: 'ssh', privateKey: key.privateKey, ...passphrase });
      expect(commit!.signed).toBe(true);
      await git(dir, [
        '-c',
        `gpg.ssh.allowedSignersFile=${keys.allowedSigners}`,
        'verify-commit',
        commit!.sha,
      ]);
      expect(await git(dir, ['cat-file', 'commit', commit!.sha])).toContain(
        '-----BEGIN SSH SIGNATURE-----',
      );
    }
    expect(await readdir(tmp)).toEqual([]);
  });

  it('fails with SIGNING_FAILED for a garbage key or a wrong passphrase, holding no secret', async () => {
    const { fixture, dir, tmp, change } = await setUp();
    await using _ = fixture;
    const head = await git(dir, ['rev-parse', 'HEAD']);
    const bad: SigningKey[] = [
      { type: 'gpg', armoredKey: `-----BEGIN PGP PRIVATE KEY BLOCK-----\n${SECRET_CANARY}\n` },
      { type: 'ssh', privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${SECRET_CANARY}\n` },
      { type: 'gpg', armoredKey: keys.gpgWithPassphrase.armoredKey, passphrase: 'wrong' },
      { type: 'ssh', privateKey: keys.sshWithPassphrase.privateKey, passphrase: 'wrong' },
    ];
    for (const key of bad) {
      const error = await expectCode(change(key), GitError, 'SIGNING_FAILED');
      expectNoSecret(error);
      expectNoSecret(error, key.type === 'gpg' ? key.armoredKey : key.privateKey);
    }
    expect(await git(dir, ['rev-parse', 'HEAD'])).toBe(head);
    expect(await readdir(tmp)).toEqual([]);
    expect(await agentsUnder(tmp)).toEqual([]);
  });

  it('refuses a signing option of the wrong shape with INVALID_ARGUMENT', async () => {
    const { fixture, change } = await setUp();
    await using _ = fixture;
    await expectCode(
      change({ type: 'x509', key: 'k' } as unknown as SigningKey),
      GitError,
      'INVALID_ARGUMENT',
    );
  });
});
