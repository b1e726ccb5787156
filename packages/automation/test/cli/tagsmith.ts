// Runs the built `tagsmith` executable as a child process, as a user's shell would:
// the CLI tests check exit codes, stdout and stderr of the real process.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built executable (`pnpm build` first; `pnpm test` does). */
export const TAGSMITH = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** What a finished `tagsmith` process left. */
export interface TagsmithResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link tagsmith}. */
export interface TagsmithOptions {
  cwd?: string;
  /** Merged over a clean environment (`PATH`, `HOME`, `NO_COLOR` unset). */
  env?: Record<string, string>;
  /** Written to stdin, then stdin is closed. Default: stdin closed at once. */
  input?: string;
  /** Kill after this many ms (the test then fails on `signal`). Default: `30_000`. */
  timeoutMs?: number;
}

/** Runs `tagsmith ...args` to completion. */
export function tagsmith(args: string[], options: TagsmithOptions = {}): Promise<TagsmithResult> {
  const child = startTagsmith(args, options);
  child.stdin.end(options.input ?? '');
  return child.done;
}

/** Starts `tagsmith ...args` and hands back the process, for tests that signal it midway. */
export function startTagsmith(args: string[], options: TagsmithOptions = {}) {
  const child = spawn(process.execPath, [TAGSMITH, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      ...options.env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
  const done = new Promise<TagsmithResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return Object.assign(child, { done, output: () => ({ stdout, stderr }) });
}
