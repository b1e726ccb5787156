import { createHash } from 'node:crypto';

/** Why a string is not a usable digest; see {@link digestProblem}. */
export type DigestProblem = 'not-digest' | 'unregistered-algorithm' | 'bad-encoding';

// The OCI image-spec digest grammar `algorithm:encoded`.
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/**
 * The encodings of the algorithms the OCI image spec registers. A Map, not an
 * object literal: `constructor:…` must not find Object's constructor.
 */
const ENCODED_BY_ALGORITHM: ReadonlyMap<string, RegExp> = new Map([
  ['sha256', /^[a-f0-9]{64}$/],
  ['sha512', /^[a-f0-9]{128}$/],
  ['blake3', /^[a-f0-9]{64}$/],
]);

/** The digest algorithms the OCI image spec registers, in the spec's order. */
export const REGISTERED_DIGEST_ALGORITHMS: readonly string[] = [...ENCODED_BY_ALGORITHM.keys()];

/**
 * What is wrong with `value` as a digest, or `undefined` when nothing is:
 * `not-digest` when it is not `algorithm:encoded`; `unregistered-algorithm` when
 * the grammar holds but the algorithm is not registered (whether that is
 * acceptable is the caller's call); `bad-encoding` when a registered
 * algorithm's encoded part has the wrong length or characters.
 */
export function digestProblem(value: string): DigestProblem | undefined {
  if (!DIGEST.test(value)) return 'not-digest';
  const colon = value.indexOf(':');
  const encoded = ENCODED_BY_ALGORITHM.get(value.slice(0, colon));
  if (encoded === undefined) return 'unregistered-algorithm';
  return encoded.test(value.slice(colon + 1)) ? undefined : 'bad-encoding';
}

/** Whether `value` is a sha256 digest: `sha256:` and 64 lower-case hex digits. */
export function isSha256Digest(value: string): boolean {
  return value.startsWith('sha256:') && digestProblem(value) === undefined;
}

/** The `sha256:<hex>` content digest of exactly these bytes, as registries compute it. */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}
