// GitHubRepository: commits and pull requests through GitHub's REST API, with no clone.
// A commit is blobs, a tree on top of the parent's (`base_tree`), a commit object and a ref
// update without force, so GitHub itself refuses (422) an update that would drop another
// writer's commit; `updateBranch` turns that refusal into a retry on the new head.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Octokit } from '@octokit/rest';
import { GitError } from './errors.js';
import { mapInBatches } from './github-batch.js';
import { type FailureContext, githubMessage, responseStatus, toGitError } from './github-errors.js';
import { createOctokit, defaultUserAgent } from './github-octokit.js';
import {
  FILE_MODES,
  gitBlobSha1,
  type RemoteEntry,
  readTree,
  type TreeFetcher,
} from './github-tree.js';
import { layOut, readChanges, repositoryPath } from './github-workspace.js';
import type {
  Author,
  BranchRepository,
  CommitResult,
  Logger,
  PrepareOptions,
  PublishOptions,
  PublishResult,
  PushResult,
  Workspace,
} from './types.js';

/** Options of {@link GitHubRepository}. */
export interface GitHubRepositoryOptions {
  /** The repository owner (user or organization), e.g. `fluxcd`. */
  owner: string;
  /** The repository name, e.g. `flux2`. */
  repo: string;
  /**
   * An Octokit of your own (a GitHub App's installation client, say). Then `auth`,
   * `baseUrl`, `userAgent`, `retries`, `rateLimitRetries`, `writeIntervalMs` and `fetch` must
   * be left out: they configure the Octokit built when this is absent. Default: one built
   * with the retry and throttling plugins.
   */
  octokit?: Octokit;
  /** A token (personal access, fine-grained, installation or `GITHUB_TOKEN`). Default: none (anonymous). */
  auth?: string;
  /** The API root; for GitHub Enterprise Server `https://HOST/api/v3`. Default: `https://api.github.com`. */
  baseUrl?: string;
  /** Sent before Octokit's own `User-Agent`. Default: `tagsmith-git/<version>`. */
  userAgent?: string;
  /** Where requests (debug), rate-limit waits and retries (warn) are reported. Default: nowhere. */
  logger?: Logger;
  /** Retries of a request that failed with a 5xx or no answer, after 1, 4, 9… s. Default: `3`. */
  retries?: number;
  /**
   * Retries of a request refused by a primary or secondary rate limit, each after the wait
   * GitHub asks for (`retry-after`, `x-ratelimit-reset`); then `RATE_LIMITED`. Default: `2`.
   */
  rateLimitRetries?: number;
  /**
   * The least time between two write requests of this repository object. GitHub asks
   * integrations to leave 1 s between content-creating requests, and the throttling plugin
   * does (3 s before requests that notify people, such as opening a pull request), across
   * every Octokit of the process. Set it (e.g. `0` against a test server) to pace this
   * object's writes on their own instead. Default: the plugin's pacing.
   */
  writeIntervalMs?: number;
  /** The `fetch` Octokit uses, e.g. undici's with a proxy dispatcher. Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Where `prepare` makes its workspace directories. Default: `os.tmpdir()`. */
  workDir?: string;
}

/** Options of the read methods. */
export interface GitHubReadOptions {
  /** Aborts the requests. */
  signal?: AbortSignal;
}

/** One file of {@link CommitFilesOptions}. */
export interface FileChange {
  /** Repository-relative path, e.g. `clusters/prod/app.yaml`. */
  path: string;
  /** The new content (a string is written as UTF-8), or `null` to delete the file. */
  content: string | Uint8Array | null;
}

/** Options of {@link GitHubRepository.commitFiles}. */
export interface CommitFilesOptions {
  /** The branch to commit to. */
  branch: string;
  /** The branch to create `branch` from when it does not exist. Default: the repository's default branch. */
  base?: string;
  /** The files to write or delete; every other file stays as the parent has it. */
  files: readonly FileChange[];
  /** The commit message. */
  message: string;
  /** The author. Default: the user the token belongs to, as GitHub decides. */
  author?: Author;
  /** The committer. Default: the author. */
  committer?: Author;
  /** Aborts the requests. */
  signal?: AbortSignal;
}

/** Options of {@link GitHubRepository.openOrUpdatePullRequest}. */
export interface PullRequestOptions {
  /** The branch with the change, e.g. `tagsmith/update-app`; `owner:branch` for a fork's. */
  head: string;
  /** The branch to merge into, e.g. `main`. */
  base: string;
  /** The title. */
  title: string;
  /** The description (Markdown). Default: none; an existing description is then kept. */
  body?: string;
  /** Labels to add; labels the pull request has already (someone else's too) are kept. Default: none. */
  labels?: readonly string[];
  /** Aborts the requests. */
  signal?: AbortSignal;
}

/** The pull request {@link GitHubRepository.openOrUpdatePullRequest} opened or updated. */
export interface PullRequest {
  /** Its number. */
  number: number;
  /** Its web page (`html_url`). */
  url: string;
  /** `true` when this call opened it, `false` when an open one was updated. */
  created: boolean;
  /** The head branch, as given. */
  head: string;
  /** The base branch. */
  base: string;
  /** The title it now has. */
  title: string;
}

/** What `prepare` keeps about a workspace for `publish` and `release`. */
interface WorkspaceState {
  /** The tree of `workspace.head`. */
  tree: string;
  /** The entries laid out (and the submodules and symlinks skipped), by path. */
  entries: Map<string, RemoteEntry>;
  /** The paths `prepare` read; undefined for the whole tree. */
  scopes: readonly string[] | undefined;
  /**
   * For a push branch, its remote head when `prepare` ran (undefined: it did not exist):
   * the lease `publish` holds the branch to, as `--force-with-lease` holds a push to what
   * was fetched.
   */
  pushHead: string | undefined;
}

/** A tree that differs from its base, and the paths that differ. */
interface BuiltTree {
  sha: string;
  files: string[];
}

const DEFAULT_BASE_URL = 'https://api.github.com';
const DEFAULT_RETRIES = 3;
const DEFAULT_RATE_LIMIT_RETRIES = 2;
// Blob uploads in flight at once; the throttling plugin still paces writes as configured.
const UPLOADS_AT_ONCE = 4;

/**
 * A GitHub repository reached through the REST API, no clone: read files and trees at a
 * ref, commit files (created from a base branch when the branch is missing), open or update
 * the pull request for a branch, and serve as the {@link BranchRepository} of
 * `updateBranch`. Requests are retried on 5xx and network failures and wait out GitHub's
 * rate limits; failures are {@link GitError}s whose messages and causes never hold the token.
 *
 * @example
 * ```ts
 * const github = new GitHubRepository({ owner: 'acme', repo: 'fleet', auth: process.env.GITHUB_TOKEN });
 * await updateBranch({
 *   repository: github, branch: 'tagsmith/app', base: 'main', paths: ['clusters/prod'],
 *   apply: (dir) => bumpImages(dir), message: 'Update app to 1.2.3', author: bot,
 * });
 * await github.openOrUpdatePullRequest({ head: 'tagsmith/app', base: 'main', title: 'Update app to 1.2.3' });
 * ```
 */
export class GitHubRepository implements BranchRepository {
  /** The repository owner. */
  readonly owner: string;
  /** The repository name. */
  readonly repo: string;
  readonly #octokit: Octokit;
  readonly #remote: string;
  readonly #workDir: string;
  readonly #logger: Logger | undefined;
  readonly #secrets: readonly string[];
  readonly #workspaces = new Map<string, WorkspaceState>();
  #defaultBranch: Promise<string> | undefined;

  /** @throws {GitError} `INVALID_ARGUMENT` for a missing owner or repo or a bad option. */
  constructor(options: GitHubRepositoryOptions) {
    this.owner = requireName(options?.owner, 'owner');
    this.repo = requireName(options.repo, 'repo');
    this.#logger = options.logger;
    this.#workDir = options.workDir ?? tmpdir();
    this.#secrets = options.auth === undefined || options.auth === '' ? [] : [options.auth];
    if (options.octokit !== undefined) {
      const clash = (
        [
          'auth',
          'baseUrl',
          'userAgent',
          'retries',
          'rateLimitRetries',
          'writeIntervalMs',
          'fetch',
        ] as const
      ).filter((key) => options[key] !== undefined);
      if (clash.length > 0) {
        throw new GitError(
          'INVALID_ARGUMENT',
          `GitHubRepository: ${clash.join(', ')} configure the Octokit built when none is given; set them on the Octokit you pass instead`,
        );
      }
      this.#octokit = options.octokit;
    } else {
      this.#octokit = createOctokit({
        auth: options.auth,
        baseUrl: options.baseUrl,
        userAgent: options.userAgent ?? defaultUserAgent(),
        logger: options.logger,
        retries: count(options.retries, DEFAULT_RETRIES, 'retries'),
        rateLimitRetries: count(
          options.rateLimitRetries,
          DEFAULT_RATE_LIMIT_RETRIES,
          'rateLimitRetries',
        ),
        writeIntervalMs: interval(options.writeIntervalMs),
        fetch: options.fetch,
        scrub: (text) => this.#scrub(text),
      });
    }
    const baseUrl = String(this.#octokit.request.endpoint.DEFAULTS.baseUrl ?? DEFAULT_BASE_URL);
    this.#remote = `${withoutUserInfo(baseUrl)}/repos/${this.owner}/${this.repo}`;
  }

  /**
   * The content of the file at `path` on `ref`, as UTF-8 text; `undefined` when `ref` has no
   * file there (nothing, a directory, a symlink or a submodule).
   *
   * @param ref - A branch, tag or commit SHA. Default: the repository's default branch.
   * @throws {GitError} `NOT_FOUND` when `ref` (or the repository) does not exist,
   *   `UNSAFE_PATH` for a path that is not repository-relative, or a request failure.
   */
  async readFile(
    file: string,
    ref?: string,
    options: GitHubReadOptions = {},
  ): Promise<string | undefined> {
    const path = repositoryPath(file, 'readFile');
    const { signal } = options;
    const at = ref ?? (await this.#getDefaultBranch(signal));
    const context = this.#context(`readFile ${path} at ${at}`, signal, { ref: at, path });
    let data: unknown;
    try {
      data = (
        await this.#octokit.rest.repos.getContent({
          owner: this.owner,
          repo: this.repo,
          path,
          ref: at,
          request: requestOptions(signal),
        })
      ).data;
    } catch (error) {
      if (responseStatus(error) !== 404) throw toGitError(error, context);
      await this.#resolveCommit(at, signal);
      return undefined;
    }
    if (Array.isArray(data)) return undefined;
    const found = data as { type?: string; content?: string; encoding?: string; sha?: string };
    if (found.type !== 'file' || typeof found.sha !== 'string') return undefined;
    // Past 1 MB the contents API leaves `content` out (`encoding: none`); the blob has it.
    const bytes =
      found.encoding === 'base64' && typeof found.content === 'string'
        ? Buffer.from(found.content, 'base64')
        : await this.#blob(found.sha, signal);
    return Buffer.from(bytes).toString('utf8');
  }

  /**
   * The repository-relative paths of the files (blobs: regular files and symlinks) on `ref`
   * under `path`, sorted.
   *
   * @param ref - A branch, tag or commit SHA. Default: the repository's default branch.
   * @param path - A directory (or file). Default: the whole tree.
   * @throws {GitError} `NOT_FOUND` when `ref` does not exist, `UNSAFE_PATH` for a path that
   *   is not repository-relative (or one GitHub lists that is not), or a request failure.
   */
  async listFiles(ref?: string, path?: string, options: GitHubReadOptions = {}): Promise<string[]> {
    const scope =
      path === undefined || path === '' || path === '.'
        ? undefined
        : repositoryPath(path, 'listFiles');
    const { signal } = options;
    const at = ref ?? (await this.#getDefaultBranch(signal));
    const { tree } = await this.#resolveCommit(at, signal);
    const entries = await readTree(
      this.#treeFetcher(signal),
      tree,
      scope === undefined ? undefined : [scope],
    );
    return [...entries.values()]
      .filter((entry) => entry.type === 'blob')
      .map((entry) => entry.path)
      .sort();
  }

  /**
   * Commits `files` on `branch` in one commit: blobs (base64, so any bytes survive), a tree
   * on top of the parent's, the commit, and a ref update without force. A missing branch
   * is created at the new commit, whose parent is `base`'s head.
   *
   * This is one attempt: when another writer moves the branch between the read of its head
   * and the ref update, GitHub refuses the update as not a fast-forward and this throws
   * `PUSH_REJECTED` (nothing is overwritten). To retry on the new head, use `updateBranch`
   * with this repository, which re-runs your change on top of the other writer's.
   *
   * @returns The commit, or `undefined` when the files already are as given (no commit, no
   *   ref change; a missing branch is then not created either).
   * @throws {GitError} `NOT_FOUND` when neither `branch` nor `base` exists, `PUSH_REJECTED`
   *   when the branch moved (or was created) meanwhile, `UNSAFE_PATH`, `INVALID_ARGUMENT`,
   *   or a request failure (`AUTH_FAILED`, `RATE_LIMITED`, `API_ERROR`, `NETWORK`, `ABORTED`).
   */
  async commitFiles(options: CommitFilesOptions): Promise<CommitResult | undefined> {
    const branch = requireName(options?.branch, 'branch');
    const { signal } = options;
    const message = requireMessage(options.message);
    const changes = fileChanges(options.files);
    let parent = await this.#branchHead(branch, signal);
    const create = parent === undefined;
    if (parent === undefined) {
      const base = options.base ?? (await this.#getDefaultBranch(signal));
      parent = await this.#branchHead(base, signal);
      if (parent === undefined) {
        throw new GitError(
          'NOT_FOUND',
          `commitFiles: neither ${branch} nor its base ${base} exists in ${this.owner}/${this.repo}`,
          { remote: this.#remote, ref: base },
        );
      }
    }
    const { tree } = await this.#getCommit(parent, signal);
    const known = await readTree(this.#treeFetcher(signal), tree, [...changes.keys()]);
    const built = await this.#buildTree(tree, changes, known, signal);
    if (built === undefined) return undefined;
    const author = options.author;
    const commit = await this.#createCommit(
      built,
      parent,
      message,
      author,
      options.committer ?? author,
      signal,
    );
    const moved = create
      ? (await this.#createRef(branch, commit.sha, signal)) !== 'created'
      : (await this.#updateRef(branch, commit.sha, false, signal)) !== 'updated';
    if (moved) {
      throw new GitError(
        'PUSH_REJECTED',
        `commitFiles: ${branch} ${create ? 'was created' : 'moved'} while the commit was being made; ` +
          'nothing was overwritten. Use updateBranch to retry the change on the new head.',
        { remote: this.#remote, ref: branch },
      );
    }
    this.#logger?.info?.(
      `${this.owner}/${this.repo} ${branch}: committed ${commit.sha.slice(0, 12)}`,
    );
    return commit;
  }

  /**
   * Lays out the files of `base` (Default: `branch`) under `paths` in a fresh directory
   * under `workDir`. A push branch (`branch` other than `base`) is rebuilt from `base` on
   * every run, so the workspace always holds `base`'s head. Only regular files are laid out;
   * symlinks and submodules are left out (and kept as they are when publishing).
   *
   * @throws {GitError} `NOT_FOUND` when `base` does not exist, `UNSAFE_PATH` when GitHub
   *   lists a path that would leave the directory, or a request failure.
   */
  async prepare(options: PrepareOptions): Promise<Workspace> {
    const branch = requireName(options?.branch, 'branch');
    const base = options.base === undefined ? branch : requireName(options.base, 'base');
    const { signal } = options;
    // '' and '.' name the whole tree.
    const scopes = options.paths?.map((scope) =>
      scope === '' || scope === '.' ? '' : repositoryPath(scope, 'prepare'),
    );
    const head = await this.#branchHead(base, signal);
    if (head === undefined) {
      throw new GitError(
        'NOT_FOUND',
        `prepare: branch ${base} does not exist in ${this.owner}/${this.repo}`,
        {
          remote: this.#remote,
          ref: base,
        },
      );
    }
    const { tree } = await this.#getCommit(head, signal);
    const pushHead = branch === base ? undefined : await this.#branchHead(branch, signal);
    const entries = await readTree(this.#treeFetcher(signal), tree, scopes);
    const dir = await mkdtemp(join(this.#workDir, 'tagsmith-github-'));
    try {
      const skipped = await layOut(dir, entries, (sha) => this.#blob(sha, signal));
      if (skipped.length > 0) {
        this.#logger?.debug?.(
          `prepare ${base}: not laid out (symlinks, submodules): ${skipped.join(', ')}`,
        );
      }
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    this.#workspaces.set(dir, { tree, entries, scopes, pushHead });
    return { dir, head, branch, base };
  }

  /**
   * Commits the named files from the workspace on its head and publishes the commit.
   *
   * - `branch` equal to `base`: the ref moves without force; GitHub's 422 "not a fast
   *   forward" (another writer won) is `{ status: 'conflict' }`.
   * - A push branch: the commit's parent is `base`'s head. The remote push branch must
   *   still be where `prepare` saw it (created or moved since: `conflict`, as a failed
   *   `--force-with-lease`). When it already has the same tree, nothing is pushed
   *   (`unchanged`); when it carries commits whose author email is not `author.email` it is
   *   `left-alone` unless `force`; otherwise it is replaced by a forced ref update. The REST
   *   API has no lease, so the branch is read again just before that update and a change
   *   is a `conflict`; only the moment between that read and the update is unguarded.
   *
   * @throws {GitError} `INVALID_ARGUMENT` for a workspace this object did not prepare (or
   *   one already released), `UNSAFE_PATH`, or a request failure.
   */
  async publish(workspace: Workspace, options: PublishOptions): Promise<PublishResult> {
    const state = this.#workspaces.get(workspace?.dir);
    if (state === undefined) {
      throw new GitError(
        'INVALID_ARGUMENT',
        'publish: the workspace was not prepared by this GitHubRepository, or was released',
      );
    }
    const { signal } = options;
    const message = requireMessage(options.message);
    const changes = await readChanges(workspace.dir, options.files);
    const known = await this.#knownEntries(state, [...changes.keys()], signal);
    const built = await this.#buildTree(state.tree, changes, known, signal);
    if (built === undefined) return { status: 'unchanged' };
    const committer = options.committer ?? options.author;
    const { branch, base, head } = workspace;
    if (branch === base) {
      const commit = await this.#createCommit(
        built,
        head,
        message,
        options.author,
        committer,
        signal,
      );
      if ((await this.#updateRef(branch, commit.sha, false, signal)) !== 'updated') {
        return this.#conflict(branch, signal);
      }
      return { status: 'pushed', commit, push: this.#push(branch, commit.sha, head, false) };
    }
    // The push branch is held to what prepare saw, as --force-with-lease holds a push to
    // what was fetched: a writer that created or moved it since wins, and we start over.
    const remoteHead = await this.#branchHead(branch, signal);
    if (remoteHead !== state.pushHead) return conflictAt(remoteHead);
    if (remoteHead === undefined) {
      const commit = await this.#createCommit(
        built,
        head,
        message,
        options.author,
        committer,
        signal,
      );
      if ((await this.#createRef(branch, commit.sha, signal)) === 'exists') {
        return this.#conflict(branch, signal);
      }
      return { status: 'pushed', commit, push: this.#push(branch, commit.sha, undefined, false) };
    }
    if ((await this.#getCommit(remoteHead, signal)).tree === built.sha)
      return { status: 'unchanged' };
    if (options.force !== true) {
      const foreign = await this.#foreignCommits(head, branch, options.author, signal);
      if (foreign.length > 0) return { status: 'left-alone', foreignCommits: foreign };
    }
    const commit = await this.#createCommit(
      built,
      head,
      message,
      options.author,
      committer,
      signal,
    );
    // The REST API has no lease: read the branch again just before the forced update.
    const current = await this.#branchHead(branch, signal);
    if (current !== remoteHead) return conflictAt(current);
    if ((await this.#updateRef(branch, commit.sha, true, signal)) !== 'updated') {
      return this.#conflict(branch, signal);
    }
    return { status: 'pushed', commit, push: this.#push(branch, commit.sha, remoteHead, true) };
  }

  /** Removes the workspace's directory. Safe to call twice. */
  async release(workspace: Workspace): Promise<void> {
    if (!this.#workspaces.delete(workspace.dir)) return;
    await rm(workspace.dir, { recursive: true, force: true });
  }

  /**
   * Opens a pull request from `head` into `base`, or, when one is open already, updates
   * its title and body (only what differs) and adds the missing labels: never a duplicate.
   * Two callers racing to open it end with one pull request; the loser updates it.
   *
   * @throws {GitError} `API_ERROR` when GitHub refuses it (422: a missing branch, no commits
   *   between the branches), or a request failure.
   */
  async openOrUpdatePullRequest(options: PullRequestOptions): Promise<PullRequest> {
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
    const context = this.#context(`openOrUpdatePullRequest ${head} → ${base}`, signal, {
      ref: head,
    });
    const existing = await this.#openPull(head, base, context);
    if (existing !== undefined) return this.#updatePull(existing, options, labels, context);
    let created: PullSummary;
    try {
      const { data } = await this.#octokit.rest.pulls.create({
        owner: this.owner,
        repo: this.repo,
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
      const theirs = raced ? await this.#openPull(head, base, context) : undefined;
      if (theirs === undefined) throw toGitError(error, context);
      return this.#updatePull(theirs, options, labels, context);
    }
    if (labels.length > 0) await this.#addLabels(created.number, labels, context);
    this.#logger?.info?.(
      `${this.owner}/${this.repo}: opened pull request #${created.number} ${head} → ${base}`,
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

  async #openPull(
    head: string,
    base: string,
    context: FailureContext,
  ): Promise<PullSummary | undefined> {
    try {
      const { data } = await this.#octokit.rest.pulls.list({
        owner: this.owner,
        repo: this.repo,
        state: 'open',
        head: head.includes(':') ? head : `${this.owner}:${head}`,
        base,
        per_page: 100,
        request: requestOptions(context.signal),
      });
      return data[0];
    } catch (error) {
      throw toGitError(error, context);
    }
  }

  async #updatePull(
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
        await this.#octokit.rest.pulls.update({
          owner: this.owner,
          repo: this.repo,
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
    if (missing.length > 0) await this.#addLabels(pull.number, missing, context);
    this.#logger?.info?.(`${this.owner}/${this.repo}: updated pull request #${pull.number}`);
    return {
      number: pull.number,
      url: pull.html_url,
      created: false,
      head: options.head,
      base: options.base,
      title: options.title,
    };
  }

  async #addLabels(
    number: number,
    labels: readonly string[],
    context: FailureContext,
  ): Promise<void> {
    try {
      await this.#octokit.rest.issues.addLabels({
        owner: this.owner,
        repo: this.repo,
        issue_number: number,
        labels: [...labels],
        request: requestOptions(context.signal),
      });
    } catch (error) {
      throw toGitError(error, context);
    }
  }

  /** The workspace's known entries, plus those of named paths outside what `prepare` read. */
  async #knownEntries(
    state: WorkspaceState,
    paths: readonly string[],
    signal: AbortSignal | undefined,
  ): Promise<Map<string, RemoteEntry>> {
    const scopes = state.scopes;
    if (scopes === undefined) return state.entries;
    const outside = paths.filter(
      (path) => !scopes.some((scope) => path === scope || path.startsWith(`${scope}/`)),
    );
    if (outside.length === 0) return state.entries;
    const more = await readTree(this.#treeFetcher(signal), state.tree, outside);
    return new Map([...state.entries, ...more]);
  }

  /**
   * Uploads the changed blobs and creates the tree on `baseTree`; undefined when every
   * change is already so (same bytes, or a deletion of a file that is not there).
   */
  async #buildTree(
    baseTree: string,
    changes: ReadonlyMap<string, Uint8Array | null>,
    known: ReadonlyMap<string, RemoteEntry>,
    signal: AbortSignal | undefined,
  ): Promise<BuiltTree | undefined> {
    const context = this.#context('create tree', signal);
    const deletions: string[] = [];
    const writes: { path: string; content: Uint8Array; mode: string }[] = [];
    for (const [path, content] of changes) {
      const existing = known.get(path);
      if (content === null) {
        if (existing !== undefined) deletions.push(path);
        continue;
      }
      // A file keeps its mode (an executable stays one); anything else becomes a plain file.
      const isFile = existing !== undefined && FILE_MODES.has(existing.mode);
      // GitHub names blobs with SHA-1, so a file with equal bytes needs no upload: no change.
      if (isFile && existing.sha.length === 40 && gitBlobSha1(content) === existing.sha) continue;
      writes.push({ path, content, mode: isFile ? existing.mode : '100644' });
    }
    if (deletions.length === 0 && writes.length === 0) return undefined;
    const blobs = await mapInBatches(writes, UPLOADS_AT_ONCE, async (write) => {
      try {
        const { data } = await this.#octokit.rest.git.createBlob({
          owner: this.owner,
          repo: this.repo,
          content: Buffer.from(write.content).toString('base64'),
          encoding: 'base64',
          request: requestOptions(signal),
        });
        return data.sha;
      } catch (error) {
        throw toGitError(error, { ...context, what: `upload ${write.path}`, path: write.path });
      }
    });
    const tree = [
      ...writes.map((write, i) => ({
        path: write.path,
        mode: write.mode as '100644' | '100755',
        type: 'blob' as const,
        sha: blobs[i]!,
      })),
      ...deletions.map((path) => ({
        path,
        mode: '100644' as const,
        type: 'blob' as const,
        sha: null,
      })),
    ];
    let sha: string;
    try {
      sha = (
        await this.#octokit.rest.git.createTree({
          owner: this.owner,
          repo: this.repo,
          base_tree: baseTree,
          tree,
          request: requestOptions(signal),
        })
      ).data.sha;
    } catch (error) {
      throw toGitError(error, context);
    }
    if (sha === baseTree) return undefined;
    return { sha, files: tree.map((entry) => entry.path).sort() };
  }

  async #createCommit(
    tree: BuiltTree,
    parent: string,
    message: string,
    author: Author | undefined,
    committer: Author | undefined,
    signal: AbortSignal | undefined,
  ): Promise<CommitResult> {
    try {
      const { data } = await this.#octokit.rest.git.createCommit({
        owner: this.owner,
        repo: this.repo,
        message,
        tree: tree.sha,
        parents: [parent],
        ...(author === undefined ? {} : { author: identity(author, 'author') }),
        ...(committer === undefined ? {} : { committer: identity(committer, 'committer') }),
        request: requestOptions(signal),
      });
      return {
        sha: data.sha,
        tree: tree.sha,
        parent,
        message,
        files: tree.files,
        signed: data.verification?.verified === true,
      };
    } catch (error) {
      throw toGitError(error, this.#context('create commit', signal));
    }
  }

  /** The head commit of `branch`, or undefined when there is no such branch. */
  async #branchHead(branch: string, signal: AbortSignal | undefined): Promise<string | undefined> {
    try {
      const { data } = await this.#octokit.rest.git.getRef({
        owner: this.owner,
        repo: this.repo,
        ref: `heads/${branch}`,
        request: requestOptions(signal),
      });
      return data.object.sha;
    } catch (error) {
      if (responseStatus(error) === 404) return undefined;
      throw toGitError(error, this.#context(`read branch ${branch}`, signal, { ref: branch }));
    }
  }

  /**
   * `'not-fast-forward'` when GitHub refused the update because the branch moved, `'missing'`
   * when the branch was deleted meanwhile.
   */
  async #updateRef(
    branch: string,
    sha: string,
    force: boolean,
    signal: AbortSignal | undefined,
  ): Promise<'updated' | 'not-fast-forward' | 'missing'> {
    try {
      await this.#octokit.rest.git.updateRef({
        owner: this.owner,
        repo: this.repo,
        ref: `heads/${branch}`,
        sha,
        force,
        request: requestOptions(signal),
      });
      this.#logger?.debug?.(`${branch} → ${sha.slice(0, 12)}${force ? ' (forced)' : ''}`);
      return 'updated';
    } catch (error) {
      if (responseStatus(error) === 422) {
        const said = githubMessage(error);
        if (/fast.forward/i.test(said)) return 'not-fast-forward';
        if (/does not exist/i.test(said)) return 'missing';
      }
      throw toGitError(error, this.#context(`update branch ${branch}`, signal, { ref: branch }));
    }
  }

  /** `'exists'` when another writer created the branch first. */
  async #createRef(
    branch: string,
    sha: string,
    signal: AbortSignal | undefined,
  ): Promise<'created' | 'exists'> {
    try {
      await this.#octokit.rest.git.createRef({
        owner: this.owner,
        repo: this.repo,
        ref: `refs/heads/${branch}`,
        sha,
        request: requestOptions(signal),
      });
      return 'created';
    } catch (error) {
      if (responseStatus(error) === 422 && /already exists/i.test(githubMessage(error))) {
        return 'exists';
      }
      throw toGitError(error, this.#context(`create branch ${branch}`, signal, { ref: branch }));
    }
  }

  /** Commits on `branch` since `base` that `author` did not make, newest first. */
  async #foreignCommits(
    base: string,
    branch: string,
    author: Author,
    signal: AbortSignal | undefined,
  ): Promise<string[]> {
    try {
      const { data } = await this.#octokit.rest.repos.compareCommitsWithBasehead({
        owner: this.owner,
        repo: this.repo,
        basehead: `${base}...${branch}`,
        request: requestOptions(signal),
      });
      const email = author.email.toLowerCase();
      return data.commits
        .filter((commit) => commit.commit.author?.email?.toLowerCase() !== email)
        .map((commit) => commit.sha)
        .reverse();
    } catch (error) {
      throw toGitError(
        error,
        this.#context(`compare ${branch} with its base`, signal, { ref: branch }),
      );
    }
  }

  async #conflict(branch: string, signal: AbortSignal | undefined): Promise<PublishResult> {
    return conflictAt(await this.#branchHead(branch, signal));
  }

  #push(branch: string, after: string, before: string | undefined, forced: boolean): PushResult {
    const how = before === undefined ? 'created at' : forced ? 'replaced by' : 'moved to';
    this.#logger?.info?.(`${this.owner}/${this.repo} ${branch}: ${how} ${after.slice(0, 12)}`);
    return {
      remote: this.#remote,
      branch,
      ...(before === undefined ? {} : { before }),
      after,
      forced,
    };
  }

  /** The commit and tree `ref` (a branch, tag or SHA) names; `NOT_FOUND` when none. */
  async #resolveCommit(
    ref: string,
    signal: AbortSignal | undefined,
  ): Promise<{ sha: string; tree: string }> {
    try {
      const { data } = await this.#octokit.rest.repos.getCommit({
        owner: this.owner,
        repo: this.repo,
        ref,
        request: requestOptions(signal),
      });
      return { sha: data.sha, tree: data.commit.tree.sha };
    } catch (error) {
      // GitHub answers 422 "No commit found for SHA" for a name that is no ref or commit.
      if (responseStatus(error) === 422 || responseStatus(error) === 404) {
        throw new GitError(
          'NOT_FOUND',
          `${this.owner}/${this.repo} has no branch, tag or commit ${ref}`,
          {
            remote: this.#remote,
            ref,
            status: responseStatus(error)!,
          },
        );
      }
      throw toGitError(error, this.#context(`resolve ${ref}`, signal, { ref }));
    }
  }

  async #getCommit(sha: string, signal: AbortSignal | undefined): Promise<{ tree: string }> {
    try {
      const { data } = await this.#octokit.rest.git.getCommit({
        owner: this.owner,
        repo: this.repo,
        commit_sha: sha,
        request: requestOptions(signal),
      });
      return { tree: data.tree.sha };
    } catch (error) {
      throw toGitError(error, this.#context(`read commit ${sha}`, signal, { ref: sha }));
    }
  }

  async #blob(sha: string, signal: AbortSignal | undefined): Promise<Uint8Array> {
    try {
      const { data } = await this.#octokit.rest.git.getBlob({
        owner: this.owner,
        repo: this.repo,
        file_sha: sha,
        request: requestOptions(signal),
      });
      return Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8');
    } catch (error) {
      throw toGitError(error, this.#context(`read blob ${sha}`, signal));
    }
  }

  #treeFetcher(signal: AbortSignal | undefined): TreeFetcher {
    return async (sha, recursive) => {
      try {
        const { data } = await this.#octokit.rest.git.getTree({
          owner: this.owner,
          repo: this.repo,
          tree_sha: sha,
          ...(recursive ? { recursive: 'true' } : {}),
          request: requestOptions(signal),
        });
        return {
          truncated: data.truncated,
          entries: data.tree.map((entry) => ({
            path: String(entry.path),
            mode: String(entry.mode),
            type: entry.type as RemoteEntry['type'],
            sha: String(entry.sha),
          })),
        };
      } catch (error) {
        throw toGitError(error, this.#context(`read tree ${sha}`, signal));
      }
    };
  }

  #getDefaultBranch(signal: AbortSignal | undefined): Promise<string> {
    this.#defaultBranch ??= this.#octokit.rest.repos
      .get({ owner: this.owner, repo: this.repo, request: requestOptions(signal) })
      .then(({ data }) => data.default_branch)
      .catch((error: unknown) => {
        this.#defaultBranch = undefined;
        throw toGitError(error, this.#context('read the default branch', signal));
      });
    return this.#defaultBranch;
  }

  #context(
    what: string,
    signal: AbortSignal | undefined,
    where: { ref?: string; path?: string } = {},
  ): FailureContext {
    return { what, remote: this.#remote, signal, scrub: (text) => this.#scrub(text), ...where };
  }

  #scrub(text: string): string {
    let out = text;
    for (const secret of this.#secrets) out = out.split(secret).join('***');
    return out;
  }
}

/** The fields of a listed pull request this module reads. */
interface PullSummary {
  number: number;
  html_url: string;
  title: string;
  body: string | null;
  labels: { name?: string }[];
}

function conflictAt(remoteHead: string | undefined): PublishResult {
  return remoteHead === undefined ? { status: 'conflict' } : { status: 'conflict', remoteHead };
}

function requestOptions(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal === undefined ? {} : { signal };
}

function fileChanges(files: readonly FileChange[]): Map<string, Uint8Array | null> {
  if (!Array.isArray(files)) {
    throw new GitError(
      'INVALID_ARGUMENT',
      'commitFiles: `files` must be an array of { path, content }',
    );
  }
  const changes = new Map<string, Uint8Array | null>();
  for (const file of files) {
    const path = repositoryPath(file?.path, 'commitFiles');
    if (changes.has(path)) {
      throw new GitError('INVALID_ARGUMENT', `commitFiles: ${path} is named twice`, { path });
    }
    const { content } = file;
    if (content !== null && typeof content !== 'string' && !(content instanceof Uint8Array)) {
      throw new GitError(
        'INVALID_ARGUMENT',
        `commitFiles: the content of ${path} must be a string, bytes or null (delete)`,
        { path },
      );
    }
    changes.set(path, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
  }
  return changes;
}

function identity(person: Author, field: string): { name: string; email: string } {
  if (typeof person?.name !== 'string' || typeof person.email !== 'string' || person.email === '') {
    throw new GitError('INVALID_ARGUMENT', `\`${field}\` must be { name, email }`);
  }
  return { name: person.name, email: person.email };
}

function requireName(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new GitError(
      'INVALID_ARGUMENT',
      `GitHubRepository: \`${name}\` must be a non-empty string`,
    );
  }
  return value;
}

function requireMessage(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new GitError(
      'INVALID_ARGUMENT',
      'GitHubRepository: the commit `message` must be a non-empty string',
    );
  }
  return value;
}

function count(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) {
    throw new GitError(
      'INVALID_ARGUMENT',
      `GitHubRepository: \`${name}\` must be an integer, 0 or more, got ${String(value)}`,
    );
  }
  return value;
}

function interval(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new GitError(
      'INVALID_ARGUMENT',
      `GitHubRepository: \`writeIntervalMs\` must be a non-negative number of milliseconds, got ${String(value)}`,
    );
  }
  return value;
}

function withoutUserInfo(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}
