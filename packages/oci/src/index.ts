// Internal: the OCI facts the @tagsmith packages share. Its API follows their
// needs; pin it through them. The declarations need no Node types (digests take
// a Uint8Array), so packages that are type-checked without @types/node can use it.

export type { DigestProblem } from './digest.js';
export {
  digestProblem,
  isSha256Digest,
  REGISTERED_DIGEST_ALGORITHMS,
  sha256Digest,
} from './digest.js';
export {
  DOCKER_CONFIG,
  DOCKER_LAYER,
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
  isIndexMediaType,
  MANIFEST_MEDIA_TYPES,
  OCI_CONFIG,
  OCI_INDEX,
  OCI_LAYER,
  OCI_MANIFEST,
} from './media-types.js';
export {
  isDomainComponent,
  isIpv6Host,
  isPathComponent,
  isPortDigits,
  isRepositoryPath,
  MAX_NAME_LENGTH,
  REPOSITORY_NAME_PATTERN,
} from './name.js';
export { isTag, TAG_GRAMMAR } from './tag.js';
