// git over SSH against a real OpenSSH server (test/support/sshd.mjs), with
// the ssh options the project uses: a key of its own, and strict host-key
// checking against a known-hosts file the caller gives.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from '@tagsmith/test-utils';
import { createGitFixture } from '@tagsmith/testkit';
import { describe, expect, it } from 'vitest';
import { startSshd } from '../support/sshd.mjs';
import { requireTool } from '../support/tools.mjs';

const run = promisify(execFile);
// sshd lives in /usr/sbin, which a non-root user's PATH may lack.
const toolEnv = { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin` };
const haveTools = requireTool(['sshd', 'ssh', 'ssh-keygen'], { env: toolEnv });

/** A fresh ed25519 key pair: the private key file and the public key line. */
async function keyPair(dir: string, name: string): Promise<{ file: string; pub: string }> {
  const file = join(dir, name);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', file]);
  return { file, pub: (await readFile(`${file}.pub`, 'utf8')).trim() };
}

/** The ssh command line the project hands git: nothing from ~/.ssh, strict host keys. */
function sshCommand(key: string, knownHosts: string): string {
  return [
    'ssh -F /dev/null',
    `-i ${key}`,
    '-o IdentitiesOnly=yes',
    '-o StrictHostKeyChecking=yes',
    `-o UserKnownHostsFile=${knownHosts}`,
    '-o BatchMode=yes',
  ].join(' ');
}

/** git with no system or global config and no prompt, resolving with its outcome. */
async function git(args: string[], env: NodeJS.ProcessEnv, cwd?: string) {
  try {
    const { stdout, stderr } = await run('git', args, {
      cwd,
      env: {
        ...process.env,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_TERMINAL_PROMPT: '0',
        LC_ALL: 'C',
        ...env,
      },
    });
    return { code: 0, stdout: stdout.trim(), stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe.runIf(haveTools)('git over SSH with strict host-key checking (real sshd)', () => {
  it('clones and pushes with the right key and known host; refuses an unknown host key and a wrong key', async () => {
    await using dir = await tempDir('ssh');
    const client = await keyPair(dir.path, 'client');
    const stranger = await keyPair(dir.path, 'stranger');
    await using fixture = await createGitFixture({ files: { 'app.yaml': 'image: app:1\n' } });
    await using sshd = await startSshd({ authorizedKey: client.pub, sshd: '/usr/sbin/sshd' });
    const url = sshd.url(fixture.bareDir);
    expect(url).toBe(`ssh://${sshd.user}@127.0.0.1:${sshd.port}${fixture.bareDir}`);

    const knownHosts = join(dir.path, 'known_hosts');
    await writeFile(knownHosts, `${sshd.knownHosts}\n`);
    const ok = { GIT_SSH_COMMAND: sshCommand(client.file, knownHosts) };
    const clone = join(dir.path, 'clone');
    const cloned = await git(['clone', '-q', url, clone], ok);
    expect(cloned.stderr + sshd.logs()).toBe('');
    expect(await readFile(join(clone, 'app.yaml'), 'utf8')).toBe('image: app:1\n');

    await writeFile(join(clone, 'app.yaml'), 'image: app:2\n');
    const identity = ['-c', 'user.name=t', '-c', 'user.email=t@example.com'];
    expect((await git([...identity, 'commit', '-q', '-am', 'bump'], {}, clone)).code).toBe(0);
    expect((await git(['push', '-q', 'origin', 'main'], ok, clone)).code).toBe(0);
    expect(await fixture.readFile('app.yaml')).toBe('image: app:2\n');

    // Strict checking: a host key that is not the server's, or none at all, is refused.
    const otherHost = await keyPair(dir.path, 'other-host');
    const wrongHosts = join(dir.path, 'wrong_known_hosts');
    await writeFile(wrongHosts, `[127.0.0.1]:${sshd.port} ${otherHost.pub}\n`);
    const emptyHosts = join(dir.path, 'empty_known_hosts');
    await writeFile(emptyHosts, '');
    for (const hosts of [wrongHosts, emptyHosts]) {
      const refused = await git(['ls-remote', url], {
        GIT_SSH_COMMAND: sshCommand(client.file, hosts),
      });
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('Host key verification failed');
    }
    expect(await readFile(emptyHosts, 'utf8')).toBe('');

    const denied = await git(['ls-remote', url], {
      GIT_SSH_COMMAND: sshCommand(stranger.file, knownHosts),
    });
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('Permission denied (publickey)');
  }, 60_000);
});
