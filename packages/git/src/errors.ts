/**
 * Every way a git operation can fail. Branch on this, never on the message.
 * docs/errors.md has a row for each code saying when it happens and what to do.
 *
 * - `INVALID_ARGUMENT`: an argument or option that is not what the types and docs say.
 * - `GIT_NOT_FOUND`: the `git` executable is not on `PATH` (or at the configured path).
 * - `NOT_A_REPOSITORY`: `open` was given a directory that is not a git working tree.
 * - `NOT_FOUND`: a repository, ref, branch, tag, commit, path or pull request does not exist.
 * - `AUTH_FAILED`: the remote refused the credentials (or asked for some and none were given).
 * - `HOST_KEY_REJECTED`: the SSH host key is not in the known-hosts file or does not match it.
 * - `NETWORK`: the remote could not be reached (DNS, refused connection, TLS, timeout).
 * - `PUSH_REJECTED`: the remote refused the push for a reason a retry cannot fix
 *   (a hook declined it, a protected branch, a lease that no longer holds).
 * - `ATTEMPTS_EXHAUSTED`: every attempt of `updateBranch` lost the race to another writer.
 * - `UNSAFE_PATH`: a changed file named outside the repository (`..`, an absolute path,
 *   or a path through a symlink).
 * - `SIGNING_FAILED`: the signing key could not be imported or could not sign.
 * - `RATE_LIMITED`: GitHub's primary or secondary rate limit outlasted the retries.
 * - `API_ERROR`: GitHub answered with an unexpected status or body.
 * - `COMMAND_FAILED`: a git command failed in a way no other code describes.
 * - `ABORTED`: the caller's `AbortSignal` fired.
 */
export type GitErrorCode =
  | 'INVALID_ARGUMENT'
  | 'GIT_NOT_FOUND'
  | 'NOT_A_REPOSITORY'
  | 'NOT_FOUND'
  | 'AUTH_FAILED'
  | 'HOST_KEY_REJECTED'
  | 'NETWORK'
  | 'PUSH_REJECTED'
  | 'ATTEMPTS_EXHAUSTED'
  | 'UNSAFE_PATH'
  | 'SIGNING_FAILED'
  | 'RATE_LIMITED'
  | 'API_ERROR'
  | 'COMMAND_FAILED'
  | 'ABORTED';

/** Where and how a {@link GitError} happened; every field is optional and set only when known. */
export interface GitErrorDetails {
  /** The remote, redacted (no user info), e.g. `https://github.com/org/repo.git` or `github:org/repo`. */
  remote?: string;
  /** The ref or branch concerned, e.g. `main` or `refs/tags/v1.2.0`. */
  ref?: string;
  /** The repository-relative path concerned. */
  path?: string;
  /** The git subcommand that failed, e.g. `push` (never its arguments: they may name a secret's file). */
  command?: string;
  /** The exit code of the failed git command. */
  exitCode?: number;
  /** The HTTP status of the failed GitHub API request. */
  status?: number;
  /** How many attempts were made before giving up. */
  attempts?: number;
  /** The underlying error, if any (already scrubbed of credentials). */
  cause?: unknown;
}

/**
 * The one error class of `@tagsmith/git`. Its message says what failed and where, and
 * quotes git's own stderr when that helps; it never carries a token, password,
 * passphrase or key: every credential the package was given is replaced by `***`
 * before a message is built.
 */
export class GitError extends Error {
  override readonly name = 'GitError';
  /** What went wrong; see {@link GitErrorCode}. */
  readonly code: GitErrorCode;
  /** The remote, redacted; absent when no remote is concerned. */
  declare readonly remote?: string;
  /** The ref or branch concerned, if any. */
  declare readonly ref?: string;
  /** The repository-relative path concerned, if any. */
  declare readonly path?: string;
  /** The git subcommand that failed, if any. */
  declare readonly command?: string;
  /** The exit code of the failed git command, if any. */
  declare readonly exitCode?: number;
  /** The HTTP status of the failed GitHub request, if any. */
  declare readonly status?: number;
  /** How many attempts were made, for `ATTEMPTS_EXHAUSTED` and retried failures. */
  declare readonly attempts?: number;

  /**
   * @param code - Machine-readable reason.
   * @param message - What failed, where, and what to do; already free of credentials.
   * @param details - Context fields, set on the error only when given, and `cause`.
   */
  constructor(code: GitErrorCode, message: string, details: GitErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    if (details.remote !== undefined) this.remote = details.remote;
    if (details.ref !== undefined) this.ref = details.ref;
    if (details.path !== undefined) this.path = details.path;
    if (details.command !== undefined) this.command = details.command;
    if (details.exitCode !== undefined) this.exitCode = details.exitCode;
    if (details.status !== undefined) this.status = details.status;
    if (details.attempts !== undefined) this.attempts = details.attempts;
  }
}
