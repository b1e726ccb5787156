// Starting a program with an argument array (never a shell), collecting what it prints.
// The one place a child process is made, for git and for the signing tools.

import { spawn } from 'node:child_process';

/** What a finished program printed, and its exit code. */
export interface ProgramOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** How to start one program. */
export interface ProgramCall {
  /** The directory it runs in. */
  readonly cwd?: string | undefined;
  /** Its whole environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Written to its standard input; without it stdin is /dev/null. */
  readonly input?: string | undefined;
  /** Kills it when it fires; the promise then rejects with Node's AbortError. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Runs `program` with `args` and resolves with its output and exit code, whatever the
 * code. Rejects only when it cannot be started (ENOENT, EACCES) or the signal fires.
 */
export function spawnProgram(
  program: string,
  args: readonly string[],
  call: ProgramCall,
): Promise<ProgramOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      env: call.env,
      stdio: [call.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      windowsHide: true,
      ...(call.cwd === undefined ? {} : { cwd: call.cwd }),
      ...(call.signal === undefined ? {} : { signal: call.signal }),
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.once('error', reject);
    child.once('close', (exitCode, signal) => {
      resolve({
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        // Killed by a signal that was not ours (an abort rejects through 'error' first).
        exitCode: exitCode ?? (signal === null ? 1 : 128),
      });
    });
    if (call.input !== undefined && child.stdin !== null) {
      // A program may exit before reading everything (a bad argument); its exit code says so.
      child.stdin.on('error', () => {});
      child.stdin.end(call.input);
    }
  });
}
