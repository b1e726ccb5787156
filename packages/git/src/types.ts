/** A commit's author or committer. */
export interface Author {
  /** Display name, e.g. `tagsmith`. */
  name: string;
  /** Email address, e.g. `bot@example.com`. */
  email: string;
}

/**
 * How to sign commits, as Flux's `spec.git.commit.signingKey` with `type: gpg | ssh`.
 * The key is held in memory and imported into a throwaway keyring (gpg) or a private
 * temporary file (ssh) for the one commit; it is never written into the repository's config.
 */
export type SigningKey =
  | {
      /** OpenPGP signing through gpg. */
      type: 'gpg';
      /** The armored secret key (`-----BEGIN PGP PRIVATE KEY BLOCK-----`). */
      armoredKey: string;
      /** The key's passphrase, if it has one. */
      passphrase?: string;
    }
  | {
      /** SSH signing (`gpg.format=ssh`). */
      type: 'ssh';
      /** The private key in OpenSSH format (`-----BEGIN OPENSSH PRIVATE KEY-----`). */
      privateKey: string;
      /** The key's passphrase, if it has one. */
      passphrase?: string;
    };

/**
 * Credentials for a remote. They reach git only through its environment (an askpass
 * helper, `GIT_CONFIG_COUNT` headers, `GIT_SSH_COMMAND`), never through argv, the
 * remote URL or `.git/config`, and every error and log line is scrubbed of them.
 */
export type GitCredentials =
  | {
      /** An HTTPS access token, sent as the password of Basic auth. */
      type: 'token';
      /** The token. */
      token: string;
      /** The user name sent with it. Default: `x-access-token` (what GitHub and Gitea accept). */
      username?: string;
    }
  | {
      /** HTTPS Basic auth. */
      type: 'basic';
      /** The user name. */
      username: string;
      /** The password. */
      password: string;
    }
  | {
      /** An HTTPS bearer token, sent as `Authorization: Bearer` (Flux's `bearerToken`). */
      type: 'bearer';
      /** The token. */
      token: string;
    }
  | {
      /** An SSH key, with strict host-key checking. */
      type: 'ssh';
      /** The private key in OpenSSH or PEM format. */
      privateKey: string;
      /** The known-hosts lines the remote's host key must match (Flux's `known_hosts`). */
      knownHosts: string;
      /** The key's passphrase, if it has one. */
      passphrase?: string;
    };

/** A commit that was made. */
export interface CommitResult {
  /** The commit's full SHA-1 (or SHA-256) hex name. */
  sha: string;
  /** The commit's tree. */
  tree: string;
  /** The commit's parent, absent for a root commit. */
  parent?: string;
  /** The message as committed. */
  message: string;
  /** The repository-relative paths the commit changed, sorted. */
  files: string[];
  /** Whether the commit carries a signature. */
  signed: boolean;
}

/** What a push did. */
export interface PushResult {
  /** The remote, redacted (no user info). */
  remote: string;
  /** The branch pushed to, e.g. `main`. */
  branch: string;
  /** The remote branch's head before the push, absent when the push created it. */
  before?: string;
  /** The remote branch's head after the push. */
  after: string;
  /** Whether the push replaced history (`--force` or `--force-with-lease`). */
  forced: boolean;
  /** The extra refspec pushed second, if one was given. */
  refspec?: string;
}

/** The files of one branch laid out in a directory, for an `apply` step to edit. */
export interface Workspace {
  /** Absolute path of the directory that holds the files; repository paths are relative to it. */
  readonly dir: string;
  /** The commit the files were taken from. */
  readonly head: string;
  /** The branch the change will be published to. */
  readonly branch: string;
  /** The branch the change is built on (equal to `branch` unless a push branch is used). */
  readonly base: string;
}

/** Options of {@link BranchRepository.prepare}. */
export interface PrepareOptions {
  /** The branch to publish to. */
  branch: string;
  /**
   * The branch to build on. Default: `branch`. When it differs, `branch` is a push branch
   * owned by the automation: rebuilt from `base` plus the change on every run.
   */
  base?: string;
  /** Fetch the remote first and reset to its head (a retry after losing a race). Default: `false`. */
  refresh?: boolean;
  /**
   * Repository-relative directories the caller needs; a repository that downloads files
   * (GitHub) lays out only these, a clone may ignore it. Default: the whole tree.
   */
  paths?: readonly string[];
  /** Aborts the git commands or requests. */
  signal?: AbortSignal;
}

/** Options of {@link BranchRepository.publish}. */
export interface PublishOptions {
  /** Repository-relative paths the change touched; a path missing from the workspace is deleted. */
  files: readonly string[];
  /** The commit message. */
  message: string;
  /** Author (and, unless `committer` is given, committer) of the commit. */
  author: Author;
  /** Committer, when it differs from the author. */
  committer?: Author;
  /** Sign the commit. Ignored by GitHub, which signs API commits made by an App itself. */
  signing?: SigningKey;
  /** Push the branch even when it carries commits the automation did not make. Default: `false`. */
  force?: boolean;
  /**
   * A second refspec pushed after the branch, as Flux's `spec.git.push.refspec`, e.g.
   * `HEAD:refs/heads/release`. Default: none. GitHub has no push: it refuses the option.
   */
  refspec?: string;
  /**
   * `--push-option` values sent with the push, e.g. GitLab's `merge_request.create`.
   * Default: none. GitHub has no push: it refuses the option.
   */
  pushOptions?: readonly string[];
  /** Aborts the git commands or requests. */
  signal?: AbortSignal;
}

/** What {@link BranchRepository.publish} did. */
export type PublishResult =
  | {
      /** The change was committed and is on the remote branch. */
      status: 'pushed';
      commit: CommitResult;
      push: PushResult;
    }
  | {
      /** The files equal the branch's head (or the push branch's tree): nothing to commit or push. */
      status: 'unchanged';
    }
  | {
      /** The remote branch moved since `prepare`: prepare again with `refresh` and re-apply. */
      status: 'conflict';
      /** The remote head that won, when known. */
      remoteHead?: string;
    }
  | {
      /** The push branch carries commits the automation did not make; nothing was pushed. */
      status: 'left-alone';
      /** Those commits, newest first. */
      foreignCommits: string[];
    };

/**
 * The contract `LocalRepository` and `GitHubRepository` share, and the only thing
 * `updateBranch` (and `@tagsmith/automation`) needs from a repository: lay a branch's
 * files out in a directory, then publish the files an `apply` step changed.
 */
export interface BranchRepository {
  /** Lays out the files of the branch to build on, fetching first when `refresh` is set. */
  prepare(options: PrepareOptions): Promise<Workspace>;
  /** Commits the named files from the workspace onto its head and publishes them to its branch. */
  publish(workspace: Workspace, options: PublishOptions): Promise<PublishResult>;
  /**
   * Frees what `prepare` made for the workspace (GitHub's downloaded files); called once per
   * workspace, after `publish` or after `apply` failed. A clone, whose workspace is its own
   * working tree, has nothing to free and may leave this out.
   */
  release?(workspace: Workspace): Promise<void>;
}

/**
 * Where diagnostics go: any object with some of these methods, such as `console`.
 * Messages never contain a credential.
 */
export interface Logger {
  /** Each git command and API request. */
  debug?(message: string): void;
  /** Commits, pushes and retries. */
  info?(message: string): void;
  /** A push branch left alone, a retry after losing a race. */
  warn?(message: string): void;
  /** Failures that end an operation. */
  error?(message: string): void;
}
