// How credentials reach git without touching argv (world-readable in /proc), the
// remote URL or .git/config (both persist). Each fetch or push gets a fresh private
// directory (mkdtemp, mode 0700) that is removed when the command ends:
//
// - token, basic: a GIT_ASKPASS script that prints the user name or the password it
//   finds in its own environment. The script holds no secret; the secret lives only in
//   the environment of git and its children, readable by the same user alone.
// - bearer: `http.extraHeader=Authorization: Bearer …` as a GIT_CONFIG_COUNT entry, so
//   also only in the child's environment.
// - ssh: the key must be a file for ssh, so it is written mode 0600 into the private
//   directory (with the known-hosts lines beside it) for the length of the command;
//   GIT_SSH_COMMAND points ssh at them with strict host-key checking, and a passphrase
//   goes to ssh through SSH_ASKPASS (a script reading it from the environment).

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConfigEntry, Environment } from './environment.js';
import { GitError } from './errors.js';
import { basicAuthForms } from './redact.js';
import type { GitCredentials } from './types.js';

/** What one network command needs for its credentials. */
export interface CredentialSetup {
  /** Variables for git's environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Config entries for GIT_CONFIG_COUNT. */
  readonly config: readonly ConfigEntry[];
  /** Removes the private directory, if one was made. */
  dispose(): Promise<void>;
}

const USERNAME_VARIABLE = 'TAGSMITH_GIT_USERNAME';
const PASSWORD_VARIABLE = 'TAGSMITH_GIT_PASSWORD';
const PASSPHRASE_VARIABLE = 'TAGSMITH_SSH_PASSPHRASE';

// git asks "Username for 'https://host': " and then "Password for 'https://user@host': ".
const GIT_ASKPASS_SCRIPT = `#!/bin/sh
case "$1" in
  Username*) printf '%s\\n' "$${USERNAME_VARIABLE}" ;;
  *) printf '%s\\n' "$${PASSWORD_VARIABLE}" ;;
esac
`;

/** An SSH_ASKPASS program that answers every prompt with the passphrase in its environment. */
export const SSH_ASKPASS_SCRIPT = `#!/bin/sh
printf '%s\\n' "$${PASSPHRASE_VARIABLE}"
`;

/** The name of the variable {@link SSH_ASKPASS_SCRIPT} reads. */
export const SSH_PASSPHRASE_VARIABLE = PASSPHRASE_VARIABLE;

const NO_SETUP: CredentialSetup = { env: {}, config: [], dispose: async () => {} };

/**
 * `credentials` when it is one of the {@link GitCredentials} shapes with string fields.
 * Messages name fields, never values.
 *
 * @throws {GitError} `INVALID_ARGUMENT` otherwise.
 */
export function checkCredentials(credentials: unknown): GitCredentials | undefined {
  if (credentials === undefined) return undefined;
  const bad = (why: string) => new GitError('INVALID_ARGUMENT', `\`credentials\` ${why}`);
  if (typeof credentials !== 'object' || credentials === null) throw bad('must be an object');
  const c = credentials as Record<string, unknown>;
  const need = (...fields: string[]): void => {
    for (const field of fields) {
      if (typeof c[field] !== 'string' || c[field] === '') {
        throw bad(`of type ${String(c.type)} needs \`${field}\` as a non-empty string`);
      }
    }
  };
  const optional = (field: string): void => {
    if (c[field] !== undefined && typeof c[field] !== 'string') {
      throw bad(`field \`${field}\` must be a string when given`);
    }
  };
  switch (c.type) {
    case 'token':
      need('token');
      optional('username');
      break;
    case 'basic':
      need('username', 'password');
      break;
    case 'bearer':
      need('token');
      if (/[\r\n]/.test(c.token as string)) throw bad('`token` must be one line');
      break;
    case 'ssh':
      need('privateKey');
      if (typeof c.knownHosts !== 'string' || c.knownHosts.trim() === '') {
        throw bad(
          'of type ssh needs `knownHosts`: the known_hosts lines of the server (ssh-keyscan prints them); host keys are always checked',
        );
      }
      optional('passphrase');
      break;
    default:
      throw bad('must have `type` token, basic, bearer or ssh');
  }
  return credentials as GitCredentials;
}

/** Every value of `credentials` that must never be shown, in every form it may travel in. */
export function credentialSecrets(credentials: GitCredentials | undefined): string[] {
  switch (credentials?.type) {
    case undefined:
      return [];
    case 'token':
      return basicAuthForms(userName(credentials), credentials.token);
    case 'basic':
      return basicAuthForms(credentials.username, credentials.password);
    case 'bearer':
      return [credentials.token];
    case 'ssh':
      return [credentials.privateKey, ...(credentials.passphrase ? [credentials.passphrase] : [])];
  }
}

// A token without a user name goes as GitHub's `x-access-token`; basic always has one.
function userName(credentials: { username?: string }): string {
  return credentials.username ?? 'x-access-token';
}

/**
 * Makes what one fetch, push or ls-remote needs to authenticate with `credentials`.
 * Without credentials it still keeps ssh from prompting (BatchMode) unless the base
 * environment chose an ssh command itself.
 *
 * @param tmp - Where the private directory is made.
 */
export async function setUpCredentials(
  credentials: GitCredentials | undefined,
  base: Environment,
  tmp: string,
): Promise<CredentialSetup> {
  if (credentials === undefined) {
    if (base.GIT_SSH_COMMAND !== undefined || base.GIT_SSH !== undefined) return NO_SETUP;
    return { ...NO_SETUP, env: { GIT_SSH_COMMAND: 'ssh -o BatchMode=yes' } };
  }
  // Helpers from a global config (useGlobalConfig) would answer before the askpass
  // script; an empty `credential.helper` resets their list.
  const noHelpers: ConfigEntry = ['credential.helper', ''];
  if (credentials.type === 'bearer') {
    return {
      ...NO_SETUP,
      config: [noHelpers, ['http.extraHeader', `Authorization: Bearer ${credentials.token}`]],
    };
  }
  const dir = await mkdtemp(join(tmp, 'tagsmith-git-')).catch((error: unknown) => {
    throw cannotPrepare(tmp, error);
  });
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    if (credentials.type === 'ssh') return await sshSetup(credentials, dir, dispose);
    const askpass = join(dir, 'askpass');
    // Stryker disable next-line StringLiteral: the directory is fresh from mkdtemp (0700), so no file is there and 'w' acts as 'wx'
    await writeFile(askpass, GIT_ASKPASS_SCRIPT, { mode: 0o700, flag: 'wx' });
    const password = credentials.type === 'token' ? credentials.token : credentials.password;
    return {
      env: {
        GIT_ASKPASS: askpass,
        [USERNAME_VARIABLE]: userName(credentials),
        [PASSWORD_VARIABLE]: password,
      },
      config: [noHelpers],
      dispose,
    };
  } catch (error) {
    await dispose();
    throw cannotPrepare(tmp, error);
  }
}

// A missing or full TMPDIR is a GitError like every other failure; the cause keeps only
// the system error's message.
function cannotPrepare(tmp: string, error: unknown): GitError {
  return new GitError('COMMAND_FAILED', `cannot prepare the credentials in ${tmp}`, {
    cause: error instanceof Error ? new Error(error.message) : error,
  });
}

async function sshSetup(
  credentials: Extract<GitCredentials, { type: 'ssh' }>,
  dir: string,
  dispose: () => Promise<void>,
): Promise<CredentialSetup> {
  const key = join(dir, 'id');
  const knownHosts = join(dir, 'known_hosts');
  // Stryker disable next-line StringLiteral: the directory is fresh from mkdtemp (0700), so no file is there and 'w' acts as 'wx'
  await writeFile(key, withFinalNewline(credentials.privateKey), { mode: 0o600, flag: 'wx' });
  await writeFile(knownHosts, withFinalNewline(credentials.knownHosts), {
    mode: 0o600,
    // Stryker disable next-line StringLiteral: as above, a fresh directory
    flag: 'wx',
  });
  // -F none: the user's ~/.ssh/config cannot add hosts, keys or proxies. Only the given
  // key is offered (IdentitiesOnly, no agent), only the given host keys are trusted.
  const command = [
    'ssh',
    '-F',
    'none',
    '-i',
    key,
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'IdentityAgent=none',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `UserKnownHostsFile=${knownHosts}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    'UpdateHostKeys=no',
    '-o',
    'PasswordAuthentication=no',
    '-o',
    'KbdInteractiveAuthentication=no',
  ];
  const env: Record<string, string> = {};
  if (credentials.passphrase === undefined) {
    command.push('-o', 'BatchMode=yes');
  } else {
    // BatchMode would also refuse to ask for the key's passphrase; SSH_ASKPASS_REQUIRE=force
    // makes ssh ask the askpass program instead of a terminal, and nothing else is asked:
    // host keys are checked strictly and password logins are off.
    const askpass = join(dir, 'ssh-askpass');
    // Stryker disable next-line StringLiteral: as above, a fresh directory
    await writeFile(askpass, SSH_ASKPASS_SCRIPT, { mode: 0o700, flag: 'wx' });
    command.push('-o', 'NumberOfPasswordPrompts=1');
    Object.assign(env, {
      SSH_ASKPASS: askpass,
      SSH_ASKPASS_REQUIRE: 'force',
      [PASSPHRASE_VARIABLE]: credentials.passphrase,
    });
  }
  env.GIT_SSH_COMMAND = command.map(shellQuote).join(' ');
  env.GIT_SSH_VARIANT = 'ssh';
  return { env, config: [], dispose };
}

/** `text` ending in a newline, as ssh wants key and known-hosts files. */
export function withFinalNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

// git runs GIT_SSH_COMMAND through the shell; the temp paths must stay one word each.
function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
