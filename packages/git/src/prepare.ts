// Laying out a branch's head in the working tree for an `apply` step. The tree is the
// automation's: a reset is `checkout -f -B` plus `clean -ffdx`, so nothing a previous
// attempt (or anyone) left in it survives. A shallow clone stays shallow: the base is
// fetched one commit deep.

import type { Commands } from './commands.js';

/**
 * HEAD when it is the local `base` branch at the commit its remote-tracking ref names (a
 * fresh clone, or the state after a push); `undefined` when anything else is checked out
 * (another branch, a detached HEAD, the commits of a failed attempt) and a reset is needed.
 */
export async function unchangedHead(
  cmd: Commands,
  base: string,
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  const state = await cmd.exec(
    [
      'rev-parse',
      'HEAD',
      `refs/remotes/${cmd.settings.remote}/${base}`,
      '--symbolic-full-name',
      'HEAD',
    ],
    { signal },
  );
  if (state.exitCode !== 0) return undefined;
  const [head, tracking, ref] = state.stdout.split('\n');
  return ref === `refs/heads/${base}` && head === tracking ? head : undefined;
}

/**
 * Fetches `base` and makes the working tree exactly its remote head, on a local branch
 * named `branch`.
 *
 * @returns The head.
 * @throws {GitError} `NOT_FOUND` when the remote has no `base`; what fetch throws.
 */
export async function resetTo(
  cmd: Commands,
  branch: string,
  base: string,
  signal: AbortSignal | undefined,
): Promise<string> {
  const remote = cmd.settings.remote;
  const tracking = `refs/remotes/${remote}/${base}`;
  const shallow = await cmd.isShallow(signal);
  await cmd.network(
    [
      'fetch',
      '--no-tags',
      ...(shallow ? ['--depth', '1'] : []),
      '--',
      remote,
      `+refs/heads/${base}:${tracking}`,
    ],
    { signal },
    { action: `prepare: fetch ${base} from ${cmd.remoteUrl}`, ref: base },
  );
  const head = (
    await cmd.git(['rev-parse', '--verify', tracking], { signal }, 'prepare')
  ).stdout.trim();
  await cmd.git(
    ['checkout', '-q', '-f', '-B', branch, head],
    { signal },
    `prepare: check out ${base}`,
  );
  await cmd.git(['clean', '-q', '-ffdx'], { signal }, 'prepare: clean the working tree');
  return head;
}
