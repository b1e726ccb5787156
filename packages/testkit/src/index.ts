export type {
  BasicAuthOptions,
  BearerAuthOptions,
  RegistryAuth,
  TokenResponseField,
} from './auth.js';
export type { TestkitErrorCode } from './errors.js';
export { TestkitError } from './errors.js';
export type { FaultRule } from './faults.js';
export type { ImageFormat } from './images.js';
export type {
  FaultControl,
  PushedImage,
  PushImageOptions,
  StartRegistryOptions,
  TestRegistry,
} from './registry.js';
export { startRegistry } from './registry.js';
export type { RecordedRequest } from './server.js';
