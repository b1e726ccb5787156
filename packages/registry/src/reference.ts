import {
  digestProblem,
  isDomainComponent,
  isPathComponent,
  isPortDigits,
  isTag,
  MAX_NAME_LENGTH,
  TAG_GRAMMAR,
} from '@tagsmith/oci';
import { RegistryError } from './errors.js';

/** A parsed image reference such as `ghcr.io/org/app:1.2.3` or `nginx@sha256:…`. */
export interface ImageReference {
  /** Registry host with optional port, e.g. `docker.io`, `ghcr.io`, `localhost:5000`. */
  readonly registry: string;
  /** Repository path, e.g. `library/nginx` (Docker Hub's official images get `library/`). */
  readonly repository: string;
  /** The tag, when the reference has one. */
  readonly tag?: string;
  /** The digest (`algorithm:hex`), when the reference has one. */
  readonly digest?: string;
  /** The canonical form `registry/repository[:tag][@digest]`. */
  toString(): string;
}

/** The registry name Docker Hub references normalise to. */
export const DOCKER_HUB = 'docker.io';

// The name, tag and digest grammars are @tagsmith/oci's, shared with setters and
// the testkit; what follows is this parser's own, stricter view of a host.
// RFC 1035: a label longer than this can never be resolved.
const MAX_LABEL_LENGTH = 63;
// The WHATWG URL parser reads a host whose last label is a decimal or 0x number as IPv4.
const NUMERIC_LABEL = /^(?:[0-9]+|0[xX][0-9a-fA-F]*)$/;
const IPV4_PART = /^(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$/;
// Wider than the reference grammar's `[hex:]`: it lets IPv4-mapped addresses
// (`[::ffff:10.0.0.1]`) through, and isUrlHost then checks the address itself.
const IPV6_HOST = /^\[[a-fA-F0-9:.]+\]$/;

class ParsedReference implements ImageReference {
  readonly registry: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;

  constructor(registry: string, repository: string, tag?: string, digest?: string) {
    this.registry = registry;
    this.repository = repository;
    if (tag !== undefined) this.tag = tag;
    if (digest !== undefined) this.digest = digest;
  }

  toString(): string {
    const tag = this.tag === undefined ? '' : `:${this.tag}`;
    const digest = this.digest === undefined ? '' : `@${this.digest}`;
    return `${this.registry}/${this.repository}${tag}${digest}`;
  }
}

/**
 * Parses an image reference with Docker's rules: the first path segment is a
 * registry only if it contains `.` or `:` or is `localhost`, otherwise the image
 * lives on Docker Hub (`nginx` is `docker.io/library/nginx`).
 *
 * @throws {RegistryError} `INVALID_REFERENCE`, naming the offending part.
 */
export function parseReference(ref: string): ImageReference {
  if (typeof ref !== 'string' || ref === '') {
    throw invalid(String(ref), DOCKER_HUB, 'the reference is empty');
  }
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }

  const slash = rest.indexOf('/');
  const first = slash === -1 ? '' : rest.slice(0, slash);
  const hasDomain =
    slash !== -1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let registry = hasDomain ? first : DOCKER_HUB;
  let remainder = hasDomain ? rest.slice(slash + 1) : rest;

  // A colon after the last slash separates the tag; earlier colons belong to a port.
  let tag: string | undefined;
  const colon = remainder.lastIndexOf(':');
  if (colon !== -1 && colon > remainder.lastIndexOf('/')) {
    tag = remainder.slice(colon + 1);
    remainder = remainder.slice(0, colon);
  }

  if (hasDomain) checkDomain(ref, registry);
  if (registry === 'index.docker.io') registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && !remainder.includes('/')) remainder = `library/${remainder}`;

  checkRepository(ref, registry, remainder);
  if (tag !== undefined && !isTag(tag)) {
    throw invalid(ref, registry, `tag "${tag}" must match ${TAG_GRAMMAR}`);
  }
  if (digest !== undefined) checkDigest(ref, registry, digest);
  return new ParsedReference(registry, remainder, tag, digest);
}

/** Accepts a reference as text or as an object and returns it validated and normalised. */
export function toReference(reference: string | ImageReference): ImageReference {
  if (typeof reference === 'string') return parseReference(reference);
  if (reference instanceof ParsedReference) return reference;
  const tag = reference.tag === undefined ? '' : `:${reference.tag}`;
  const digest = reference.digest === undefined ? '' : `@${reference.digest}`;
  const text = `${reference.registry}/${reference.repository}${tag}${digest}`;
  const parsed = parseReference(text);
  // `{ registry: 'myregistry' }` would otherwise quietly become a Docker Hub repository.
  const registry = reference.registry === 'index.docker.io' ? DOCKER_HUB : reference.registry;
  if (parsed.registry !== registry) {
    throw invalid(
      text,
      reference.registry,
      `registry "${reference.registry}" is not a host name with "." or ":", nor localhost`,
    );
  }
  return parsed;
}

/**
 * Checks the registry part: a DNS name, an IPv4 dotted quad or a bracketed IPv6
 * address, with an optional port 1-65535. Everything accepted here is a host the
 * WHATWG URL parser accepts too, so a bad registry fails here, naming itself,
 * rather than later as a `TypeError` from `new URL`. IPv4 is stricter than that
 * parser, which reads `010.1.1.1` as octal `8.1.1.1` and `1.2.3` as `1.2.0.3`:
 * a registry written that way is a mistake, not a wish.
 */
function checkDomain(ref: string, domain: string): void {
  let host = domain;
  const portAt = domain.lastIndexOf(':');
  if (portAt !== -1 && !domain.endsWith(']')) {
    const port = domain.slice(portAt + 1);
    host = domain.slice(0, portAt);
    if (!isPortDigits(port) || Number(port) < 1 || Number(port) > 65535) {
      throw invalid(ref, domain, `registry port "${port}" must be a number from 1 to 65535`);
    }
  }
  if (host.startsWith('[')) {
    if (!IPV6_HOST.test(host) || !isUrlHost(host)) {
      throw invalid(ref, domain, `registry host "${host}" is not a valid IPv6 address`);
    }
    return;
  }
  const labels = host.split('.');
  if (NUMERIC_LABEL.test(labels.at(-1)!)) {
    if (labels.length !== 4 || !labels.every((label) => IPV4_PART.test(label))) {
      throw invalid(
        ref,
        domain,
        `registry host "${host}" is not a valid IPv4 address (four numbers 0-255 without leading zeros)`,
      );
    }
    return;
  }
  for (const label of labels) {
    if (!isDomainComponent(label) || label.length > MAX_LABEL_LENGTH) {
      throw invalid(
        ref,
        domain,
        `registry host "${host}" is not a valid host name (bad label "${label}")`,
      );
    }
  }
  // What the labels cannot show: `xn--` labels must be valid punycode.
  if (!isUrlHost(host)) {
    throw invalid(ref, domain, `registry host "${host}" is not a valid host name`);
  }
}

function isUrlHost(host: string): boolean {
  return URL.canParse(`https://${host}/`);
}

function checkRepository(ref: string, registry: string, repository: string): void {
  if (repository === '') throw invalid(ref, registry, 'the repository name is empty');
  for (const part of repository.split('/')) {
    if (!isPathComponent(part)) {
      throw invalid(
        ref,
        registry,
        `repository path component "${part}" must match [a-z0-9]+((.|_|__|-+)[a-z0-9]+)*`,
      );
    }
  }
  const length =
    registry === DOCKER_HUB ? repository.length : registry.length + 1 + repository.length;
  if (length > MAX_NAME_LENGTH) {
    throw invalid(ref, registry, `the name is ${length} characters, more than ${MAX_NAME_LENGTH}`);
  }
}

function checkDigest(ref: string, registry: string, digest: string): void {
  // An unregistered algorithm passes: the registry, not this parser, knows what it serves.
  const problem = digestProblem(digest);
  if (problem === 'not-digest') {
    throw invalid(ref, registry, `digest "${digest}" must look like algorithm:hex`);
  }
  if (problem === 'bad-encoding') {
    throw invalid(ref, registry, `digest "${digest}" has the wrong length or non-hex characters`);
  }
}

function invalid(ref: string, registry: string, why: string): RegistryError {
  return new RegistryError('INVALID_REFERENCE', `invalid image reference "${ref}": ${why}`, {
    registry,
  });
}
