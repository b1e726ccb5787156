// The declarations use Node's types (`Buffer`, `node:http`, `AsyncDisposable`),
// so they load @types/node themselves: TypeScript 7 loads no @types package that
// a consumer's tsconfig does not list in `types`, and a target below esnext has
// `AsyncDisposable` only from @types/node. `preserve` keeps this line in
// dist/index.d.ts.
/// <reference types="node" preserve="true" />

export type {
  BasicAuthOptions,
  BearerAuthOptions,
  RegistryAuth,
  TokenResponseField,
} from './auth.js';
export type { TestkitErrorCode, TestkitErrorDetails } from './errors.js';
export { TestkitError } from './errors.js';
export type { FaultRule } from './faults.js';
export type {
  FixtureCloneOptions,
  FixtureCommit,
  FixtureCommitOptions,
  FixtureLogEntry,
  FixtureTag,
  GitFixture,
  GitFixtureOptions,
} from './git-fixture.js';
export { createGitFixture } from './git-fixture.js';
export type { FileChanges } from './git-import.js';
export type { PushedRefUpdate, PushRecorder, RecordedPush } from './git-pushes.js';
export type { GitIdentity } from './git-run.js';
export type {
  GitServer,
  GitServerAuth,
  GitServerFaults,
  GitServerRequest,
  ServeGitOptions,
} from './git-server.js';
export { serveGit } from './git-server.js';
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
