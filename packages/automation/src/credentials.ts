// Credential references (`env:`, `file:`, a helper) turned into the secrets the
// primitives take. Configs only name secrets; this is the one place they are read,
// and a reference that gives nothing is CREDENTIAL_UNAVAILABLE naming the reference,
// never a value. Docker credential helpers run through @tagsmith/registry's own
// docker-config reader (a one-line config naming the helper), not a copy of it.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GitCredentials, SigningKey } from '@tagsmith/git';
import { type CredentialProvider, dockerConfigCredentials } from '@tagsmith/registry';
import type {
  CredentialReference,
  GitCredentialsReference,
  UpdateAutomationConfig,
} from './config-types.js';
import { AutomationError } from './errors.js';

/** How a reference reads in messages: `env:NAME`, `file:PATH`, `helper:NAME`. */
export function describeReference(reference: CredentialReference): string {
  if ('env' in reference) return `env:${reference.env}`;
  if ('file' in reference) return `file:${reference.file}`;
  return `helper:${reference.helper}`;
}

/**
 * Reads the secret an `env:` or `file:` reference names. A file's one trailing newline
 * is dropped (`echo token > file` writes one). Helpers give registry credentials only.
 *
 * @throws {AutomationError} `CREDENTIAL_UNAVAILABLE` when the variable is unset or empty,
 *   the file cannot be read or is empty, or the reference is a helper.
 */
export async function readSecret(
  reference: CredentialReference,
  env: Record<string, string | undefined>,
): Promise<string> {
  const unavailable = (why: string, cause?: unknown) =>
    new AutomationError(
      'CREDENTIAL_UNAVAILABLE',
      `credential ${describeReference(reference)} ${why}`,
      cause === undefined ? {} : { cause },
    );
  if ('env' in reference) {
    const value = env[reference.env];
    if (value === undefined || value === '') throw unavailable('is not set');
    return value;
  }
  if ('file' in reference) {
    let text: string;
    try {
      text = await readFile(reference.file, 'utf8');
    } catch (error) {
      throw unavailable(`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    const value = text.endsWith('\n') ? text.slice(0, text.endsWith('\r\n') ? -2 : -1) : text;
    if (value === '') throw unavailable('is an empty file');
    return value;
  }
  throw unavailable('is a credential helper, which only registry credentials may use');
}

/**
 * A registry credential provider for a repository's `credentials` reference. An `env:`
 * or `file:` secret is `username:password` (split at the first `:`, as docker's `auth`
 * field decodes) or, without a `:`, a registry token sent as `Bearer`. A helper runs
 * `docker-credential-<name> get` through the registry package's docker-config reader.
 *
 * @throws {AutomationError} `CREDENTIAL_UNAVAILABLE` (see {@link readSecret}).
 */
export async function registryCredentials(
  reference: CredentialReference,
  options: { env: Record<string, string | undefined>; workDir: string },
): Promise<CredentialProvider> {
  if ('helper' in reference) {
    const dir = join(options.workDir, 'docker-config', encodeURIComponent(reference.helper));
    await mkdir(dir, { recursive: true });
    const path = join(dir, 'config.json');
    await writeFile(path, JSON.stringify({ credsStore: reference.helper }), { mode: 0o600 });
    return dockerConfigCredentials({ path, env: options.env });
  }
  const secret = await readSecret(reference, options.env);
  const colon = secret.indexOf(':');
  const credential =
    colon < 0
      ? { registryToken: secret }
      : { username: secret.slice(0, colon), password: secret.slice(colon + 1) };
  return async () => credential;
}

/** The docker config provider: `dockerConfig` of the config, else `$DOCKER_CONFIG`, else `~/.docker`. */
export function dockerCredentials(
  dockerConfig: string | undefined,
  env: Record<string, string | undefined>,
): CredentialProvider {
  return dockerConfig === undefined
    ? dockerConfigCredentials({ env })
    : dockerConfigCredentials({ path: join(dockerConfig, 'config.json'), env });
}

/** A git source's credentials with their references read. */
export async function gitCredentials(
  reference: GitCredentialsReference,
  env: Record<string, string | undefined>,
): Promise<GitCredentials> {
  switch (reference.type) {
    case 'token': {
      const token = await readSecret(reference.token, env);
      return reference.username === undefined
        ? { type: 'token', token }
        : { type: 'token', token, username: reference.username };
    }
    case 'basic':
      return {
        type: 'basic',
        username: reference.username,
        password: await readSecret(reference.password, env),
      };
    case 'bearer':
      return { type: 'bearer', token: await readSecret(reference.token, env) };
    case 'ssh': {
      const privateKey = await readSecret(reference.privateKey, env);
      const knownHosts = await readSecret(reference.knownHosts, env);
      return reference.passphrase === undefined
        ? { type: 'ssh', privateKey, knownHosts }
        : {
            type: 'ssh',
            privateKey,
            knownHosts,
            passphrase: await readSecret(reference.passphrase, env),
          };
    }
  }
}

/** The automation's signing key with its references read, or none. */
export async function signingKey(
  automation: UpdateAutomationConfig,
  env: Record<string, string | undefined>,
): Promise<SigningKey | undefined> {
  const key = automation.signingKey;
  if (key === undefined) return undefined;
  const secret = await readSecret(key.key, env);
  const passphrase =
    key.passphrase === undefined ? undefined : await readSecret(key.passphrase, env);
  const withPassphrase = passphrase === undefined ? {} : { passphrase };
  return key.type === 'gpg'
    ? { type: 'gpg', armoredKey: secret, ...withPassphrase }
    : { type: 'ssh', privateKey: secret, ...withPassphrase };
}
