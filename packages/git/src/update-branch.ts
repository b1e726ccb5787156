import { setTimeout as delay } from 'node:timers/promises';
import { GitError } from './errors.js';
import type {
  Author,
  BranchRepository,
  CommitResult,
  Logger,
  PublishOptions,
  PublishResult,
  PushResult,
  SigningKey,
  Workspace,
} from './types.js';

/** What an `apply` step is told about the attempt it runs in. */
export interface ApplyContext {
  /** 1 for the first attempt, 2 after the first lost race, and so on. */
  attempt: number;
  /** The commit whose files are in the directory. */
  head: string;
  /** Fires when the caller aborts `updateBranch`. */
  signal?: AbortSignal;
}

/**
 * Changes files in `dir` and returns the repository-relative paths it changed (an empty
 * list when it changed nothing). It runs once per attempt, on freshly laid-out files, so it
 * must compute the change from what it finds, not replay an old result.
 */
export type ApplyStep = (
  dir: string,
  context: ApplyContext,
) => readonly string[] | Promise<readonly string[]>;

/** Options of {@link updateBranch}. */
export interface UpdateBranchOptions {
  /** A `LocalRepository`, a `GitHubRepository`, or anything else that keeps the contract. */
  repository: BranchRepository;
  /** The branch to publish to. */
  branch: string;
  /**
   * The branch to build on. Default: `branch`. When it differs, `branch` is a push branch
   * owned by the automation, rebuilt from `base` plus the change on every run.
   */
  base?: string;
  /** Repository-relative directories `apply` needs; see {@link PrepareOptions.paths}. Default: the whole tree. */
  paths?: readonly string[];
  /** The step that makes the change; see {@link ApplyStep}. */
  apply: ApplyStep;
  /** The commit message, or a function of the changed paths that returns it. */
  message: string | ((files: readonly string[]) => string);
  /** Author (and committer, unless `committer` is given). */
  author: Author;
  /** Committer, when it differs from the author. */
  committer?: Author;
  /** Sign every commit with this key. */
  signing?: SigningKey;
  /** Push a push branch even when it carries commits the automation did not make. Default: `false`. */
  force?: boolean;
  /** A second refspec pushed after the branch; see {@link PublishOptions.refspec}. Default: none. */
  refspec?: string;
  /** `--push-option` values; see {@link PublishOptions.pushOptions}. Default: none. */
  pushOptions?: readonly string[];
  /** How many times to try before giving up with `ATTEMPTS_EXHAUSTED`. Default: `5`. */
  attempts?: number;
  /** The first retry waits up to this long; each later one up to twice the last. Default: `250` ms. */
  backoffMs?: number;
  /** No retry waits longer than this. Default: `8000` ms. */
  maxBackoffMs?: number;
  /** Source of randomness for the jitter, in [0, 1). Default: `Math.random`. */
  random?: () => number;
  /** Aborts the wait, the git commands and the requests. */
  signal?: AbortSignal;
  /** Where retries and outcomes are reported. Default: nowhere. */
  logger?: Logger;
}

/**
 * What {@link updateBranch} did. `attempts` counts the runs of `apply`.
 *
 * - `pushed`: the change is on the remote branch.
 * - `no-change`: the first `apply` changed nothing, or what it changed was already there.
 * - `already-applied`: after a lost race, the re-run `apply` found the change already on the
 *   remote (someone pushed the same change): no commit was made.
 * - `left-alone`: the push branch carries commits the automation did not make
 *   (`foreignCommits`, newest first); nothing was pushed.
 */
export type UpdateResult =
  | { status: 'pushed'; attempts: number; commit: CommitResult; push: PushResult }
  | { status: 'no-change'; attempts: number }
  | { status: 'already-applied'; attempts: number }
  | { status: 'left-alone'; attempts: number; foreignCommits: string[] };

const DEFAULT_ATTEMPTS = 5;
const DEFAULT_BACKOFF_MS = 250;
const DEFAULT_MAX_BACKOFF_MS = 8000;

/**
 * Makes a change on a branch and publishes it, winning races instead of failing them:
 * `apply` edits the laid-out files, the change is committed and pushed, and when the push
 * is rejected because the remote moved, the branch is fetched again, `apply` runs again on
 * the new head, and the new commit is pushed, after a jittered, growing wait. Nothing the
 * remote has is overwritten. At the end the change is on the remote, or the result says why
 * not, or a {@link GitError} does.
 *
 * Flux and Argo CD Image Updater fail on a lost race and wait for the next interval
 * (fluxcd/image-automation-controller#939); this is the retry they lack.
 *
 * @throws {GitError} `ATTEMPTS_EXHAUSTED` when every attempt lost the race, `INVALID_ARGUMENT`
 *   for bad options, `ABORTED`, or whatever the repository throws.
 */
export async function updateBranch(options: UpdateBranchOptions): Promise<UpdateResult> {
  const attempts = positiveInteger(options.attempts ?? DEFAULT_ATTEMPTS, 'attempts');
  const backoffMs = nonNegative(options.backoffMs ?? DEFAULT_BACKOFF_MS, 'backoffMs');
  const maxBackoffMs = nonNegative(options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS, 'maxBackoffMs');
  const random = options.random ?? Math.random;
  const { repository, branch, signal, logger } = options;
  const base = options.base ?? branch;

  for (let attempt = 1; attempt <= attempts; attempt++) {
    throwIfAborted(signal);
    const workspace = await repository.prepare({
      branch,
      base,
      refresh: attempt > 1,
      ...(options.paths === undefined ? {} : { paths: options.paths }),
      ...(signal === undefined ? {} : { signal }),
    });
    let outcome: PublishResult;
    try {
      const files = await runApply(options.apply, workspace, attempt, signal);
      if (files.length === 0) {
        return attempt === 1
          ? { status: 'no-change', attempts: attempt }
          : alreadyApplied(attempt, logger, branch);
      }
      outcome = await repository.publish(workspace, {
        files,
        message: typeof options.message === 'string' ? options.message : options.message(files),
        author: options.author,
        ...(options.committer === undefined ? {} : { committer: options.committer }),
        ...(options.signing === undefined ? {} : { signing: options.signing }),
        ...(options.force === undefined ? {} : { force: options.force }),
        ...(options.refspec === undefined ? {} : { refspec: options.refspec }),
        ...(options.pushOptions === undefined ? {} : { pushOptions: options.pushOptions }),
        ...(signal === undefined ? {} : { signal }),
      });
    } finally {
      await repository.release?.(workspace);
    }
    switch (outcome.status) {
      case 'pushed':
        return { status: 'pushed', attempts: attempt, commit: outcome.commit, push: outcome.push };
      case 'unchanged':
        return attempt === 1
          ? { status: 'no-change', attempts: attempt }
          : alreadyApplied(attempt, logger, branch);
      case 'left-alone':
        logger?.warn?.(
          `${branch}: left alone, it carries ${outcome.foreignCommits.length} commit(s) the automation did not make`,
        );
        return { status: 'left-alone', attempts: attempt, foreignCommits: outcome.foreignCommits };
      case 'conflict': {
        if (attempt === attempts) break;
        const wait = jitteredBackoff(attempt, backoffMs, maxBackoffMs, random);
        logger?.info?.(
          `${branch}: the remote moved${outcome.remoteHead === undefined ? '' : ` to ${outcome.remoteHead.slice(0, 12)}`}; ` +
            `attempt ${attempt + 1} of ${attempts} in ${wait} ms`,
        );
        await sleep(wait, signal);
      }
    }
  }
  throw new GitError(
    'ATTEMPTS_EXHAUSTED',
    `${branch}: the remote moved during each of ${attempts} attempts; the change was not pushed. ` +
      'Raise `attempts`, or find the writer that pushes this often.',
    { ref: branch, attempts },
  );
}

async function runApply(
  apply: ApplyStep,
  workspace: Workspace,
  attempt: number,
  signal: AbortSignal | undefined,
): Promise<readonly string[]> {
  const files = await apply(workspace.dir, {
    attempt,
    head: workspace.head,
    ...(signal === undefined ? {} : { signal }),
  });
  if (!Array.isArray(files) || files.some((file) => typeof file !== 'string')) {
    throw new GitError(
      'INVALID_ARGUMENT',
      'updateBranch: `apply` must return the array of repository-relative paths it changed',
    );
  }
  return files;
}

function alreadyApplied(attempt: number, logger: Logger | undefined, branch: string): UpdateResult {
  logger?.info?.(`${branch}: the remote already has this change; nothing to commit`);
  return { status: 'already-applied', attempts: attempt };
}

// "Full jitter": a random wait in [0, cap) with the cap doubling per attempt, so writers
// that lost the same race spread out instead of colliding again in lockstep.
function jitteredBackoff(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number,
): number {
  const cap = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return Math.floor(random() * cap);
}

async function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    throw new GitError('ABORTED', 'updateBranch: aborted while waiting to retry', { cause: error });
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new GitError('ABORTED', 'updateBranch: aborted', { cause: signal.reason });
  }
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new GitError(
      'INVALID_ARGUMENT',
      `updateBranch: \`${name}\` must be a positive integer, got ${String(value)}`,
    );
  }
  return value;
}

function nonNegative(value: number, name: string): number {
  // Number.isFinite is false for anything that is not a number: no typeof needed.
  if (!Number.isFinite(value) || value < 0) {
    throw new GitError(
      'INVALID_ARGUMENT',
      `updateBranch: \`${name}\` must be a non-negative number of milliseconds, got ${String(value)}`,
    );
  }
  return value;
}
