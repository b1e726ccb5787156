// The options of LocalRepository's methods, apart so the class reads as what it does.

import type { Author, GitCredentials, Logger, SigningKey } from './types.js';

/**
 * Options shared by {@link LocalRepository.clone} and {@link LocalRepository.open}: how
 * every git command of the repository runs. They are kept by the instance, so later
 * fetches and pushes use the same credentials and environment.
 */
export interface RepositoryOptions {
  /**
   * Credentials for the remote, kept in memory by the instance and handed to each fetch
   * and push through the child's environment; never written to `.git/config`.
   * Default: none (anonymous HTTP, or ssh's own keys and agent when `env` passes them).
   */
  credentials?: GitCredentials;
  /** The git executable, a path or a name looked up on `PATH`. Default: `'git'`. */
  gitPath?: string;
  /**
   * The base environment of every git command. Variables that point git at another
   * repository (`GIT_DIR`, `GIT_WORK_TREE`, `GIT_INDEX_FILE`, …) are always dropped from
   * it, and the package's controls (`GIT_TERMINAL_PROMPT=0`, `LC_ALL=C`, no user or
   * system config, no hooks) added. Pass `process.env` to let git see everything, e.g.
   * `SSH_AUTH_SOCK` for your ssh agent.
   * Default: `PATH`, `HOME`, `TMPDIR` and `LANG` copied from `process.env` at the call.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Let git read the user's global (`~/.gitconfig`) and the system config. Hooks stay off.
   * Default: `false` (`GIT_CONFIG_GLOBAL=/dev/null`, `GIT_CONFIG_NOSYSTEM=1`).
   */
  useGlobalConfig?: boolean;
  /** Where each git command (debug), commit and push (info) and left-alone branch (warn) is reported. Default: nowhere. */
  logger?: Logger;
  /** The name of the remote to fetch from and push to. Default: `'origin'`. */
  remote?: string;
}

/**
 * What to check out, as Flux's GitRepository `spec.ref`. When several are set the first
 * of `commit`, `name`, `tag`, `semver`, `branch` wins. Default: the remote's default branch (its `HEAD`).
 */
export interface CheckoutRef {
  /** A full commit SHA; the checkout is detached. */
  commit?: string;
  /**
   * A full ref name: `refs/heads/<branch>` checks out that branch, `refs/tags/<tag>` that tag,
   * anything else (`refs/pull/1/head`, `refs/merge-requests/1/head`) is checked out detached.
   */
  name?: string;
  /** A tag name such as `v1.2.3`; the checkout is detached. */
  tag?: string;
  /** A semver range; the highest tag `matchSemver` picks is checked out, detached. */
  semver?: string;
  /** A branch name such as `main`; it becomes a local branch that tracks the remote's. */
  branch?: string;
}

/** Options of {@link LocalRepository.clone}. */
export interface CloneOptions extends RepositoryOptions {
  /** What to check out. Default: the remote's default branch. */
  ref?: CheckoutRef;
  /** How many commits of history to fetch; `0` fetches all of it. Default: `1` (shallow). */
  depth?: number;
  /** Check out only these directories (cone-mode sparse checkout; top-level files are always there). Default: everything. */
  sparse?: readonly string[];
  /**
   * Picks the tag for `ref.semver` from the remote's tags; required when `ref.semver` is
   * set. `@tagsmith/git` does not depend on `@tagsmith/policy`, so pass
   * `(range, tags) => selectTag(tags, { policy: { semver: { range } } })` from it (Flux's semantics).
   */
  matchSemver?: (range: string, tags: readonly string[]) => string | undefined;
  /** Aborts the clone; a partly made directory is removed. */
  signal?: AbortSignal;
}

/** Options of {@link LocalRepository.open}. */
export interface OpenOptions extends RepositoryOptions {
  /** Aborts the checks `open` runs. */
  signal?: AbortSignal;
}

/** Options of {@link LocalRepository.commit}. */
export interface CommitOptions {
  /**
   * Repository-relative paths to commit, exactly these: other changes in the working tree
   * or the index stay out of the commit. A path that no longer exists is committed as a deletion.
   */
  files: readonly string[];
  /** The commit message (leading and trailing blank lines are dropped). */
  message: string;
  /** The author, and the committer unless `committer` is given. */
  author: Author;
  /** The committer, when it differs from the author. */
  committer?: Author;
  /** Sign the commit with this key. Default: unsigned (or as the global config says, with `useGlobalConfig`). */
  signing?: SigningKey;
  /** Aborts the commit. */
  signal?: AbortSignal;
}

/** Options of {@link LocalRepository.push}. */
export interface PushOptions {
  /** The remote to push to. Default: the repository's `remote` option (`'origin'`). */
  remote?: string;
  /** The remote branch that receives the checked-out commit (`HEAD`). Default: the checked-out branch. */
  branch?: string;
  /** A second refspec pushed after the branch, as Flux's `spec.git.push.refspec`, e.g. `HEAD:refs/heads/release`. */
  refspec?: string;
  /** Sent with `--push-option` on both pushes, e.g. GitLab's `merge_request.create`. Default: none. */
  pushOptions?: readonly string[];
  /** Replace the remote branch whatever it holds (`--force`). Default: `false`. */
  force?: boolean;
  /**
   * Replace the remote branch only if it still is at `expect` (`--force-with-lease`); an
   * empty `expect` means it must not exist; without `expect`, what the remote-tracking ref says.
   */
  forceWithLease?: { expect?: string };
  /** Aborts the push. */
  signal?: AbortSignal;
}
