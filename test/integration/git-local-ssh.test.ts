// LocalRepository over SSH against a real OpenSSH server (test/support/sshd.mjs): a key
// given as credentials (with and without a passphrase), strict host-key checking
// against the known-hosts lines given with it, and neither key nor passphrase in what
// a failure shows.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GitError, LocalRepository } from '@tagsmith/git';
import { expectCode, expectNoSecret, SECRET_CANARY, tempDir } from '@tagsmith/test-utils';
import { createGitFixture } from '@tagsmith/testkit';
import { describe, expect, it } from 'vitest';
import { startSshd } from '../support/sshd.mjs';
import { requireTool } from '../support/tools.mjs';

const run = promisify(execFile);
// sshd lives in /usr/sbin, which a non-root user's PATH may lack.
const toolEnv = { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin` };
const haveTools = requireTool(['sshd', 'ssh', 'ssh-keygen'], { env: toolEnv });
const bot = { name: 'tagsmith-bot', email: 'bot@example.com' };

async function keyPair(dir: string, name: string, passphrase = '') {
  const file = join(dir, name);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', name, '-f', file]);
  return {
    privateKey: await readFile(file, 'utf8'),
    publicKey: (await readFile(`${file}.pub`, 'utf8')).trim(),
  };
}

describe.runIf(haveTools)('LocalRepository over SSH (real sshd)', () => {
  it('clones and pushes with a key, with or without a passphrase', async () => {
    await using dir = await tempDir('ssh');
    const plain = await keyPair(dir.path, 'plain');
    const locked = await keyPair(dir.path, 'locked', SECRET_CANARY);
    await using fixture = await createGitFixture({ files: { 'app.yaml': 'image: app:1\n' } });
    await using sshd = await startSshd({
      authorizedKey: `${plain.publicKey}\n${locked.publicKey}`,
      sshd: '/usr/sbin/sshd',
    });
    const keys = [
      { type: 'ssh', privateKey: plain.privateKey, knownHosts: sshd.knownHosts },
      {
        type: 'ssh',
        privateKey: locked.privateKey,
        passphrase: SECRET_CANARY,
        knownHosts: sshd.knownHosts,
      },
    ] as const;
    for (const [i, credentials] of keys.entries()) {
      const repository = await LocalRepository.clone(
        sshd.url(fixture.bareDir),
        join(dir.path, `work-${i}`),
        { credentials },
      );
      await writeFile(join(repository.dir, 'app.yaml'), `image: app:${i + 2}\n`);
      const commit = await repository.commit({ files: ['app.yaml'], message: 'bump', author: bot });
      expect((await repository.push()).after).toBe(commit!.sha);
      expect(await fixture.readFile('app.yaml')).toBe(`image: app:${i + 2}\n`);
      const config = await readFile(join(repository.dir, '.git', 'config'), 'utf8');
      expect(config).not.toContain('PRIVATE KEY');
    }
  }, 60_000);

  it('refuses a host key that is not in knownHosts with HOST_KEY_REJECTED, and a stranger key with AUTH_FAILED', async () => {
    await using dir = await tempDir('ssh');
    const client = await keyPair(dir.path, 'client');
    const stranger = await keyPair(dir.path, 'stranger', SECRET_CANARY);
    const otherHost = await keyPair(dir.path, 'other-host');
    await using fixture = await createGitFixture();
    await using sshd = await startSshd({ authorizedKey: client.publicKey, sshd: '/usr/sbin/sshd' });
    const url = sshd.url(fixture.bareDir);

    const wrongHost = `[127.0.0.1]:${sshd.port} ${otherHost.publicKey.split(' ').slice(0, 2).join(' ')}`;
    const rejected = await expectCode(
      LocalRepository.clone(url, join(dir.path, 'a'), {
        credentials: { type: 'ssh', privateKey: client.privateKey, knownHosts: wrongHost },
      }),
      GitError,
      'HOST_KEY_REJECTED',
    );
    expectNoSecret(rejected, client.privateKey);

    const denied = await expectCode(
      LocalRepository.clone(url, join(dir.path, 'b'), {
        credentials: {
          type: 'ssh',
          privateKey: stranger.privateKey,
          passphrase: SECRET_CANARY,
          knownHosts: sshd.knownHosts,
        },
      }),
      GitError,
      'AUTH_FAILED',
    );
    expectNoSecret(denied);
    expectNoSecret(denied, stranger.privateKey);
    expect(denied.remote).toBe(url.replace(/\/\/[^@]+@/, '//'));
  }, 60_000);
});
