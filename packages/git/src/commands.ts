// The git commands of one working tree: what every command shares (fixed when the
// repository is cloned or opened), local commands that must succeed, and network
// commands with the credentials set up around each one. The steps of clone, commit,
// push, prepare and publish (checkout.ts, commit.ts, push.ts, prepare.ts,
// push-branch.ts) all run through it.

import { tmpdir } from 'node:os';
import { checkBoolean } from './checks.js';
import { checkCredentials, credentialSecrets, setUpCredentials } from './credentials.js';
import { type ConfigEntry, type Environment, minimalEnvironment } from './environment.js';
import { GitError } from './errors.js';
import type { RepositoryOptions } from './local-options.js';
import { Scrubber } from './redact.js';
import { checkRemoteName } from './refname.js';
import { type FailureContext, type GitCall, type GitOutput, GitRunner } from './runner.js';
import type { GitCredentials, Logger } from './types.js';

/** What every command of one repository shares. */
export interface Settings {
  readonly runner: GitRunner;
  readonly scrubber: Scrubber;
  readonly credentials: GitCredentials | undefined;
  /** The base environment (see environment.ts). */
  readonly env: Environment;
  /** Where private temporary directories (credentials, keyrings) are made. */
  readonly tmp: string;
  /** The remote's name. */
  readonly remote: string;
  readonly logger: Logger | undefined;
}

/**
 * The {@link Settings} of {@link RepositoryOptions}, checked. The default base
 * environment is copied from `process.env` here, at the call of clone or open.
 *
 * @throws {GitError} `INVALID_ARGUMENT` for an option that is not as documented.
 */
export function settingsFrom(options: RepositoryOptions): Settings {
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

/** Runs git in one working tree. */
export class Commands {
  /**
   * @param dir - The working tree.
   * @param settings - What every command shares.
   * @param remoteUrl - The remote's URL as it may be shown (no user info).
   */
  constructor(
    readonly dir: string,
    readonly settings: Settings,
    readonly remoteUrl: string,
  ) {}

  /** A local command that must succeed; `action` starts the message of its failure. */
  git(args: readonly string[], call: Omit<GitCall, 'cwd'>, action: string): Promise<GitOutput> {
    return this.settings.runner.run(args, { ...call, cwd: this.dir }, { action });
  }

  /** A local command whose exit code the caller reads. */
  exec(args: readonly string[], call: Omit<GitCall, 'cwd'> = {}): Promise<GitOutput> {
    return this.settings.runner.exec(args, { ...call, cwd: this.dir });
  }

  /**
   * A command that talks to the remote, with the credentials set up around it and
   * removed after. With `check` (the default) a non-zero exit throws the classified
   * failure; without, the caller reads the output.
   */
  async network(
    args: readonly string[],
    call: Omit<GitCall, 'cwd'>,
    context: FailureContext,
    check = true,
  ): Promise<GitOutput> {
    const { credentials, env, tmp, runner } = this.settings;
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
        throw runner.failure(args, out, { remote: this.remoteUrl, ...context });
      }
      return out;
    } finally {
      await setup.dispose();
    }
  }

  /** Whether the clone is shallow (made with a `depth`). */
  async isShallow(signal: AbortSignal | undefined): Promise<boolean> {
    const out = await this.git(
      ['rev-parse', '--is-shallow-repository'],
      { signal },
      'read the repository',
    );
    return out.stdout.trim() === 'true';
  }
}
