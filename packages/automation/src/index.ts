// The declarations use Node's types (`AbortSignal`, `NodeJS.ProcessEnv`), so they load
// @types/node themselves: TypeScript 7 loads no @types package that a consumer's tsconfig
// does not list in `types`. `preserve` keeps this line in dist/index.d.ts.
/// <reference types="node" preserve="true" />

export type { CommitTemplate, CommitTemplateOptions } from './commit-template.js';
export {
  DEFAULT_COMMIT_TEMPLATE,
  parseCommitTemplate,
  renderCommitMessage,
} from './commit-template.js';
export type {
  AutomationConfig,
  CheckoutRefConfig,
  ConfigProblem,
  ConfigProblemKind,
  CredentialReference,
  DigestReflectionPolicy,
  GitCredentialsReference,
  GitSourceConfig,
  ImagePolicyConfig,
  ImageRepositoryConfig,
  LabelSelector,
  SourceLocation,
  UpdateAutomationConfig,
} from './config-types.js';
export type { AutomationErrorCode, AutomationErrorDetails } from './errors.js';
export { AutomationError } from './errors.js';
export type { LoadConfigOptions } from './load-config.js';
export { loadConfig } from './load-config.js';
export type { Logger } from './logger.js';
export type { TemplateChange, TemplateData, TemplateDataInput } from './template-data.js';
export { createTemplateData } from './template-data.js';
