// The GitHub REST calls a GitHubRepository makes, each turned into a GitError that names
// the operation and never holds the token: git data (blobs, trees, commits), refs with
// GitHub's fast-forward answer, compare, and the default branch. Internal to the package.
import type { Octokit } from '@octokit/rest';
import { GitError } from './errors.js';
import { mapInBatches } from './github-batch.js';
import { type FailureContext, githubMessage, responseStatus, toGitError } from './github-errors.js';
import { FILE_MODES, gitBlobSha1, type RemoteEntry, type TreeFetcher } from './github-tree.js';
import type { Author, CommitResult, Logger } from './types.js';

/** A tree that differs from its base, and the paths that differ. */
export interface BuiltTree {
  sha: string;
  files: string[];
}

/** What a {@link GitHubApi} is built from. */
export interface GitHubApiSettings {
  octokit: Octokit;
  owner: string;
  repo: string;
  /** The repository's API URL without user info, for errors and push results. */
  remote: string;
  logger: Logger | undefined;
  /** Values scrubbed from every message: the token. */
  secrets: readonly string[];
}

// Blob uploads in flight at once; the throttling plugin still paces writes as configured.
const UPLOADS_AT_ONCE = 4;

/** One repository's REST calls. */
export class GitHubApi {
  readonly octokit: Octokit;
  readonly owner: string;
  readonly repo: string;
  readonly remote: string;
  readonly logger: Logger | undefined;
  readonly secrets: readonly string[];
  #defaultBranch: Promise<string> | undefined;

  constructor(settings: GitHubApiSettings) {
    this.octokit = settings.octokit;
    this.owner = settings.owner;
    this.repo = settings.repo;
    this.remote = settings.remote;
    this.logger = settings.logger;
    this.secrets = settings.secrets;
  }

  /**
   * Uploads the changed blobs and creates the tree on `baseTree`; undefined when every
   * change is already so (same bytes, or a deletion of a file that is not there).
   */
  async buildTree(
    baseTree: string,
    changes: ReadonlyMap<string, Uint8Array | null>,
    known: ReadonlyMap<string, RemoteEntry>,
    signal: AbortSignal | undefined,
  ): Promise<BuiltTree | undefined> {
    const context = this.context('create tree', signal);
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
        const { data } = await this.octokit.rest.git.createBlob({
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
        await this.octokit.rest.git.createTree({
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

  async createCommit(
    tree: BuiltTree,
    parent: string,
    message: string,
    author: Author | undefined,
    committer: Author | undefined,
    signal: AbortSignal | undefined,
  ): Promise<CommitResult> {
    try {
      const { data } = await this.octokit.rest.git.createCommit({
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
      throw toGitError(error, this.context('create commit', signal));
    }
  }

  /** The head commit of `branch`, or undefined when there is no such branch. */
  async branchHead(branch: string, signal: AbortSignal | undefined): Promise<string | undefined> {
    try {
      const { data } = await this.octokit.rest.git.getRef({
        owner: this.owner,
        repo: this.repo,
        ref: `heads/${branch}`,
        request: requestOptions(signal),
      });
      return data.object.sha;
    } catch (error) {
      if (responseStatus(error) === 404) return undefined;
      throw toGitError(error, this.context(`read branch ${branch}`, signal, { ref: branch }));
    }
  }

  /**
   * `'not-fast-forward'` when GitHub refused the update because the branch moved, `'missing'`
   * when the branch was deleted meanwhile.
   */
  async updateRef(
    branch: string,
    sha: string,
    force: boolean,
    signal: AbortSignal | undefined,
  ): Promise<'updated' | 'not-fast-forward' | 'missing'> {
    try {
      await this.octokit.rest.git.updateRef({
        owner: this.owner,
        repo: this.repo,
        ref: `heads/${branch}`,
        sha,
        force,
        request: requestOptions(signal),
      });
      this.logger?.debug?.(`${branch} → ${sha.slice(0, 12)}${force ? ' (forced)' : ''}`);
      return 'updated';
    } catch (error) {
      if (responseStatus(error) === 422) {
        const said = githubMessage(error);
        if (/fast.forward/i.test(said)) return 'not-fast-forward';
        if (/does not exist/i.test(said)) return 'missing';
      }
      throw toGitError(error, this.context(`update branch ${branch}`, signal, { ref: branch }));
    }
  }

  /** `'exists'` when another writer created the branch first. */
  async createRef(
    branch: string,
    sha: string,
    signal: AbortSignal | undefined,
  ): Promise<'created' | 'exists'> {
    try {
      await this.octokit.rest.git.createRef({
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
      throw toGitError(error, this.context(`create branch ${branch}`, signal, { ref: branch }));
    }
  }

  /** Commits on `branch` since `base` that `author` did not make, newest first. */
  async foreignCommits(
    base: string,
    branch: string,
    author: Author,
    signal: AbortSignal | undefined,
  ): Promise<string[]> {
    try {
      const { data } = await this.octokit.rest.repos.compareCommitsWithBasehead({
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
        this.context(`compare ${branch} with its base`, signal, { ref: branch }),
      );
    }
  }

  /** The commit and tree `ref` (a branch, tag or SHA) names; `NOT_FOUND` when none. */
  async resolveCommit(
    ref: string,
    signal: AbortSignal | undefined,
  ): Promise<{ sha: string; tree: string }> {
    try {
      const { data } = await this.octokit.rest.repos.getCommit({
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
            remote: this.remote,
            ref,
            status: responseStatus(error)!,
          },
        );
      }
      throw toGitError(error, this.context(`resolve ${ref}`, signal, { ref }));
    }
  }

  async getCommit(sha: string, signal: AbortSignal | undefined): Promise<{ tree: string }> {
    try {
      const { data } = await this.octokit.rest.git.getCommit({
        owner: this.owner,
        repo: this.repo,
        commit_sha: sha,
        request: requestOptions(signal),
      });
      return { tree: data.tree.sha };
    } catch (error) {
      throw toGitError(error, this.context(`read commit ${sha}`, signal, { ref: sha }));
    }
  }

  async blob(sha: string, signal: AbortSignal | undefined): Promise<Uint8Array> {
    try {
      const { data } = await this.octokit.rest.git.getBlob({
        owner: this.owner,
        repo: this.repo,
        file_sha: sha,
        request: requestOptions(signal),
      });
      return Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8');
    } catch (error) {
      throw toGitError(error, this.context(`read blob ${sha}`, signal));
    }
  }

  treeFetcher(signal: AbortSignal | undefined): TreeFetcher {
    return async (sha, recursive) => {
      try {
        const { data } = await this.octokit.rest.git.getTree({
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
        throw toGitError(error, this.context(`read tree ${sha}`, signal));
      }
    };
  }

  getDefaultBranch(signal: AbortSignal | undefined): Promise<string> {
    this.#defaultBranch ??= this.octokit.rest.repos
      .get({ owner: this.owner, repo: this.repo, request: requestOptions(signal) })
      .then(({ data }) => data.default_branch)
      .catch((error: unknown) => {
        this.#defaultBranch = undefined;
        throw toGitError(error, this.context('read the default branch', signal));
      });
    return this.#defaultBranch;
  }

  context(
    what: string,
    signal: AbortSignal | undefined,
    where: { ref?: string; path?: string } = {},
  ): FailureContext {
    return { what, remote: this.remote, signal, scrub: (text) => this.scrub(text), ...where };
  }

  scrub(text: string): string {
    return scrubSecrets(text, this.secrets);
  }
}

/** The `request` option of an Octokit call: the signal, when there is one. */
export function requestOptions(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal === undefined ? {} : { signal };
}

/** Every secret in `secrets` replaced by `***`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('***');
  return out;
}

/** `value` when it is a non-empty string; `INVALID_ARGUMENT` naming the option otherwise. */
export function requireName(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new GitError(
      'INVALID_ARGUMENT',
      `GitHubRepository: \`${name}\` must be a non-empty string`,
    );
  }
  return value;
}

function identity(person: Author, field: string): { name: string; email: string } {
  if (typeof person?.name !== 'string' || typeof person.email !== 'string' || person.email === '') {
    throw new GitError('INVALID_ARGUMENT', `\`${field}\` must be { name, email }`);
  }
  return { name: person.name, email: person.email };
}
