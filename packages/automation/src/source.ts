// Opening an automation's git source as a @tagsmith/git BranchRepository: a local
// path or a git URL is cloned into the cycle's work directory (updateBranch resets the
// working tree hard, so it must be a clone made for it, never one a person works in);
// `github:owner/repo` is a GitHubRepository, no clone.

import { join } from 'node:path';
import {
  type BranchRepository,
  type CloneOptions,
  GitHubRepository,
  type GitHubRepositoryOptions,
  LocalRepository,
} from '@tagsmith/git';
import { selectTag } from '@tagsmith/policy';
import type { UpdateAutomationConfig } from './config-types.js';
import { gitCredentials, readSecret } from './credentials.js';
import { AutomationError } from './errors.js';
import type { Logger } from './logger.js';
import type { RunOptions } from './run-types.js';

/** An opened source. */
export interface OpenedSource {
  repository: BranchRepository;
  /** Set for GitHub sources, which can open pull requests. */
  github?: GitHubRepository;
}

/** What opening needs from the cycle. */
export interface SourceContext {
  env: Record<string, string | undefined>;
  workDir: string;
  logger: Logger | undefined;
  signal: AbortSignal | undefined;
  options: RunOptions;
}

/**
 * The branch the change is built on and the one it is published to. Flux pushes to the
 * checkout branch unless `push.branch` names another.
 *
 * @throws {AutomationError} `INVALID_CONFIG` when neither the checkout nor `push` names a branch.
 */
export function branches(automation: UpdateAutomationConfig): { base: string; branch: string } {
  const { checkout } = automation;
  const fromName = checkout.name?.startsWith('refs/heads/')
    ? checkout.name.slice('refs/heads/'.length)
    : undefined;
  const base = checkout.branch ?? fromName ?? automation.push.branch;
  if (base === undefined) {
    throw new AutomationError(
      'INVALID_CONFIG',
      `automation ${automation.namespace}/${automation.name}: no branch to push to; set the checkout branch or push.branch`,
      { object: `${automation.namespace}/${automation.name}`, file: automation.location.file },
    );
  }
  return { base, branch: automation.push.branch ?? base };
}

/** Opens `automation`'s source; `index` keeps clone directories apart. */
export async function openSource(
  automation: UpdateAutomationConfig,
  index: number,
  context: SourceContext,
): Promise<OpenedSource> {
  const { source } = automation;
  if (source.kind === 'github') {
    const token = await readSecret(source.token ?? { env: 'GITHUB_TOKEN' }, context.env);
    const options: GitHubRepositoryOptions = {
      owner: source.owner,
      repo: source.repo,
      auth: token,
      workDir: context.workDir,
    };
    if (source.baseUrl !== undefined) options.baseUrl = source.baseUrl;
    if (context.logger !== undefined) options.logger = context.logger;
    if (context.options.fetch !== undefined) options.fetch = context.options.fetch;
    const interval = context.options.git?.githubWriteIntervalMs;
    if (interval !== undefined) options.writeIntervalMs = interval;
    const github = new GitHubRepository(options);
    return { repository: github, github };
  }
  const url = source.kind === 'local' ? source.path : source.url;
  const options: CloneOptions = {
    ref: automation.checkout,
    matchSemver: (range, tags) => selectTag(tags, { policy: { semver: { range } } }),
  };
  if (source.kind === 'url' && source.credentials !== undefined) {
    options.credentials = await gitCredentials(source.credentials, context.env);
  }
  if (context.options.git?.env !== undefined) options.env = context.options.git.env;
  if (context.logger !== undefined) options.logger = context.logger;
  if (context.signal !== undefined) options.signal = context.signal;
  const dir = join(context.workDir, `clone-${index}-${automation.namespace}-${automation.name}`);
  return { repository: await LocalRepository.clone(url, dir, options) };
}
