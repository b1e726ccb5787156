import { createHash } from 'node:crypto';

/**
 * The manifest media types a digest lookup accepts, most specific first: asking
 * for all four keeps a registry from converting a multi-arch image to a single
 * manifest and reporting the converted document's digest.
 */
export const MANIFEST_MEDIA_TYPES: readonly string[] = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const SHA256 = /^sha256:[a-f0-9]{64}$/;

/** Whether a `Docker-Content-Digest` value is a well-formed digest. */
export function isDigest(value: string): boolean {
  return value.startsWith('sha256:') ? SHA256.test(value) : DIGEST.test(value);
}

/** `sha256:<hex>` of exactly these bytes. */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}
