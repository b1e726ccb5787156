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
}

/** Resolves the API origin and credential key of a registry name. */
export function endpointFor(registry: string, insecureRegistries: readonly string[]): Endpoint {
  const isHub = registry === DOCKER_HUB;
  const host = isHub ? DOCKER_HUB_API : registry;
  const scheme = allowsPlainHttp(host, insecureRegistries) ? 'http' : 'https';
  return {
    registry,
    // Through URL so an explicit default port compares equal to what fetch reports.
    origin: new URL(`${scheme}://${host}`).origin,
    credentialKey: isHub ? DOCKER_HUB_CREDENTIAL_KEY : registry,
  };
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
