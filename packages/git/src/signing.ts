// Signing one commit with a key held in memory, as Flux's signingKey `type: gpg | ssh`.
// Everything lives in a private directory (mkdtemp, 0700) made for the one commit and
// removed after it, with its gpg-agent stopped:
//
// - gpg: the armored key is imported into a throwaway GNUPGHOME. git calls gpg through a
//   small wrapper (gpg.program, passed as a GIT_CONFIG_COUNT entry) that adds loopback
//   pinentry and feeds the passphrase from its environment on fd 3, because git gives
//   gpg the data to sign on stdin. The passphrase is never in argv or a file.
// - ssh: git signs with ssh-keygen (gpg.format=ssh, user.signingKey=<key file>, the key
//   written 0600); a passphrase goes to ssh-keygen through SSH_ASKPASS with
//   SSH_ASKPASS_REQUIRE=force, the script reading it from the environment. The key is
//   loaded once with `ssh-keygen -y` first, so a bad key or passphrase fails before
//   anything is staged.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SSH_ASKPASS_SCRIPT, SSH_PASSPHRASE_VARIABLE, withFinalNewline } from './credentials.js';
import type { ConfigEntry, Environment } from './environment.js';
import { GitError } from './errors.js';
import type { Scrubber } from './redact.js';
import { type ProgramOutput, spawnProgram } from './spawn.js';
import type { SigningKey } from './types.js';

/** What `git commit` needs to sign with one key. */
export interface SigningSetup {
  /** Arguments for `git commit`, e.g. `-S<fingerprint>`. */
  readonly args: readonly string[];
  /** Variables for git's environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Config entries for GIT_CONFIG_COUNT. */
  readonly config: readonly ConfigEntry[];
  /** Stops the gpg-agent, if any, and removes the private directory. */
  dispose(): Promise<void>;
}

const GPG_PASSPHRASE_VARIABLE = 'TAGSMITH_GPG_PASSPHRASE';

// fd 4 keeps git's stdin (the data to sign) while the pipe carrying the passphrase
// becomes fd 3, then stdin is given back: gpg reads the passphrase from 3, data from 0.
const GPG_WRAPPER = `#!/bin/sh
exec 4<&0
printf '%s\\n' "$${GPG_PASSPHRASE_VARIABLE}" | gpg --batch --no-tty --pinentry-mode loopback --passphrase-fd 3 "$@" 3<&0 0<&4 4<&-
`;

/** The secrets a signing key carries, for the scrubber. */
export function signingSecrets(key: SigningKey): string[] {
  const material = key.type === 'gpg' ? key.armoredKey : key.privateKey;
  return [material, ...(key.passphrase ? [key.passphrase] : [])];
}

/**
 * `key` when it is one of the {@link SigningKey} shapes with string fields.
 *
 * @throws {GitError} `INVALID_ARGUMENT` otherwise (the message names fields, not values).
 */
export function checkSigningKey(key: unknown): SigningKey {
  const bad = (why: string) => new GitError('INVALID_ARGUMENT', `\`signing\` ${why}`);
  if (typeof key !== 'object' || key === null) throw bad('must be an object');
  const k = key as Record<string, unknown>;
  const field = k.type === 'gpg' ? 'armoredKey' : k.type === 'ssh' ? 'privateKey' : undefined;
  if (field === undefined) throw bad('must have `type` gpg or ssh');
  if (typeof k[field] !== 'string' || k[field] === '') {
    throw bad(`of type ${k.type} needs \`${field}\` as a non-empty string`);
  }
  if (k.passphrase !== undefined && typeof k.passphrase !== 'string') {
    throw bad('`passphrase` must be a string when given');
  }
  return key as SigningKey;
}

/**
 * Prepares `key` for one commit in a private directory under `tmp`.
 *
 * @throws {GitError} `SIGNING_FAILED` when the key cannot be imported or loaded.
 */
export async function setUpSigning(
  key: SigningKey,
  options: { tmp: string; env: Environment; scrubber: Scrubber; signal?: AbortSignal | undefined },
): Promise<SigningSetup> {
  const dir = await mkdtemp(join(options.tmp, 'tagsmith-sign-'));
  let dispose = () => rm(dir, { recursive: true, force: true });
  try {
    if (key.type === 'ssh') return await sshSigning(key, dir, dispose, options);
    const home = join(dir, 'gnupg');
    await mkdir(home, { mode: 0o700 });
    const gpgEnv = toolEnvironment(options.env, { GNUPGHOME: home });
    const removeDir = dispose;
    dispose = async () => {
      // The import started a gpg-agent for this home; it must not outlive the commit.
      await spawnProgram('gpgconf', ['--kill', 'gpg-agent'], { env: gpgEnv }).catch(() => {});
      await removeDir();
    };
    const fingerprint = await importGpgKey(key.armoredKey, gpgEnv, options);
    const wrapper = join(dir, 'gpg-sign');
    await writeFile(wrapper, GPG_WRAPPER, { mode: 0o700, flag: 'wx' });
    return {
      args: [`-S${fingerprint}`],
      env: { GNUPGHOME: home, [GPG_PASSPHRASE_VARIABLE]: key.passphrase ?? '' },
      config: [
        ['gpg.format', 'openpgp'],
        ['gpg.program', wrapper],
      ],
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}

async function importGpgKey(
  armoredKey: string,
  env: Record<string, string>,
  options: { scrubber: Scrubber; signal?: AbortSignal | undefined },
): Promise<string> {
  const gpg = (args: string[], input?: string) =>
    runTool('gpg', ['--batch', '--no-tty', ...args], { env, input, signal: options.signal });
  const imported = await gpg(['--import'], armoredKey);
  if (imported.exitCode !== 0) {
    throw signingFailed('gpg could not import the signing key', imported.stderr, options.scrubber);
  }
  const listed = await gpg(['--with-colons', '--list-secret-keys']);
  // `sec` records carry the key's capabilities in field 12; a capital S means it (or a
  // subkey) can sign. The `fpr` record after it is the primary key's fingerprint, which
  // gpg resolves to the signing subkey itself.
  let signing = false;
  for (const line of listed.stdout.split('\n')) {
    const fields = line.split(':');
    if (fields[0] === 'sec') signing = (fields[11] ?? '').includes('S');
    else if (fields[0] === 'fpr' && signing && fields[9]) return fields[9];
  }
  throw signingFailed(
    'the gpg key holds no secret key that can sign',
    listed.stderr,
    options.scrubber,
  );
}

async function sshSigning(
  key: Extract<SigningKey, { type: 'ssh' }>,
  dir: string,
  dispose: () => Promise<void>,
  options: { env: Environment; scrubber: Scrubber; signal?: AbortSignal | undefined },
): Promise<SigningSetup> {
  const keyFile = join(dir, 'signing-key');
  await writeFile(keyFile, withFinalNewline(key.privateKey), { mode: 0o600, flag: 'wx' });
  const env: Record<string, string> = {};
  if (key.passphrase !== undefined) {
    const askpass = join(dir, 'ssh-askpass');
    await writeFile(askpass, SSH_ASKPASS_SCRIPT, { mode: 0o700, flag: 'wx' });
    Object.assign(env, {
      SSH_ASKPASS: askpass,
      SSH_ASKPASS_REQUIRE: 'force',
      [SSH_PASSPHRASE_VARIABLE]: key.passphrase,
    });
  }
  const loaded = await runTool('ssh-keygen', ['-y', '-f', keyFile], {
    env: toolEnvironment(options.env, env),
    signal: options.signal,
  });
  if (loaded.exitCode !== 0) {
    throw signingFailed(
      'ssh-keygen could not load the signing key (is it an OpenSSH private key, and the passphrase right?)',
      loaded.stderr,
      options.scrubber,
    );
  }
  return {
    args: ['-S'],
    env,
    config: [
      ['gpg.format', 'ssh'],
      ['user.signingKey', keyFile],
    ],
    dispose,
  };
}

function toolEnvironment(
  base: Environment,
  extra: Readonly<Record<string, string>>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) if (value !== undefined) env[name] = value;
  return { ...env, LC_ALL: 'C', ...extra };
}

async function runTool(
  program: string,
  args: string[],
  options: {
    env: Record<string, string>;
    input?: string | undefined;
    signal?: AbortSignal | undefined;
  },
): Promise<ProgramOutput> {
  try {
    return await spawnProgram(program, args, options);
  } catch (error) {
    if (options.signal?.aborted) {
      throw new GitError('ABORTED', `${program}: aborted`, { cause: options.signal.reason });
    }
    throw new GitError(
      'SIGNING_FAILED',
      `cannot run ${program} (${(error as NodeJS.ErrnoException).code ?? 'error'}): install it to sign commits`,
    );
  }
}

function signingFailed(what: string, stderr: string, scrubber: Scrubber): GitError {
  const detail = stderr.trim();
  return new GitError(
    'SIGNING_FAILED',
    scrubber.scrub(detail === '' ? what : `${what}:\n${detail}`),
  );
}
