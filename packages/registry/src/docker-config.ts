import { type ChildProcess, type ExecFileException, execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Credential, type CredentialProvider, findCredentialKey } from './credentials.js';
import { RegistryError } from './errors.js';

/** Options of {@link dockerConfigCredentials}. */
export interface DockerConfigOptions {
  /**
   * The config file. Default: `$DOCKER_CONFIG/config.json`, else
   * `$HOME/.docker/config.json` (`%USERPROFILE%` on Windows), read from `env`.
   */
  path?: string;
  /**
   * Environment for locating the file and running credential helpers (their `PATH`
   * is taken from here). Default: `process.env`.
   */
  env?: NodeJS.ProcessEnv;
  /** How long a credential helper may run, in milliseconds. Default: `30000`. */
  helperTimeoutMs?: number;
}

interface AuthEntry {
  auth?: string | null;
  username?: string | null;
  password?: string | null;
  identitytoken?: string | null;
  registrytoken?: string | null;
}

/** The parts of a docker config this package reads, with their types checked. */
interface DockerConfig {
  auths: ReadonlyMap<string, AuthEntry>;
  credHelpers: ReadonlyMap<string, string>;
  credsStore?: string;
}

const AUTH_FIELDS = ['auth', 'username', 'password', 'identitytoken', 'registrytoken'] as const;

// docker stores a secret under this username when the secret is an identity token.
const TOKEN_USERNAME = '<token>';
// What docker-credential-helpers print when they hold nothing for a server.
const NOT_FOUND = /credentials not found/i;
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
// A file name is at most 255 bytes (NAME_MAX on Linux and macOS, and Windows'
// limit), and the helper's file name is `docker-credential-<name>`.
const MAX_HELPER_NAME = 255 - 'docker-credential-'.length;

/**
 * Reads credentials the way the docker CLI does: `credHelpers[registry]`, then
 * `credsStore` (running `docker-credential-<name> get` with the server URL on
 * stdin, no shell), then the `auths` entry (`auth`, `username`/`password`,
 * `identitytoken`, `registrytoken`; exact key first, then by host name). The file
 * is read on every call, so a `docker login` in between is picked up; a missing
 * file means anonymous.
 *
 * @throws {RegistryError} `CREDENTIAL_CONFIG` when the file or an entry is malformed,
 * `CREDENTIAL_HELPER` when a helper fails (the error never includes its output's secret).
 */
export function dockerConfigCredentials(options: DockerConfigOptions = {}): CredentialProvider {
  const env = options.env ?? process.env;
  const path = options.path ?? defaultConfigPath(env);
  const helperTimeoutMs = options.helperTimeoutMs ?? 30_000;

  return async (registry) => {
    if (path === undefined) return undefined;
    const config = await readConfig(path, registry);
    if (config === undefined) return undefined;

    const { credHelpers, auths } = config;
    const helperKey = findCredentialKey(credHelpers.keys(), registry);
    const helper = helperKey === undefined ? config.credsStore : credHelpers.get(helperKey);
    if (helper !== undefined && helper !== '') {
      const fromHelper = await runHelper(helper, registry, env, helperTimeoutMs);
      if (fromHelper !== undefined) return fromHelper;
    }

    const key = findCredentialKey(auths.keys(), registry);
    return key === undefined ? undefined : fromAuthEntry(auths.get(key)!, path, registry, key);
  };
}

function defaultConfigPath(env: NodeJS.ProcessEnv): string | undefined {
  if (env.DOCKER_CONFIG) return join(env.DOCKER_CONFIG, 'config.json');
  const home = env.HOME || env.USERPROFILE;
  return home ? join(home, '.docker', 'config.json') : undefined;
}

async function readConfig(path: string, registry: string): Promise<DockerConfig | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw configError(registry, `cannot read docker config ${path}`, error);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The parser's message quotes the text around the error, which may be a secret.
    throw configError(registry, `docker config ${path} is not valid JSON`);
  }
  if (!isObject(parsed)) {
    throw configError(registry, `docker config ${path} must hold a JSON object`);
  }
  return checkConfig(parsed, path, registry);
}

/**
 * Checks the types of what we read, as docker's typed JSON decoder does: a
 * wrong type anywhere in `auths`, `credHelpers` or `credsStore` fails the whole
 * file, for every registry, naming the key. `null` sections and fields read as
 * absent, as in Go; but a `null` entry (`"auths": {"quay.io": null}`) is refused,
 * though Go would read it as an empty entry: it is a broken edit or template, and
 * reading it as "no credentials" would hide that behind anonymous pulls.
 * Messages name keys and types, never values.
 */
function checkConfig(
  config: Record<string, unknown>,
  path: string,
  registry: string,
): DockerConfig {
  const where = `docker config ${path}`;
  const fail = (what: string, value: unknown, expected: string) =>
    configError(registry, `${where}: ${what} must be ${expected}, not ${typeName(value)}`);

  const auths = new Map<string, AuthEntry>();
  for (const [key, entry] of section(config.auths, '"auths"', fail)) {
    const name = `auths[${JSON.stringify(key)}]`;
    if (!isObject(entry)) throw fail(name, entry, 'an object');
    for (const field of AUTH_FIELDS) {
      const value = entry[field];
      if (value !== undefined && value !== null && typeof value !== 'string') {
        throw fail(`${name}.${field}`, value, 'a string');
      }
    }
    auths.set(key, entry as AuthEntry);
  }
  const credHelpers = new Map<string, string>();
  for (const [key, helper] of section(config.credHelpers, '"credHelpers"', fail)) {
    if (typeof helper !== 'string') {
      throw fail(`credHelpers[${JSON.stringify(key)}]`, helper, 'a string (a helper name)');
    }
    credHelpers.set(key, helper);
  }
  const { credsStore } = config;
  if (credsStore !== undefined && credsStore !== null && typeof credsStore !== 'string') {
    throw fail('"credsStore"', credsStore, 'a string (a helper name)');
  }
  return typeof credsStore === 'string'
    ? { auths, credHelpers, credsStore }
    : { auths, credHelpers };
}

/** The own entries of an object-valued section; none when it is absent or `null`. */
function section(
  value: unknown,
  name: string,
  fail: (what: string, value: unknown, expected: string) => RegistryError,
): [string, unknown][] {
  if (value === undefined || value === null) return [];
  if (!isObject(value)) throw fail(name, value, 'an object');
  return Object.entries(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function fromAuthEntry(
  entry: AuthEntry,
  path: string,
  registry: string,
  key: string,
): Credential | undefined {
  const where = `docker config ${path}, auths["${key}"]`;
  if (entry.registrytoken) return { registryToken: entry.registrytoken };
  if (entry.identitytoken) return { identityToken: entry.identitytoken };
  let username = entry.username;
  let password = entry.password;
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) {
      throw configError(registry, `${where}.auth must be base64 of "username:password"`);
    }
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  if (typeof username !== 'string' || typeof password !== 'string' || username === '') {
    return undefined;
  }
  return asCredential(username, password);
}

function asCredential(username: string, secret: string): Credential {
  return username === TOKEN_USERNAME ? { identityToken: secret } : { username, password: secret };
}

function runHelper(
  name: string,
  registry: string,
  env: NodeJS.ProcessEnv,
  timeout: number,
): Promise<Credential | undefined> {
  if (!HELPER_NAME.test(name) || name.length > MAX_HELPER_NAME) {
    const shown = name.length > 60 ? `${name.slice(0, 60)}… (${name.length} characters)` : name;
    return Promise.reject(
      helperError(
        registry,
        `credential helper name "${shown}" is not a plain program name of at most ${MAX_HELPER_NAME} characters`,
      ),
    );
  }
  const program = `docker-credential-${name}`;
  return new Promise((resolve, reject) => {
    const onExit = (error: ExecFileException | null, stdout: string) => {
      if (error) {
        if (NOT_FOUND.test(stdout)) return resolve(undefined);
        const exit = (error as { code?: unknown }).code;
        const reason = typeof exit === 'number' ? `exited with status ${exit}` : `failed (${exit})`;
        const said = firstLine(stdout);
        return reject(
          helperError(
            registry,
            `${program} get ${reason}${said === '' ? '' : `: ${said}`}`,
            error.killed ? undefined : withoutOutput(error),
          ),
        );
      }
      // Inside a callback a throw would escape the promise and crash the process.
      try {
        resolve(parseHelperOutput(program, registry, stdout));
      } catch (parseError) {
        reject(parseError);
      }
    };
    let child: ChildProcess;
    try {
      child = execFile(
        program,
        ['get'],
        { env, timeout, maxBuffer: 1024 * 1024, windowsHide: true },
        onExit,
      );
    } catch (error) {
      // spawn throws some failures instead of reporting them (E2BIG, a NUL byte in
      // env); their messages may quote an environment value, so only the code is kept.
      const code = String((error as { code?: unknown }).code);
      return reject(
        helperError(
          registry,
          `${program} get could not be started (${code})`,
          Object.assign(new Error(`spawn ${code}`), { code }),
        ),
      );
    }
    child.stdin?.on('error', () => {
      // A helper that exits without reading stdin is reported through its exit status.
    });
    child.stdin?.end(registry);
  });
}

function parseHelperOutput(program: string, registry: string, stdout: string): Credential {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw helperError(registry, `${program} get printed something that is not JSON`);
  }
  const { Username: username, Secret: secret } = (parsed ?? {}) as Record<string, unknown>;
  if (typeof username !== 'string' || typeof secret !== 'string') {
    throw helperError(registry, `${program} get printed JSON without string Username and Secret`);
  }
  return asCredential(username, secret);
}

// A failed helper's error object repeats its stdout and stderr; keep only the facts.
function withoutOutput(error: Error): Error {
  const { code, signal } = error as { code?: unknown; signal?: unknown };
  return Object.assign(new Error(error.message.split('\n')[0]), { code, signal });
}

// Helpers print their error messages on stdout, which is worth showing; but a
// helper that printed its credentials and then failed must not leak them, so
// anything shaped like JSON is withheld.
function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  if (/^[[{]/.test(line) || line.includes('"Secret"'))
    return '(output withheld: it looks like JSON)';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

function configError(registry: string, message: string, cause?: unknown): RegistryError {
  return new RegistryError('CREDENTIAL_CONFIG', message, { registry, cause });
}

function helperError(registry: string, message: string, cause?: unknown): RegistryError {
  return new RegistryError('CREDENTIAL_HELPER', message, { registry, cause });
}
