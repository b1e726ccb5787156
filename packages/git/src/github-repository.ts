// GitHubRepository: commits and pull requests through GitHub's REST API, with no clone.
// A commit is blobs, a tree on top of the parent's (`base_tree`), a commit object and a ref
// update without force, so GitHub itself refuses (422) an update that would drop another
// writer's commit; `updateBranch` turns that refusal into a retry on the new head.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Octokit } from '@octokit/rest';
import { GitError } from './errors.js';
import { GitHubApi, requestOptions, requireName, scrubSecrets } from './github-api.js';
import { responseStatus, toGitError } from './github-errors.js';
import { createOctokit, defaultUserAgent } from './github-octokit.js';
import { openOrUpdatePullRequest } from './github-pulls.js';
import { type RemoteEntry, readTree } from './github-tree.js';
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

const DEFAULT_BASE_URL = 'https://api.github.com';
const DEFAULT_RETRIES = 3;
const DEFAULT_RATE_LIMIT_RETRIES = 2;

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
  readonly #api: GitHubApi;
  readonly #workDir: string;
  readonly #workspaces = new Map<string, WorkspaceState>();

  /** @throws {GitError} `INVALID_ARGUMENT` for a missing owner or repo or a bad option. */
  constructor(options: GitHubRepositoryOptions) {
    this.owner = requireName(options?.owner, 'owner');
    this.repo = requireName(options.repo, 'repo');
    this.#workDir = options.workDir ?? tmpdir();
    const secrets = options.auth === undefined || options.auth === '' ? [] : [options.auth];
    let octokit: Octokit;
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
      octokit = options.octokit;
    } else {
      octokit = createOctokit({
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
        scrub: (text) => scrubSecrets(text, secrets),
      });
    }
    const baseUrl = String(octokit.request.endpoint.DEFAULTS.baseUrl ?? DEFAULT_BASE_URL);
    this.#api = new GitHubApi({
      octokit,
      owner: this.owner,
      repo: this.repo,
      remote: `${withoutUserInfo(baseUrl)}/repos/${this.owner}/${this.repo}`,
      logger: options.logger,
      secrets,
    });
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
    const at = ref ?? (await this.#api.getDefaultBranch(signal));
    const context = this.#api.context(`readFile ${path} at ${at}`, signal, { ref: at, path });
    let data: unknown;
    try {
      data = (
        await this.#api.octokit.rest.repos.getContent({
          owner: this.owner,
          repo: this.repo,
          path,
          ref: at,
          request: requestOptions(signal),
        })
      ).data;
    } catch (error) {
      if (responseStatus(error) !== 404) throw toGitError(error, context);
      await this.#api.resolveCommit(at, signal);
      return undefined;
    }
    if (Array.isArray(data)) return undefined;
    const found = data as { type?: string; content?: string; encoding?: string; sha?: string };
    if (found.type !== 'file' || typeof found.sha !== 'string') return undefined;
    // Past 1 MB the contents API leaves `content` out (`encoding: none`); the blob has it.
    const bytes =
      found.encoding === 'base64' && typeof found.content === 'string'
        ? Buffer.from(found.content, 'base64')
        : await this.#api.blob(found.sha, signal);
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
    const at = ref ?? (await this.#api.getDefaultBranch(signal));
    const { tree } = await this.#api.resolveCommit(at, signal);
    const entries = await readTree(
      this.#api.treeFetcher(signal),
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
    let parent = await this.#api.branchHead(branch, signal);
    const create = parent === undefined;
    if (parent === undefined) {
      const base = options.base ?? (await this.#api.getDefaultBranch(signal));
      parent = await this.#api.branchHead(base, signal);
      if (parent === undefined) {
        throw new GitError(
          'NOT_FOUND',
          `commitFiles: neither ${branch} nor its base ${base} exists in ${this.owner}/${this.repo}`,
          { remote: this.#api.remote, ref: base },
        );
      }
    }
    const { tree } = await this.#api.getCommit(parent, signal);
    const known = await readTree(this.#api.treeFetcher(signal), tree, [...changes.keys()]);
    const built = await this.#api.buildTree(tree, changes, known, signal);
    if (built === undefined) return undefined;
    const author = options.author;
    const commit = await this.#api.createCommit(
      built,
      parent,
      message,
      author,
      options.committer ?? author,
      signal,
    );
    const moved = create
      ? (await this.#api.createRef(branch, commit.sha, signal)) !== 'created'
      : (await this.#api.updateRef(branch, commit.sha, false, signal)) !== 'updated';
    if (moved) {
      throw new GitError(
        'PUSH_REJECTED',
        `commitFiles: ${branch} ${create ? 'was created' : 'moved'} while the commit was being made; ` +
          'nothing was overwritten. Use updateBranch to retry the change on the new head.',
        { remote: this.#api.remote, ref: branch },
      );
    }
    this.#api.logger?.info?.(
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
    const head = await this.#api.branchHead(base, signal);
    if (head === undefined) {
      throw new GitError(
        'NOT_FOUND',
        `prepare: branch ${base} does not exist in ${this.owner}/${this.repo}`,
        {
          remote: this.#api.remote,
          ref: base,
        },
      );
    }
    const { tree } = await this.#api.getCommit(head, signal);
    const pushHead = branch === base ? undefined : await this.#api.branchHead(branch, signal);
    const entries = await readTree(this.#api.treeFetcher(signal), tree, scopes);
    const dir = await mkdtemp(join(this.#workDir, 'tagsmith-github-'));
    try {
      const skipped = await layOut(dir, entries, (sha) => this.#api.blob(sha, signal));
      if (skipped.length > 0) {
        this.#api.logger?.debug?.(
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
    // There is no push on GitHub to take these to; dropping them would hide a config mistake.
    for (const option of ['refspec', 'pushOptions'] as const) {
      if (options[option] !== undefined) {
        throw new GitError(
          'INVALID_ARGUMENT',
          `publish: \`${option}\` needs a git push; GitHubRepository commits through the API, use a LocalRepository clone`,
        );
      }
    }
    const { signal } = options;
    const message = requireMessage(options.message);
    const changes = await readChanges(workspace.dir, options.files);
    const known = await this.#knownEntries(state, [...changes.keys()], signal);
    const built = await this.#api.buildTree(state.tree, changes, known, signal);
    if (built === undefined) return { status: 'unchanged' };
    const committer = options.committer ?? options.author;
    const { branch, base, head } = workspace;
    // The same commit on every path; made only once a path knows it will move a ref.
    const createCommit = () =>
      this.#api.createCommit(built, head, message, options.author, committer, signal);
    if (branch === base) {
      const commit = await createCommit();
      if ((await this.#api.updateRef(branch, commit.sha, false, signal)) !== 'updated') {
        return this.#conflict(branch, signal);
      }
      return { status: 'pushed', commit, push: this.#push(branch, commit.sha, head, false) };
    }
    // The push branch is held to what prepare saw, as --force-with-lease holds a push to
    // what was fetched: a writer that created or moved it since wins, and we start over.
    const remoteHead = await this.#api.branchHead(branch, signal);
    if (remoteHead !== state.pushHead) return conflictAt(remoteHead);
    if (remoteHead === undefined) {
      const commit = await createCommit();
      if ((await this.#api.createRef(branch, commit.sha, signal)) === 'exists') {
        return this.#conflict(branch, signal);
      }
      return { status: 'pushed', commit, push: this.#push(branch, commit.sha, undefined, false) };
    }
    if ((await this.#api.getCommit(remoteHead, signal)).tree === built.sha)
      return { status: 'unchanged' };
    if (options.force !== true) {
      const foreign = await this.#api.foreignCommits(head, branch, options.author, signal);
      if (foreign.length > 0) return { status: 'left-alone', foreignCommits: foreign };
    }
    const commit = await createCommit();
    // The REST API has no lease: read the branch again just before the forced update.
    const current = await this.#api.branchHead(branch, signal);
    if (current !== remoteHead) return conflictAt(current);
    if ((await this.#api.updateRef(branch, commit.sha, true, signal)) !== 'updated') {
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
   * Opens the pull request from `head` into `base`, or updates the open one: its title, its
   * body, and labels it lacks (labels people added stay). Never opens a duplicate: when two
   * callers open it at once, the one GitHub refuses updates the other's.
   *
   * @throws {GitError} `INVALID_ARGUMENT` for a missing head, base or title, or a request failure.
   */
  openOrUpdatePullRequest(options: PullRequestOptions): Promise<PullRequest> {
    return openOrUpdatePullRequest(this.#api, options);
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
    const more = await readTree(this.#api.treeFetcher(signal), state.tree, outside);
    return new Map([...state.entries, ...more]);
  }

  async #conflict(branch: string, signal: AbortSignal | undefined): Promise<PublishResult> {
    return conflictAt(await this.#api.branchHead(branch, signal));
  }

  #push(branch: string, after: string, before: string | undefined, forced: boolean): PushResult {
    const how = before === undefined ? 'created at' : forced ? 'replaced by' : 'moved to';
    this.#api.logger?.info?.(`${this.owner}/${this.repo} ${branch}: ${how} ${after.slice(0, 12)}`);
    return {
      remote: this.#api.remote,
      branch,
      ...(before === undefined ? {} : { before }),
      after,
      forced,
    };
  }
}

function conflictAt(remoteHead: string | undefined): PublishResult {
  return remoteHead === undefined ? { status: 'conflict' } : { status: 'conflict', remoteHead };
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
