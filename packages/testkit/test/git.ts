// The git CLI as the tests drive it: argument arrays, no system or global
// config, no prompt, the C locale. Kept apart from the testkit's own runner so
// the tests check the fixture with an independent git invocation.
import { execFile } from 'node:child_process';
import { gitTestEnv } from '@tagsmith/test-utils';

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

/** The controlled environment the checks run git in (see `gitTestEnv`), with `extra` on top. */
export const testEnv = gitTestEnv;

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
