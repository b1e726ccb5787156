import { RegistryError } from './errors.js';

/**
 * A secret for one registry: a username and password, an identity (refresh) token
 * that is exchanged for access tokens through OAuth2, or a registry token sent as
 * `Bearer` as it is.
 */
export type Credential =
  | { username: string; password: string }
  | { identityToken: string }
  | { registryToken: string };

/**
 * Looks up the credential for a registry. It is called with the registry host
 * (`ghcr.io`, `localhost:5000`) or, for Docker Hub, `https://index.docker.io/v1/`,
 * only when a registry asks for authentication. Resolve `undefined` for anonymous.
 */
export type CredentialProvider = (registry: string) => Promise<Credential | undefined>;

// What a token sent as `Authorization: Bearer <token>` may hold: visible ASCII
// (RFC 6750's b64token is a subset). A line break would make fetch throw a
// TypeError that quotes the whole header, token included.
const HEADER_TOKEN = /^[\x21-\x7e]+$/;

/** Whether a token can be sent as `Bearer <token>`: non-empty, visible ASCII only. */
export function isHeaderToken(token: string): boolean {
  return HEADER_TOKEN.test(token);
}

/**
 * Checks what a credential provider resolved: `undefined` (or `null`) for none,
 * else exactly one {@link Credential} shape with string fields, and a registry
 * token that can be sent in a header. Messages name the key, never a value.
 *
 * @throws {RegistryError} `CREDENTIAL_CONFIG` for anything else.
 */
export function checkCredential(
  value: unknown,
  registry: string,
  key: string,
): Credential | undefined {
  if (value === undefined || value === null) return undefined;
  const bad = (why: string) =>
    new RegistryError('CREDENTIAL_CONFIG', `the credential for ${key} ${why}`, { registry });
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw bad('is not an object');
  }
  const fields = value as Record<string, unknown>;
  if ('registryToken' in fields) {
    const token = fields.registryToken;
    if (typeof token !== 'string' || !isHeaderToken(token)) {
      throw bad('has a registryToken that is not a non-empty string of visible ASCII characters');
    }
    return { registryToken: token };
  }
  if ('identityToken' in fields) {
    const token = fields.identityToken;
    if (typeof token !== 'string' || token === '') {
      throw bad('has an identityToken that is not a non-empty string');
    }
    return { identityToken: token };
  }
  const { username, password } = fields;
  if (typeof username !== 'string' || typeof password !== 'string') {
    throw bad('has neither string username and password, nor identityToken, nor registryToken');
  }
  return { username, password };
}

const HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/**
 * Reduces a credential key to the host it names, the way docker does: `https://ghcr.io/v2/`
 * and `ghcr.io` both become `ghcr.io`, and every Docker Hub spelling becomes `docker.io`.
 */
export function credentialHost(key: string): string {
  let host = key.trim().toLowerCase();
  const scheme = host.indexOf('://');
  if (scheme !== -1) host = host.slice(scheme + 3);
  const slash = host.indexOf('/');
  if (slash !== -1) host = host.slice(0, slash);
  return HUB_ALIASES.has(host) ? 'docker.io' : host;
}

/**
 * Finds the entry for `registry` among `keys`: an exact key first, then any key
 * naming the same host (docker's rule, so `https://ghcr.io` matches `ghcr.io`).
 */
export function findCredentialKey(keys: Iterable<string>, registry: string): string | undefined {
  const wanted = credentialHost(registry);
  let byHost: string | undefined;
  for (const key of keys) {
    if (key === registry) return key;
    if (byHost === undefined && credentialHost(key) === wanted) byHost = key;
  }
  return byHost;
}

/**
 * A provider that serves credentials from a fixed map. Keys may be written as
 * docker config keys are: `ghcr.io`, `https://ghcr.io`, `docker.io`,
 * `https://index.docker.io/v1/`.
 *
 * @example staticCredentials({ 'ghcr.io': { username: 'bot', password: process.env.GHCR_TOKEN } })
 */
export function staticCredentials(map: Readonly<Record<string, Credential>>): CredentialProvider {
  const entries = new Map(Object.entries(map));
  return async (registry) => {
    const key = findCredentialKey(entries.keys(), registry);
    return key === undefined ? undefined : entries.get(key);
  };
}
