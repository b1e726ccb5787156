// Running git: argument arrays through spawn (never a shell), the controlled
// environment of environment.ts, an AbortSignal, and every failure turned into a
// GitError whose message, cause and log lines went through the repository's Scrubber.

import { stat } from 'node:fs/promises';
import { classifyFailure, summarizeOutput } from './classify.js';
import { type ConfigEntry, childEnvironment, type Environment } from './environment.js';
import { GitError, type GitErrorCode } from './errors.js';
import type { Scrubber } from './redact.js';
import { type ProgramOutput, spawnProgram } from './spawn.js';
import type { Logger } from './types.js';

/** How every command of one repository runs. */
export interface RunnerSettings {
  /** The git executable. */
  readonly gitPath: string;
  /** The base environment (see environment.ts). */
  readonly env: Environment;
  /** Whether the user's global and system config apply. */
  readonly useGlobalConfig: boolean;
  /** Hides the repository's secrets in everything shown. */
  readonly scrubber: Scrubber;
  /** Where each command is reported at debug level. */
  readonly logger?: Logger | undefined;
}

/** One git invocation besides its arguments. */
export interface GitCall {
  /** The directory git runs in; it must exist. */
  readonly cwd: string;
  /** Written to git's standard input; without it stdin is /dev/null. */
  readonly input?: string | undefined;
  /** Kills git when it fires. */
  readonly signal?: AbortSignal | undefined;
  /** Variables added to the environment (credentials, author, signing). */
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** Config entries passed through GIT_CONFIG_COUNT. */
  readonly config?: readonly ConfigEntry[] | undefined;
  /** Hides extra secrets of this call (a signing key) besides the repository's. */
  readonly scrubber?: Scrubber | undefined;
}

/** What a finished git command printed, and its exit code. */
export type GitOutput = ProgramOutput;

/** What a failure is about, for its message and fields. */
export interface FailureContext {
  /** What was being done, e.g. `push to main`; the message starts with it. */
  readonly action: string;
  /** The remote concerned, already redacted. */
  readonly remote?: string | undefined;
  /** The ref concerned. */
  readonly ref?: string | undefined;
  /** The code to use when no rule recognises the output. Default: `COMMAND_FAILED`. */
  readonly fallback?: GitErrorCode | undefined;
}

/** The git subcommand of an argument list: its first word that is not an option. */
export function subcommandOf(args: readonly string[]): string {
  return args.find((arg) => !arg.startsWith('-')) ?? 'git';
}

/** Runs git commands for one repository. */
export class GitRunner {
  readonly #settings: RunnerSettings;

  constructor(settings: RunnerSettings) {
    this.#settings = settings;
  }

  /**
   * Runs git and returns what it printed, whatever its exit code.
   *
   * @throws {GitError} `GIT_NOT_FOUND` when git cannot be started, `NOT_A_REPOSITORY`
   *   when `cwd` does not exist, `ABORTED` when the signal fires.
   */
  async exec(args: readonly string[], call: GitCall): Promise<GitOutput> {
    const scrubber = call.scrubber ?? this.#settings.scrubber;
    const subcommand = subcommandOf(args);
    if (call.signal?.aborted) throw aborted(subcommand, call.signal.reason);
    this.#settings.logger?.debug?.(scrubber.scrub(`git ${args.join(' ')}`));
    const env = childEnvironment(this.#settings.env, {
      useGlobalConfig: this.#settings.useGlobalConfig,
      ...(call.env === undefined ? {} : { extra: call.env }),
      ...(call.config === undefined ? {} : { config: call.config }),
    });
    try {
      return await spawnProgram(this.#settings.gitPath, args, { ...call, env });
    } catch (error) {
      if (call.signal?.aborted) throw aborted(subcommand, call.signal.reason);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && !(await isDirectory(call.cwd))) {
        throw new GitError('NOT_A_REPOSITORY', `${call.cwd} does not exist or is not a directory`, {
          command: subcommand,
        });
      }
      throw new GitError(
        'GIT_NOT_FOUND',
        `cannot run ${JSON.stringify(this.#settings.gitPath)} (${code ?? 'error'}): install git or set \`gitPath\``,
        { command: subcommand, cause: scrubbedError(error, scrubber) },
      );
    }
  }

  /**
   * Runs git and returns its output when it exits 0.
   *
   * @throws {GitError} from {@link exec}, or the classified failure (see {@link failure}).
   */
  async run(args: readonly string[], call: GitCall, context: FailureContext): Promise<GitOutput> {
    const output = await this.exec(args, call);
    if (output.exitCode !== 0) throw this.failure(args, output, context, call.scrubber);
    return output;
  }

  /**
   * The GitError for a command that exited non-zero: its code from the output
   * ({@link classifyFailure}; a conflict is PUSH_REJECTED here), its message the action
   * and git's last meaningful lines, its cause an Error holding all it printed. All scrubbed.
   */
  failure(
    args: readonly string[],
    output: GitOutput,
    context: FailureContext,
    scrubber: Scrubber = this.#settings.scrubber,
  ): GitError {
    const subcommand = subcommandOf(args);
    const printed = `${output.stderr}\n${output.stdout}`;
    const kind = classifyFailure(printed);
    const code: GitErrorCode =
      kind === undefined
        ? (context.fallback ?? 'COMMAND_FAILED')
        : kind === 'conflict'
          ? 'PUSH_REJECTED'
          : kind;
    const summary = summarizeOutput(output.stderr) || summarizeOutput(output.stdout);
    const message = scrubber.scrub(
      `${context.action}: git ${subcommand} exited with ${output.exitCode}${summary === '' ? '' : `:\n${summary}`}`,
    );
    return new GitError(code, message, {
      command: subcommand,
      exitCode: output.exitCode,
      ...(context.remote === undefined ? {} : { remote: context.remote }),
      ...(context.ref === undefined ? {} : { ref: context.ref }),
      cause: new Error(scrubber.scrub(`git ${subcommand} printed:\n${printed.trim()}`)),
    });
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

function aborted(subcommand: string, reason: unknown): GitError {
  return new GitError('ABORTED', `git ${subcommand}: aborted`, {
    command: subcommand,
    cause: reason,
  });
}

function scrubbedError(error: unknown, scrubber: Scrubber): Error {
  const scrubbed = new Error(
    scrubber.scrub(error instanceof Error ? error.message : String(error)),
  );
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined) Object.assign(scrubbed, { code });
  return scrubbed;
}
