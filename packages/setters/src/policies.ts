// Checks every policy ref at the API boundary, before anything is read or
// written, and keeps a snapshot of what was checked: a ref is read once, so a
// getter or a later mutation cannot slip an unchecked value past the check.
import {
  digestProblem,
  isDomainComponent,
  isIpv6Host,
  isPathComponent,
  isPortDigits,
  isTag,
  MAX_NAME_LENGTH,
  TAG_GRAMMAR,
} from '@tagsmith/oci';
import { SettersError } from './errors.js';
import type { ImageRef } from './types.js';

/** Policies whose every ref passed {@link checkPolicies}. Internal: never handed to callers. */
export class CheckedPolicies extends Map<string, ImageRef> {}

// The distribution/reference grammar (what Docker, containerd and Flux's
// go-containerregistry accept) comes from @tagsmith/oci, one rule per part so a
// message can name it. An unregistered digest algorithm (`md5:…`) is refused:
// go-digest (containerd, distribution) cannot verify it and
// go-containerregistry, which Flux parses refs with, accepts only sha256, so
// such a pin would break the pull.

/**
 * Checks `policies` and every ref in it, and returns a snapshot of them.
 * Every ref is checked, including refs no marker names: the input is the
 * caller's statement of what each policy selected, and a bad entry there is a
 * bug worth hearing about whichever file happens to be patched.
 *
 * @throws {SettersError} `INVALID_ARGUMENT` when `policies` is not a Map or an
 * object, or a Map key is not a string; `INVALID_REF` naming the policy and the
 * field when a ref is not `{ name, tag, digest? }` with valid values.
 */
export function checkPolicies(policies: unknown): CheckedPolicies {
  if (policies instanceof CheckedPolicies) return policies;
  if (typeof policies !== 'object' || policies === null || Array.isArray(policies)) {
    throw new SettersError(
      'INVALID_ARGUMENT',
      `policies must be a Map or an object keyed "namespace:name", got ${describe(policies)}`,
    );
  }
  const entries: Iterable<[unknown, unknown]> =
    policies instanceof Map ? policies.entries() : Object.entries(policies);
  const checked = new CheckedPolicies();
  for (const [key, ref] of entries) {
    if (typeof key !== 'string') {
      throw new SettersError(
        'INVALID_ARGUMENT',
        `policies keys must be strings "namespace:name", got ${describe(key)}`,
      );
    }
    checked.set(key, checkRef(key, ref));
  }
  return checked;
}

function checkRef(policy: string, ref: unknown): ImageRef {
  if (typeof ref !== 'object' || ref === null || Array.isArray(ref)) {
    throw invalidRef(
      policy,
      undefined,
      `must be an object { name, tag, digest? }, got ${describe(ref)}`,
    );
  }
  const { name, tag, digest } = ref as Record<string, unknown>;
  if (typeof name !== 'string') {
    throw invalidRef(policy, 'name', `must be a string, got ${describe(name)}`);
  }
  const nameProblem = imageNameProblem(name);
  if (nameProblem !== undefined) {
    throw invalidRef(policy, 'name', `${describe(name)} is not an image name: ${nameProblem}`);
  }
  if (typeof tag !== 'string' || !isTag(tag)) {
    throw invalidRef(
      policy,
      'tag',
      `must be a string matching ${TAG_GRAMMAR}, got ${describe(tag)}`,
    );
  }
  // Flux's latestRef.digest is a Go string where "" means none; accept both spellings of "none".
  if (digest === undefined || digest === '') return { name, tag };
  if (typeof digest !== 'string') {
    throw invalidRef(policy, 'digest', `must be a string, got ${describe(digest)}`);
  }
  const digestProblem = digestProblemOf(digest);
  if (digestProblem !== undefined) {
    throw invalidRef(policy, 'digest', `${describe(digest)} ${digestProblem}`);
  }
  return { name, tag, digest };
}

/** Why `name` is not `[host[:port]/]path`, or `undefined` when it is. */
function imageNameProblem(name: string): string | undefined {
  if (name === '') return 'it is empty';
  if (name.length > MAX_NAME_LENGTH) return `it is longer than ${MAX_NAME_LENGTH} characters`;
  const parts = name.split('/');
  const first = parts[0]!;
  // Docker's rule: the first component names a registry only if it looks like a host.
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    const hostProblem = registryProblem(first);
    if (hostProblem !== undefined) return hostProblem;
    parts.shift();
  }
  for (const part of parts) {
    if (!isPathComponent(part)) {
      return `path component "${part}" must match [a-z0-9]+((.|_|__|-+)[a-z0-9]+)* (lowercase, no tag or digest)`;
    }
  }
  return undefined;
}

function registryProblem(registry: string): string | undefined {
  let host = registry;
  const colon = registry.lastIndexOf(':');
  if (colon !== -1 && !registry.endsWith(']')) {
    const port = registry.slice(colon + 1);
    if (!isPortDigits(port) || Number(port) > 65535) {
      return `registry port "${port}" must be a number from 0 to 65535`;
    }
    host = registry.slice(0, colon);
  }
  if (isIpv6Host(host)) return undefined;
  const bad = host.split('.').find((label) => !isDomainComponent(label));
  return bad === undefined ? undefined : `registry host "${host}" has a bad label "${bad}"`;
}

function digestProblemOf(digest: string): string | undefined {
  const problem = digestProblem(digest);
  if (problem === undefined) return undefined;
  if (problem === 'not-digest') return 'is not algorithm:encoded (e.g. sha256:<64 hex digits>)';
  const algorithm = digest.slice(0, digest.indexOf(':'));
  if (problem === 'unregistered-algorithm') {
    return `uses "${algorithm}", which is not a registered algorithm (sha256, sha512, blake3)`;
  }
  return `is not ${algorithm}: followed by ${algorithm === 'sha512' ? 128 : 64} lowercase hex digits`;
}

function invalidRef(policy: string, field: keyof ImageRef | undefined, why: string): SettersError {
  const where = field === undefined ? 'ref' : `ref.${field}`;
  return new SettersError('INVALID_REF', `policy ${JSON.stringify(policy)}: ${where} ${why}`, {
    policy,
    ...(field === undefined ? {} : { field }),
  });
}

/** A value for a message: strings quoted and cut short, everything else by type. */
function describe(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
    return JSON.stringify(shown);
  }
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `${typeof value} ${String(value)}`;
  }
  return `a ${typeof value}`;
}
