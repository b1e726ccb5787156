// LocalRepository: a working tree driven through the git CLI. This file holds the
// public methods and what they decide; the git steps are in commands.ts (running git
// with the credentials), checkout.ts (clone), commit.ts, push.ts, prepare.ts and
// push-branch.ts. As a BranchRepository (the contract updateBranch uses) the workspace
// is the working tree itself, which updateBranch then owns: prepare resets it hard to
// the remote's head, so use a clone made for the automation.

import { realpath, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { checkOut, claimEmptyDirectory, pickTarget, releaseDirectory } from './checkout.js';
import { checkBoolean, checkDepth, checkOptions, checkSparse, checkUrl } from './checks.js';
import { Commands, settingsFrom } from './commands.js';
import { commitFiles } from './commit.js';
import { GitError } from './errors.js';
import type { CloneOptions, CommitOptions, OpenOptions, PushOptions } from './local-options.js';
import { resetTo, unchangedHead } from './prepare.js';
import { pushHead } from './push.js';
import { inspectPushBranch } from './push-branch.js';
import { redactUrl } from './redact.js';
import { checkBranch } from './refname.js';
import type {
  BranchRepository,
  CommitResult,
  PrepareOptions,
  PublishOptions,
  PublishResult,
  PushResult,
  Workspace,
} from './types.js';

/**
 * A git working tree on disk, driven through the `git` executable: clone (with Flux's ref
 * precedence, shallow by default), commit exactly the named files (optionally signed), push,
 * and, as a {@link BranchRepository}, the prepare and publish steps of {@link updateBranch}.
 *
 * Credentials given to {@link LocalRepository.clone} or {@link LocalRepository.open} stay
 * in the instance and reach git only through the environment of each fetch and push,
 * never argv, the remote URL or `.git/config`; every message, error and log line is
 * scrubbed of them. Errors are {@link GitError}s; docs/errors.md lists their codes.
 *
 * As a `BranchRepository` the workspace is the working tree itself: `prepare` resets it
 * hard (and removes untracked and ignored files) to the remote head, so give
 * `updateBranch` a clone made for the automation, not one a person works in.
 */
export class LocalRepository implements BranchRepository {
  /** The absolute path of the working tree's top directory (symlinks resolved). */
  readonly dir: string;
  readonly #cmd: Commands;

  private constructor(cmd: Commands) {
    this.dir = cmd.dir;
    this.#cmd = cmd;
  }

  /**
   * Clones `url` into `dir` (which must not exist or be empty) and checks out `options.ref`:
   * a branch becomes a local branch tracking the remote's, a tag, commit or other ref is
   * checked out detached. Only that ref is fetched, `depth` commits deep (default 1).
   *
   * @param url - `https://…`, `ssh://…`, `user@host:path`, `file://…` or a path, without
   *   credentials in it (give those as `options.credentials`).
   * @param dir - Where the working tree goes.
   * @throws {GitError} `NOT_FOUND` (with `ref`) when the ref, or a tag matching `semver`,
   *   does not exist; `INVALID_ARGUMENT`; `AUTH_FAILED`, `HOST_KEY_REJECTED`, `NETWORK`,
   *   `GIT_NOT_FOUND`, `ABORTED`, `COMMAND_FAILED`. A failed clone leaves no files behind.
   */
  static async clone(url: string, dir: string, options?: CloneOptions): Promise<LocalRepository> {
    const opts = checkOptions(options, 'clone');
    const settings = settingsFrom(opts);
    checkUrl(url);
    if (typeof dir !== 'string' || dir === '') {
      throw new GitError('INVALID_ARGUMENT', 'clone: `dir` must be a directory path');
    }
    const depth = checkDepth(opts.depth ?? 1);
    const sparse = opts.sparse === undefined ? undefined : checkSparse(opts.sparse);
    const target = pickTarget(opts.ref, opts.matchSemver);
    const root = resolve(dir);
    const existed = await claimEmptyDirectory(root);
    try {
      const cmd = new Commands(await realpath(root), settings, redactUrl(url));
      await checkOut(cmd, url, target, {
        depth,
        sparse,
        matchSemver: opts.matchSemver,
        signal: opts.signal,
      });
      return new LocalRepository(cmd);
    } catch (error) {
      await releaseDirectory(root, existed);
      throw error;
    }
  }

  /**
   * Opens the working tree whose top directory is `dir`. A directory inside a working
   * tree is refused: `updateBranch` resets the tree it is given, and must never reset a
   * parent repository by mistake.
   *
   * @throws {GitError} `NOT_A_REPOSITORY` when `dir` is missing or not the top of a working
   *   tree; `INVALID_ARGUMENT`; `GIT_NOT_FOUND`.
   */
  static async open(dir: string, options?: OpenOptions): Promise<LocalRepository> {
    const opts = checkOptions(options, 'open');
    const settings = settingsFrom(opts);
    if (typeof dir !== 'string' || dir === '') {
      throw new GitError('INVALID_ARGUMENT', 'open: `dir` must be a directory path');
    }
    const root = resolve(dir);
    const notRepository = (why: string) => new GitError('NOT_A_REPOSITORY', `open: ${root} ${why}`);
    if (!(await isDirectory(root))) throw notRepository('does not exist or is not a directory');
    const call = { cwd: root, signal: opts.signal };
    const top = await settings.runner.exec(['rev-parse', '--show-toplevel'], call);
    if (top.exitCode !== 0) throw notRepository('is not a git working tree');
    const topDir = top.stdout.trim();
    if (topDir !== (await realpath(root))) {
      throw notRepository(`is not the top of a working tree (that is ${topDir})`);
    }
    const url = await settings.runner.exec(['remote', 'get-url', '--', settings.remote], call);
    const remoteUrl = url.exitCode === 0 ? redactUrl(url.stdout.trim()) : settings.remote;
    return new LocalRepository(new Commands(topDir, settings, remoteUrl));
  }

  /**
   * Commits exactly `files` onto `HEAD`: each is staged as it is in the working tree (a
   * missing one as a deletion), nothing else, not even what was already in the index.
   * Author and committer come from the options, never from config.
   *
   * @returns The commit, or `undefined` when the files equal `HEAD`'s (nothing to commit).
   * @throws {GitError} `UNSAFE_PATH` (before anything is staged) for a path outside the
   *   tree; `SIGNING_FAILED`; `INVALID_ARGUMENT`; `ABORTED`; `COMMAND_FAILED`.
   */
  async commit(options: CommitOptions): Promise<CommitResult | undefined> {
    return commitFiles(this.#cmd, checkOptions(options, 'commit'));
  }

  /**
   * Pushes the checked-out commit (`HEAD`) to `branch` on the remote, then `refspec` if
   * given, as a second push (as Flux does).
   *
   * @throws {GitError} `PUSH_REJECTED` when the remote refused: it moved (not a fast-forward;
   *   fetch and retry, or let {@link updateBranch} do it), a hook declined, the branch is
   *   protected, a lease no longer holds; `INVALID_ARGUMENT` (no branch given on a detached
   *   `HEAD`); `AUTH_FAILED`, `HOST_KEY_REJECTED`, `NETWORK`, `NOT_FOUND`, `ABORTED`, `COMMAND_FAILED`.
   */
  async push(options?: PushOptions): Promise<PushResult> {
    const outcome = await pushHead(this.#cmd, checkOptions(options, 'push'), []);
    if (outcome.kind === 'conflict') {
      const remote = this.#cmd.remoteUrl;
      throw new GitError(
        'PUSH_REJECTED',
        `push to ${outcome.branch} on ${remote}: the remote branch has commits this clone does not (not a fast-forward, or a lease that no longer holds); fetch and rebuild the change, or use updateBranch`,
        { remote, ref: outcome.branch },
      );
    }
    return outcome.result;
  }

  /**
   * Lays out `base`'s head in the working tree for an `apply` step. Without `refresh`, a
   * checked-out `base` that tracks and equals the remote's, in a clean tree, is used as it
   * is (no fetch); otherwise
   * (and always for a push branch, `branch` ≠ `base`, so it is built on the newest base)
   * `base` is fetched and the tree reset hard and cleaned to the remote's head, on a local
   * branch named `branch`.
   *
   * @throws {GitError} `NOT_FOUND` when `base` is not on the remote; what fetch throws.
   */
  async prepare(options: PrepareOptions): Promise<Workspace> {
    const opts = checkOptions(options, 'prepare');
    const branch = checkBranch(opts.branch, 'branch');
    const base = checkBranch(opts.base ?? branch, 'base');
    checkBoolean(opts.refresh, 'refresh');
    if (branch === base && opts.refresh !== true) {
      const head = await unchangedHead(this.#cmd, base, opts.signal);
      if (head !== undefined) return { dir: this.dir, head, branch, base };
    }
    const head = await resetTo(this.#cmd, branch, base, opts.signal);
    return { dir: this.dir, head, branch, base };
  }

  /**
   * Commits `files` onto the workspace's head and publishes the commit. On `base` itself
   * it is pushed as a fast-forward; a remote that moved is a `conflict` (the local commit
   * stays until the next `prepare` resets). A push branch (`branch` ≠ `base`) is owned by
   * the automation: it becomes `base` plus exactly this commit, pushed with
   * `--force-with-lease` on the head just fetched, unless its tree already equals the
   * commit's (`unchanged`, nothing pushed), and it is left alone when it carries commits
   * the automation did not make (`left-alone`, unless `force`): commits between `base`
   * and the branch whose author email is not `author.email`, or whose committer email is
   * not `(committer ?? author).email`, compared case-insensitively.
   *
   * @throws {GitError} as {@link LocalRepository.commit} and {@link LocalRepository.push},
   *   except that a lost race is the `conflict` result.
   */
  async publish(workspace: Workspace, options: PublishOptions): Promise<PublishResult> {
    const opts = checkOptions(options, 'publish');
    if (typeof workspace !== 'object' || workspace === null || workspace.dir !== this.dir) {
      throw new GitError(
        'INVALID_ARGUMENT',
        `publish: the workspace was not prepared by the repository at ${this.dir}`,
      );
    }
    const branch = checkBranch(workspace.branch, 'workspace.branch');
    const base = checkBranch(workspace.base, 'workspace.base');
    const force = checkBoolean(opts.force, 'force') ?? false;
    const { signal } = opts;
    const commit = await this.commit({
      files: opts.files,
      message: opts.message,
      author: opts.author,
      ...(opts.committer === undefined ? {} : { committer: opts.committer }),
      ...(opts.signing === undefined ? {} : { signing: opts.signing }),
      ...(signal === undefined ? {} : { signal }),
    });
    if (commit === undefined) return { status: 'unchanged' };
    const pushSettings = {
      ...(signal === undefined ? {} : { signal }),
      ...(opts.refspec === undefined ? {} : { refspec: opts.refspec }),
      ...(opts.pushOptions === undefined ? {} : { pushOptions: opts.pushOptions }),
    };
    if (branch === base) {
      const pushed = await pushHead(this.#cmd, { branch, ...pushSettings }, [workspace.head]);
      if (pushed.kind === 'conflict') return { status: 'conflict' };
      // Another writer pushed the very same commit (same tree, parent, author, message
      // and second): the remote has it already.
      if (pushed.upToDate) return { status: 'unchanged' };
      return { status: 'pushed', commit, push: pushed.result };
    }
    const logger = this.#cmd.settings.logger;
    const remote = await inspectPushBranch(this.#cmd, {
      branch,
      base,
      baseHead: workspace.head,
      own: { author: opts.author.email, committer: (opts.committer ?? opts.author).email },
      signal,
    });
    if (remote !== undefined && remote.tree === commit.tree) {
      logger?.info?.(`${branch}: already holds this change; nothing pushed`);
      return { status: 'unchanged' };
    }
    if (remote !== undefined && remote.foreignCommits.length > 0 && !force) {
      logger?.warn?.(
        `${branch}: left alone, it has ${remote.foreignCommits.length} commit(s) the automation did not make: ` +
          remote.foreignCommits.map((sha) => sha.slice(0, 12)).join(', '),
      );
      return { status: 'left-alone', foreignCommits: remote.foreignCommits };
    }
    // The lease is the head just fetched ('' = "must not exist"): a push to the branch
    // since then makes this one fail as a conflict instead of overwriting it.
    const pushed = await pushHead(
      this.#cmd,
      { branch, forceWithLease: { expect: remote?.sha ?? '' }, ...pushSettings },
      remote === undefined ? [] : [remote.sha],
    );
    return pushed.kind === 'conflict'
      ? { status: 'conflict' }
      : { status: 'pushed', commit, push: pushed.result };
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
