// Pull requests of a GitHubRepository: find the open one for a head and base, update it,
// or open it; never a duplicate, even when two callers race to open the same one.
import { GitError } from './errors.js';
import { type GitHubApi, requestOptions, requireName } from './github-api.js';
import { type FailureContext, githubMessage, responseStatus, toGitError } from './github-errors.js';
import type { PullRequest, PullRequestOptions } from './github-repository.js';

/** The fields of a listed pull request this module reads. */
interface PullSummary {
  number: number;
  html_url: string;
  title: string;
  body: string | null;
  labels: { name?: string }[];
}

/**
 * Opens a pull request from `head` into `base`, or, when one is open already, updates
 * its title and body (only what differs) and adds the missing labels.
 */
export async function openOrUpdatePullRequest(
  api: GitHubApi,
  options: PullRequestOptions,
): Promise<PullRequest> {
  const head = requireName(options?.head, 'head');
  const base = requireName(options.base, 'base');
  if (typeof options.title !== 'string' || options.title.trim() === '') {
    throw new GitError(
      'INVALID_ARGUMENT',
      'openOrUpdatePullRequest: `title` must be a non-empty string',
    );
  }
  const labels = [...(options.labels ?? [])];
  if (labels.some((label) => typeof label !== 'string' || label === '')) {
    throw new GitError(
      'INVALID_ARGUMENT',
      'openOrUpdatePullRequest: `labels` must be non-empty strings',
    );
  }
  const { signal } = options;
  const context = api.context(`openOrUpdatePullRequest ${head} → ${base}`, signal, {
    ref: head,
  });
  const existing = await openPull(api, head, base, context);
  if (existing !== undefined) return updatePull(api, existing, options, labels, context);
  let created: PullSummary;
  try {
    const { data } = await api.octokit.rest.pulls.create({
      owner: api.owner,
      repo: api.repo,
      head,
      base,
      title: options.title,
      ...(options.body === undefined ? {} : { body: options.body }),
      request: requestOptions(signal),
    });
    created = data;
  } catch (error) {
    // Another writer opened it between our look and our create: update theirs instead.
    const raced = responseStatus(error) === 422 && /already exists/i.test(githubMessage(error));
    const theirs = raced ? await openPull(api, head, base, context) : undefined;
    if (theirs === undefined) throw toGitError(error, context);
    return updatePull(api, theirs, options, labels, context);
  }
  if (labels.length > 0) await addLabels(api, created.number, labels, context);
  api.logger?.info?.(
    `${api.owner}/${api.repo}: opened pull request #${created.number} ${head} → ${base}`,
  );
  return {
    number: created.number,
    url: created.html_url,
    created: true,
    head,
    base,
    title: options.title,
  };
}

async function openPull(
  api: GitHubApi,
  head: string,
  base: string,
  context: FailureContext,
): Promise<PullSummary | undefined> {
  try {
    const { data } = await api.octokit.rest.pulls.list({
      owner: api.owner,
      repo: api.repo,
      state: 'open',
      head: head.includes(':') ? head : `${api.owner}:${head}`,
      base,
      per_page: 100,
      request: requestOptions(context.signal),
    });
    return data[0];
  } catch (error) {
    throw toGitError(error, context);
  }
}

async function updatePull(
  api: GitHubApi,
  pull: PullSummary,
  options: PullRequestOptions,
  labels: readonly string[],
  context: FailureContext,
): Promise<PullRequest> {
  const changes = {
    ...(pull.title === options.title ? {} : { title: options.title }),
    ...(options.body === undefined || options.body === (pull.body ?? '')
      ? {}
      : { body: options.body }),
  };
  try {
    if (Object.keys(changes).length > 0) {
      await api.octokit.rest.pulls.update({
        owner: api.owner,
        repo: api.repo,
        pull_number: pull.number,
        ...changes,
        request: requestOptions(context.signal),
      });
    }
  } catch (error) {
    throw toGitError(error, context);
  }
  const have = new Set(pull.labels.map((label) => label.name));
  const missing = labels.filter((label) => !have.has(label));
  if (missing.length > 0) await addLabels(api, pull.number, missing, context);
  api.logger?.info?.(`${api.owner}/${api.repo}: updated pull request #${pull.number}`);
  return {
    number: pull.number,
    url: pull.html_url,
    created: false,
    head: options.head,
    base: options.base,
    title: options.title,
  };
}

async function addLabels(
  api: GitHubApi,
  number: number,
  labels: readonly string[],
  context: FailureContext,
): Promise<void> {
  try {
    await api.octokit.rest.issues.addLabels({
      owner: api.owner,
      repo: api.repo,
      issue_number: number,
      labels: [...labels],
      request: requestOptions(context.signal),
    });
  } catch (error) {
    throw toGitError(error, context);
  }
}
