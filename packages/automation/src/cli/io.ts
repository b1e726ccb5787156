// What a command gets from the process: its streams, environment, working directory
// and a stop signal. main.ts builds it from `process`; tests build their own, so no
// command reads a global.

/** A stream a command writes to: `process.stdout`, `process.stderr`, or a test's buffer. */
export interface CliOutput {
  write(text: string): unknown;
  /** True when the stream is a terminal (progress lines and colors are for terminals only). */
  isTTY?: boolean;
  /** The terminal's width, when it is one. */
  columns?: number;
}

/** The process as a command sees it. */
export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  /** Read by `select` when no `--image` is given. */
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
  /** Fires on the first SIGINT or SIGTERM: a command finishes or abandons its step and returns. */
  signal: AbortSignal;
}

/**
 * Whether to color what goes to `stream`: never when `NO_COLOR` is set (no-color.org) or
 * `TERM=dumb`, always when `FORCE_COLOR` is set to anything but `0`, otherwise on a terminal only.
 */
export function useColor(stream: CliOutput, env: CliIo['env']): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0';
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}
