// The git CLI as the tests drive it: argument arrays, no system or global
// config, no prompt, the C locale. Kept apart from the testkit's own runner so
// the tests check the fixture with an independent git invocation.
import { execFile } from 'node:child_process';

/** What a finished git command printed and how it exited. */
export interface GitOutcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link git}. */
export interface GitCall {
  /** The working directory. */
  readonly cwd?: string;
  /** Variables added to the controlled environment. */
  readonly env?: NodeJS.ProcessEnv;
  /** Standard input. */
  readonly input?: string;
}

/** The controlled environment, with `extra` on top. */
export function testEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('GIT_')) env[key] = value;
  }
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
    ...extra,
  };
}

/** Runs git and resolves with its outcome, whatever the exit code. */
export function tryGit(args: readonly string[], call: GitCall = {}): Promise<GitOutcome> {
  return new Promise((resolve) => {
    const child = execFile(
      'git',
      args,
      { cwd: call.cwd, env: testEnv(call.env), maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
    // git may exit without reading stdin; its exit code tells what happened.
    child.stdin?.on('error', () => {});
    child.stdin?.end(call.input ?? '');
  });
}

/** Runs git, resolves with its trimmed stdout, and throws with its stderr when it fails. */
export async function git(args: readonly string[], call: GitCall = {}): Promise<string> {
  const outcome = await tryGit(args, call);
  if (outcome.code !== 0) {
    throw new Error(`git ${args.join(' ')} exited ${outcome.code}: ${outcome.stderr}`);
  }
  return outcome.stdout.trim();
}
