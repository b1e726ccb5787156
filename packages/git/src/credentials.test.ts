// What each kind of credential becomes for one git command: the askpass script run
// for real, the private files and their modes, and nothing left after dispose.
import { execFile } from 'node:child_process';
import { access, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expectCode, SECRET_CANARY, tempDir } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import {
  type CredentialSetup,
  checkCredentials,
  credentialSecrets,
  setUpCredentials,
  withFinalNewline,
} from './credentials.js';
import { GitError } from './errors.js';
import type { GitCredentials } from './types.js';

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

// GIT_SSH_COMMAND split into words as the shell git hands it to splits it: an independent
// reading of the quoting.
async function shellWords(command: string): Promise<string[]> {
  const { stdout } = await run(
    'sh',
    ['-c', 'eval "set -- $1"; for word in "$@"; do printf "%s\\0" "$word"; done', 'sh', command],
    { env: { PATH: process.env.PATH } },
  );
  return stdout.split('\0').slice(0, -1);
}

const SSH_OPTIONS = [
  ['-o', 'IdentitiesOnly=yes'],
  ['-o', 'IdentityAgent=none'],
  ['-o', 'StrictHostKeyChecking=yes'],
];

function sshArgv(dir: string, last: readonly string[]): string[] {
  return [
    'ssh',
    '-F',
    'none',
    '-i',
    join(dir, 'id'),
    ...SSH_OPTIONS.flat(),
    '-o',
    `UserKnownHostsFile=${join(dir, 'known_hosts')}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    'UpdateHostKeys=no',
    '-o',
    'PasswordAuthentication=no',
    '-o',
    'KbdInteractiveAuthentication=no',
    ...last,
  ];
}

/** The one private directory a setup made in `tmp`, checked to be 0700. */
async function privateDir(tmp: string): Promise<string> {
  const entries = await readdir(tmp);
  expect(entries).toHaveLength(1);
  const dir = join(tmp, entries[0]!);
  expect((await stat(dir)).mode & 0o777).toBe(0o700);
  return dir;
}

async function askpassAnswer(
  setup: CredentialSetup,
  prompt: string,
): Promise<{ stdout: string; stderr: string }> {
  return run(setup.env.GIT_ASKPASS!, [prompt], { env: { ...setup.env, PATH: process.env.PATH } });
}

describe('setUpCredentials: what each kind of credential becomes', () => {
  it('answers git with the token user and the token, each from its own variable, for type token', async () => {
    await using tmp = await tempDir('cred');
    const setup = await setUpCredentials(
      { type: 'token', token: SECRET_CANARY, username: 'oauth2' },
      {},
      tmp.path,
    );
    const dir = await privateDir(tmp.path);
    expect(setup.env).toStrictEqual({
      GIT_ASKPASS: join(dir, 'askpass'),
      TAGSMITH_GIT_USERNAME: 'oauth2',
      TAGSMITH_GIT_PASSWORD: SECRET_CANARY,
    });
    expect((await askpassAnswer(setup, "Username for 'https://h': ")).stdout).toBe('oauth2\n');
    expect((await askpassAnswer(setup, "Password for 'https://oauth2@h': ")).stdout).toBe(
      `${SECRET_CANARY}\n`,
    );
    await setup.dispose();
    expect(await readdir(tmp.path)).toEqual([]);
  });

  it('answers with the user name and password of type basic, verbatim whatever characters they hold', async () => {
    await using tmp = await tempDir('cred');
    // Shell and printf specials: nothing in them is expanded or interpreted.
    const username = `-n d'o"e $(id) %s \\n \`id\``;
    const password = `${SECRET_CANARY} $HOME %d \\t '"`;
    const setup = await setUpCredentials({ type: 'basic', username, password }, {}, tmp.path);
    expect(setup.config).toEqual([['credential.helper', '']]);
    expect(setup.env.TAGSMITH_GIT_USERNAME).toBe(username);
    expect(setup.env.TAGSMITH_GIT_PASSWORD).toBe(password);
    expect((await askpassAnswer(setup, "Username for 'https://h': ")).stdout).toBe(`${username}\n`);
    expect((await askpassAnswer(setup, "Password for 'https://u@h': ")).stdout).toBe(
      `${password}\n`,
    );
    // The script is the only file, and no secret is in it.
    const dir = await privateDir(tmp.path);
    expect(await readdir(dir)).toEqual(['askpass']);
    expect(await readFile(join(dir, 'askpass'), 'utf8')).not.toContain(SECRET_CANARY);
    await setup.dispose();
  });

  it('keeps every secret out of the command, the file names and the config, in the variable git reads it from', async () => {
    await using tmp = await tempDir('cred');
    const cases = [
      [{ type: 'token', token: SECRET_CANARY }, 'TAGSMITH_GIT_PASSWORD'],
      [{ type: 'basic', username: 'u', password: SECRET_CANARY }, 'TAGSMITH_GIT_PASSWORD'],
      [
        { type: 'ssh', privateKey: 'KEY', knownHosts: 'h k', passphrase: SECRET_CANARY },
        'TAGSMITH_SSH_PASSPHRASE',
      ],
    ] as const;
    for (const [credentials, variable] of cases) {
      const setup = await setUpCredentials(credentials, {}, tmp.path);
      const elsewhere = Object.entries(setup.env).filter(([name]) => name !== variable);
      expect(setup.env[variable]).toBe(SECRET_CANARY);
      expect(JSON.stringify([elsewhere, setup.config])).not.toContain(SECRET_CANARY);
      await setup.dispose();
    }
  });

  it('sends a bearer token only as the extra header, with git credential helpers reset and no file made', async () => {
    await using tmp = await tempDir('cred');
    const setup = await setUpCredentials({ type: 'bearer', token: SECRET_CANARY }, {}, tmp.path);
    expect(setup.config).toEqual([
      ['credential.helper', ''],
      ['http.extraHeader', `Authorization: Bearer ${SECRET_CANARY}`],
    ]);
    expect(setup.env).toEqual({});
    expect(await readdir(tmp.path)).toEqual([]);
    await setup.dispose();
  });

  it('points ssh at the key and known hosts with strict host-key checking and no prompt', async () => {
    await using tmp = await tempDir('cred');
    const setup = await setUpCredentials(
      { type: 'ssh', privateKey: 'KEY\n', knownHosts: 'h ssh-ed25519 AAAA' },
      {},
      tmp.path,
    );
    const dir = await privateDir(tmp.path);
    expect(Object.keys(setup.env).sort()).toEqual(['GIT_SSH_COMMAND', 'GIT_SSH_VARIANT']);
    expect(setup.env.GIT_SSH_VARIANT).toBe('ssh');
    expect(setup.config).toEqual([]);
    const words = sshArgv(dir, ['-o', 'BatchMode=yes']);
    expect(await shellWords(setup.env.GIT_SSH_COMMAND!)).toEqual(words);
    // A plain temp path needs no quotes: the command reads as the README shows it.
    expect(setup.env.GIT_SSH_COMMAND).toBe(words.join(' '));
    // The key keeps its one final newline; the known hosts get one.
    expect(await readFile(join(dir, 'id'), 'utf8')).toBe('KEY\n');
    expect(await readFile(join(dir, 'known_hosts'), 'utf8')).toBe('h ssh-ed25519 AAAA\n');
    expect((await stat(join(dir, 'known_hosts'))).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['id', 'known_hosts'].sort());
    await setup.dispose();
    expect(await readdir(tmp.path)).toEqual([]);
  });

  it("quotes temp paths with spaces, quotes and $ so each stays one word for git's shell", async () => {
    await using tmp = await tempDir(`cred it's "a" $HOME \`x\``);
    const setup = await setUpCredentials(
      { type: 'ssh', privateKey: 'KEY', knownHosts: 'h k', passphrase: SECRET_CANARY },
      {},
      tmp.path,
    );
    const dir = await privateDir(tmp.path);
    expect(await shellWords(setup.env.GIT_SSH_COMMAND!)).toEqual(
      sshArgv(dir, ['-o', 'NumberOfPasswordPrompts=1']),
    );
    await setup.dispose();
  });

  it('asks the passphrase through SSH_ASKPASS, forced, reading it from the environment', async () => {
    await using tmp = await tempDir('cred');
    const setup = await setUpCredentials(
      { type: 'ssh', privateKey: 'KEY', knownHosts: 'h k', passphrase: `${SECRET_CANARY} '$x'` },
      {},
      tmp.path,
    );
    const dir = await privateDir(tmp.path);
    expect(setup.env).toStrictEqual({
      SSH_ASKPASS: join(dir, 'ssh-askpass'),
      SSH_ASKPASS_REQUIRE: 'force',
      TAGSMITH_SSH_PASSPHRASE: `${SECRET_CANARY} '$x'`,
      GIT_SSH_COMMAND: sshArgv(dir, ['-o', 'NumberOfPasswordPrompts=1']).join(' '),
      GIT_SSH_VARIANT: 'ssh',
    });
    const askpass = setup.env.SSH_ASKPASS!;
    expect((await stat(askpass)).mode & 0o777).toBe(0o700);
    expect(await readFile(askpass, 'utf8')).not.toContain(SECRET_CANARY);
    const answer = await run(askpass, ['Enter passphrase for key: '], {
      env: { ...setup.env, PATH: process.env.PATH },
    });
    expect(answer.stdout).toBe(`${SECRET_CANARY} '$x'\n`);
    await setup.dispose();
  });

  it('leaves an ssh command chosen through GIT_SSH alone when there are no credentials', async () => {
    const setup = await setUpCredentials(undefined, { GIT_SSH: '/usr/bin/my-ssh' }, '/nonexistent');
    expect(setup.env).toEqual({});
    expect(setup.config).toEqual([]);
    await setup.dispose();
  });

  it('fails with COMMAND_FAILED, naming no secret, when the temp directory cannot be made', async () => {
    await using tmp = await tempDir('cred');
    const missing = join(tmp.path, 'missing');
    for (const credentials of [
      { type: 'token', token: SECRET_CANARY },
      { type: 'ssh', privateKey: SECRET_CANARY, knownHosts: 'h k' },
    ] as const) {
      const error = await expectCode(
        setUpCredentials(credentials, {}, missing),
        GitError,
        'COMMAND_FAILED',
      );
      expect(error.message).toContain(missing);
      expect(error.cause).toBeInstanceOf(Error);
      expect(JSON.stringify([error.message, String(error.cause)])).not.toContain(SECRET_CANARY);
    }
  });

  it('disposes without failing when the directory is already gone, so it never hides the outcome of the command', async () => {
    await using tmp = await tempDir('cred');
    const setup = await setUpCredentials({ type: 'token', token: SECRET_CANARY }, {}, tmp.path);
    // A temp cleaner got there first.
    await rm(await privateDir(tmp.path), { recursive: true });
    await expect(setup.dispose()).resolves.toBeUndefined();
  });

  it('removes the private directory when the setup fails halfway', async () => {
    await using tmp = await tempDir('cred');
    // A key that is not text (checkCredentials refuses it first in real use) fails
    // after the directory was made.
    const broken = { type: 'ssh', privateKey: 42, knownHosts: 'h k' } as unknown as GitCredentials;
    await expectCode(setUpCredentials(broken, {}, tmp.path), GitError, 'COMMAND_FAILED');
    expect(await readdir(tmp.path)).toEqual([]);
  });
});

describe('withFinalNewline', () => {
  it('adds a newline only when the text lacks one at the end', () => {
    expect(withFinalNewline('a')).toBe('a\n');
    expect(withFinalNewline('a\n')).toBe('a\n');
    expect(withFinalNewline('a\nb')).toBe('a\nb\n');
  });
});

describe('checkCredentials: each shape, exactly', () => {
  it('takes no credentials as none', () => {
    expect(checkCredentials(undefined)).toBeUndefined();
  });

  it('returns every valid shape as given', () => {
    for (const credentials of [
      { type: 'token', token: 't' },
      { type: 'token', token: 't', username: 'bot' },
      { type: 'basic', username: 'u', password: 'p' },
      { type: 'bearer', token: 't' },
      { type: 'ssh', privateKey: 'k', knownHosts: 'h k' },
      { type: 'ssh', privateKey: 'k', knownHosts: 'h k', passphrase: 'p' },
    ]) {
      expect(checkCredentials(credentials)).toBe(credentials);
    }
  });

  it.each([
    ['a string', SECRET_CANARY, 'object'],
    ['null', null, 'object'],
    ['a number', 7, 'object'],
    ['no type', { token: SECRET_CANARY }, 'type'],
    ['an empty token', { type: 'token', token: '' }, '`token`'],
    ['a token that is not a string', { type: 'token', token: 7 }, '`token`'],
    [
      'a token user name that is not a string',
      { type: 'token', token: SECRET_CANARY, username: 7 },
      '`username`',
    ],
    ['basic without a password', { type: 'basic', username: 'u' }, '`password`'],
    [
      'basic with an empty user name',
      { type: 'basic', username: '', password: SECRET_CANARY },
      '`username`',
    ],
    ['a bearer token with a CR', { type: 'bearer', token: `${SECRET_CANARY}\r` }, '`token`'],
    [
      'a bearer token with a LF',
      { type: 'bearer', token: `${SECRET_CANARY}\nX-Evil: 1` },
      '`token`',
    ],
    ['ssh without a key', { type: 'ssh', privateKey: '', knownHosts: 'h k' }, '`privateKey`'],
    ['ssh without known hosts', { type: 'ssh', privateKey: SECRET_CANARY }, '`knownHosts`'],
    [
      'ssh with blank known hosts',
      { type: 'ssh', privateKey: SECRET_CANARY, knownHosts: ' \n\t' },
      '`knownHosts`',
    ],
    [
      'ssh with known hosts not a string',
      { type: 'ssh', privateKey: SECRET_CANARY, knownHosts: ['h k'] },
      '`knownHosts`',
    ],
    [
      'ssh with a passphrase not a string',
      { type: 'ssh', privateKey: 'k', knownHosts: 'h k', passphrase: 7 },
      '`passphrase`',
    ],
  ])(
    'refuses %s with INVALID_ARGUMENT naming what is wrong, never a value',
    (_, credentials, names) => {
      const error = expectCode(() => checkCredentials(credentials), GitError, 'INVALID_ARGUMENT');
      expect(error.message).toContain(names);
      expect(error.message).not.toContain(SECRET_CANARY);
    },
  );
});

describe('credentialSecrets', () => {
  const base64 = (text: string) => Buffer.from(text).toString('base64');

  it('lists what each kind must have scrubbed, and nothing without credentials', () => {
    expect(credentialSecrets(undefined)).toEqual([]);
    expect(credentialSecrets({ type: 'token', token: 't', username: 'bot' })).toEqual([
      't',
      base64('bot:t'),
    ]);
    expect(credentialSecrets({ type: 'basic', username: 'u', password: 'p' })).toEqual([
      'p',
      base64('u:p'),
    ]);
    expect(credentialSecrets({ type: 'bearer', token: 't' })).toEqual(['t']);
    expect(credentialSecrets({ type: 'ssh', privateKey: 'k', knownHosts: 'h' })).toEqual(['k']);
  });

  it('leaves an empty passphrase out: an empty secret would match everywhere', () => {
    expect(
      credentialSecrets({ type: 'ssh', privateKey: 'k', knownHosts: 'h', passphrase: '' }),
    ).toEqual(['k']);
  });
});
