// The one way testkit runs git: an argument array (never a shell), an
// environment with no system or global config and no prompts, and a failure
// that becomes `GIT_FAILED` quoting git's stderr. The git fixture and the
// smart HTTP server both go through here.
import { spawn } from 'node:child_process';
import { TestkitError } from './errors.js';

/** A name and address for commits, tags and clones. */
export interface GitIdentity {
  /** The name, e.g. `'tagsmith-fixture'`. */
  readonly name: string;
  /** The address, e.g. `'fixture@example.com'`. */
  readonly email: string;
}

/** How {@link runGit} runs one command. */
export interface GitRunOptions {
  /** The git executable. */
  readonly git: string;
  /** The environment, already built by {@link gitEnv}. */
  readonly env: NodeJS.ProcessEnv;
  /** The working directory. Default: the process's. */
  readonly cwd?: string;
  /** Written to git's stdin, which is then closed. Default: nothing. */
  readonly input?: string | Buffer;
  /** Exit codes that are an answer rather than a failure (e.g. `rev-parse --verify --quiet`). Default: `[0]`. */
  readonly okCodes?: readonly number[];
}

/** What a finished git command printed. */
export interface GitRunResult {
  readonly code: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

// Enough of git's stderr to see why it failed, short enough for a test report.
const STDERR_LIMIT = 4000;

/**
 * The environment for every testkit git process: `base` without any `GIT_*`
 * variable (a test run from inside a git hook would otherwise aim every command
 * at the outer repository), then no system or global config, no prompt, the C
 * locale and, when given, `identity` as author and committer.
 */
export function gitEnv(base: NodeJS.ProcessEnv, identity?: GitIdentity): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    if (!key.startsWith('GIT_') && value !== undefined) env[key] = value;
  }
  const controlled: NodeJS.ProcessEnv = {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
  };
  if (identity === undefined) return controlled;
  return {
    ...controlled,
    GIT_AUTHOR_NAME: identity.name,
    GIT_AUTHOR_EMAIL: identity.email,
    GIT_COMMITTER_NAME: identity.name,
    GIT_COMMITTER_EMAIL: identity.email,
  };
}

/**
 * Runs `git <args>` and resolves with what it printed; rejects with
 * `GIT_FAILED` when git cannot start or exits with a code not in `okCodes`.
 */
export function runGit(args: readonly string[], options: GitRunOptions): Promise<GitRunResult> {
  const okCodes = options.okCodes ?? [0];
  return new Promise((resolve, reject) => {
    const child = spawn(options.git, args, {
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    // git may exit before reading all of stdin (e.g. a bad fast-import stream);
    // the exit code says what went wrong, not the broken pipe.
    child.stdin.on('error', () => {});
    child.on('error', (cause) => {
      reject(
        new TestkitError(
          'GIT_FAILED',
          `git ${shortCommand(args)} could not start: ${cause.message}`,
          {
            cause,
          },
        ),
      );
    });
    child.on('close', (code, signal) => {
      const text = Buffer.concat(stderr).toString('utf8');
      const exit = code ?? -1;
      if (okCodes.includes(exit)) {
        resolve({ code: exit, stdout: Buffer.concat(stdout), stderr: text });
        return;
      }
      const how = signal === null ? `exit code ${exit}` : `signal ${signal}`;
      const said = text.trim();
      const quoted = said.length > STDERR_LIMIT ? `${said.slice(0, STDERR_LIMIT)}…` : said;
      reject(
        new TestkitError(
          'GIT_FAILED',
          `git ${shortCommand(args)} failed (${how})${quoted === '' ? '' : `: ${quoted}`}`,
          { cause: new Error(said === '' ? how : said) },
        ),
      );
    });
    child.stdin.end(options.input ?? '');
  });
}

/** The subcommand and a few arguments, for messages; fast-import streams and file lists stay out. */
function shortCommand(args: readonly string[]): string {
  const shown = args.slice(0, 6).join(' ');
  return args.length > 6 ? `${shown} …` : shown;
}
