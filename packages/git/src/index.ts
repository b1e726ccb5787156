// The declarations use Node's types (`AbortSignal`, `NodeJS.ProcessEnv`), so they load
// @types/node themselves: TypeScript 7 loads no @types package that a consumer's tsconfig
// does not list in `types`. `preserve` keeps this line in dist/index.d.ts.
/// <reference types="node" preserve="true" />

export type { GitErrorCode, GitErrorDetails } from './errors.js';
export { GitError } from './errors.js';
// GitHub: commits and pull requests through the REST API, no clone.
export type {
  CommitFilesOptions,
  FileChange,
  GitHubReadOptions,
  GitHubRepositoryOptions,
  PullRequest,
  PullRequestOptions,
} from './github-repository.js';
export { GitHubRepository } from './github-repository.js';
export type {
  CheckoutRef,
  CloneOptions,
  CommitOptions,
  OpenOptions,
  PushOptions,
  RepositoryOptions,
} from './local-options.js';
export { LocalRepository } from './local-repository.js';
export type {
  Author,
  BranchRepository,
  CommitResult,
  GitCredentials,
  Logger,
  PrepareOptions,
  PublishOptions,
  PublishResult,
  PushResult,
  SigningKey,
  Workspace,
} from './types.js';
export type {
  ApplyContext,
  ApplyStep,
  UpdateBranchOptions,
  UpdateResult,
} from './update-branch.js';
export { updateBranch } from './update-branch.js';
