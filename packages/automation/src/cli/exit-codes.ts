// The three exit codes of every tagsmith command (DESIGN section 7), in one place so
// scripts and CI jobs can rely on them.

/** Exit codes: `0` done, `1` the work failed (a cycle, a listing, no tag chosen), `2` usage or config error. */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
} as const;

/** One of {@link ExitCode}'s values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * A command was called wrongly or its input is unusable (a bad flag value, a config with
 * errors, an unreadable file): main prints `tagsmith <command>: <message>` on one line and
 * exits 2. The message says what was wrong and what was expected.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}
