import { createHash } from 'node:crypto';

/** The `sha256:<hex>` content digest of `bytes`, as registries compute it. */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}
