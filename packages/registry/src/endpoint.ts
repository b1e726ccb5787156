import { RegistryError } from './errors.js';
import { DOCKER_HUB } from './reference.js';

/** The host Docker Hub's API is served from; `docker.io` itself only redirects. */
const DOCKER_HUB_API = 'registry-1.docker.io';

/** The key docker login stores Hub credentials under, kept for compatibility. */
export const DOCKER_HUB_CREDENTIAL_KEY = 'https://index.docker.io/v1/';

/** Where a registry's API lives: `https://ghcr.io`, `http://localhost:5000`. */
export interface Endpoint {
  /** The registry as written in references, e.g. `docker.io`. */
  readonly registry: string;
  /** `scheme://host[:port]` the API requests go to. */
  readonly origin: string;
  /** The key credential providers are asked for. */
  readonly credentialKey: string;
  /** Whether `origin` comes from the `hosts` option rather than from the name. */
  readonly mapped: boolean;
}

/** Where the requests for one registry really go: the `hosts` option of the client. */
export interface RegistryHost {
  /**
   * Base URL serving the registry's API, `scheme://host[:port]` with no path:
   * `http://127.0.0.1:5000`, `https://mirror.internal:8443`. An `http://`
   * endpoint is the caller's opt-in to plain HTTP for that origin.
   */
  readonly endpoint: string;
}

/**
 * Resolves the API origin and credential key of a registry name. `hosts` maps
 * names as written to validated origins ({@link hostOrigins}); a mapped name
 * keeps its credential key, only its requests move.
 */
export function endpointFor(
  registry: string,
  insecureRegistries: readonly string[],
  hosts: ReadonlyMap<string, string> = new Map(),
): Endpoint {
  const isHub = registry === DOCKER_HUB;
  const credentialKey = isHub ? DOCKER_HUB_CREDENTIAL_KEY : registry;
  const mapped = hosts.get(registry);
  if (mapped !== undefined) return { registry, origin: mapped, credentialKey, mapped: true };
  const host = isHub ? DOCKER_HUB_API : registry;
  const scheme = allowsPlainHttp(host, insecureRegistries) ? 'http' : 'https';
  return {
    registry,
    // Through URL so an explicit default port compares equal to what fetch reports.
    origin: new URL(`${scheme}://${host}`).origin,
    credentialKey,
    mapped: false,
  };
}

/**
 * Validates the `hosts` option (like containerd's `hosts.toml`, one endpoint per
 * registry) and returns each registry's endpoint origin. Keys are registries as
 * references write them; `index.docker.io` counts as `docker.io`, as in references.
 * The endpoint value is never quoted in a message: it might hold a password.
 *
 * @throws {RegistryError} `INVALID_ARGUMENT` naming the key.
 */
export function hostOrigins(hosts: unknown): Map<string, string> {
  const origins = new Map<string, string>();
  if (hosts === undefined) return origins;
  if (typeof hosts !== 'object' || hosts === null || Array.isArray(hosts)) {
    throw invalidHosts('hosts must be an object of { endpoint } keyed by registry');
  }
  for (const [key, host] of Object.entries(hosts)) {
    const where = `hosts[${JSON.stringify(key)}]`;
    if (key === '' || key.includes('/')) {
      throw invalidHosts(
        `${where}: the key must be a registry as references write it (host[:port], e.g. registry.example.com or docker.io)`,
        key,
      );
    }
    const endpoint = (host as { endpoint?: unknown } | null)?.endpoint;
    if (typeof endpoint !== 'string')
      throw invalidHosts(`${where}.endpoint must be a string URL`, key);
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw invalidHosts(`${where}.endpoint is not a URL`, key);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw invalidHosts(`${where}.endpoint must be an http:// or https:// URL`, key);
    }
    if (url.username !== '' || url.password !== '') {
      throw invalidHosts(
        `${where}.endpoint must not contain credentials; the credentials option provides them`,
        key,
      );
    }
    if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
      throw invalidHosts(
        `${where}.endpoint must be scheme://host[:port] with no path, query or fragment (requests go to its /v2/)`,
        key,
      );
    }
    origins.set(key === 'index.docker.io' ? DOCKER_HUB : key, url.origin);
  }
  return origins;
}

// An empty key names no registry, so the error then carries none.
function invalidHosts(message: string, key = ''): RegistryError {
  return new RegistryError('INVALID_ARGUMENT', message, key === '' ? {} : { registry: key });
}

/**
 * Whether plain HTTP may be used for `host[:port]`: loopback names and addresses,
 * and hosts the caller listed. A listed host without a port matches every port.
 */
export function allowsPlainHttp(host: string, insecureRegistries: readonly string[]): boolean {
  const lower = host.toLowerCase();
  const name = hostname(lower);
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (name === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)) return true;
  for (const entry of insecureRegistries) {
    const wanted = entry.toLowerCase();
    if (wanted === lower || wanted === name) return true;
  }
  return false;
}

function hostname(host: string): string {
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    return close === -1 ? host : host.slice(0, close + 1);
  }
  const colon = host.indexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}
