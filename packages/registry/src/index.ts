// The declarations use Node's types (`Buffer` in replies, `NodeJS.ProcessEnv`),
// so they load @types/node themselves: TypeScript 7 loads no @types package that
// a consumer's tsconfig does not list in `types`. `preserve` keeps this line in
// dist/index.d.ts.
/// <reference types="node" preserve="true" />

// The manifest media types a digest lookup asks for: @tagsmith/oci's list, shared with the testkit.
export { MANIFEST_MEDIA_TYPES } from '@tagsmith/oci';
export type { RegistryClientOptions, RequestOptions } from './client.js';
export { RegistryClient } from './client.js';
export type { Credential, CredentialProvider } from './credentials.js';
export { staticCredentials } from './credentials.js';
export type { DockerConfigOptions } from './docker-config.js';
export { dockerConfigCredentials } from './docker-config.js';
export type { RegistryHost } from './endpoint.js';
export type { RegistryErrorCode, RegistryErrorDetails } from './errors.js';
export { RegistryError } from './errors.js';
export type { Logger } from './logger.js';
export type { ImageReference } from './reference.js';
export { parseReference } from './reference.js';
export type { RetryOptions } from './retry.js';
export type { FetchLike } from './transport.js';
