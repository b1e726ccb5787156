// A real OpenSSH server for tests of git over SSH with strict host-key
// checking. A Node TCP server on 127.0.0.1, port 0, hands each connection to
// Debian's sshd in inetd mode (`sshd -i`), so the kernel picks the port and
// parallel test files never race for one. sshd runs as the current user with
// a throw-away host key, config and authorized_keys file.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { findExecutable } from './tools.mjs';

const run = promisify(execFile);

/**
 * @typedef {object} StartSshdOptions
 * @property {string} authorizedKey The public key line(s) that may log in (`ssh-ed25519 AAAA… comment`).
 * @property {string} [repoRoot] What `url()` resolves a relative repository path against. Default: the current directory.
 * @property {string} [sshd] The sshd binary. Default: `sshd` on PATH, else `/usr/sbin/sshd`.
 * @property {NodeJS.ProcessEnv} [env] The environment sshd and ssh-keygen run in. Default: `process.env`.
 */

/**
 * @typedef {object} Sshd
 * @property {number} port The loopback port.
 * @property {string} knownHosts A known_hosts line for this server: `[127.0.0.1]:PORT <host key>`.
 * @property {string} user The user to log in as (the current one).
 * @property {(bareDir: string) => string} url `ssh://USER@127.0.0.1:PORT/abs/path` of a repository.
 * @property {() => string} logs What sshd printed so far, for failure messages.
 * @property {() => Promise<void>} close Stops listening, ends open sessions, deletes the temp dir. Idempotent.
 */

/**
 * Starts the server; resolves once it listens.
 * @param {StartSshdOptions} options
 * @returns {Promise<Sshd & AsyncDisposable>}
 */
export async function startSshd(options) {
  const env = options.env ?? process.env;
  const sshd = options.sshd ?? findExecutable('sshd', env) ?? '/usr/sbin/sshd';
  const dir = await mkdtemp(join(tmpdir(), 'tagsmith-sshd-'));
  const user = userInfo().username;
  /** @type {Set<import('node:child_process').ChildProcess>} */
  const sessions = new Set();
  let log = '';
  try {
    const hostKey = join(dir, 'host_ed25519');
    await run(
      'ssh-keygen',
      ['-q', '-t', 'ed25519', '-N', '', '-C', 'tagsmith-test-host', '-f', hostKey],
      {
        env,
      },
    );
    const authorizedKeys = join(dir, 'authorized_keys');
    await writeFile(authorizedKeys, `${options.authorizedKey.trim()}\n`, { mode: 0o600 });
    const config = join(dir, 'sshd_config');
    await writeFile(config, sshdConfig(hostKey, authorizedKeys));
    // sshd as root separates privileges into this directory, which Debian
    // makes at boot; a container that never booted sshd lacks it.
    if (process.getuid?.() === 0 && !existsSync('/run/sshd')) {
      await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
    }
    // Fails fast with sshd's own message on a bad config or key.
    await run(sshd, ['-t', '-f', config], { env });

    // Paused: this process must never read from a connection, or it would
    // take bytes (the client's version banner) meant for sshd.
    const server = createServer({ pauseOnConnect: true }, (socket) => {
      const child = spawn(sshd, ['-i', '-e', '-f', config], {
        env,
        stdio: [socket, socket, 'pipe'],
      });
      sessions.add(child);
      child.stderr.on('data', (chunk) => {
        log += chunk.toString('utf8');
      });
      child.on('error', (error) => {
        log += `${error.message}\n`;
        socket.destroy();
      });
      child.on('close', () => {
        sessions.delete(child);
        socket.destroy();
      });
      // The child has its own copy of the socket; this side only holds it open.
      socket.on('error', () => {});
    });
    await new Promise((done, fail) => {
      server.once('error', fail);
      server.listen(0, '127.0.0.1', () => done(undefined));
    });
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const hostPub = (await readFile(`${hostKey}.pub`, 'utf8'))
      .trim()
      .split(' ')
      .slice(0, 2)
      .join(' ');

    /** @type {Promise<void> | undefined} */
    let closing;
    const handle = {
      port,
      user,
      knownHosts: `[127.0.0.1]:${port} ${hostPub}`,
      url: (/** @type {string} */ bareDir) =>
        `ssh://${user}@127.0.0.1:${port}${resolve(options.repoRoot ?? '.', bareDir)}`,
      logs: () => log,
      close() {
        closing ??= (async () => {
          // Sessions first: close() waits for every connection to end.
          const stopped = new Promise((done) => server.close(() => done(undefined)));
          for (const child of sessions) child.kill();
          await stopped;
          await rm(dir, { recursive: true, force: true });
        })();
        return closing;
      },
      [Symbol.asyncDispose]() {
        return handle.close();
      },
    };
    return handle;
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Public keys only, no PAM, no forwarding; `StrictModes no` because the temp
 * dir's owner and modes are whatever the test machine gives. The session gets
 * no system or global git config, like every git process of the project.
 * @param {string} hostKey
 * @param {string} authorizedKeys
 */
function sshdConfig(hostKey, authorizedKeys) {
  return [
    `HostKey ${hostKey}`,
    `AuthorizedKeysFile ${authorizedKeys}`,
    'PidFile none',
    'StrictModes no',
    'UsePAM no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    'PermitRootLogin prohibit-password',
    'AllowTcpForwarding no',
    'AllowAgentForwarding no',
    'X11Forwarding no',
    'PermitTTY no',
    'PrintMotd no',
    'LogLevel ERROR',
    'SetEnv GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null',
    '',
  ].join('\n');
}
