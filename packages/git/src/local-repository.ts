// LocalRepository: a working tree driven through the git CLI. Every command is an
// argument array in the controlled environment of environment.ts; credentials reach
// git through credentials.ts for each network command; every message goes through the
// instance's Scrubber. As a BranchRepository (the contract updateBranch uses) the
// workspace is the working tree itself, which updateBranch then owns: prepare resets it
// hard to the remote's head, so use a clone made for the automation.

import { mkdir, readdir, realpath, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import {
  checkAuthor,
  checkBoolean,
  checkDepth,
  checkMessage,
  checkOptions,
  checkSparse,
  checkUrl,
} from './checks.js';
import { checkCredentials, credentialSecrets, setUpCredentials } from './credentials.js';
import { type ConfigEntry, type Environment, minimalEnvironment } from './environment.js';
import { GitError } from './errors.js';
import type {
  CheckoutRef,
  CloneOptions,
  CommitOptions,
  OpenOptions,
  PushOptions,
  RepositoryOptions,
} from './local-options.js';
import { checkRepositoryPaths } from './paths.js';
import {
  isLostRace,
  parseCommitObject,
  parsePushPorcelain,
  previousObjectOf,
} from './porcelain.js';
import { redactUrl, Scrubber } from './redact.js';
import {
  checkBranch,
  checkFullRef,
  checkObjectName,
  checkPushOption,
  checkRefspec,
  checkRemoteName,
  checkTag,
} from './refname.js';
import { type FailureContext, type GitCall, type GitOutput, GitRunner } from './runner.js';
import { checkSigningKey, type SigningSetup, setUpSigning, signingSecrets } from './signing.js';
import type {
  Author,
  BranchRepository,
  CommitResult,
  GitCredentials,
  Logger,
  PrepareOptions,
  PublishOptions,
  PublishResult,
  PushResult,
  Workspace,
} from './types.js';

/** What every command of one repository shares, fixed when it is cloned or opened. */
interface Settings {
  readonly runner: GitRunner;
  readonly scrubber: Scrubber;
  readonly credentials: GitCredentials | undefined;
  readonly env: Environment;
  readonly tmp: string;
  readonly remote: string;
  readonly logger: Logger | undefined;
}

/** The ref to check out, after precedence: commit > name > tag > semver > branch > HEAD. */
type Target =
  | { kind: 'commit'; sha: string }
  | { kind: 'ref'; name: string }
  | { kind: 'tag'; name: string }
  | { kind: 'semver'; range: string }
  | { kind: 'branch'; name: string }
  | { kind: 'default' };

/** What a push did, or that it lost a race. */
type PushOutcome =
  | { kind: 'pushed'; result: PushResult; upToDate: boolean }
  | { kind: 'conflict'; branch: string };

/** The remote push branch as `publish` found it. */
interface RemoteBranch {
  readonly sha: string;
  readonly tree: string;
  readonly foreignCommits: string[];
}

// The name of the unborn branch of a fresh `git init`; the checkout replaces it, so it
// never becomes a ref. Set explicitly so no init.defaultBranch hint is printed.
const UNBORN = 'tagsmith-unborn';

/**
 * A git working tree on disk, driven through the `git` executable: clone (with Flux's ref
 * precedence, shallow by default), commit exactly the named files (optionally signed), push,
 * and, as a {@link BranchRepository}, the prepare/publish steps {@link updateBranch} runs.
 *
 * Credentials given to {@link LocalRepository.clone} or {@link LocalRepository.open} stay
 * in the instance and reach git only through the environment of each fetch and push,
 * never argv, the remote URL or `.git/config`; every message, error and log line is
 * scrubbed of them. Errors are {@link GitError}s; docs/errors.md lists their codes.
 *
 * As a `BranchRepository` the workspace is the working tree itself: `prepare` resets it
 * hard (and cleans untracked files) to the remote head, so give `updateBranch` a clone
 * made for the automation, not one a person works in.
 */
export class LocalRepository implements BranchRepository {
  /** The absolute path of the working tree's top directory (symlinks resolved). */
  readonly dir: string;
  readonly #settings: Settings;
  readonly #remoteUrl: string;

  private constructor(dir: string, settings: Settings, remoteUrl: string) {
    this.dir = dir;
    this.#settings = settings;
    this.#remoteUrl = remoteUrl;
  }

  /**
   * Clones `url` into `dir` (which must not exist or be empty) and checks out `options.ref`:
   * a branch becomes a local branch tracking the remote's, a tag, commit or other ref is
   * checked out detached. Only that ref is fetched, `depth` commits deep (default 1).
   *
   * @param url - `https://…`, `ssh://…`, `user@host:path`, `file://…` or a path; without
   *   credentials in it (use `options.credentials`).
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
      const repository = new LocalRepository(await realpath(root), settings, redactUrl(url));
      await repository.#checkOut(url, target, {
        depth,
        sparse,
        matchSemver: opts.matchSemver,
        signal: opts.signal,
      });
      return repository;
    } catch (error) {
      await (existed ? emptyDirectory(root) : rm(root, { recursive: true, force: true }));
      throw error;
    }
  }

  /**
   * Opens the working tree whose top directory is `dir`. A directory inside a working
   * tree is refused: `updateBranch` resets the tree it is given, and must not reset a
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
    return new LocalRepository(topDir, settings, remoteUrl);
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
    const opts = checkOptions(options, 'commit');
    const message = checkMessage(opts.message);
    const author = checkAuthor(opts.author, 'author');
    const committer =
      opts.committer === undefined ? author : checkAuthor(opts.committer, 'committer');
    const signing = opts.signing === undefined ? undefined : checkSigningKey(opts.signing);
    const files = await checkRepositoryPaths(this.dir, opts.files);
    if (files.length === 0) return undefined;
    const scrubber =
      signing === undefined
        ? this.#settings.scrubber
        : this.#settings.scrubber.with(signingSecrets(signing));
    const setup =
      signing === undefined
        ? undefined
        : await setUpSigning(signing, {
            tmp: this.#settings.tmp,
            env: this.#settings.env,
            scrubber,
            signal: opts.signal,
          });
    try {
      return await this.#commitFiles(files, {
        message,
        author,
        committer,
        setup,
        scrubber,
        signal: opts.signal,
      });
    } finally {
      await setup?.dispose();
    }
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
    const opts = checkOptions(options, 'push');
    const outcome = await this.#push(opts, []);
    if (outcome.kind === 'conflict') {
      throw new GitError(
        'PUSH_REJECTED',
        `push to ${outcome.branch} on ${this.#remoteUrl}: the remote branch has commits this clone does not (not a fast-forward, or a lease that no longer holds); fetch and rebuild the change, or use updateBranch`,
        { remote: this.#remoteUrl, ref: outcome.branch },
      );
    }
    return outcome.result;
  }

  /**
   * Lays out `base`'s head in the working tree for an `apply` step. Without `refresh`, a
   * checked-out `base` that equals its remote-tracking ref is used as it is; otherwise
   * (and always for a push branch, `branch` ≠ `base`) `base` is fetched and the tree reset
   * hard and cleaned to the remote's head, on a local branch named `branch`.
   *
   * @throws {GitError} `NOT_FOUND` when `base` is not on the remote; what fetch throws.
   */
  async prepare(options: PrepareOptions): Promise<Workspace> {
    const opts = checkOptions(options, 'prepare');
    const branch = checkBranch(opts.branch, 'branch');
    const base = checkBranch(opts.base ?? branch, 'base');
    checkBoolean(opts.refresh, 'refresh');
    if (branch === base && opts.refresh !== true) {
      const head = await this.#unchangedHead(base, opts.signal);
      if (head !== undefined) return { dir: this.dir, head, branch, base };
    }
    const head = await this.#resetTo(branch, base, opts.signal);
    return { dir: this.dir, head, branch, base };
  }

  /**
   * Commits `files` onto the workspace's head and publishes the commit. On `base` itself
   * it is pushed as a fast-forward; a remote that moved is a `conflict`. A push branch
   * (`branch` ≠ `base`) is owned by the automation: it becomes `base` plus exactly this
   * commit, pushed with `--force-with-lease` unless its tree already equals the commit's
   * (`unchanged`), and left alone when it carries commits the automation did not make
   * (`left-alone`, unless `force`): commits between `base` and the branch whose author
   * email is not `author.email` or whose committer email is not `(committer ?? author).email`.
   *
   * @throws {GitError} as {@link commit} and {@link push}, except that a lost race is the
   *   `conflict` result.
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
    const commit = await this.commit({
      files: opts.files,
      message: opts.message,
      author: opts.author,
      ...(opts.committer === undefined ? {} : { committer: opts.committer }),
      ...(opts.signing === undefined ? {} : { signing: opts.signing }),
      ...(opts.signal === undefined ? {} : { signal: opts.signal }),
    });
    if (commit === undefined) return { status: 'unchanged' };
    const signal = opts.signal;
    if (branch === base) {
      const pushed = await this.#push({ branch, ...(signal === undefined ? {} : { signal }) }, [
        workspace.head,
      ]);
      if (pushed.kind === 'conflict') return { status: 'conflict' };
      // Another writer pushed the very same commit (same tree, parent, author, message
      // and second): the remote already has it.
      if (pushed.upToDate) return { status: 'unchanged' };
      return { status: 'pushed', commit, push: pushed.result };
    }
    const own = {
      author: opts.author.email,
      committer: (opts.committer ?? opts.author).email,
    };
    const remote = await this.#fetchPushBranch(branch, base, workspace.head, own, signal);
    if (remote !== undefined && remote.tree === commit.tree) {
      this.#settings.logger?.info?.(`${branch}: already holds this change; nothing pushed`);
      return { status: 'unchanged' };
    }
    if (remote !== undefined && remote.foreignCommits.length > 0 && !force) {
      this.#settings.logger?.warn?.(
        `${branch}: left alone, it has ${remote.foreignCommits.length} commit(s) the automation did not make: ` +
          remote.foreignCommits.map((sha) => sha.slice(0, 12)).join(', '),
      );
      return { status: 'left-alone', foreignCommits: remote.foreignCommits };
    }
    const pushed = await this.#push(
      {
        branch,
        forceWithLease: { expect: remote?.sha ?? '' },
        ...(signal === undefined ? {} : { signal }),
      },
      remote === undefined ? [] : [remote.sha],
    );
    return pushed.kind === 'conflict'
      ? { status: 'conflict' }
      : { status: 'pushed', commit, push: pushed.result };
  }

  async #checkOut(
    url: string,
    target: Target,
    options: {
      depth: number;
      sparse: string[] | undefined;
      matchSemver: CloneOptions['matchSemver'];
      signal: AbortSignal | undefined;
    },
  ): Promise<void> {
    const { signal } = options;
    const remote = this.#settings.remote;
    await this.#git(['init', '-q', `--initial-branch=${UNBORN}`], { signal }, 'clone: git init');
    await this.#git(['remote', 'add', '--', remote, url], { signal }, 'clone: git remote add');
    if (options.sparse !== undefined) {
      await this.#git(
        ['sparse-checkout', 'set', '--cone', '--stdin'],
        { signal, input: `${options.sparse.join('\n')}\n` },
        'clone: sparse checkout',
      );
    }
    const depth = options.depth > 0 ? ['--depth', String(options.depth)] : [];
    const fetch = (refspec: string, ref: string) =>
      this.#network(
        ['fetch', '--no-tags', ...depth, '--', remote, refspec],
        { signal },
        { action: `clone: fetch ${ref} from ${this.#remoteUrl}`, ref },
      );
    let resolved = target;
    if (resolved.kind === 'default')
      resolved = { kind: 'branch', name: await this.#remoteHead(signal) };
    if (resolved.kind === 'semver') {
      resolved = {
        kind: 'tag',
        name: await this.#semverTag(resolved.range, options.matchSemver, signal),
      };
    }
    switch (resolved.kind) {
      case 'branch':
        await fetch(
          `+refs/heads/${resolved.name}:refs/remotes/${remote}/${resolved.name}`,
          resolved.name,
        );
        await this.#git(
          ['checkout', '-q', '-b', resolved.name, '--track', `${remote}/${resolved.name}`],
          { signal },
          `clone: check out ${resolved.name}`,
        );
        return;
      case 'tag':
        await fetch(`+refs/tags/${resolved.name}:refs/tags/${resolved.name}`, resolved.name);
        await this.#git(
          ['checkout', '-q', '--detach', `refs/tags/${resolved.name}`],
          { signal },
          `clone: check out tag ${resolved.name}`,
        );
        return;
      case 'ref':
      case 'commit': {
        const ref = resolved.kind === 'ref' ? resolved.name : resolved.sha;
        await fetch(ref, ref);
        await this.#git(
          ['checkout', '-q', '--detach', 'FETCH_HEAD'],
          { signal },
          `clone: check out ${ref}`,
        );
        return;
      }
    }
  }

  // The remote's default branch, from the symref its HEAD advertises.
  async #remoteHead(signal: AbortSignal | undefined): Promise<string> {
    const remote = this.#settings.remote;
    const out = await this.#network(
      ['ls-remote', '--symref', '--', remote, 'HEAD'],
      { signal },
      { action: `clone: ask ${this.#remoteUrl} for its default branch` },
    );
    const branch = /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(out.stdout)?.[1];
    if (branch === undefined) {
      throw new GitError(
        'NOT_FOUND',
        `clone: ${this.#remoteUrl} has no default branch (an empty repository?); name a ref to check out`,
        { remote: this.#remoteUrl, ref: 'HEAD' },
      );
    }
    return branch;
  }

  async #semverTag(
    range: string,
    matchSemver: CloneOptions['matchSemver'],
    signal: AbortSignal | undefined,
  ): Promise<string> {
    const out = await this.#network(
      ['ls-remote', '--tags', '--refs', '--', this.#settings.remote],
      { signal },
      { action: `clone: list the tags of ${this.#remoteUrl}` },
    );
    const tags = out.stdout
      .split('\n')
      .map((line) => /\trefs\/tags\/(.+)$/.exec(line)?.[1])
      .filter((tag): tag is string => tag !== undefined);
    const tag = matchSemver!(range, tags);
    if (tag === undefined) {
      throw new GitError(
        'NOT_FOUND',
        `clone: no tag of ${this.#remoteUrl} matches the semver range ${JSON.stringify(range)} (${tags.length} tags)`,
        { remote: this.#remoteUrl, ref: range },
      );
    }
    if (typeof tag !== 'string' || !tags.includes(tag)) {
      throw new GitError(
        'INVALID_ARGUMENT',
        `clone: \`matchSemver\` returned ${JSON.stringify(tag)}, which is not one of the tags it was given`,
      );
    }
    return tag;
  }

  async #commitFiles(
    files: string[],
    options: {
      message: string;
      author: Author;
      committer: Author;
      setup: SigningSetup | undefined;
      scrubber: Scrubber;
      signal: AbortSignal | undefined;
    },
  ): Promise<CommitResult | undefined> {
    const { signal, scrubber, setup } = options;
    // update-index takes paths literally (no pathspec magic) and stages a missing file
    // as a deletion; --add lets it stage new files.
    await this.#git(
      ['update-index', '--add', '--remove', '-z', '--stdin'],
      { signal, input: `${files.join('\0')}\0`, scrubber },
      'commit: stage the files',
    );
    const diff = await this.#git(
      [
        '--literal-pathspecs',
        'diff',
        '--cached',
        '--name-only',
        '-z',
        '--no-renames',
        '--',
        ...files,
      ],
      { signal, scrubber },
      'commit: compare the files with HEAD',
    );
    const changed = diff.stdout.split('\0').filter((path) => path !== '');
    if (changed.length === 0) return undefined;
    // --only commits these paths from a temporary index built on HEAD: whatever else
    // was staged before stays staged and out of this commit.
    const args = [
      '--literal-pathspecs',
      'commit',
      '-q',
      '--only',
      '--no-verify',
      '--cleanup=whitespace',
      '-F',
      '-',
      ...(setup?.args ?? []),
      '--',
      ...changed,
    ];
    const call: GitCall = {
      cwd: this.dir,
      signal,
      scrubber,
      input: options.message,
      env: { ...identity(options.author, options.committer), ...setup?.env },
      ...(setup === undefined ? {} : { config: setup.config }),
    };
    const committed = await this.#settings.runner.exec(args, call);
    if (committed.exitCode !== 0) {
      throw this.#settings.runner.failure(
        args,
        committed,
        { action: 'commit', fallback: setup === undefined ? 'COMMAND_FAILED' : 'SIGNING_FAILED' },
        scrubber,
      );
    }
    const object = parseCommitObject(
      (
        await this.#git(
          ['cat-file', '--batch'],
          { signal, input: 'HEAD\n' },
          'commit: read the commit',
        )
      ).stdout,
    );
    const result: CommitResult = {
      sha: object.sha,
      tree: object.tree,
      ...(object.parents[0] === undefined ? {} : { parent: object.parents[0] }),
      message: object.message,
      files: [...changed].sort(),
      signed: object.signed,
    };
    this.#settings.logger?.info?.(
      scrubber.scrub(
        `committed ${result.sha.slice(0, 12)}${result.signed ? ' (signed)' : ''}: ${firstLine(result.message)} (${result.files.length} file(s))`,
      ),
    );
    return result;
  }

  async #push(options: PushOptions, known: readonly string[]): Promise<PushOutcome> {
    const remote =
      options.remote === undefined
        ? this.#settings.remote
        : checkRemoteName(options.remote, 'remote');
    const force = checkBoolean(options.force, 'force') ?? false;
    const lease = options.forceWithLease;
    if (lease !== undefined && (typeof lease !== 'object' || lease === null)) {
      throw new GitError(
        'INVALID_ARGUMENT',
        '`forceWithLease` must be an object, e.g. `{ expect: sha }`',
      );
    }
    if (force && lease !== undefined) {
      throw new GitError('INVALID_ARGUMENT', 'push: give `force` or `forceWithLease`, not both');
    }
    const expect =
      lease?.expect === undefined || lease.expect === ''
        ? lease?.expect
        : checkObjectName(lease.expect, 'forceWithLease.expect');
    if (options.pushOptions !== undefined && !Array.isArray(options.pushOptions)) {
      throw new GitError('INVALID_ARGUMENT', '`pushOptions` must be an array of strings');
    }
    const pushOptions = (options.pushOptions ?? []).map((value, i) =>
      checkPushOption(value, `pushOptions[${i}]`),
    );
    const refspec =
      options.refspec === undefined ? undefined : checkRefspec(options.refspec, 'refspec');
    const { signal } = options;
    const [head, headRef] = (
      await this.#git(
        ['rev-parse', 'HEAD', '--symbolic-full-name', 'HEAD'],
        { signal },
        'push: read HEAD',
      )
    ).stdout.split('\n');
    let branch: string;
    if (options.branch !== undefined) branch = checkBranch(options.branch, 'branch');
    else if (headRef?.startsWith('refs/heads/')) branch = headRef.slice('refs/heads/'.length);
    else {
      throw new GitError(
        'INVALID_ARGUMENT',
        'push: HEAD is detached (a tag or commit checkout); name the `branch` to push to',
      );
    }
    const remoteUrl =
      remote === this.#settings.remote ? this.#remoteUrl : await this.#urlOf(remote, signal);
    const target = `refs/heads/${branch}`;
    const flags = [
      '--porcelain',
      ...(force ? ['--force'] : []),
      ...(lease === undefined
        ? []
        : [`--force-with-lease=${target}${expect === undefined ? '' : `:${expect}`}`]),
      ...pushOptions.map((value) => `--push-option=${value}`),
    ];
    const context: FailureContext = {
      action: `push to ${branch} on ${remoteUrl}`,
      remote: remoteUrl,
      ref: branch,
    };
    const args = ['push', ...flags, '--', remote, `HEAD:${target}`];
    const out = await this.#network(args, { signal }, context, false);
    const line = parsePushPorcelain(out.stdout).find((ref) => ref.to === target);
    if (out.exitCode !== 0) {
      if (line?.flag === '!' && isLostRace(line.summary, out.stderr)) {
        this.#settings.logger?.info?.(
          `${branch}: push rejected, the remote moved (${line.summary})`,
        );
        return { kind: 'conflict', branch };
      }
      throw this.#settings.runner.failure(args, out, context);
    }
    const before = await this.#previousHead(
      line,
      head!,
      [...(expect ? [expect] : []), ...known],
      signal,
    );
    if (refspec !== undefined) {
      await this.#network(
        [
          'push',
          ...flags.filter((flag) => !flag.startsWith('--force-with-lease')),
          '--',
          remote,
          refspec,
        ],
        { signal },
        { action: `push ${refspec} to ${remoteUrl}`, remote: remoteUrl, ref: refspec },
      );
    }
    const result: PushResult = {
      remote: remoteUrl,
      branch,
      ...(before === undefined ? {} : { before }),
      after: head!,
      forced: line?.flag === '+',
      ...(refspec === undefined ? {} : { refspec }),
    };
    this.#settings.logger?.info?.(
      `pushed ${head!.slice(0, 12)} to ${branch} on ${remoteUrl}${result.forced ? ' (forced)' : ''}${refspec === undefined ? '' : `, then ${refspec}`}`,
    );
    return { kind: 'pushed', result, upToDate: line?.flag === '=' };
  }

  // The remote branch's head before a push, from git's abbreviated `old..new`: one of
  // the commits the caller already knows, or the local object it abbreviates.
  async #previousHead(
    line: { flag: string; summary: string } | undefined,
    head: string,
    known: readonly string[],
    signal: AbortSignal | undefined,
  ): Promise<string | undefined> {
    if (line === undefined || line.flag === '*') return undefined;
    if (line.flag === '=') return head;
    const short = previousObjectOf(line.summary);
    if (short === undefined) return undefined;
    const match = known.find((sha) => sha.startsWith(short));
    if (match !== undefined) return match;
    const out = await this.#settings.runner.exec(
      ['rev-parse', '--verify', '-q', `${short}^{commit}`],
      { cwd: this.dir, signal },
    );
    // A forced push over history this clone never fetched: git's abbreviation is all there is.
    return out.exitCode === 0 ? out.stdout.trim() : short;
  }

  async #urlOf(remote: string, signal: AbortSignal | undefined): Promise<string> {
    const out = await this.#settings.runner.exec(['remote', 'get-url', '--', remote], {
      cwd: this.dir,
      signal,
    });
    return out.exitCode === 0 ? redactUrl(out.stdout.trim()) : remote;
  }

  // HEAD when it is the local `base` branch at the commit its remote-tracking ref names:
  // a fresh clone, or the state after a push. Anything else (another branch, a detached
  // HEAD, commits of a failed attempt) needs a reset.
  async #unchangedHead(base: string, signal: AbortSignal | undefined): Promise<string | undefined> {
    const state = await this.#settings.runner.exec(
      [
        'rev-parse',
        'HEAD',
        `refs/remotes/${this.#settings.remote}/${base}`,
        '--symbolic-full-name',
        'HEAD',
      ],
      { cwd: this.dir, signal },
    );
    if (state.exitCode !== 0) return undefined;
    const [head, tracking, ref] = state.stdout.split('\n');
    return ref === `refs/heads/${base}` && head === tracking ? head : undefined;
  }

  async #resetTo(branch: string, base: string, signal: AbortSignal | undefined): Promise<string> {
    const remote = this.#settings.remote;
    const tracking = `refs/remotes/${remote}/${base}`;
    const shallow = await this.#isShallow(signal);
    await this.#network(
      [
        'fetch',
        '--no-tags',
        ...(shallow ? ['--depth', '1'] : []),
        '--',
        remote,
        `+refs/heads/${base}:${tracking}`,
      ],
      { signal },
      {
        action: `prepare: fetch ${base} from ${this.#remoteUrl}`,
        remote: this.#remoteUrl,
        ref: base,
      },
    );
    const head = (
      await this.#git(['rev-parse', '--verify', tracking], { signal }, 'prepare')
    ).stdout.trim();
    await this.#git(
      ['checkout', '-q', '-f', '-B', branch, head],
      { signal },
      `prepare: check out ${base}`,
    );
    await this.#git(['clean', '-q', '-ffdx'], { signal }, 'prepare: clean the working tree');
    return head;
  }

  async #isShallow(signal: AbortSignal | undefined): Promise<boolean> {
    const out = await this.#git(
      ['rev-parse', '--is-shallow-repository'],
      { signal },
      'read the repository',
    );
    return out.stdout.trim() === 'true';
  }

  // The remote push branch, fetched deep enough to see every commit on it that `base`
  // does not have; undefined when the remote has no such branch.
  async #fetchPushBranch(
    branch: string,
    base: string,
    baseHead: string,
    own: { author: string; committer: string },
    signal: AbortSignal | undefined,
  ): Promise<RemoteBranch | undefined> {
    const remote = this.#settings.remote;
    const tracking = `refs/remotes/${remote}/${branch}`;
    const context: FailureContext = {
      action: `publish: fetch ${branch} from ${this.#remoteUrl}`,
      remote: this.#remoteUrl,
      ref: branch,
    };
    // In a shallow clone, --shallow-exclude fetches exactly the branch's commits that
    // `base` lacks, however many. When the branch has none (it is inside base), the
    // remote says so and its tip alone is fetched.
    const shallow = await this.#isShallow(signal);
    const fetch = (depth: string[]) => [
      'fetch',
      '--no-tags',
      ...depth,
      '--',
      remote,
      `+refs/heads/${branch}:${tracking}`,
    ];
    let args = fetch(shallow ? [`--shallow-exclude=refs/heads/${base}`] : []);
    let out = await this.#network(args, { signal }, context, false);
    let inBase = false;
    if (
      out.exitCode !== 0 &&
      shallow &&
      /no commits selected for shallow requests/.test(out.stderr)
    ) {
      inBase = true;
      args = fetch(['--depth', '1']);
      out = await this.#network(args, { signal }, context, false);
    }
    if (out.exitCode !== 0) {
      if (/couldn't find remote ref/.test(out.stderr)) return undefined;
      throw this.#settings.runner.failure(args, out, context);
    }
    const [sha, tree] = (
      await this.#git(['rev-parse', tracking, `${tracking}^{tree}`], { signal }, 'publish')
    ).stdout.split('\n');
    const foreignCommits = inBase ? [] : await this.#foreignCommits(sha!, baseHead, own, signal);
    return { sha: sha!, tree: tree!, foreignCommits };
  }

  async #foreignCommits(
    tip: string,
    baseHead: string,
    own: { author: string; committer: string },
    signal: AbortSignal | undefined,
  ): Promise<string[]> {
    const out = await this.#git(
      ['log', '--format=%H%x00%ae%x00%ce', tip, `^${baseHead}`, '--'],
      { signal },
      'publish: list the commits of the push branch',
    );
    const same = (a: string | undefined, b: string) => a?.toLowerCase() === b.toLowerCase();
    return out.stdout
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.split('\0'))
      .filter(
        ([, author, committer]) => !same(author, own.author) || !same(committer, own.committer),
      )
      .map(([sha]) => sha!);
  }

  // A local command that must succeed.
  #git(args: string[], call: Omit<GitCall, 'cwd'>, action: string): Promise<GitOutput> {
    return this.#settings.runner.run(args, { ...call, cwd: this.dir }, { action });
  }

  // A command that talks to the remote, with the credentials set up around it. With
  // `check`, a non-zero exit throws; without, the caller reads the output.
  async #network(
    args: string[],
    call: Omit<GitCall, 'cwd'>,
    context: FailureContext,
    check = true,
  ): Promise<GitOutput> {
    const { credentials, env, tmp, runner } = this.#settings;
    const setup = await setUpCredentials(credentials, env, tmp);
    try {
      const full: GitCall = {
        ...call,
        cwd: this.dir,
        env: { ...call.env, ...setup.env },
        config: [...setup.config, ...(call.config ?? [])] as ConfigEntry[],
      };
      const out = await runner.exec(args, full);
      if (check && out.exitCode !== 0) {
        throw runner.failure(args, out, { remote: this.#remoteUrl, ...context });
      }
      return out;
    } finally {
      await setup.dispose();
    }
  }
}

function settingsFrom(options: RepositoryOptions): Settings {
  const gitPath = options.gitPath ?? 'git';
  if (typeof gitPath !== 'string' || gitPath === '') {
    throw new GitError('INVALID_ARGUMENT', '`gitPath` must be a non-empty string');
  }
  if (options.env !== undefined && (typeof options.env !== 'object' || options.env === null)) {
    throw new GitError('INVALID_ARGUMENT', '`env` must be an object of environment variables');
  }
  const env = options.env ?? minimalEnvironment(process.env);
  const useGlobalConfig = checkBoolean(options.useGlobalConfig, 'useGlobalConfig') ?? false;
  const credentials = checkCredentials(options.credentials);
  const remote = checkRemoteName(options.remote ?? 'origin', 'remote');
  const scrubber = new Scrubber(credentialSecrets(credentials));
  const logger = options.logger;
  return {
    runner: new GitRunner({ gitPath, env, useGlobalConfig, scrubber, logger }),
    scrubber,
    credentials,
    env,
    tmp: env.TMPDIR || tmpdir(),
    remote,
    logger,
  };
}

function pickTarget(
  ref: CheckoutRef | undefined,
  matchSemver: CloneOptions['matchSemver'],
): Target {
  if (ref === undefined) return { kind: 'default' };
  if (typeof ref !== 'object' || ref === null) {
    throw new GitError(
      'INVALID_ARGUMENT',
      'clone: `ref` must be an object such as `{ branch: "main" }`',
    );
  }
  if (ref.commit !== undefined)
    return { kind: 'commit', sha: checkObjectName(ref.commit, 'ref.commit') };
  if (ref.name !== undefined) {
    const name = checkFullRef(ref.name, 'ref.name');
    if (name.startsWith('refs/heads/')) return { kind: 'branch', name: name.slice(11) };
    if (name.startsWith('refs/tags/')) return { kind: 'tag', name: name.slice(10) };
    return { kind: 'ref', name };
  }
  if (ref.tag !== undefined) return { kind: 'tag', name: checkTag(ref.tag, 'ref.tag') };
  if (ref.semver !== undefined) {
    if (typeof ref.semver !== 'string' || ref.semver.trim() === '') {
      throw new GitError(
        'INVALID_ARGUMENT',
        'clone: `ref.semver` must be a semver range such as `^1.2`',
      );
    }
    if (typeof matchSemver !== 'function') {
      throw new GitError(
        'INVALID_ARGUMENT',
        'clone: `ref.semver` needs `matchSemver`, e.g. `matchSemver: (range, tags) => selectTag(tags, { semver: { range } })` with selectTag from @tagsmith/policy',
      );
    }
    return { kind: 'semver', range: ref.semver };
  }
  if (ref.branch !== undefined)
    return { kind: 'branch', name: checkBranch(ref.branch, 'ref.branch') };
  return { kind: 'default' };
}

function identity(author: Author, committer: Author): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: committer.name,
    GIT_COMMITTER_EMAIL: committer.email,
  };
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

// Makes `dir` if needed and says whether it existed; refuses a directory with files in it.
async function claimEmptyDirectory(dir: string): Promise<boolean> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new GitError(
        'INVALID_ARGUMENT',
        `clone: ${dir} is not a directory that can be cloned into`,
      );
    }
    await mkdir(dir, { recursive: true });
    return false;
  }
  if (entries.length > 0) {
    throw new GitError(
      'INVALID_ARGUMENT',
      `clone: ${dir} is not empty; clone into a new or empty directory`,
    );
  }
  return true;
}

async function emptyDirectory(dir: string): Promise<void> {
  const entries = await readdir(dir).catch(() => []);
  await Promise.all(
    entries.map((entry) => rm(`${dir}/${entry}`, { recursive: true, force: true })),
  );
}
